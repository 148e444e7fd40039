"""PyTorch twin of the accuracy run of issue 17's network (f), as
`strata train --dataset idx:DIR --validation 0 --spec examples/fashion-mnist-resnet.json` runs it:
all 60,000 training images standardised per pixel (fitted on them), 10 epochs of SGD with momentum
0.9 at lr 0.05, cosine decay stepped per epoch (lr_e = 0.05 (1 + cos(pi e / 10)) / 2), batch 64, weight
decay 5e-4 as an L2 term on conv and dense weights only, He-normal weights, zero biases, batch norm
with momentum 0.1 and eps 1e-5, tested on the official t10k images. One thread. Prints one line per
epoch and the test accuracy: it says whether a gap to a target is the recipe's or the trainer's.

Usage: python3 resnet_f_torch.py DIR [SEED] [EPOCHS]
"""
import math
import sys
import time

import numpy as np
import torch
from torch import nn

from train_torch import find, idx

torch.set_num_threads(1)


class Basic(nn.Module):
    """conv3x3-BN-ReLU-conv3x3-BN added to the shortcut (a 1x1 projection with BN when the shape changes), ReLU."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                                  nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout))
        self.shortcut = nn.Identity() if stride == 1 and cin == cout else nn.Sequential(
            nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return torch.relu(self.body(x) + self.shortcut(x))


def main():
    directory = sys.argv[1]
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    xt = idx(find(directory, "train-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32)
    yt = idx(find(directory, "train-labels-idx1-ubyte")).astype(np.int64)
    xs = idx(find(directory, "t10k-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32)
    ys = idx(find(directory, "t10k-labels-idx1-ubyte")).astype(np.int64)
    mean, sd = xt.mean(axis=0), xt.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    xt, xs = (xt - mean) / sd, (xs - mean) / sd
    xt, xs = torch.from_numpy(xt).reshape(-1, 1, 28, 28), torch.from_numpy(xs).reshape(-1, 1, 28, 28)
    yt, ys = torch.from_numpy(yt), torch.from_numpy(ys)

    torch.manual_seed(seed)
    model = nn.Sequential(nn.Conv2d(1, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
                          Basic(16, 16, 1), Basic(16, 16, 1), Basic(16, 32, 2), Basic(32, 32, 1),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10))
    decayed, plain = [], []
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            decayed.append(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
                plain.append(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            plain += [m.weight, m.bias]
    lr = 0.05
    optimizer = torch.optim.SGD([{"params": decayed, "weight_decay": 5e-4}, {"params": plain, "weight_decay": 0.0}],
                                lr=lr, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        for group in optimizer.param_groups:
            group["lr"] = lr * (1 + math.cos(math.pi * epoch / epochs)) / 2
        start = time.perf_counter()
        model.train()
        perm = torch.randperm(len(xt))
        for b in range(0, len(xt), 64):
            i = perm[b:b + 64]
            optimizer.zero_grad(set_to_none=True)
            loss_fn(model(xt[i]), yt[i]).backward()
            optimizer.step()
        print(f"epoch {epoch + 1} seconds {time.perf_counter() - start:.1f} test_accuracy {accuracy(model, xs, ys):.4f}",
              flush=True)
    print(f"seed {seed} epochs {epochs} test_accuracy {accuracy(model, xs, ys):.4f}")


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        correct = sum((model(x[b:b + 500]).argmax(1) == y[b:b + 500]).sum().item() for b in range(0, len(x), 500))
    return correct / len(x)


if __name__ == "__main__":
    main()
