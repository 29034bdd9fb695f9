#!/usr/bin/env python3
"""Golden values for WilcoxonSignedRankTest, computed by scipy.stats.wilcoxon.

Run from the repository root:
    python3 reports/src/test/resources/wilcoxon/make_golden.py
It rewrites reports/src/test/resources/wilcoxon/golden.json next to this script.

Every case is a pair of samples x, y (d = x - y), a zero_method, an alternative,
a method and the continuity-correction flag, plus scipy's statistic and p-value.
`method` names the scipy call:
  exact        -> stats.wilcoxon(..., method="exact")
  asymptotic   -> stats.wilcoxon(..., method="asymptotic")
  permutation  -> stats.wilcoxon(..., method=stats.PermutationMethod(n_resamples=np.inf))
                  (all 2^n sign flips: the exact conditional null distribution)
  auto         -> stats.wilcoxon(..., method="auto")
NaN entries are paired-dropped (nan_policy="omit"), which is what the Java side does.
"""
import json
import pathlib
import warnings

import numpy as np
import scipy
from scipy import stats

warnings.simplefilter("ignore")  # scipy warns on tiny n; the values are what we want
rng = np.random.default_rng(20240531)
ALTERNATIVES = ["two-sided", "greater", "less"]
ZERO_METHODS = ["wilcox", "pratt", "zsplit"]
cases = []


def run(x, y, zero_method, alternative, method, correction=False):
    m = method
    if method == "permutation":
        m = stats.PermutationMethod(n_resamples=np.inf)
    res = stats.wilcoxon(x, y, zero_method=zero_method, alternative=alternative,
                         method=m, correction=correction, nan_policy="omit")
    return float(res.statistic), float(res.pvalue)


def add(tag, x, y, zero_method, alternative, method, correction=False):
    x = [float(v) for v in x]
    y = [float(v) for v in y]
    stat, p = run(np.array(x), np.array(y), zero_method, alternative, method, correction)
    cases.append({
        "id": f"{len(cases):03d}-{tag}-{method}-{zero_method}-{alternative}-cc{int(correction)}",
        "x": [None if np.isnan(v) else v for v in x],
        "y": [None if np.isnan(v) else v for v in y],
        "zero_method": zero_method, "alternative": alternative,
        "method": method, "correction": correction,
        "statistic": None if np.isnan(stat) else stat,
        "pvalue": None if np.isnan(p) else p,
    })


def continuous(n, shift):
    x = rng.normal(shift, 1.0, n)
    y = rng.normal(0.0, 1.0, n)
    return x, y


def tied(n, shift, zeros):
    """Integer-valued differences (many ties, exactly representable), with `zeros` exact zeros."""
    d = rng.integers(-3, 6, n).astype(float) + shift
    d[d == 0] = 1.0
    d[:zeros] = 0.0
    y = rng.integers(0, 10, n).astype(float)
    return y + d, y


# 1. exact null distribution, no ties or zeros: n = 1..30 and a few larger
for n in list(range(1, 31)) + [35, 40, 50]:
    x, y = continuous(n, 0.3)
    add("exact-n%d" % n, x, y, "wilcox", ALTERNATIVES[n % 3], "exact")
for n in (5, 9, 14, 22):
    x, y = continuous(n, 0.5)
    for alt in ALTERNATIVES:
        add("exact-alt-n%d" % n, x, y, "wilcox", alt, "exact")

# 2. asymptotic, with and without continuity correction, no ties
for n in (10, 25, 51, 60):
    x, y = continuous(n, 0.2)
    for alt in ALTERNATIVES:
        for cc in (False, True):
            add("asym-n%d" % n, x, y, "wilcox", alt, "asymptotic", cc)

# 3. asymptotic with ties and zeros under each zero_method (tie-corrected variance)
for n in (20, 40, 60):
    x, y = tied(n, 0.0, 3)
    for zm in ZERO_METHODS:
        for alt in ALTERNATIVES:
            for cc in (False, True):
                add("asym-ties-n%d" % n, x, y, zm, alt, "asymptotic", cc)

# 4. exact conditional (all 2^n sign flips) with ties and zeros under each zero_method
for n in (4, 7, 10, 13, 16):
    x, y = tied(n, 0.0, 2)
    for zm in ZERO_METHODS:
        for alt in ALTERNATIVES:
            add("perm-ties-n%d" % n, x, y, zm, alt, "permutation")
x, y = tied(12, 0.0, 0)  # ties, no zeros
for alt in ALTERNATIVES:
    add("perm-tiesonly-n12", x, y, "wilcox", alt, "permutation")

# 5. scipy's method="exact" in the presence of ties/zeros (conservative floor/ceil of R+)
for zm in ZERO_METHODS:
    x, y = tied(11, 0.5, 2)
    for alt in ALTERNATIVES:
        add("exact-ties-n11", x, y, zm, alt, "exact")

# 6. method="auto": the mapping the Java AUTO mirrors
for n, kind in ((8, "cont"), (30, "cont"), (55, "cont"), (9, "ties"), (20, "ties"), (45, "ties")):
    x, y = continuous(n, 0.4) if kind == "cont" else tied(n, 0.0, 1)
    for alt in ALTERNATIVES:
        add("auto-%s-n%d" % (kind, n), x, y, "wilcox", alt, "auto")

# 7. degenerate and NaN
add("allzero", [1, 2, 3], [1, 2, 3], "wilcox", "two-sided", "auto")
add("allzero", [1, 2, 3], [1, 2, 3], "pratt", "greater", "auto")
add("nan-omit", [1.5, np.nan, 3.25, 4.0, 0.5, 7.0], [0.0, 1.0, 1.0, np.nan, 2.0, 1.0], "wilcox", "greater", "exact")
add("single", [2.0], [1.0], "wilcox", "two-sided", "exact")

# 8. the paper's Table 5 intrinsic robustness, MonteCLoRA vs LoRA (method-spec.md section 6)
add("paper-table5", [3.16, 2.43, 2.18, 1.63, 1.75], [3.11, 2.38, 1.86, 1.49, 1.76], "wilcox", "greater", "exact")

out = pathlib.Path(__file__).with_name("golden.json")
out.write_text(json.dumps({"scipy": scipy.__version__, "numpy": np.__version__, "cases": cases}, indent=1))
print(f"wrote {len(cases)} cases to {out}")
