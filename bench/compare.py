"""bench/estimate.sh: do two result files agree? Both CSV with by,
variable, estimate, se (and maybe n). Prints "rows=N max_rel=X" over the
rows of OTHER found in QUANTRI (a subset when a tool ran fewer vars)."""
import csv, sys

def load(p):
    return {(r["by"], r["variable"]): r for r in csv.DictReader(open(p))}

q, o = load(sys.argv[1]), load(sys.argv[2])
worst, n, missing = 0.0, 0, 0
for k, r in o.items():
    if k not in q:
        missing += 1
        continue
    n += 1
    for f in ("estimate", "se"):
        a, b = float(q[k][f]), float(r[f])
        if a != b:
            worst = max(worst, abs(a - b) / max(abs(a), abs(b)))
print(f"rows={n} missing={missing} max_rel={worst:.2g}")
