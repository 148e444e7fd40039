"""Reads the raw results bench/compare.sh wrote to DIR and prints the markdown table.

Files per round r: numpy-r.json, torch-r.json, jmh-r.json (one thread), conc-r.json
(ConcurrentScaling: steps per second of training (b) in slices with one and with two trainings
taking turns in one JVM; older runs have jmh2-r.json, JMH with two threads, instead), ffm-r.json
(GemmVsOpenBlas: per-slice GFLOP/s of Strata and OpenBLAS taking turns in one JVM), micro-r.json
(MicroKernelVsC: per-slice GFLOP/s of the GEMM micro-kernel as the JIT compiles it and of its gcc twin,
bench/micro_kernel.c, taking turns in one JVM); fma.txt holds
the C FMA loop's best and median rates in GFLOP/s (the best is the peak; the median is set beside
the median of the Java twin). A Strata figure in one round is the median of its JMH measurement
iterations. Strata and peer columns are medians over rounds; the ratio is the median of the
per-round ratios (Strata and peer measured in the same time window), with its range.
Usage: python3 compare_table.py DIR
"""
import glob
import json
import os
import re
import statistics
import sys

GEMM_TARGET = 0.9
TRAINING_TARGETS = {"a": 1.2, "b": 2.5, "c": 2.0, "d": 10.0}
TRAINING_NAMES = {
    "a": "(a) 784-256-256-10, batch 64, Adam",
    "b": "(b) 64-128-128-10, batch 32, momentum",
    "c": "(c) residual 64-128-4x128-10, batch 32, momentum",
    "d": "(d) 2-8-8-1, 200 points full batch, Adam",
}
CONCURRENT_TARGET = 1.8


def load(path):
    with open(path) as f:
        return json.load(f)


def jmh_scores(path):
    """{(benchmark, param): median over iterations} of one JMH JSON result file."""
    scores = {}
    for run in load(path):
        name = run["benchmark"].rsplit(".", 2)[-2]
        param = next(iter(run.get("params", {}).values()), "")
        iterations = [v for fork in run["primaryMetric"]["rawData"] for v in fork]
        scores[(name, param)] = statistics.median(iterations)
    return scores


def flops(shape):
    m, k, n = (int(d) for d in shape.split(":")[1].split("x"))
    return 2.0 * m * k * n


def gemm_label(shape):
    op, dims = shape.split(":")
    m, k, n = dims.split("x")
    a = f"{k}×{m}ᵀ" if op == "tn" else f"{m}×{k}"
    b = f"{n}×{k}ᵀ" if op == "nt" else f"{k}×{n}"
    kind = {"nn": "gemm", "tn": "gemmTN", "nt": "gemmNT"}[op]
    return f"GEMM {kind} {a}·{b}, GFLOP/s"


def gemm_target(shape):
    op, dims = shape.split(":")
    m, k, n = (int(d) for d in dims.split("x"))
    square = op == "nn" and m == k == n
    return GEMM_TARGET if not square or m >= 256 else None


class Row:
    """One measure: per-round Strata and peer figures, and an optional minimum ratio."""

    def __init__(self, label, target=None, peak=None, quartiles=False):
        self.label, self.target, self.peak, self.quartiles = label, target, peak, quartiles
        self.strata, self.peer = [], []

    def add(self, strata, peer):
        if strata is not None and peer is not None:
            self.strata.append(strata)
            self.peer.append(peer)

    def cells(self):
        if not self.strata:
            return [self.label, "—", "—", "—", self.target_text(), "no data", ""]
        ratios = [s / p for s, p in zip(self.strata, self.peer)]
        ratio = statistics.median(ratios)
        if self.quartiles and len(ratios) > 1:
            q = statistics.quantiles(ratios, n=4)
            spread = f" (quartiles {q[0]:.2f}–{q[2]:.2f})"
        else:
            spread = f" ({min(ratios):.2f}–{max(ratios):.2f})" if len(ratios) > 1 else ""
        met = "" if self.target is None else ("yes" if ratio >= self.target else "no")
        s, p = statistics.median(self.strata), statistics.median(self.peer)
        peak = f"{s / self.peak:.0%} / {p / self.peak:.0%}" if self.peak else ""
        return [self.label, number(s), number(p), f"{ratio:.2f}×{spread}", self.target_text(), met, peak]

    def target_text(self):
        return f"≥{self.target:g}×" if self.target is not None else ""


def number(v):
    return f"{v:,.0f}" if v >= 100 else f"{v:.3g}"


def main(directory):
    rounds = sorted(int(m.group(1)) for f in glob.glob(os.path.join(directory, "jmh-*.json"))
                    if (m := re.search(r"jmh-(\d+)\.json$", f)))
    fma_file = os.path.join(directory, "fma.txt")
    fma = [float(x) for x in open(fma_file).read().split()] if os.path.exists(fma_file) else []
    peak = fma[0] if fma else None
    fma_median = fma[1] if len(fma) > 1 else peak  # older runs recorded the best only
    rows = {}

    def row(key, *args, **kwargs):
        return rows.setdefault(key, Row(*args, **kwargs))

    for r in rounds:
        jmh = jmh_scores(os.path.join(directory, f"jmh-{r}.json"))
        jmh2_file = os.path.join(directory, f"jmh2-{r}.json")
        jmh2 = jmh_scores(jmh2_file) if os.path.exists(jmh2_file) else {}
        numpy = load(os.path.join(directory, f"numpy-{r}.json"))["seconds"]
        torch = load(os.path.join(directory, f"torch-{r}.json"))["nets"]
        if peak and ("FmaPeakBench", "") in jmh:
            statistic = "medians" if len(fma) > 1 else "JMH median vs C best"
            row("fma", f"FMA loop, Vector API twin vs C ({statistic}), GFLOP/s").add(
                jmh[("FmaPeakBench", "")] / 1e9, fma_median)
        for shape, seconds in numpy.items():
            strata = jmh.get(("GemmBench", shape))
            row(shape, gemm_label(shape), gemm_target(shape), peak).add(
                strata * flops(shape) / 1e9 if strata else None, flops(shape) / seconds / 1e9)
        for net, t in torch.items():
            steps = net == "d"
            unit = "steps/s" if steps else "samples/s"
            scale = 1 if steps else t["batch"]
            strata = jmh.get(("TrainingBench", net))
            row(net, f"{TRAINING_NAMES[net]}, {unit}", TRAINING_TARGETS[net]).add(
                strata * scale if strata else None, t["steps_per_second"] * scale)
        conc_file = os.path.join(directory, f"conc-{r}.json")
        if os.path.exists(conc_file):
            # Slice pairs taken in one time window: each pair is one ratio.
            conc = load(conc_file)
            concurrent = row("concurrent", "(b) two concurrent trainings vs one, interleaved slices (Strata both), "
                             "samples/s", CONCURRENT_TARGET, quartiles=True)
            for one, two in zip(conc["one_steps_per_s"], conc["two_steps_per_s"]):
                concurrent.add(two * conc["batch"], one * conc["batch"])
        else:
            one, two = jmh.get(("TrainingBench", "b")), jmh2.get(("TrainingBench", "b"))
            batch = torch.get("b", {}).get("batch", 32)
            row("concurrent", "(b) two concurrent trainings vs one (Strata both), samples/s", CONCURRENT_TARGET).add(
                two * batch if two else None, one * batch if one else None)

    print(f"Rounds: {len(rounds)}. C FMA peak, one core: {peak:.1f} GFLOP/s." if peak else f"Rounds: {len(rounds)}.")
    print()
    header = ["Measure", "Strata", "Peer", "Strata/peer (range)", "Target", "Met?", "% of FMA peak (Strata / peer)"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    order = ["fma"] + [k for k in rows if ":" in k] + ["a", "b", "c", "d", "concurrent"]
    for key in order:
        if key in rows:
            print("| " + " | ".join(rows[key].cells()) + " |")
    print()
    print("Peers: OpenBLAS sgemm through numpy for GEMM, PyTorch for training, the C FMA loop for the "
          "Vector API twin, and Strata on one thread for the concurrent row.")
    interleaved(directory, rounds, peak)
    micro_kernel(directory, rounds, peak)


def micro_kernel(directory, rounds, peak):
    """The MicroKernelVsC line: the JIT's 6 x 16 tile against the same loop from gcc, slices pooled."""
    jit, gcc = [], []
    for r in rounds:
        path = os.path.join(directory, f"micro-{r}.json")
        if os.path.exists(path):
            data = load(path)
            jit.extend(data["strata_gflops"])
            gcc.extend(data["c_gflops"])
    if len(jit) < 2:
        return
    q = statistics.quantiles([s / c for s, c in zip(jit, gcc)], n=4)
    pct = f" ({statistics.median(jit) / peak:.0%} / {statistics.median(gcc) / peak:.0%} of the FMA peak)" if peak else ""
    print()
    print(f"GEMM micro-kernel alone (MicroKernelVsC: one 6×16 tile, k = 256, L1-resident, {len(jit)} slice pairs): "
          f"JIT {statistics.median(jit):.1f} GFLOP/s, the same loop from gcc -O2 (bench/micro_kernel.c) "
          f"{statistics.median(gcc):.1f}; JIT/gcc {q[1]:.2f}× (quartiles {q[0]:.2f}–{q[2]:.2f}){pct}.")


def interleaved(directory, rounds, peak):
    """The GemmVsOpenBlas table: slices pooled over rounds; ratio = median of per-slice-pair ratios."""
    strata, openblas = {}, {}
    library = None
    for r in rounds:
        path = os.path.join(directory, f"ffm-{r}.json")
        if not os.path.exists(path):
            continue
        data = load(path)
        library = data["library"]
        for shape, v in data["shapes"].items():
            strata.setdefault(shape, []).extend(v["strata_gflops"])
            openblas.setdefault(shape, []).extend(v["openblas_gflops"])
    if not strata:
        return
    print()
    print(f"GEMM interleaved with OpenBLAS in one JVM (GemmVsOpenBlas, {library}): Strata and "
          "cblas_sgemm take turns in 100 ms slices on the same arrays; "
          f"{len(next(iter(strata.values())))} slice pairs per shape over {len(rounds)} rounds.")
    print()
    header = ["Measure", "Strata", "OpenBLAS", "Strata/OpenBLAS (quartiles)", "Target", "Met?",
              "% of FMA peak (Strata / OpenBLAS)"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for shape in strata:
        ratios = sorted(s / o for s, o in zip(strata[shape], openblas[shape]))
        q = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else [ratios[0]] * 3
        s_med, o_med = statistics.median(strata[shape]), statistics.median(openblas[shape])
        target = gemm_target(shape)
        met = "" if target is None else ("yes" if q[1] >= target else "no")
        pct = f"{s_med / peak:.0%} / {o_med / peak:.0%}" if peak else ""
        print(f"| {gemm_label(shape)} | {number(s_med)} | {number(o_med)} | {q[1]:.2f}× ({q[0]:.2f}–{q[2]:.2f}) | "
              f"{'' if target is None else f'≥{target:g}×'} | {met} | {pct} |")


if __name__ == "__main__":
    main(sys.argv[1])
