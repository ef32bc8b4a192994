"""Per-item statistics: n, mean, SD, level shares, top/bottom-2-box, 0–100 scores, Wilson intervals."""
from __future__ import annotations

from statistics import NormalDist
from typing import Any, Sequence

import numpy as np
import pandas as pd

from udfs.score.survey.items import ItemSpec

#: The level-score table of Chinese practice for a 5-level scale, best level first (非常满意 = 100 … 非常不满意 = 0).
LEVEL_SCORES_5 = (100, 80, 60, 30, 0)

#: What each `score_map` setting means, shown in the report.
SCORE_MAP_TEXT = {
    "linear": "0–100 分 = (答案 − 量表最小值)/(最大值 − 最小值) × 100",
    "level": "等级分：非常满意 100、满意 80、一般 60、不满意 30、非常不满意 0",
}


def z_value(confidence: float = 0.95) -> float:
    """Two-sided normal quantile: 1.96 for 95%."""
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson_interval(successes: Any, n: Any, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a share successes/n (vectorised; NaN where n = 0)."""
    k = np.asarray(successes, dtype=float)
    m = np.asarray(n, dtype=float)
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / m
        denom = 1 + z * z / m
        centre = (p + z * z / (2 * m)) / denom
        half = z * np.sqrt(p * (1 - p) / m + z * z / (4 * m * m)) / denom
    return centre - half, centre + half


def level_scores(item: ItemSpec, score_map: str | Sequence[float] | dict = "linear") -> np.ndarray:
    """0–100 score of each level of `item`, lowest level first.

    'linear': (level − min)/(max − min) × 100. 'level': the 100/80/60/30/0 table (5-level scales; others
    fall back to linear). A sequence gives the scores best level first, as Chinese tables are written;
    a dict maps level → score.
    """
    levels = item.levels.astype(float)
    if isinstance(score_map, dict):
        return np.array([float(score_map[int(v)]) for v in levels])
    if isinstance(score_map, str):
        if score_map == "level" and len(levels) == 5:
            return np.array(LEVEL_SCORES_5[::-1], dtype=float)
        if score_map not in ("linear", "level"):
            raise ValueError(f"unknown score map {score_map!r}")
        return (levels - item.scale_min) / (item.scale_max - item.scale_min) * 100
    table = np.asarray(score_map, dtype=float)
    if len(table) != len(levels):
        raise ValueError(f"score table has {len(table)} entries, the scale has {len(levels)} levels")
    return table[::-1]


def level_counts(x: Any, item: ItemSpec) -> np.ndarray:
    """How many answers fall on each level of the item, lowest level first (missing answers ignored)."""
    v = np.asarray(x, dtype=float)
    v = v[np.isfinite(v)]
    return np.bincount((v - item.scale_min).astype(int), minlength=len(item.levels))[: len(item.levels)]


def item_scores(x: Any, item: ItemSpec, score_map: Any = "linear") -> np.ndarray:
    """Each answer on the item's 0–100 scale (NaN where missing)."""
    v = np.asarray(x, dtype=float)
    table = level_scores(item, score_map)
    out = np.full(v.shape, np.nan)
    ok = np.isfinite(v)
    out[ok] = table[(v[ok] - item.scale_min).astype(int)]
    return out


def item_table(x: pd.DataFrame, items: Sequence[ItemSpec], *, score_map: Any = "linear",
               confidence: float = 0.95) -> pd.DataFrame:
    """One row per item: n, mean, SD, top-2 and bottom-2-box shares with Wilson intervals, 0–100 score ± margin."""
    z = z_value(confidence)
    rows = []
    for q in items:  # one pass per item column (tens of items), each pass vectorised over respondents
        counts = level_counts(x[q.code], q)
        n = int(counts.sum())
        table = level_scores(q, score_map)
        # answers are the item's levels (as read_answers gives them): mean, SD and the score's SD from the counts
        levels = q.levels.astype(float)
        mean = float(counts @ levels / n) if n else np.nan
        sd = float(np.sqrt(counts @ (levels - mean) ** 2 / (n - 1))) if n > 1 else np.nan
        score = float(counts @ table / n) if n else np.nan
        score_sd = float(np.sqrt(counts @ (table - score) ** 2 / (n - 1))) if n > 1 else np.nan
        top = int(counts[-2:].sum())
        bottom = int(counts[:2].sum())
        t_lo, t_hi = wilson_interval(top, n, confidence)
        b_lo, b_hi = wilson_interval(bottom, n, confidence)
        moe = z * score_sd / np.sqrt(n) if n > 1 else np.nan
        rows.append({
            "code": q.code, "text": q.text, "dimension": q.dimension, "weight": q.weight,
            "importance": q.importance, "scale_min": q.scale_min, "scale_max": q.scale_max,
            "n": n, "mean": mean, "sd": sd,
            "top2": top / n if n else np.nan, "top2_low": float(t_lo), "top2_high": float(t_hi),
            "bottom2": bottom / n if n else np.nan, "bottom2_low": float(b_lo), "bottom2_high": float(b_hi),
            "score": score, "score_moe": moe, "score_low": score - moe, "score_high": score + moe,
        })
    return pd.DataFrame(rows)


def level_table(x: pd.DataFrame, items: Sequence[ItemSpec], confidence: float = 0.95) -> pd.DataFrame:
    """Long table: item × level → count, share of the item's answers, Wilson interval."""
    columns = ["code", "text", "level", "label", "count", "share", "share_low", "share_high"]
    if not items:
        return pd.DataFrame(columns=columns)
    counts = [level_counts(x[q.code], q) for q in items]  # per item, vectorised over respondents
    every = np.concatenate(counts)
    n = np.concatenate([np.full(len(c), c.sum()) for c in counts])
    lo, hi = wilson_interval(every, n, confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n > 0, every / n, np.nan)
    return pd.DataFrame({  # one frame for every item and level: not one small frame per item
        "code": [q.code for q in items for _ in q.levels], "text": [q.text for q in items for _ in q.levels],
        "level": np.concatenate([q.levels for q in items]), "label": [v for q in items for v in q.level_names()],
        "count": every, "share": share, "share_low": lo, "share_high": hi}, columns=columns)


def distribution(values: Any, scale_min: int = 1, scale_max: int = 5) -> pd.DataFrame:
    """Level → count and share for one column of answers (labels accepted): the spilled distribution."""
    from udfs.score.survey.items import to_scores

    q = ItemSpec(column=None, code="", scale_min=int(scale_min), scale_max=int(scale_max))
    x, _ = to_scores(values, q)
    counts = level_counts(x, q)
    n = counts.sum()
    return pd.DataFrame({"level": q.levels, "label": q.level_names(), "count": counts,
                         "share": counts / n if n else np.nan})
