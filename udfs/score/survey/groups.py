"""Group comparison: every headline figure per store / gender / age band, beside the overall figure, with a test
of whether the group differs from the other respondents (Welch t for means, two-proportion z for shares, Holm)."""
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


def csat_of(x: pd.DataFrame, spec: SurveySpec, per_respondent: bool = False) -> Any:
    """CSAT: top-2-box share of the overall item; without one, each respondent's top-2 share over the items they
    answered, averaged over respondents (so a respondent counts once, however many items they answered).

    `per_respondent=True` returns the per-respondent values (1/0 for the overall item, a share otherwise).
    """
    qs = [spec.overall] if spec.overall is not None else spec.items
    a = x[[q.code for q in qs]].to_numpy(dtype=float)
    top = np.array([q.scale_max - 2 for q in qs], dtype=float)
    ok = np.isfinite(a)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(ok, a > top, False).sum(axis=1) / ok.sum(axis=1)
    share[ok.sum(axis=1) == 0] = np.nan
    values = pd.Series(share, index=x.index)
    return values if per_respondent else float(values.mean()) if values.notna().any() else float("nan")


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


#: Groups (or the rest) smaller than this get figures but no test: too few respondents to conclude anything.
MIN_GROUP_SIZE = 30
#: Family-wise significance level (Holm across every figure × group of one grouping column).
ALPHA = 0.05


def respondent_figures(x: pd.DataFrame, scores: pd.DataFrame, spec: SurveySpec) -> pd.DataFrame:
    """Per respondent, the value each test compares: composite and dimension scores, CSAT (1/0 or a share),
    NPS as +1/0/−1, CES, item scores; columns named as `summary_figures` names the figures."""
    from udfs.score.survey.indices import composite

    codes = [q.code for q in spec.items]
    weights = np.array([q.weight for q in spec.items], dtype=float)
    dims = np.array([q.dimension for q in spec.items], dtype=object)
    cols = {"综合满意度": composite(scores[codes], weights)}
    if len(spec.dimensions()) > 1:
        for dim in spec.dimensions():
            m = dims == dim
            cols[f"维度：{dim}"] = composite(scores[list(np.array(codes)[m])], weights[m])
    cols["CSAT（前两档占比）"] = csat_of(x, spec, per_respondent=True)
    if spec.recommend is not None:
        v = x[spec.recommend.code].to_numpy(dtype=float)
        cols["NPS 净推荐值"] = pd.Series(np.where(np.isfinite(v), (v >= 9).astype(float) - (v <= 6), np.nan) * 100,
                                        index=x.index)
    if spec.ces is not None:
        cols["CES 费力度（均值）"] = x[spec.ces.code].astype(float)
    for q in spec.items:
        cols[f"题目：{q.text or q.code}"] = scores[q.code]
    return pd.DataFrame(cols, index=x.index)


def _moments(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column-wise n, mean and sample variance, skipping blanks."""
    ok = np.isfinite(a)
    n = ok.sum(axis=0).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(ok, a, 0.0).sum(axis=0) / n
        var = np.where(ok, (a - mean) ** 2, 0.0).sum(axis=0) / (n - 1)
    return n, mean, var


def difference_tests(values: pd.DataFrame, in_group: np.ndarray, binary: np.ndarray) -> pd.DataFrame:
    """Group vs the other respondents, per figure: p-value and effect size.

    Welch's t test for means (and NPS as the mean of +1/0/−1); the two-proportion z test (= χ² on the 2 × 2
    table) for 1/0 shares. Effect size: Cohen's d for means, Cohen's h for shares.
    """
    from scipy import stats

    a = values.to_numpy(dtype=float)
    n1, m1, v1 = _moments(a[in_group])
    n2, m2, v2 = _moments(a[~in_group])
    with np.errstate(invalid="ignore", divide="ignore"):
        se2 = v1 / n1 + v2 / n2
        t = (m1 - m2) / np.sqrt(se2)
        df = se2 ** 2 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1))
        p_welch = 2 * stats.t.sf(np.abs(t), df)
        d = (m1 - m2) / np.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2))
        pooled = (m1 * n1 + m2 * n2) / (n1 + n2)
        z = (m1 - m2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        p_z = 2 * stats.norm.sf(np.abs(z))
        h = 2 * np.arcsin(np.sqrt(np.clip(m1, 0, 1))) - 2 * np.arcsin(np.sqrt(np.clip(m2, 0, 1)))
    same = (m1 == m2)
    p = np.where(binary, p_z, p_welch)
    p = np.where(same & np.isnan(p), 1.0, p)  # identical groups with no spread: no difference
    effect = np.where(binary, h, d)
    return pd.DataFrame({"figure": values.columns, "n_group": n1, "n_rest": n2,
                         "test": np.where(binary, "两比例 z 检验", "Welch t 检验"), "p": p, "effect": effect})


def holm(p: Any) -> np.ndarray:
    """Holm's step-down adjusted p-values (NaN stays NaN and does not count as a test)."""
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    if not len(ok):
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    m = len(order)
    adj = np.maximum.accumulate(np.minimum(1.0, (m - np.arange(m)) * p[order]))
    out[order] = adj
    return out


def strength(effect: Any) -> np.ndarray:
    """小 / 中 / 大 from |Cohen's d or h| at 0.2 / 0.5 / 0.8 (below 0.2: 很小)."""
    e = np.abs(np.asarray(effect, dtype=float))
    return np.select([e >= 0.8, e >= 0.5, e >= 0.2, np.isfinite(e)], ["大", "中", "小", "很小"], "")


def group_comparison(x: pd.DataFrame, scores: pd.DataFrame, spec: SurveySpec, groups: Any,
                     score_map: Any = "linear", min_n: int = MIN_GROUP_SIZE) -> pd.DataFrame:
    """Long table: figure × group → value, the overall value, the difference (group − overall), and the test of
    the group against the other respondents: p, Holm-adjusted p, significant (★), effect strength.

    Every group is shown; groups (or rests) with fewer than `min_n` respondents are not tested. A blank group
    value is left out.
    """
    g = pd.Series(np.asarray(groups, dtype=object), index=x.index)
    overall = summary_figures(x, scores, spec, score_map)
    per = respondent_figures(x, scores, spec)
    binary = np.array([c == "CSAT（前两档占比）" and spec.overall is not None for c in per.columns])
    parts = []
    for name, idx in g.dropna().groupby(g.dropna().astype(str), sort=True).groups.items():
        f = summary_figures(x.loc[idx], scores.loc[idx], spec, score_map)
        f["group"] = name
        f["overall"] = overall["value"].to_numpy()
        inside = x.index.isin(idx)
        tests = difference_tests(per, inside, binary).set_index("figure")
        small = (inside.sum() < min_n) | ((~inside).sum() < min_n)
        f["n_group"] = int(inside.sum())
        f["test"] = f["figure"].map(tests["test"])
        f["p"] = np.nan if small else f["figure"].map(tests["p"]).to_numpy()
        f["effect"] = f["figure"].map(tests["effect"])
        parts.append(f)
    if not parts:
        return pd.DataFrame(columns=["figure", "kind", "group", "value", "overall", "diff", "n_group", "test", "p",
                                     "p_holm", "significant", "strength"])
    out = pd.concat(parts, ignore_index=True)
    out["diff"] = np.where(out["kind"] == "count", np.nan, out["value"] - out["overall"])
    out["p_holm"] = holm(out["p"])
    out["significant"] = out["p_holm"] < ALPHA
    out["strength"] = strength(out["effect"])
    out.attrs["min_n"] = min_n
    return out[["figure", "kind", "group", "value", "overall", "diff", "n_group", "test", "p", "p_holm",
                "significant", "strength", "effect"]]


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
        if "significant" in p:
            wide[f"{grp} 显著"] = np.where(p["significant"].fillna(False).astype(bool), "★" + p["strength"], "")
    return wide


def largest_gaps(long: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """The score figures where one group sits furthest from the overall (largest |difference|)."""
    s = long[long["kind"] == "score"].dropna(subset=["diff"])
    if "significant" in s and s["p"].notna().any():
        s = s[s["significant"].astype(bool)]  # only differences the test says are real
    return s.reindex(s["diff"].abs().sort_values(ascending=False).index).head(top)
