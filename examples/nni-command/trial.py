#!/usr/bin/env python3
"""NNI-style trial code run by Strata: the experiment sets "parameters": "nni", so a nested choice
arrives as NNI's {"_name": ..., ...} object (params["optimizer"]["_name"]), not as Strata's flat
"optimizer.sgd.momentum". Without NNI installed, read the file Strata passes (last argument or
STRATA_CONFIG) the way nni.get_next_parameter() would return it, and print the result as a JSON line.
"""
import json
import math
import os
import sys

with open(sys.argv[-1] if len(sys.argv) > 1 else os.environ["STRATA_CONFIG"]) as f:
    params = json.load(f)

opt = params["optimizer"]
name = opt["_name"]
bonus = {"sgd": 0.1 * abs(opt.get("momentum", 0.9) - 0.92),
         "adam": 0.1 * abs(opt.get("beta1", 0.9) - 0.9),
         "rmsprop": 0.05}[name]
loss = ((math.log10(params["learning_rate"]) + 2.5) ** 2 / 10
        + abs(math.log2(params["hidden_size"] / 128)) / 10
        + abs(math.log10(params["weight_decay"]) + 4) / 20
        + abs(params["warmup"] - 90) / 1000
        + bonus)
print(json.dumps({"loss": loss}))
