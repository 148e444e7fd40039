"""PyTorch CPU twin of Strata's TrainingBench, at one thread; one JSON object to stdout.

Networks (keep in step with benchmarks/.../Nets.java):
  a  784-256-256-10 ReLU, softmax cross-entropy, batch 64, Adam lr 1e-3
  b  64-128-128-10 ReLU, softmax cross-entropy, batch 32, SGD lr 0.01 momentum 0.9
  c  64-128 ReLU, 4 residual blocks y = relu(x + W2 relu(W1 x)) of width 128, then 10;
     softmax cross-entropy, batch 32, SGD lr 0.01 momentum 0.9
  d  2-8-8-1 tanh, MSE, 200 points as one batch, Adam lr 0.01
Weights Glorot-uniform, biases zero (Strata's default). A step is what a plain PyTorch training
loop does per mini-batch on fixed tensors: zero_grad, forward, loss, backward, optimizer step.

Each figure is the median over samples of steps per second, a sample being about SAMPLE seconds of
back-to-back steps after WARMUP seconds of warm-up. Usage: python3 compare_torch.py [nets...]
"""
import json
import statistics
import sys
import time

import torch
from torch import nn

WARMUP = 1.0
SAMPLE = 0.3
SAMPLES = 7


class Residual(nn.Module):
    """Post-activation residual block, the form Strata's ResidualBlock builds."""

    def __init__(self, width):
        super().__init__()
        self.fc1 = nn.Linear(width, width)
        self.fc2 = nn.Linear(width, width)

    def forward(self, x):
        return torch.relu(x + self.fc2(torch.relu(self.fc1(x))))


def mlp(*widths, act=nn.ReLU):
    layers = []
    for i in range(len(widths) - 1):
        layers.append(nn.Linear(widths[i], widths[i + 1]))
        if i < len(widths) - 2:
            layers.append(act())
    return nn.Sequential(*layers)


def network(name):
    """(model, optimizer factory, batch, inputs, outputs, classification?)"""
    momentum = lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9)
    if name == "a":
        return mlp(784, 256, 256, 10), lambda p: torch.optim.Adam(p, lr=1e-3), 64, 784, 10, True
    if name == "b":
        return mlp(64, 128, 128, 10), momentum, 32, 64, 10, True
    if name == "c":
        model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), *[Residual(128) for _ in range(4)], nn.Linear(128, 10))
        return model, momentum, 32, 64, 10, True
    if name == "d":
        return mlp(2, 8, 8, 1, act=nn.Tanh), lambda p: torch.optim.Adam(p, lr=0.01), 200, 2, 1, False
    raise SystemExit(f"no network '{name}'; use a, b, c or d")


def steps_per_second(name):
    torch.manual_seed(1)
    model, make_optimizer, batch, inputs, outputs, classification = network(name)
    for module in model.modules():
        if isinstance(module, nn.Linear):
            nn.init.xavier_uniform_(module.weight)
            nn.init.zeros_(module.bias)
    optimizer = make_optimizer(model.parameters())
    x = torch.randn(batch, inputs)
    if classification:
        y, loss_fn = torch.randint(0, outputs, (batch,)), nn.CrossEntropyLoss()
    else:
        y, loss_fn = torch.randn(batch, outputs), nn.MSELoss()

    def run(steps):
        for _ in range(steps):
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()

    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < WARMUP:
        run(1)
        steps += 1
    per_sample = max(1, int(steps * SAMPLE / (time.perf_counter() - start)))
    rates = []
    for _ in range(SAMPLES):
        start = time.perf_counter()
        run(per_sample)
        rates.append(per_sample / (time.perf_counter() - start))
    return statistics.median(rates), batch


def main():
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    results = {}
    for name in sys.argv[1:] or ["a", "b", "c", "d"]:
        rate, batch = steps_per_second(name)
        results[name] = {"steps_per_second": rate, "batch": batch}
        print(f"torch {name}: {rate:.1f} steps/s, {rate * batch:.0f} samples/s", file=sys.stderr)
    json.dump({"torch": torch.__version__, "threads": torch.get_num_threads(), "nets": results}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
