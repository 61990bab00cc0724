"""bench/estimate.sh: the same estimates with pandas (groupby): ratio
estimator per group, linearised SE with PSUs (stratum, cluster) drawn with
replacement within strata, PSUs without a member of the group counted with
a zero total. Usage: python3 estimate_pandas.py DATA.csv BY OUT.csv
Prints on stderr: pandas load_s=... estimate_s=..."""
import sys, time
import numpy as np
import pandas as pd

path, by, out = sys.argv[1:4]
t0 = time.perf_counter()
df = pd.read_csv(path, dtype={"stratum": str, "cluster": str, by: str})
t1 = time.perf_counter()
vars_ = [c for c in df.columns if c.startswith("q")]
w = df["w"].to_numpy()
g_codes, g_labels = pd.factorize(df[by])
psu_codes, _ = pd.factorize(df["stratum"] + "\x1f" + df["cluster"])
stratum_codes, _ = pd.factorize(df["stratum"])
nh = pd.Series(psu_codes).groupby(stratum_codes).nunique().to_numpy()
npsu = int(psu_codes.max()) + 1
cell_codes, cell_uniques = pd.factorize(g_codes.astype(np.int64) * npsu + psu_codes)
cell_g = np.asarray(cell_uniques // npsu)
cell_h = pd.Series(stratum_codes).groupby(cell_codes).first().sort_index().to_numpy()
rows = []
CH = 26
for c0 in range(0, len(vars_), CH):
    vs = vars_[c0:c0 + CH]
    X = df[vs].to_numpy()
    M = ~np.isnan(X)
    WX = pd.DataFrame(np.where(M, X, 0.0) * w[:, None])
    Wm = pd.DataFrame(M * w[:, None])
    Nm = pd.DataFrame(M.astype(np.int64))
    A = WX.groupby(cell_codes).sum().sort_index().to_numpy()
    B = Wm.groupby(cell_codes).sum().sort_index().to_numpy()
    N = Nm.groupby(cell_codes).sum().sort_index().to_numpy()
    S = pd.DataFrame(A).groupby(cell_g).sum().sort_index()
    Wg = pd.DataFrame(B).groupby(cell_g).sum().sort_index()
    Ng = pd.DataFrame(N).groupby(cell_g).sum().sort_index().to_numpy()
    est = (S / Wg).to_numpy()
    Wgn = Wg.to_numpy()
    T = (A - est[cell_g] * B) / Wgn[cell_g]
    nstr = len(nh)
    key = cell_g.astype(np.int64) * nstr + cell_h
    st = pd.DataFrame(T).groupby(key).sum()
    st2 = pd.DataFrame(T * T).groupby(key).sum().to_numpy()
    gh = st.index.to_numpy()
    st = st.to_numpy()
    n_h = nh[gh % nstr][:, None].astype(float)
    contrib = n_h / (n_h - 1) * (st2 - st * st / n_h)
    var = pd.DataFrame(contrib).groupby(gh // nstr).sum().sort_index().to_numpy()
    se = np.sqrt(np.maximum(var, 0))
    for gi, label in enumerate(g_labels):
        for j, v in enumerate(vs):
            if Ng[gi, j] > 0:
                rows.append((label, v, int(Ng[gi, j]), est[gi, j], se[gi, j]))
t2 = time.perf_counter()
pd.DataFrame(rows, columns=["by", "variable", "n", "estimate", "se"]).to_csv(out, index=False, float_format="%.17g")
print(f"pandas load_s={t1 - t0:.3f} estimate_s={t2 - t1:.3f}", file=sys.stderr)
