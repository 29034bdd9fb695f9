#!/usr/bin/env python3
"""Golden values for PercentileBootstrap: an independent Python computation of the same scheme.

Run from the repository root:
    python3 reports/src/test/resources/bootstrap/make_golden.py
It rewrites reports/src/test/resources/bootstrap/golden.json next to this script.

The scheme (documented in PercentileBootstrap.java): one SplitMix64 stream seeded with `seed` per
interval; for b = 1..B, for each stratum in order, draw its n_s row indices as next() mod n_s
(next() read as an unsigned 64-bit integer); the replicate is the statistic of the resampled strata;
the interval is numpy.quantile(replicates, [a/2, 1 - a/2]) (linear interpolation).
Statistics (numpy.median for the median):
  median        one stratum of values: median
  inverse       one stratum of NLL values: 1 / median (intrinsic robustness)
  mean_medians  several strata: mean over strata of the median (the across-task average)
  paired_diff   strata of (a, b) pairs: mean over strata of median(a) - median(b)
"""
import json
import pathlib

import numpy as np

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def statistic(kind, strata):
    if kind == "median":
        return float(np.median(strata[0][:, 0]))
    if kind == "inverse":
        return 1.0 / float(np.median(strata[0][:, 0]))
    if kind == "mean_medians":
        return float(np.mean([np.median(s[:, 0]) for s in strata]))
    if kind == "paired_diff":
        return float(np.mean([np.median(s[:, 0]) - np.median(s[:, 1]) for s in strata]))
    raise ValueError(kind)


def interval(kind, strata, b, seed, confidence):
    strata = [np.asarray(s, dtype=float) for s in strata]
    rng = SplitMix64(seed)
    reps = []
    for _ in range(b):
        resampled = []
        for s in strata:
            idx = [rng.next() % len(s) for _ in range(len(s))]
            resampled.append(s[idx])
        reps.append(statistic(kind, resampled))
    a = (1 - confidence) / 2
    lo, hi = np.quantile(np.array(reps), [a, 1 - a])
    return statistic(kind, strata), float(lo), float(hi)


gen = np.random.default_rng(7)
cases = []


def add(tag, kind, strata, b, seed, confidence=0.95):
    strata = [[list(map(float, row)) for row in s] for s in strata]
    est, lo, hi = interval(kind, strata, b, seed, confidence)
    cases.append({"id": f"{len(cases):02d}-{tag}", "kind": kind, "strata": strata, "resamples": b, "seed": seed,
                  "confidence": confidence, "estimate": est, "lower": lo, "upper": hi})


acc = [[v] for v in np.round(gen.normal(0.8, 0.05, 12), 4)]
add("acc-12", "median", [acc], 10000, 20240531)
add("acc-12-seed1", "median", [acc], 2000, 1)
add("acc-12-90pct", "median", [acc], 2000, 42, 0.90)
add("nll-9", "inverse", [[[v] for v in np.round(gen.uniform(0.3, 0.9, 9), 4)]], 3000, 5)
add("negative-seed", "median", [[[v] for v in gen.normal(size=7)]], 1000, -3)
tasks = [[[v] for v in np.round(gen.normal(m, 0.04, n), 4)] for m, n in [(0.8, 10), (0.6, 6), (0.9, 15)]]
add("average-3-tasks", "mean_medians", tasks, 3000, 11)
pairs = [[[a, a - d] for a, d in zip(np.round(gen.normal(0.8, 0.05, n), 4), np.round(gen.normal(0.02, 0.03, n), 4))]
         for n in (8, 11)]
add("paired-1-task", "paired_diff", pairs[:1], 3000, 13)
add("paired-2-tasks", "paired_diff", pairs, 3000, 17)
add("one-point", "median", [[[0.5]]], 100, 3)

path = pathlib.Path(__file__).with_name("golden.json")
path.write_text(json.dumps({"cases": cases}, indent=1) + "\n")
print(f"wrote {path}: {len(cases)} cases")
