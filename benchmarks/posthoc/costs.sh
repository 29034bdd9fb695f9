#!/usr/bin/env bash
# Prints, per trial of a posthoc-cost run, the plain evaluation time of the last epoch, the baseline's
# predictive time and their ratio (and Laplace's fit and predict times). Needs python3.
set -euo pipefail
run="${1:-runs/posthoc-cost}"
python3 - "$run" <<'PY'
import json, sys, pathlib
rows = []
for f in sorted(pathlib.Path(sys.argv[1]).glob("trials/*/result.json")):
    r = json.load(open(f))
    ev = r["epochs"][-1]["eval_s"] if r.get("epochs") else float("nan")
    p = r.get("posthoc") or {}
    pred = p.get("predict_s", 0.0)
    extra = ""
    if "fit_s" in p:
        extra = f"  fit {p['fit_s']:.2f} s, predict {p['laplace_predict_s']:.2f} s, prior precision {p['prior_precision']:.3g}"
    rows.append((r["method"], ev, pred, extra, r["metrics"]))
print(f"{'method':<22}{'plain eval s':>13}{'predictive s':>14}{'ratio':>8}   acc    nll    ece")
for m, ev, pred, extra, met in rows:
    print(f"{m:<22}{ev:>13.2f}{pred:>14.2f}{pred / ev if ev else float('nan'):>8.2f}  {met['accuracy']:.3f}  {met['nll']:.3f}  {met['ece']:.3f}{extra}")
PY
