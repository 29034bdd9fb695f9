#!/usr/bin/env python3
"""Golden values for FriedmanTest and StudentizedRange, computed by scipy.

Run from the repository root:
    python3 reports/src/test/resources/friedman/make_golden.py
It rewrites reports/src/test/resources/friedman/golden.json next to this script.

- friedman: data[block][method]; scipy.stats.friedmanchisquare(*columns) gives chi2 and p;
  Iman-Davenport F = (N-1) chi2 / (N(k-1) - chi2) with p from scipy.stats.f.sf(F, k-1, (k-1)(N-1)).
- studentized_range: scipy.stats.studentized_range.cdf(q, k, df) and .ppf(p, k, df)
  (df = null in JSON means infinity).
- nemenyi: CD = ppf(1 - alpha, k, inf) / sqrt(2) * sqrt(k (k + 1) / (6 N)) (Demsar 2006).
"""
import json
import math
import pathlib
import warnings

import numpy as np
import scipy
from scipy import stats

warnings.simplefilter("ignore")
rng = np.random.default_rng(20261203)
out = {"scipy": scipy.__version__, "friedman": [], "cdf": [], "ppf": [], "nemenyi": []}


def friedman(tag, data):
    data = np.asarray(data, dtype=float)
    n, k = data.shape
    chi2, p = stats.friedmanchisquare(*[data[:, j] for j in range(k)])
    denom = n * (k - 1) - chi2
    f = (n - 1) * chi2 / denom if denom > 0 else math.inf
    pf = float(stats.f.sf(f, k - 1, (k - 1) * (n - 1))) if denom > 0 else 0.0
    out["friedman"].append({"id": f"{len(out['friedman']):02d}-{tag}", "data": data.tolist(),
                            "chi2": float(chi2), "p": float(p),
                            "f": None if math.isinf(f) else float(f), "pf": pf})


for n, k in [(5, 3), (5, 5), (10, 4), (30, 6), (3, 8), (2, 3), (12, 5)]:
    friedman("normal", rng.normal(size=(n, k)) + np.arange(k) * 0.3)
# ties inside blocks (rounded scores), and a method that is always best
friedman("ties", np.round(rng.normal(size=(8, 4)), 0))
friedman("ties-many", rng.integers(0, 3, size=(15, 5)).astype(float))
friedman("dominant", np.column_stack([rng.normal(size=6), rng.normal(size=6) + 10, rng.normal(size=6) - 10]))
# the paper's Table 5 intrinsic robustness, tasks x (LoRA, MonteCLoRA) plus a third column
friedman("paper-like", [[1.108, 1.181, 1.05], [0.948, 0.957, 0.90], [2.230, 2.250, 2.1],
                        [1.429, 1.511, 1.3], [1.575, 1.584, 1.2]])

for k in [2, 3, 5, 10, 20]:
    for df in [1, 2, 5, 10, 30, 120, None]:
        d = math.inf if df is None else df
        for q in [0.5, 1.0, 2.0, 3.5, 5.0, 8.0]:
            out["cdf"].append({"q": q, "k": k, "df": df, "cdf": float(stats.studentized_range.cdf(q, k, d))})
        for p in [0.5, 0.9, 0.95, 0.99]:
            out["ppf"].append({"p": p, "k": k, "df": df, "q": float(stats.studentized_range.ppf(p, k, d))})

for k in [2, 3, 4, 5, 6, 8, 10]:
    for n in [5, 20]:
        for alpha in [0.05, 0.10]:
            q = float(stats.studentized_range.ppf(1 - alpha, k, math.inf))
            out["nemenyi"].append({"k": k, "n": n, "alpha": alpha,
                                   "cd": q / math.sqrt(2) * math.sqrt(k * (k + 1) / (6 * n))})

path = pathlib.Path(__file__).with_name("golden.json")
path.write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {path}: {len(out['friedman'])} friedman, {len(out['cdf'])} cdf, {len(out['ppf'])} ppf, "
      f"{len(out['nemenyi'])} nemenyi (scipy {scipy.__version__})")
