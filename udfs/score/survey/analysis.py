"""Run the whole survey analysis on one sheet of answers: quality, item statistics, indices, drivers, groups, extremes, findings."""
from __future__ import annotations

from udfs.errors import InputProblem

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from udfs.score.survey.drivers import driver_table
from udfs.score.survey.extremes import extreme_flags, extreme_profile
from udfs.score.survey.groups import csat_of, group_comparison, largest_gaps
from udfs.score.survey.indices import (acsi_index, ces, composite, dimension_indices, index_with_margin, nps,
                                       respondent_scores)
from udfs.score.survey.items import SurveySpec, recognise_survey
from udfs.score.survey.quality import REASONS, answer_matrix, check_quality, response_counts
from udfs.score.survey.reliability import alpha_table
from udfs.score.survey.stats import SCORE_MAP_TEXT, item_table, level_table, wilson_interval


class SurveyInputError(InputProblem):
    """The sheet cannot be analysed as a survey (no items, no valid questionnaires); carries zh and en text."""


@dataclass
class SurveyResults:
    """Everything the report, the CLI summary and the formulas' tests read."""

    spec: SurveySpec
    settings: dict[str, Any]
    quality: pd.DataFrame           # one row per questionnaire (index of the input), with `valid` and `reasons`
    response: dict[str, Any]        # issued / returned / valid and rates
    items: pd.DataFrame             # one row per item, ranked by score (rank 1 = most satisfied)
    levels: pd.DataFrame            # item × level shares
    dimensions: pd.DataFrame        # weighted index per dimension and 综合满意度
    indices: pd.DataFrame           # headline indices with intervals
    reliability: pd.DataFrame
    drivers: pd.DataFrame | None
    groups: dict[Any, pd.DataFrame]  # group column → long comparison table
    extremes: pd.DataFrame
    extreme_flags: pd.Series
    composite: pd.Series
    findings: list[str] = field(default_factory=list)
    rows: np.ndarray | None = None  # Excel row numbers of the input rows, when known
    source: pd.DataFrame | None = None

    def invalid_table(self) -> pd.DataFrame:
        """The 无效问卷 sheet: row, respondent, answered count and the reasons, for every invalid questionnaire."""
        q = self.quality[~self.quality["valid"]]
        out = pd.DataFrame(index=q.index)
        if self.rows is not None:
            pos = self.quality.index.get_indexer(q.index)
            out["行号"] = np.asarray(self.rows)[pos]
        if self.spec.id_column is not None and self.source is not None:
            out[f"{self.spec.id_column}"] = self.source.loc[q.index, self.spec.id_column].to_numpy()
        out["已答题数"] = q["answered"].to_numpy()
        out["题目总数"] = q["questions"].to_numpy()
        if "seconds" in q:
            out["用时（秒）"] = q["seconds"].to_numpy()
        out["无效原因"] = q["reasons"].to_numpy()
        en = {zh: en for zh, en in REASONS.values()}
        out["Reason"] = q["reasons"].map(lambda t: "; ".join(en[p] for p in t.split("；")) if t else None).to_numpy()
        return out.reset_index(drop=True)


def analyse_survey(df: pd.DataFrame, spec: SurveySpec | None = None, *, items_sheet: pd.DataFrame | None = None,
                   issued: int | None = None, threshold: float = 2 / 3, score_map: Any = "linear",
                   min_seconds: float | None = None, confidence: float = 0.95, standardised_alpha: bool = False,
                   extreme_share: float = 0.2, rows: Any = None) -> SurveyResults:
    """Analyse a survey sheet (one row per returned questionnaire); invalid questionnaires are left out of every figure."""
    spec = spec or recognise_survey(df, items_sheet)
    if not spec.items:
        raise SurveyInputError("没有找到量表题（如 1–5 分的满意度题目）。",
                               "No scale items found (e.g. satisfaction questions scored 1–5).")
    x, bad = answer_matrix(df, spec)
    quality = check_quality(df, spec, x, bad, threshold=threshold, min_seconds=min_seconds)
    valid = quality["valid"].to_numpy()
    if not valid.any():
        raise SurveyInputError("没有有效问卷：每份问卷都被判为无效。", "No valid questionnaires: every one was flagged invalid.")
    xv = x[valid]
    response = response_counts(len(df), int(valid.sum()), issued)

    scores = respondent_scores(xv, spec.items, score_map)
    items = item_table(xv, spec.items, score_map=score_map, confidence=confidence)
    items["rank"] = items["score"].rank(ascending=False, method="min").astype(int)
    items = items.sort_values(["rank", "code"], kind="stable").reset_index(drop=True)
    levels = level_table(xv, spec.items, confidence)
    weights = np.array([q.weight for q in spec.items], dtype=float)
    dims = dimension_indices(items.set_index("code").loc[[q.code for q in spec.items]].reset_index(), scores,
                             confidence)
    comp = composite(scores, weights)

    # Headline indices with their intervals.
    ind = []
    overall_row = dims.iloc[-1]
    ind.append({"index": "综合满意度（加权）", "value": overall_row["value"], "low": overall_row["low"],
                "high": overall_row["high"], "n": overall_row["n"], "unit": "score",
                "note": "Σ(题目满意度×权重)/Σ权重；" + _map_text(score_map)})
    c = csat_of(xv, spec)
    if spec.overall is not None:
        k = int((xv[spec.overall.code] > spec.overall.scale_max - 2).sum())
        n = int(xv[spec.overall.code].notna().sum())
        note = f"总体满意度题「{spec.overall.text}」前两档占比"
    else:
        k = sum(int((xv[q.code] > q.scale_max - 2).sum()) for q in spec.items)
        n = int(xv[[q.code for q in spec.items]].notna().sum().sum())
        note = "无总体满意度题：全部题目答案中前两档的占比"
    lo, hi = wilson_interval(k, n, confidence)
    ind.append({"index": "CSAT 满意率", "value": c, "low": float(lo), "high": float(hi), "n": n, "unit": "share",
                "note": note + "（Wilson 区间）"})
    if spec.recommend is not None:
        r = nps(xv[spec.recommend.code], confidence)
        ind.append({"index": "NPS 净推荐值", "value": r["value"], "low": r["low"], "high": r["high"], "n": r["n"],
                    "unit": "points", "note": f"推荐者 {r['promoters']:.1%} − 贬损者 {r['detractors']:.1%}；"
                                              f"标准误 {r['se']:.1f}（Rocks 2016）"})
    if spec.ces is not None:
        r = ces(xv[spec.ces.code], spec.ces.scale_min, spec.ces.scale_max, confidence)
        ind.append({"index": "CES 费力度", "value": r["value"], "low": r["low"], "high": r["high"], "n": r["n"],
                    "unit": "mean", "note": f"{spec.ces.scale_min}–{spec.ces.scale_max} 分题目的均值"})
    a = acsi_index(xv, spec.items, confidence=confidence)
    ind.append({"index": "ACSI 式指数", "value": a["value"], "low": a["low"], "high": a["high"], "n": a["n"],
                "unit": "score", "note": "题目均值按第一主成分权重加权，折算为 0–100"})
    if spec.overall is not None:
        ov = spec.overall
        s = (xv[ov.code].dropna() - ov.scale_min) / (ov.scale_max - ov.scale_min) * 100
        m = index_with_margin([s.mean()], [1.0], s, confidence)
        ind.append({"index": "总体满意度题得分", "value": m["value"], "low": m["low"], "high": m["high"],
                    "n": m["n"], "unit": "score", "note": "总体满意度题的 0–100 分"})
    indices = pd.DataFrame(ind)

    reliability = alpha_table(xv, spec.items, standardised=standardised_alpha)

    drivers = None
    outcome_q = spec.overall or spec.recommend
    if outcome_q is not None and len(spec.items) >= 2:
        imp = pd.Series([q.importance for q in spec.items], index=[q.code for q in spec.items], dtype=float)
        perf = items.set_index("code")["score"]
        drivers = driver_table(xv[[q.code for q in spec.items]], xv[outcome_q.code], perf, imp)
        drivers.attrs["outcome"] = outcome_q.text or outcome_q.code
        text = {q.code: q.text for q in spec.items}
        drivers.insert(1, "text", drivers["code"].map(text))

    valid_df = df[valid]
    groups = {col: group_comparison(xv, scores, spec, valid_df[col], score_map) for col in spec.group_columns}

    flags = extreme_flags(comp, extreme_share)
    names = [q.text or q.code for q in spec.items]
    profile = extreme_profile(flags, valid_df[spec.group_columns], scores, names)

    settings = {"threshold": threshold, "score_map": score_map if isinstance(score_map, str) else list(score_map),
                "score_map_text": _map_text(score_map), "confidence": confidence, "issued": issued,
                "min_seconds": min_seconds, "extreme_share": extreme_share}
    res = SurveyResults(spec=spec, settings=settings, quality=quality, response=response, items=items,
                        levels=levels, dimensions=dims, indices=indices, reliability=reliability, drivers=drivers,
                        groups=groups, extremes=profile, extreme_flags=flags, composite=comp,
                        rows=None if rows is None else np.asarray(rows), source=df)
    res.findings = findings(res)
    return res


def _map_text(score_map: Any) -> str:
    if isinstance(score_map, str):
        return SCORE_MAP_TEXT.get(score_map, score_map)
    return "自定义等级分：" + "/".join(f"{v:g}" for v in (score_map.values() if isinstance(score_map, dict) else score_map))


def findings(res: SurveyResults) -> list[str]:
    """Plain-language findings for the top of the report: response, overall, lowest items, largest gaps, NPS, reliability."""
    out = []
    r = res.response
    head = f"有效问卷 {r['valid']} 份（回收 {r['returned']} 份"
    if r["issued"]:
        head += f"，发放 {r['issued']} 份，回收率 {r['return_rate']:.1%}，有效回收率 {r['valid_return_rate']:.1%}"
    head += f"），综合满意度 {res.dimensions.iloc[-1]['value']:.1f} 分（满分 100）。"
    out.append(head)
    low = res.items.sort_values("score", kind="stable").head(3)
    out.append("满意度最低的题目：" + "、".join(f"「{t}」{s:.1f} 分" for t, s in zip(low["text"], low["score"]))
               + "，建议优先改进。")
    if res.drivers is not None:
        fix = res.drivers[res.drivers["quadrant"] == "重点改进"]
        if len(fix):
            out.append("重要度高而表现低于平均（重点改进）：" + "、".join(f"「{t}」" for t in fix["text"]) + "。")
    gaps = []
    for col, long in res.groups.items():
        g = largest_gaps(long, 1)
        if len(g):
            row = g.iloc[0]
            gaps.append((abs(row["diff"]), col, row))
    for _, col, row in sorted(gaps, key=lambda t: -t[0])[:2]:
        side = "高" if row["diff"] > 0 else "低"
        fig = str(row["figure"]).replace("题目：", "").replace("维度：", "")
        out.append(f"{col}「{row['group']}」的「{fig}」比整体{side} {abs(row['diff']):.1f} 分"
                   f"（{row['value']:.1f} 对 {row['overall']:.1f}）。")
    nps_row = res.indices[res.indices["index"] == "NPS 净推荐值"]
    if len(nps_row):
        n = nps_row.iloc[0]
        out.append(f"净推荐值 NPS = {n['value']:.0f}（95% 置信区间 {n['low']:.0f} 至 {n['high']:.0f}）。")
    weak = res.reliability[res.reliability["verdict"] == "偏低"]
    for _, w in weak.iterrows():
        out.append(f"维度「{w['dimension']}」的信度系数 α = {w['alpha']:.2f}，偏低：这些题目可能没有测量同一件事。")
    if r["invalid"]:
        reasons = res.quality.loc[~res.quality["valid"], "reasons"].str.split("；").explode().value_counts()
        out.append(f"无效问卷 {r['invalid']} 份，已排除：" + "、".join(f"{k} {v} 份" for k, v in reasons.items()) + "。")
    return out
