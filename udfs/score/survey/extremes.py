"""The 20% most and 20% least satisfied respondents, and what sets them apart (groups and item profile)."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd


def extreme_flags(composite_scores: Any, share: float = 0.2) -> pd.Series:
    """'最满意' for the top `share` of respondents by composite score, '最不满意' for the bottom, else None.

    Each side holds round(share × n) respondents plus everyone tied with the last of them: respondents with
    the same score are never split by their row order (so a side can be larger than `share`).
    """
    c = pd.Series(np.asarray(composite_scores, dtype=float))
    if isinstance(composite_scores, pd.Series):
        c.index = composite_scores.index
    ok = c.dropna()
    k = int(round(share * len(ok)))
    out = pd.Series(None, index=c.index, dtype=object)
    if k == 0:
        return out
    order = np.sort(ok.to_numpy())
    low_cut, high_cut = order[k - 1], order[-k]
    if low_cut >= high_cut:  # so many ties that the two sides would meet: keep only the strict extremes
        out[ok.index[ok.to_numpy() < high_cut]] = "最不满意"
        out[ok.index[ok.to_numpy() > low_cut]] = "最满意"
        return out
    out[ok.index[ok.to_numpy() <= low_cut]] = "最不满意"
    out[ok.index[ok.to_numpy() >= high_cut]] = "最满意"
    return out


def extreme_profile(flags: pd.Series, groups: pd.DataFrame, item_scores: pd.DataFrame,
                    item_names: Sequence[str] | None = None) -> pd.DataFrame:
    """What distinguishes the two extremes: for each group value its share among 最满意 / 最不满意 / 全部,
    and for each item the mean 0–100 score in each; sorted by how far apart the two extremes are."""
    rows = []
    top = flags == "最满意"
    bottom = flags == "最不满意"
    n_top, n_bottom = int(top.sum()), int(bottom.sum())
    for col in groups.columns:
        # each value's count among all, top and bottom respondents from its group number (blanks: −1, no value)
        g = groups[col]
        text = g.dtype != object and pd.api.types.is_string_dtype(g.dtype)  # pandas' str dtype: no object copy
        codes, values = pd.factorize(g if text else g.astype(object).to_numpy())
        k = len(values)
        every = np.bincount(codes[codes >= 0], minlength=k)
        in_top = np.bincount(codes[(codes >= 0) & top.to_numpy()], minlength=k)
        in_bottom = np.bincount(codes[(codes >= 0) & bottom.to_numpy()], minlength=k)
        for i, value in enumerate(values):
            rows.append({"feature": f"{col}={value}", "kind": "share",
                         "top": in_top[i] / n_top if n_top else np.nan,
                         "bottom": in_bottom[i] / n_bottom if n_bottom else np.nan,
                         "all": every[i] / len(codes) if len(codes) else np.nan})
    names = list(item_names) if item_names is not None else list(item_scores.columns)
    a = item_scores.to_numpy(dtype=float)
    ok = np.isfinite(a)
    # the three sets' answered counts and sums in two matrix products, not three copies of their rows
    sets = np.vstack([top.to_numpy(), bottom.to_numpy(), np.ones(len(a), bool)]).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        m_top, m_bottom, m_all = (sets @ np.where(ok, a, 0.0)) / (sets @ ok.astype(float))
    for j, name in enumerate(names):
        rows.append({"feature": name, "kind": "score", "top": m_top[j], "bottom": m_bottom[j], "all": m_all[j]})
    out = pd.DataFrame(rows, columns=["feature", "kind", "top", "bottom", "all"])
    out["gap"] = out["top"] - out["bottom"]
    # shares and scores are on different scales: rank each kind by its gap, shares first
    out["_scale"] = np.where(out["kind"] == "share", 100.0, 1.0)
    out = out.assign(_key=(out["gap"] * out["_scale"]).abs()).sort_values(["kind", "_key"], ascending=[False, False])
    return out.drop(columns=["_scale", "_key"]).reset_index(drop=True)
