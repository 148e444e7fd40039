"""PyTorch twin of `strata train` on Fashion-MNIST, one thread: the same data split sizes, min-max
scaling, network, optimizer and batch, and per epoch one shuffled training pass plus one validation
pass (forward, loss and accuracy), as Strata's trainer does. Prints one line per epoch:
`epoch N seconds S val_loss L val_accuracy A`.

Usage: python3 train_torch.py DIR NET EPOCHS   (NET: a = 784-256-256-10 Adam 1e-3 b64,
                                                 b = 784-128-128-10 SGD momentum 0.9 lr 0.01 b32,
                                                 e = issue 17's LeNet-like (e) on 1x28x28, SGD momentum
                                                     0.9 lr 0.01 b64, as bench/conv_torch.py)
"""
import gzip
import os
import sys
import time

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)


def idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(directory, stem):
    for name in (stem, stem + ".gz"):
        if os.path.exists(os.path.join(directory, name)):
            return os.path.join(directory, name)
    raise SystemExit(f"no {stem} in {directory}")


def main():
    directory, net, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    x = idx(find(directory, "train-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32)
    y = idx(find(directory, "train-labels-idx1-ubyte")).astype(np.int64)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(x))
    n_val = n_test = len(x) // 5
    n_train = len(x) - n_val - n_test
    train, val = order[:n_train], order[n_train:n_train + n_val]
    lo, hi = x[train].min(axis=0), x[train].max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    x = (x - lo) / span
    xt, yt = torch.from_numpy(x[train]), torch.from_numpy(y[train])
    xv, yv = torch.from_numpy(x[val]), torch.from_numpy(y[val])

    torch.manual_seed(1)
    if net == "e":
        xt, xv = xt.reshape(-1, 1, 28, 28), xv.reshape(-1, 1, 28, 28)
        model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Flatten(), nn.Linear(1568, 10))
        fit(model, torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9), 64, xt, yt, xv, yv, epochs)
        return
    if net == "a":
        widths, batch = (784, 256, 256, 10), 64
    elif net == "b":
        widths, batch = (784, 128, 128, 10), 32
    else:
        raise SystemExit(f"no network '{net}'; use a, b or e")
    layers = []
    for i in range(len(widths) - 1):
        linear = nn.Linear(widths[i], widths[i + 1])
        nn.init.xavier_uniform_(linear.weight)
        nn.init.zeros_(linear.bias)
        layers.append(linear)
        if i < len(widths) - 2:
            layers.append(nn.ReLU())
    model = nn.Sequential(*layers)
    if net == "a":
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    else:
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    fit(model, optimizer, batch, xt, yt, xv, yv, epochs)


def fit(model, optimizer, batch, xt, yt, xv, yv, epochs):
    loss_fn = nn.CrossEntropyLoss()
    n_train, n_val = len(xt), len(xv)
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        model.train()
        perm = torch.randperm(n_train)
        for b in range(0, n_train, batch):
            idx_b = perm[b:b + batch]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(xt[idx_b]), yt[idx_b])
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            total, correct = 0.0, 0
            for b in range(0, n_val, 256):
                out = model(xv[b:b + 256])
                total += loss_fn(out, yv[b:b + 256]).item() * len(out)
                correct += (out.argmax(1) == yv[b:b + 256]).sum().item()
        seconds = time.perf_counter() - start
        print(f"epoch {epoch} seconds {seconds:.4f} val_loss {total / n_val:.5f} val_accuracy {correct / n_val:.4f}",
              flush=True)


if __name__ == "__main__":
    main()
