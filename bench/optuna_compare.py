#!/usr/bin/env python3
"""Optuna's samplers on Branin and Hartmann6, for bench/strategies-vs-optuna.sh.

  optuna_compare.py run [--seeds 10] [--budgets 10,25,50,100]   -> JSON on stdout
  optuna_compare.py table STRATA.json OPTUNA.json              -> the side-by-side table

The functions, bounds and optima are the same as Strata's TestFunctions (search-core):
branin on x1 in [-5, 10], x2 in [0, 15], optimum 0.397887; hartmann6 on [0, 1]^6, optimum
-3.32237; both minimised. Each (sampler, seed) runs max(budgets) trials through ask/tell; the best
value so far is read at every budget; regret = best - optimum. Quantiles are numpy's linear ones
(Hyndman-Fan type 7), the same as Strata's StrategyComparison. ask_ms is the mean wall time of
study.ask(distributions), which is where Optuna samples.
"""
import argparse
import json
import math
import sys
import time
import warnings

OPTIMA = {"branin": 0.397887, "hartmann6": -3.32237}
BOUNDS = {"branin": [(-5.0, 10.0), (0.0, 15.0)], "hartmann6": [(0.0, 1.0)] * 6}

H_ALPHA = [1.0, 1.2, 3.0, 3.2]
H_A = [[10, 3, 17, 3.5, 1.7, 8],
       [0.05, 10, 17, 0.1, 8, 14],
       [3, 3.5, 1.7, 10, 17, 8],
       [17, 8, 0.05, 10, 0.1, 14]]
H_P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
       [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
       [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
       [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]


def branin(x):
    b = 5.1 / (4 * math.pi * math.pi)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    u = x[1] - b * x[0] * x[0] + c * x[0] - 6
    return u * u + 10 * (1 - t) * math.cos(x[0]) + 10


def hartmann6(x):
    f = 0.0
    for i in range(4):
        s = sum(H_A[i][j] * (x[j] - H_P[i][j]) ** 2 for j in range(6))
        f -= H_ALPHA[i] * math.exp(-s)
    return f


FUNCTIONS = {"branin": branin, "hartmann6": hartmann6}


def samplers(optuna):
    out = {"optuna-tpe": lambda seed: optuna.samplers.TPESampler(seed=seed),
           "optuna-random": lambda seed: optuna.samplers.RandomSampler(seed=seed)}
    try:
        import cmaes  # noqa: F401  (Optuna's CmaEsSampler needs it)
        out["optuna-cmaes"] = lambda seed: optuna.samplers.CmaEsSampler(seed=seed)
    except ImportError:
        out["optuna-cmaes"] = None
    return out


def quantiles(values):
    import numpy as np
    v = [x for x in values if math.isfinite(x)]
    if not v:
        return {"median": None, "q1": None, "q3": None, "runs": 0}
    q1, med, q3 = np.percentile(v, [25, 50, 75])
    return {"median": float(med), "q1": float(q1), "q3": float(q3), "runs": len(v)}


def run(args):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore")
    budgets = sorted({int(b) for b in args.budgets.split(",")})
    seeds = list(range(args.seeds))
    trials = budgets[-1]
    results = []
    for name in args.functions.split(","):
        f, bounds, optimum = FUNCTIONS[name], BOUNDS[name], OPTIMA[name]
        dists = {"x%d" % (i + 1): optuna.distributions.FloatDistribution(lo, hi)
                 for i, (lo, hi) in enumerate(bounds)}
        strategies = {}
        for sname, make in samplers(optuna).items():
            if make is None:
                strategies[sname] = {"unavailable": "python3-cmaes is not installed"}
                continue
            regrets = {b: [] for b in budgets}
            ask_ns = 0
            asks = 0
            for seed in seeds:
                study = optuna.create_study(direction="minimize", sampler=make(seed))
                best = math.inf
                for k in range(1, trials + 1):
                    t0 = time.perf_counter_ns()
                    trial = study.ask(dists)
                    ask_ns += time.perf_counter_ns() - t0
                    asks += 1
                    x = [trial.params["x%d" % (i + 1)] for i in range(len(bounds))]
                    value = f(x)
                    study.tell(trial, value)
                    best = min(best, value)
                    if k in regrets:
                        regrets[k].append(max(0.0, best - optimum))
            strategies[sname] = {"ask_ms": ask_ns / 1e6 / asks,
                                 "regret": {str(b): quantiles(regrets[b]) for b in budgets}}
        results.append({"objective": name, "budgets": budgets, "seeds": seeds,
                        "optimum": optimum, "strategies": strategies})
    json.dump(results, sys.stdout, indent=1)
    print()


def table(args):
    merged = {}
    for path in (args.strata, args.optuna):
        with open(path) as fh:
            for result in json.load(fh):
                entry = merged.setdefault(result["objective"], {"budgets": result["budgets"],
                                                                "strategies": {}})
                entry["strategies"].update(result["strategies"])
    for objective, entry in merged.items():
        budgets = entry["budgets"]
        print()
        print("%s: regret (best - optimum), median [q1, q3] over seeds" % objective)
        header = "%-22s" % "strategy" + "".join("  %-27s" % ("%d trials" % b) for b in budgets) \
            + "%10s" % "ask ms"
        print(header)
        print("-" * len(header))
        for name, s in entry["strategies"].items():
            if "unavailable" in s:
                print("%-22s  %s" % (name, "unavailable: " + s["unavailable"]))
                continue
            cells = []
            for b in budgets:
                c = s["regret"].get(str(b))
                if not c or c["median"] is None:
                    cells.append("  %-27s" % "n/a")
                else:
                    cells.append("  %-27s" % ("%.3g [%.3g, %.3g]" % (c["median"], c["q1"], c["q3"])))
            print("%-22s%s%10.3f" % (name, "".join(cells), s["ask_ms"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("--seeds", type=int, default=10)
    r.add_argument("--budgets", default="10,25,50,100")
    r.add_argument("--functions", default="branin,hartmann6")
    t = sub.add_parser("table")
    t.add_argument("strata")
    t.add_argument("optuna")
    args = parser.parse_args()
    run(args) if args.command == "run" else table(args)


if __name__ == "__main__":
    main()
