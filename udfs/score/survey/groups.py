"""Group comparison: every headline figure per store / gender / age band, beside the overall figure, with a test
of whether the group differs from the other respondents (Welch t for means, two-proportion z for shares, Holm)."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from udfs.score.survey.distributions import norm_cdf, t_two_sided_p
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
    csat = csat_of(x, spec)
    nps = _nps_value(x[spec.recommend.code].to_numpy(dtype=float)) if spec.recommend is not None else None
    ces = float(x[spec.ces.code].mean()) if spec.ces is not None else None
    return _figure_table(len(x), item_score, csat, nps, ces, spec)


def _figure_table(n: int, item_score: np.ndarray, csat: float, nps: float | None, ces: float | None,
                  spec: SurveySpec) -> pd.DataFrame:
    """The figure table from its ingredients (item means, CSAT, NPS, CES)."""
    weights = np.array([q.weight for q in spec.items], dtype=float)
    dims = np.array([q.dimension for q in spec.items], dtype=object)
    rows = [("样本量", "count", float(n)),
            ("综合满意度", "score", weighted_index(item_score, weights))]
    if len(spec.dimensions()) > 1:
        for dim in spec.dimensions():
            m = dims == dim
            rows.append((f"维度：{dim}", "score", weighted_index(item_score[m], weights[m])))
    rows.append(("CSAT（前两档占比）", "share", csat))
    if spec.recommend is not None:
        rows.append(("NPS 净推荐值", "points", nps))
    if spec.ces is not None:
        rows.append(("CES 费力度（均值）", "mean", ces))
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
    codes = [q.code for q in spec.items]
    weights = np.array([q.weight for q in spec.items], dtype=float)
    dims = np.array([q.dimension for q in spec.items], dtype=object)
    names = ["综合满意度"] + ([f"维度：{d}" for d in spec.dimensions()] if len(spec.dimensions()) > 1 else [])
    # every composite at once: weighted sums over answered items, one matrix product for all dimensions
    w = np.column_stack([weights] + ([weights * (dims == d) for d in spec.dimensions()]
                                     if len(spec.dimensions()) > 1 else []))
    a = scores[codes].to_numpy(dtype=float)
    ok = np.isfinite(a)
    with np.errstate(invalid="ignore", divide="ignore"):
        den = ok.astype(float) @ w
        comp = np.where(den > 0, np.where(ok, a, 0.0) @ w / den, np.nan)
    cols = {name: comp[:, j] for j, name in enumerate(names)}
    cols["CSAT（前两档占比）"] = csat_of(x, spec, per_respondent=True)
    if spec.recommend is not None:
        v = x[spec.recommend.code].to_numpy(dtype=float)
        cols["NPS 净推荐值"] = pd.Series(np.where(np.isfinite(v), (v >= 9).astype(float) - (v <= 6), np.nan) * 100,
                                        index=x.index)
    if spec.ces is not None:
        cols["CES 费力度（均值）"] = x[spec.ces.code].astype(float)
    names = list(cols) + [f"题目：{q.text or q.code}" for q in spec.items]  # two items may share a text
    data = np.column_stack([np.asarray(v, dtype=float) for v in cols.values()] + [a])  # `a`: the item scores
    return pd.DataFrame(data, index=x.index, columns=names)


class FigureSums:
    """Column sums of a respondents × figures matrix (blanks skipped): every group's n, mean and variance come
    from per-group sums, the rest's by subtraction from the total."""

    def __init__(self, a: np.ndarray):
        self.ok = np.isfinite(a)
        self.a0 = np.where(self.ok, a, 0.0)
        self.total = _moments(self.ok, self.a0)
        self._answered = self.ok.astype(float)   # matrix-product operands, made once for every grouping column
        self._squares = self.a0 * self.a0

    def by_group(self, codes: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(n, Σx, Σx²) per group (k × figures) for group numbers `codes` (−1: no group)."""
        codes = np.asarray(codes)
        one_hot = (codes[None, :] == np.arange(k)[:, None]).astype(float)  # k × respondents
        # a handful of groups: k × n by n × figures products (run under `one_blas_thread`: a busy machine's
        # multithreaded BLAS would spin on them)
        return np.rint(one_hot @ self._answered), one_hot @ self.a0, one_hot @ self._squares


def _moments(ok: np.ndarray, a0: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(n, Σx, Σx²) per column of a block whose blanks are zeros in `a0` and False in `ok`."""
    return (np.count_nonzero(ok, axis=0).astype(float), a0.sum(axis=0), np.einsum("ij,ij->j", a0, a0))


def _summary(n, s1, s2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s1 / n
        var = np.maximum(s2 - s1 * mean, 0.0) / (n - 1)
    return n, mean, var


def _statistics(group: tuple, rest: tuple) -> tuple[np.ndarray, ...]:
    """Welch t and its degrees of freedom, the two-proportion z, Cohen's d and h: one group against the rest,
    from their (n, Σx, Σx²)."""
    n1, m1, v1 = _summary(*group)
    n2, m2, v2 = _summary(*rest)
    with np.errstate(invalid="ignore", divide="ignore"):
        se2 = v1 / n1 + v2 / n2
        t = (m1 - m2) / np.sqrt(se2)
        df = se2 ** 2 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1))
        d = (m1 - m2) / np.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2))
        pooled = (m1 * n1 + m2 * n2) / (n1 + n2)
        z = (m1 - m2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        h = 2 * np.arcsin(np.sqrt(np.clip(m1, 0, 1))) - 2 * np.arcsin(np.sqrt(np.clip(m2, 0, 1)))
    same = np.isclose(m1, m2, rtol=0, atol=1e-12)
    return t, df, z, d, h, same


def _p_values(t, df, z, same, binary) -> np.ndarray:
    """Two-sided p: Welch t (mean figures) or the normal z (1/0 shares); identical groups with no spread: 1."""
    binary = np.broadcast_to(binary, np.shape(t))
    p = np.where(binary, 2 * norm_cdf(-np.abs(z)), t_two_sided_p(t, df))
    return np.where(same & np.isnan(p), 1.0, p)


def difference_tests(values: pd.DataFrame, in_group: np.ndarray, binary: np.ndarray) -> pd.DataFrame:
    """Group vs the other respondents, per figure: p-value and effect size.

    Welch's t test for means (and NPS as the mean of +1/0/−1); the two-proportion z test (= χ² on the 2 × 2
    table) for 1/0 shares. Effect size: Cohen's d for means, Cohen's h for shares.
    """
    sums = FigureSums(values.to_numpy(dtype=float))
    g = tuple(v[0] for v in sums.by_group(np.where(np.asarray(in_group, bool), 0, -1), 1))
    t, df, z, d, h, same = _statistics(g, tuple(tot - x for tot, x in zip(sums.total, g)))
    p, effect = _p_values(t, df, z, same, binary), np.where(binary, h, d)
    return pd.DataFrame({"figure": values.columns, "n_group": g[0], "n_rest": sums.total[0] - g[0],
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
                     score_map: Any = "linear", min_n: int = MIN_GROUP_SIZE,
                     figures: pd.DataFrame | None = None, sums: FigureSums | None = None) -> pd.DataFrame:
    """Long table: figure × group → value, the overall value, the difference (group − overall), and the test of
    the group against the other respondents: p, Holm-adjusted p, significant (★), effect strength.

    Every group is shown; groups (or rests) with fewer than `min_n` respondents are not tested. A blank group
    value is left out.
    """
    per = respondent_figures(x, scores, spec) if figures is None else figures
    sums = sums or FigureSums(per.to_numpy(dtype=float))
    binary = np.array([c == "CSAT（前两档占比）" and spec.overall is not None for c in per.columns])
    test_name = np.where(binary, "两比例 z 检验", "Welch t 检验")
    csat_at = list(per.columns).index("CSAT（前两档占比）")
    k_items = len(spec.items)

    def table(n: int, mean: np.ndarray) -> pd.DataFrame:
        # every figure is a mean of per-respondent values, so the sums give them without copying rows
        extra = mean[csat_at + 1: len(mean) - k_items]  # NPS and CES, when the survey has them, in that order
        return _figure_table(n, mean[len(mean) - k_items:], float(mean[csat_at]),
                             float(extra[0]) if spec.recommend is not None else None,
                             float(extra[-1]) if spec.ces is not None else None, spec)

    with np.errstate(invalid="ignore", divide="ignore"):
        overall = table(len(x), sums.total[1] / sums.total[0])
    codes, names = _group_numbers(groups)
    moments = sums.by_group(np.asarray(codes), len(names))
    parts, stat = [], []
    for k, name in enumerate(names):  # a handful of groups; each one's figures and tests are vectorised
        inside = codes == k
        with np.errstate(invalid="ignore", divide="ignore"):
            f = table(int(inside.sum()), moments[1][k] / moments[0][k])
        f["group"] = name
        f["overall"] = overall["value"].to_numpy()
        grp = tuple(m[k] for m in moments)
        t, df, z, d, h, same = _statistics(grp, tuple(tot - v for tot, v in zip(sums.total, grp)))
        small = (inside.sum() < min_n) | ((~inside).sum() < min_n)
        f["n_group"] = int(inside.sum())
        # the figure table is 样本量 followed by `per`'s columns in the same order
        f["test"] = [None] + list(test_name)
        f["effect"] = np.r_[np.nan, np.where(binary, h, d)]
        stat.append(np.full((5, len(t)), np.nan) if small else np.vstack([t, df, z, same, binary]))
        parts.append(f)
    if parts:  # every group's p-values in one call: the t distribution function is the costly part
        st = np.hstack(stat)
        p = _p_values(st[0], st[1], st[2], st[3] == 1, st[4] == 1)
        width = len(per.columns)
        for k, f in enumerate(parts):
            f["p"] = np.r_[np.nan, p[k * width:(k + 1) * width]]
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


def _group_numbers(groups: Any) -> tuple[np.ndarray, list[str]]:
    """Each respondent's group number (−1 for a blank) and the group names, sorted as text; values that read the
    same as text (1 and '1') are one group. Distinct values are turned into text once, not every cell."""
    if isinstance(groups, pd.Series) and groups.dtype != object and pd.api.types.is_string_dtype(groups.dtype):
        # a text column (pandas' str dtype): its values are their own text; sorted by code point, as Python sorts
        codes, names = pd.factorize(groups, sort=True)
        return codes, [str(v) for v in names]
    raw, uniques = pd.factorize(np.asarray(groups, dtype=object))
    by_text, names = pd.factorize(np.array([str(v) for v in uniques], dtype=object), sort=True)
    return np.where(raw >= 0, by_text[np.maximum(raw, 0)] if len(uniques) else -1, -1), [str(v) for v in names]


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
