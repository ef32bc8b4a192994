"""Group comparison: every headline figure per store / gender / age band, beside the overall figure."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from udfs.score.survey.indices import weighted_index
from udfs.score.survey.items import SurveySpec


def _top2_share(x: pd.DataFrame, questions) -> float:
    """Share of answers in the top two levels, pooled over `questions` (answers already numbers)."""
    top = n = 0
    for q in questions:
        v = x[q.code].to_numpy(dtype=float)
        ok = np.isfinite(v)
        top, n = top + int((v[ok] > q.scale_max - 2).sum()), n + int(ok.sum())
    return top / n if n else float("nan")


def csat_of(x: pd.DataFrame, spec: SurveySpec) -> float:
    """CSAT: top-2-box share of the overall item; without one, of all item answers pooled."""
    return _top2_share(x, [spec.overall] if spec.overall is not None else spec.items)


def _nps_value(v: np.ndarray) -> float:
    v = v[np.isfinite(v)]
    return float(((v >= 9).mean() - (v <= 6).mean()) * 100) if len(v) else float("nan")


def summary_figures(x: pd.DataFrame, scores: pd.DataFrame, spec: SurveySpec,
                    score_map: Any = "linear") -> pd.DataFrame:
    """The headline figures of one set of respondents: figure name, kind (count/score/share/points/mean), value.

    Item satisfaction is the mean of the respondents' 0–100 item scores (`scores`, already mapped
    with the chosen score map), which equals Σ(level share × level score).
    """
    item_score = scores[[q.code for q in spec.items]].mean(axis=0).to_numpy()
    weights = np.array([q.weight for q in spec.items], dtype=float)
    dims = np.array([q.dimension for q in spec.items], dtype=object)
    rows = [("样本量", "count", float(len(x))),
            ("综合满意度", "score", weighted_index(item_score, weights))]
    if len(spec.dimensions()) > 1:
        for dim in spec.dimensions():
            m = dims == dim
            rows.append((f"维度：{dim}", "score", weighted_index(item_score[m], weights[m])))
    rows.append(("CSAT（前两档占比）", "share", csat_of(x, spec)))
    if spec.recommend is not None:
        rows.append(("NPS 净推荐值", "points", _nps_value(x[spec.recommend.code].to_numpy(dtype=float))))
    if spec.ces is not None:
        rows.append(("CES 费力度（均值）", "mean", float(x[spec.ces.code].mean())))
    for q, sc in zip(spec.items, item_score):
        rows.append((f"题目：{q.text or q.code}", "score", float(sc)))
    return pd.DataFrame(rows, columns=["figure", "kind", "value"])


def group_comparison(x: pd.DataFrame, scores: pd.DataFrame, spec: SurveySpec, groups: Any,
                     score_map: Any = "linear", min_n: int = 1) -> pd.DataFrame:
    """Long table: figure × group → value, the overall value and the difference (group − overall).

    Groups with fewer than `min_n` respondents are left out; a blank group value is left out.
    """
    g = pd.Series(np.asarray(groups, dtype=object), index=x.index)
    overall = summary_figures(x, scores, spec, score_map)
    parts = []
    for name, idx in g.dropna().groupby(g.dropna().astype(str), sort=True).groups.items():
        if len(idx) < min_n:
            continue
        f = summary_figures(x.loc[idx], scores.loc[idx], spec, score_map)
        f["group"] = name
        f["overall"] = overall["value"].to_numpy()
        parts.append(f)
    if not parts:
        return pd.DataFrame(columns=["figure", "kind", "group", "value", "overall", "diff"])
    out = pd.concat(parts, ignore_index=True)
    out["diff"] = np.where(out["kind"] == "count", np.nan, out["value"] - out["overall"])
    return out[["figure", "kind", "group", "value", "overall", "diff"]]


def wide_comparison(long: pd.DataFrame) -> pd.DataFrame:
    """Long comparison → one row per figure: 全部, then each group's value and its 差异."""
    if long.empty:
        return pd.DataFrame()
    order = list(dict.fromkeys(long["figure"]))
    first = long.drop_duplicates("figure").set_index("figure")
    wide = pd.DataFrame({"指标": order, "kind": first.loc[order, "kind"].to_numpy(),
                         "全部": first.loc[order, "overall"].to_numpy()})
    for grp, part in long.groupby("group", sort=False):
        p = part.set_index("figure").reindex(order)
        wide[str(grp)] = p["value"].to_numpy()
        wide[f"{grp} 差异"] = p["diff"].to_numpy()
    return wide


def largest_gaps(long: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """The score figures where one group sits furthest from the overall (largest |difference|)."""
    s = long[long["kind"] == "score"].dropna(subset=["diff"])
    return s.reindex(s["diff"].abs().sort_values(ascending=False).index).head(top)
