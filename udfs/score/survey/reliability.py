"""Reliability: Cronbach's alpha (raw and standardised) per dimension."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

from udfs.score.survey.items import ItemSpec


def cronbach_alpha(answers: Any, standardised: bool = False) -> float:
    """Cronbach's alpha of a respondents × items block (respondents with a missing answer are left out).

    Raw: k/(k−1) · (1 − Σ item variances / variance of the sum). Standardised: k·r̄ / (1 + (k−1)·r̄),
    r̄ the mean inter-item correlation.
    """
    df = pd.DataFrame(answers)
    if not all(pd.api.types.is_numeric_dtype(t) for t in df.dtypes):
        df = df.apply(pd.to_numeric, errors="coerce")
    a = df.to_numpy(dtype=float)
    return _alpha(a[np.isfinite(a).all(axis=1)], standardised)


def _alpha(a: np.ndarray, standardised: bool = False) -> float:
    """Cronbach's alpha of complete rows `a` (respondents × items)."""
    n, k = a.shape
    if k < 2 or n < 2:
        return float("nan")
    if standardised:
        r = np.corrcoef(a, rowvar=False)
        rbar = (r.sum() - k) / (k * (k - 1))
        return float(k * rbar / (1 + (k - 1) * rbar))
    item_var = a.var(axis=0, ddof=1).sum()
    total_var = a.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - item_var / total_var))


def verdict(alpha: float) -> str:
    """The usual reading of an alpha value, in Chinese."""
    if not np.isfinite(alpha):
        return "无法计算"
    if alpha >= 0.9:
        return "很好"
    if alpha >= 0.8:
        return "好"
    if alpha >= 0.7:
        return "可接受"
    return "偏低"


def alpha_table(x: pd.DataFrame, items: Sequence[ItemSpec], standardised: bool = False) -> pd.DataFrame:
    """Per dimension (and all items together): item count, complete answers, alpha, verdict."""
    groups: dict[str, list[str]] = {}
    for q in items:
        groups.setdefault(q.dimension, []).append(q.code)
    if len(groups) > 1:
        groups["全部题目"] = [q.code for q in items]
    codes = list(dict.fromkeys(q.code for q in items))
    at = {c: j for j, c in enumerate(codes)}
    answers = x[codes].to_numpy(dtype=float)  # one copy of the items; each block takes its complete rows from it
    answered = np.isfinite(answers)
    rows = []
    for dim, cols in groups.items():
        idx = [at[c] for c in cols]
        complete = np.flatnonzero(answered[:, idx].all(axis=1))
        block = answers[np.ix_(complete, idx)]
        a = _alpha(block)
        row = {"dimension": dim, "items": len(cols), "n": len(complete), "alpha": a}
        if standardised:
            row["alpha_std"] = _alpha(block, standardised=True)
        row["verdict"] = verdict(a)
        rows.append(row)
    return pd.DataFrame(rows)
