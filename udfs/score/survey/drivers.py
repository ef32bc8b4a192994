"""Key drivers: each item's correlation with the overall item, regression-based importance, importance–performance quadrants."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: Quadrant names, split at the means of importance and performance.
QUADRANTS = {
    (True, False): "重点改进",   # important, performing below average: fix first
    (True, True): "继续保持",    # important and performing well
    (False, False): "次要改进",  # less important, below average
    (False, True): "过度投入",   # less important, above average: effort could move elsewhere
}


def driver_correlations(x: pd.DataFrame, outcome: Any) -> pd.Series:
    """Pearson correlation of each item with the outcome, over respondents who answered both."""
    a = x.to_numpy(dtype=float)
    y = np.asarray(outcome, dtype=float)
    y_ok = np.isfinite(y)
    both = np.isfinite(a) & y_ok[:, None]
    n = both.sum(axis=0)
    # all items at once: means, covariance and variances over each item's own complete pairs (centred, two passes)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx = np.where(both, a, 0.0).sum(axis=0) / n
        my = (np.where(y_ok, y, 0.0) @ both) / n   # the outcome's mean over each item's pairs
        dx = np.where(both, a - mx, 0.0)
        dy = np.where(both, y[:, None] - my, 0.0)
        r = np.einsum("ij,ij->j", dx, dy) / np.sqrt(np.einsum("ij,ij->j", dx, dx) * np.einsum("ij,ij->j", dy, dy))
    return pd.Series(r, index=x.columns)


def relative_weights(x: pd.DataFrame, outcome: Any) -> tuple[pd.Series, float]:
    """Johnson's (2000) relative weights: each item's share of R², robust to correlated items.

    Returns (raw weights, which sum to R²; R²). Uses respondents with every answer.
    """
    a = np.column_stack([x.to_numpy(dtype=float), np.asarray(outcome, dtype=float)])
    a = a[np.isfinite(a).all(axis=1)]
    k = x.shape[1]
    if len(a) <= k + 1:
        return pd.Series(np.nan, index=x.columns), float("nan")
    sd = a.std(axis=0, ddof=1)
    keep = sd[:-1] > 0
    r = np.corrcoef(a[:, np.r_[keep, True]], rowvar=False)
    rxx, rxy = r[:-1, :-1], r[:-1, -1]
    vals, vecs = np.linalg.eigh(rxx)
    vals = np.clip(vals, 0, None)
    lam = vecs @ np.diag(np.sqrt(vals)) @ vecs.T          # correlations of X with its orthogonal counterpart Z
    beta = np.linalg.pinv(lam) @ rxy                       # regression of y on Z
    raw = (lam ** 2) @ (beta ** 2)
    out = pd.Series(np.nan, index=x.columns)
    out[x.columns[keep]] = raw
    return out, float(raw.sum())


def driver_table(x: pd.DataFrame, outcome: Any, performance: pd.Series,
                 stated_importance: pd.Series | None = None) -> pd.DataFrame:
    """Per item: correlation, relative weight (share of R²), importance used, performance, quadrant.

    Importance is the stated importance from the 题目 sheet where every item has one, else the correlation.
    """
    corr = driver_correlations(x, outcome)
    rw, r2 = relative_weights(x, outcome)
    use_stated = stated_importance is not None and stated_importance.notna().all() and len(stated_importance)
    importance = stated_importance.astype(float) if use_stated else corr
    perf = performance.reindex(x.columns).astype(float)
    hi_imp = importance >= importance.mean()
    hi_perf = perf >= perf.mean()
    quadrant = [QUADRANTS[(bool(i), bool(p))] for i, p in zip(hi_imp, hi_perf)]
    table = pd.DataFrame({
        "code": x.columns, "correlation": corr.to_numpy(), "relative_weight": rw.to_numpy(),
        "share_of_r2": (rw / r2).to_numpy() if r2 and np.isfinite(r2) else np.nan,
        "importance": importance.to_numpy(), "performance": perf.to_numpy(), "quadrant": quadrant,
    })
    table.attrs["r2"] = r2
    table.attrs["importance_source"] = "stated" if use_stated else "correlation"
    return table.sort_values("importance", ascending=False, kind="stable").reset_index(drop=True)
