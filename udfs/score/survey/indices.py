"""Satisfaction indices: the weighted index of Chinese practice, CSAT, NPS (with SE and interval), CES, a weighted 0–100 index."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

from udfs.columns import as_column
from udfs.score.survey.items import ItemSpec, to_scores
from udfs.score.survey.stats import item_scores, wilson_interval, z_value


def _floats(values: Any) -> np.ndarray:
    if isinstance(values, np.ndarray) and values.dtype.kind in "fi":
        return values.astype(float).ravel()
    return np.asarray(pd.to_numeric(as_column(values), errors="coerce"), dtype=float)


def weighted_index(scores: Any, weights: Any = None) -> float:
    """Σ(item satisfaction × weight) / Σ weights over items with a score (equal weights by default)."""
    s = _floats(scores)
    w = np.ones_like(s) if weights is None else _floats(weights)
    ok = np.isfinite(s) & np.isfinite(w)
    return float((s[ok] * w[ok]).sum() / w[ok].sum()) if ok.any() and w[ok].sum() else float("nan")


def respondent_scores(x: pd.DataFrame, items: Sequence[ItemSpec], score_map: Any = "linear") -> pd.DataFrame:
    """Every answer on its item's 0–100 scale (respondents × items)."""
    return pd.DataFrame({q.code: item_scores(x[q.code], q, score_map) for q in items}, index=x.index)


def composite(scores: pd.DataFrame, weights: Any = None) -> pd.Series:
    """Each respondent's weighted mean 0–100 score over the items they answered."""
    s = scores.to_numpy(dtype=float)
    w = np.ones(s.shape[1]) if weights is None else np.asarray(weights, dtype=float)
    ok = np.isfinite(s)
    num = np.where(ok, s, 0.0) @ w
    den = ok.astype(float) @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        return pd.Series(np.where(den > 0, num / den, np.nan), index=scores.index)


def index_with_margin(item_scores_: Any, weights: Any, respondent_composite: pd.Series,
                      confidence: float = 0.95) -> dict[str, float]:
    """Weighted index of item scores, with a margin of error from the spread of respondents' composites."""
    value = weighted_index(item_scores_, weights)
    c = respondent_composite.dropna()
    moe = z_value(confidence) * c.std(ddof=1) / np.sqrt(len(c)) if len(c) > 1 else float("nan")
    return {"value": value, "moe": float(moe), "low": value - moe, "high": value + moe, "n": int(len(c))}


def dimension_indices(items: pd.DataFrame, scores: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Per dimension and overall (综合): the weighted index of item scores ± margin of error."""
    items = items.reset_index(drop=True)  # rows by position below
    parts = list(items.groupby("dimension", sort=False)) + [("综合满意度", items)]
    # every dimension's composite at once: one weight column per dimension, zero off its items
    w = np.zeros((len(items), len(parts)))
    for j, (_, part) in enumerate(parts):
        w[part.index.to_numpy(), j] = part["weight"].to_numpy(dtype=float)
    s = scores[list(items["code"])].to_numpy(dtype=float)
    ok = np.isfinite(s)
    with np.errstate(invalid="ignore", divide="ignore"):
        num, den = np.where(ok, s, 0.0) @ w, ok.astype(float) @ w
        comps = np.where(den > 0, num / den, np.nan)
    rows = []
    for j, (dim, part) in enumerate(parts):
        comp = pd.Series(comps[:, j], index=scores.index)
        r = index_with_margin(part["score"], part["weight"], comp, confidence)
        rows.append({"dimension": dim, "items": len(part), **r})
    return pd.DataFrame(rows)


def csat(values: Any, scale_min: int = 1, scale_max: int = 5, top: int = 2,
         confidence: float = 0.95) -> dict[str, float]:
    """CSAT: share of answers in the top `top` levels (top-2-box), with its Wilson interval."""
    q = ItemSpec(column=None, code="", scale_min=int(scale_min), scale_max=int(scale_max))
    x, _ = to_scores(values, q)
    x = x.dropna()
    k = int((x > scale_max - top).sum())
    n = int(len(x))
    lo, hi = wilson_interval(k, n, confidence)
    return {"value": k / n if n else float("nan"), "low": float(lo), "high": float(hi), "n": n}


def nps(values: Any, confidence: float = 0.95, method: str = "wald", seed: int = 0) -> dict[str, float]:
    """Net Promoter Score on a 0–10 item: %(9–10) − %(0–6), with SE √((p + d − (p − d)²)/n) (Rocks 2016).

    NPS, its standard error and interval are in points (−100 … 100). `method`: 'wald' (± z·SE),
    'adjusted-wald' (Rocks's recommendation, what the report uses: one respondent gives a wide interval,
    not a point) or 'bootstrap'.
    """
    from udfs.score.survey.intervals import bootstrap_mean_interval, nps_interval

    q = ItemSpec(column=None, code="", scale_min=0, scale_max=10)
    x, _ = to_scores(values, q)
    x = x.dropna().to_numpy()
    n = len(x)
    if n == 0:
        return {"value": float("nan"), "promoters": float("nan"), "passives": float("nan"),
                "detractors": float("nan"), "se": float("nan"), "low": float("nan"), "high": float("nan"), "n": 0}
    p = float((x >= 9).mean())
    d = float((x <= 6).mean())
    se = float(np.sqrt((p + d - (p - d) ** 2) / n)) * 100
    value = (p - d) * 100
    if method == "bootstrap":
        lo, hi = bootstrap_mean_interval((x >= 9).astype(float) - (x <= 6), confidence, seed=seed)
        lo, hi = lo * 100, hi * 100
    else:
        lo, hi = nps_interval(int((x >= 9).sum()), int((x <= 6).sum()), n, confidence, method)
    return {"value": value, "promoters": p, "passives": 1 - p - d, "detractors": d, "se": se,
            "low": lo, "high": hi, "n": n, "method": method}


def ces(values: Any, scale_min: int = 1, scale_max: int = 7, confidence: float = 0.95) -> dict[str, float]:
    """Customer Effort Score: mean of a 1–7 ease item, with a margin of error."""
    q = ItemSpec(column=None, code="", scale_min=int(scale_min), scale_max=int(scale_max))
    x, _ = to_scores(values, q)
    x = x.dropna()
    n = len(x)
    mean = float(x.mean()) if n else float("nan")
    moe = z_value(confidence) * float(x.std(ddof=1)) / np.sqrt(n) if n > 1 else float("nan")
    return {"value": mean, "low": mean - moe, "high": mean + moe, "moe": moe, "n": n}


def acsi_index(x: pd.DataFrame, items: Sequence[ItemSpec], weights: Any = None,
               confidence: float = 0.95) -> dict[str, Any]:
    """ACSI/ECSI-style 0–100 index: (Σ wᵢ·meanᵢ − Σ wᵢ·minᵢ) / (Σ wᵢ·maxᵢ − Σ wᵢ·minᵢ) × 100.

    Weights are the user's (equal by default); the path model (`satmodel`) estimates them from the data.
    The margin of error comes from respondents' weighted linear 0–100 composites.
    """
    cols = [q.code for q in items]
    w = np.full(len(cols), 1 / len(cols)) if weights is None else np.asarray(weights, dtype=float)
    means = x[cols].mean().to_numpy(dtype=float)
    lo = np.array([q.scale_min for q in items], dtype=float)
    hi = np.array([q.scale_max for q in items], dtype=float)
    ok = np.isfinite(means)
    value = float((w[ok] @ means[ok] - w[ok] @ lo[ok]) / (w[ok] @ hi[ok] - w[ok] @ lo[ok]) * 100)
    lin = respondent_scores(x, items, "linear")
    c = composite(lin, w).dropna()
    moe = z_value(confidence) * c.std(ddof=1) / np.sqrt(len(c)) if len(c) > 1 else float("nan")
    return {"value": value, "low": value - moe, "high": value + moe, "moe": float(moe), "n": int(len(c)),
            "weights": dict(zip(cols, w))}
