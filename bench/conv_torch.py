"""PyTorch CPU twin of Strata's ConvBench, at one thread; one JSON object to stdout.

Networks (keep in step with examples/fashion-mnist-*.json, which ConvBench reads):
  e  LeNet-like, 1x28x28: conv3x3 1->16 ReLU, maxpool 2; conv3x3 16->32 ReLU, maxpool 2; dense 1568->10
  f  ResNet-like, 1x28x28: stem conv3x3 1->16 BN ReLU; 2 basic blocks at 16; a basic block to 32 at
     stride 2 with a 1x1 stride-2 projection + BN; a basic block at 32; global average pool; dense 32->10
  g  Inception-like, 1x28x28: conv3x3 1->16 ReLU, maxpool 2; branches [1x1->16], [1x1->8 ReLU 3x3->16],
     [1x1->4 ReLU 5x5->8], [maxpool 3 s1, 1x1->8], concatenated to 48, ReLU; global average pool; dense 48->10
  h  network f on 3x32x32
All: batch 64, softmax cross-entropy, SGD lr 0.01 momentum 0.9. Convolutions have a bias unless
followed by batch norm (as in Strata's specs). A step: zero_grad, forward, loss, backward, step, on
fixed tensors. Each figure is the median over 7 samples of about 0.3 s of back-to-back steps after
1 s of warm-up, in wall-clock and in
the calling thread's CPU time (time.thread_time(): at one thread, autograd runs the CPU backward on
the calling thread). Usage: OMP_NUM_THREADS=1 python3 conv_torch.py [nets...]
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


class Basic(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        h = self.b2(self.c2(torch.relu(self.b1(self.c1(x)))))
        return torch.relu(h + (x if self.short is None else self.short(x)))


class Inception(nn.Module):
    def __init__(self, cin):
        super().__init__()
        self.b1 = nn.Conv2d(cin, 16, 1)
        self.b2 = nn.Sequential(nn.Conv2d(cin, 8, 1), nn.ReLU(), nn.Conv2d(8, 16, 3, padding=1))
        self.b3 = nn.Sequential(nn.Conv2d(cin, 4, 1), nn.ReLU(), nn.Conv2d(4, 8, 5, padding=2))
        self.b4 = nn.Sequential(nn.MaxPool2d(3, 1, 1), nn.Conv2d(cin, 8, 1))

    def forward(self, x):
        return torch.relu(torch.cat([self.b1(x), self.b2(x), self.b3(x), self.b4(x)], 1))


def resnet(cin):
    return nn.Sequential(nn.Conv2d(cin, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
                         Basic(16, 16, 1), Basic(16, 16, 1), Basic(16, 32, 2), Basic(32, 32, 1),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10))


def network(name):
    """(model, input shape)"""
    if name == "e":
        return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Flatten(), nn.Linear(1568, 10)), (1, 28, 28)
    if name == "f":
        return resnet(1), (1, 28, 28)
    if name == "g":
        return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), Inception(16),
                             nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(48, 10)), (1, 28, 28)
    if name == "h":
        return resnet(3), (3, 32, 32)
    raise SystemExit(f"no network '{name}'; use e, f, g or h")


def steps_per_second(name):
    torch.manual_seed(1)
    model, shape = network(name)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(64, *shape)
    y = torch.randint(0, 10, (64,))
    loss_fn = nn.CrossEntropyLoss()
    model.train()

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
    rates, cpu = [], []
    for _ in range(SAMPLES):
        start, cpu_start = time.perf_counter(), time.thread_time()
        run(per_sample)
        rates.append(per_sample / (time.perf_counter() - start))
        cpu.append(per_sample / max(1e-9, time.thread_time() - cpu_start))
    return statistics.median(rates), statistics.median(cpu)


def main():
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    results = {}
    for name in sys.argv[1:] or ["e", "f", "g", "h"]:
        rate, cpu = steps_per_second(name)
        results[name] = {"steps_per_second": rate, "cpu_steps_per_second": cpu}
        print(f"torch {name}: {rate:.1f} steps/s wall, {cpu:.1f} steps/s of thread CPU time", file=sys.stderr)
    json.dump({"torch": torch.__version__, "threads": torch.get_num_threads(), "nets": results}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
