"""Table for bench/train-vs-torch.sh: steady-epoch medians, PyTorch/Strata ratio, effective GFLOP/s.

Effective FLOPs of one epoch of a dense network with layer sizes n_0..n_L (MACs M = sum n_i n_{i+1}):
training 2M forward + 2M weight gradients + 2(M - n_0 n_1) input gradients (the first layer needs
none) per sample, validation 2M per sample. Usage: train_table.py DIR PEAK "a b".
"""
import re
import statistics
import sys
from pathlib import Path

WIDTHS = {"a": (784, 256, 256, 10), "b": (784, 128, 128, 10)}
# (e), the LeNet-like convolutional network: multiply-adds per sample of conv 1->16 (3x3 at 28x28),
# conv 16->32 (3x3 at 14x14) and dense 1568->10; the first layer needs no input gradient
CONV_MACS = {"e": (16 * 9 * 784 + 32 * 144 * 196 + 1568 * 10, 16 * 9 * 784)}
TRAIN, VAL = 36000, 12000


def strata_epochs(path):
    """Median of epochs 2.. from `strata train`'s lines, whose time is seconds since training began."""
    ends = [float(m.group(1)) for m in re.finditer(r"^epoch .*\s([0-9.]+)s$", path.read_text(), re.M)]
    if len(ends) < 2:
        raise SystemExit(f"{path}: fewer than 2 epochs")
    return statistics.median([b - a for a, b in zip(ends, ends[1:])])


def torch_epochs(path):
    times = [float(m.group(1)) for m in re.finditer(r"seconds ([0-9.]+)", path.read_text())]
    if len(times) < 2:
        raise SystemExit(f"{path}: fewer than 2 epochs")
    return statistics.median(times[1:])


def flops(net):
    if net in CONV_MACS:
        macs, first = CONV_MACS[net]
    else:
        widths = WIDTHS[net]
        macs = sum(a * b for a, b in zip(widths, widths[1:]))
        first = widths[0] * widths[1]
    return TRAIN * (6 * macs - 2 * first) + VAL * 2 * macs


def main():
    out, peak, nets = Path(sys.argv[1]), float(sys.argv[2]), sys.argv[3].split()
    print("| network | Strata s/epoch | PyTorch s/epoch | PyTorch / Strata | Strata GFLOP/s (of peak) "
          "| PyTorch GFLOP/s (of peak) | rounds |")
    print("|---|---|---|---|---|---|---|")
    for net in nets:
        strata = [strata_epochs(p) for p in sorted(out.glob(f"strata-{net}-*.txt"))]
        torch = [torch_epochs(p) for p in sorted(out.glob(f"torch-{net}-*.txt"))]
        ratios = [t / s for s, t in zip(strata, torch)]
        f = flops(net) / 1e9
        name = "-".join(map(str, WIDTHS[net])) if net in WIDTHS else "LeNet-like (issue 17)"
        s, t = statistics.median(strata), statistics.median(torch)
        print(f"| {net} {name} | {s:.3f} | {t:.3f} | **{statistics.median(ratios):.2f}x** "
              f"({', '.join(f'{r:.2f}' for r in ratios)}) | {f / s:.0f} ({f / s / peak:.0%}) "
              f"| {f / t:.0f} ({f / t / peak:.0%}) | {len(ratios)} |")


if __name__ == "__main__":
    main()
