#!/usr/bin/env python3
"""A Strata external objective: any program that reads the configuration and prints JSON lines.

Strata passes the configuration file's path as the last argument and in STRATA_CONFIG, plus
STRATA_TRIAL_ID, STRATA_SEED and STRATA_RESOURCE. Lines with "epoch" are learning-curve points;
the LAST JSON line on stdout is the result. Anything on stderr is kept (its tail) if it fails.
"""
import json
import math
import os
import random
import sys

config_path = sys.argv[-1] if len(sys.argv) > 1 else os.environ["STRATA_CONFIG"]
with open(config_path) as f:
    config = json.load(f)

rng = random.Random(int(os.environ.get("STRATA_SEED", "0")))
x, y = config["x"], config["y"]
kind = config["kind"]

# A made-up "training": the loss shrinks towards a bowl whose minimum depends on the kind.
centre = {"a": (0.3, 0.7), "b": (0.6, 0.2), "c": (0.5, 0.5)}[kind]
final = (x - centre[0]) ** 2 + (y - centre[1]) ** 2 + (0.05 if kind == "c" else 0.0)
epochs = int(os.environ.get("STRATA_RESOURCE", "0")) or 5
for epoch in range(1, epochs + 1):
    loss = final + math.exp(-epoch) * 0.5 + rng.uniform(0, 0.01)
    print(json.dumps({"epoch": epoch, "loss": loss}), flush=True)

print(json.dumps({"loss": final, "x": x, "y": y}))
