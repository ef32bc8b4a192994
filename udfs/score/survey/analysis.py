"""Run the whole survey analysis on one sheet of answers: quality, item statistics, indices, drivers, groups, extremes, findings."""
from __future__ import annotations

from udfs.errors import InputProblem

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from udfs.score.survey.blas import on_one_blas_thread
from udfs.score.survey.competitors import rating_comparison, versus_comparison
from udfs.score.survey.drivers import driver_table
from udfs.score.survey.extremes import extreme_flags, extreme_profile
from udfs.score.survey.groups import FigureSums, csat_of, group_comparison, largest_gaps, respondent_figures
from udfs.score.survey.indices import ces, composite, dimension_indices, index_with_margin, nps, respondent_scores
from udfs.score.survey.intervals import METHOD_TEXT, NPS_METHODS, SHARE_METHODS, mean_interval, share_interval
from udfs.score.survey.items import SurveySpec, recognise_survey
from udfs.score.survey.quality import REASONS, answer_matrix, check_quality, response_counts
from udfs.score.survey.reliability import alpha_table
from udfs.score.survey.satmodel import SatModel, fit_satisfaction_model, plan_model
from udfs.score.survey.stats import SCORE_MAP_TEXT, item_table, level_table


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
    model: SatModel | None = None
    model_note: str = ""
    off_scale: pd.Series | None = None  # item code → answers off the scale or unreadable (all returned questionnaires)
    competition: pd.DataFrame = field(default_factory=pd.DataFrame)  # our score vs each competitor's, per market
    versus: pd.DataFrame = field(default_factory=pd.DataFrame)       # better / on par / worse than X, per market

    def invalid_table(self) -> pd.DataFrame:
        """The 无效问卷 sheet: row, respondent, answered count, whether excluded and the flags, for every flagged
        questionnaire (flags that do not exclude by default are listed too, marked 保留)."""
        q = self.quality[self.quality["flagged"]]
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
        out["超出量表答案数"] = q["off_scale"].to_numpy()
        out["处理"] = np.where(q["valid"].to_numpy(), "保留（仅标记）", "已排除")
        out["无效原因"] = q["reasons"].to_numpy()
        en = {zh: en for zh, en in REASONS.values()}
        out["Reason"] = q["reasons"].map(lambda t: "; ".join(en[p] for p in t.split("；")) if t else None).to_numpy()
        return out.reset_index(drop=True)


@on_one_blas_thread  # skinny matrix products: one thread, no stalls on a busy machine
def analyse_survey(df: pd.DataFrame, spec: SurveySpec | None = None, *, items_sheet: pd.DataFrame | None = None,
                   issued: int | None = None, threshold: float = 2 / 3, score_map: Any = "linear",
                   min_seconds: float | None = None, confidence: float = 0.95, standardised_alpha: bool = False,
                   extreme_share: float = 0.2, rows: Any = None, exclude: Any = (), interval: str = "default",
                   arrows: Any = None, scheme: str = "centroid", bootstrap: int = 200, seed: int = 0,
                   min_group: int = 30) -> SurveyResults:
    """Analyse a survey sheet (one row per returned questionnaire); excluded questionnaires (fewer than two thirds
    answered, duplicates, and the flags named in `exclude`) are left out of every figure.

    `interval`: 'default' (Wilson for shares, adjusted Wald for NPS), 'wilson', 'adjusted-wald', 'wald' or
    'bootstrap'. `arrows`: the user's path model as (from, to) dimension pairs; `bootstrap`: draws for the
    path model's standard errors (0: none).
    """
    if interval not in ("default",) + SHARE_METHODS:
        raise SurveyInputError(f"区间方法只能是 default、{'、'.join(SHARE_METHODS)}。",
                               f"Interval method must be default or one of {', '.join(SHARE_METHODS)}.")
    share_method = "wilson" if interval == "default" else interval
    nps_method = "adjusted-wald" if interval in ("default", "wilson") else interval
    spec = spec or recognise_survey(df, items_sheet)
    if not spec.items:
        raise SurveyInputError("没有找到量表题（如 1–5 分的满意度题目）。",
                               "No scale items found (e.g. satisfaction questions scored 1–5).")
    x, bad = answer_matrix(df, spec)
    try:
        quality = check_quality(df, spec, x, bad, threshold=threshold, min_seconds=min_seconds, exclude=exclude)
    except ValueError as e:
        raise SurveyInputError("--exclude 只能是 straightline、speeding、offscale（逗号分隔）。", str(e)) from None
    valid = quality["valid"].to_numpy()
    if not valid.any():
        raise SurveyInputError("没有有效问卷：每份问卷都被判为无效。", "No valid questionnaires: every one was flagged invalid.")
    xv = x[valid]
    response = response_counts(len(df), int(valid.sum()), issued)
    response["flagged"] = int(quality["flagged"].sum())

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
                "note": "Σ(题目满意度×权重)/Σ权重；" + _map_text(score_map, spec)})
    lo, hi = (mean_interval(comp, confidence, bounds=(0.0, 100.0)) if share_method != "bootstrap"
              else share_interval(comp, confidence, "bootstrap", seed))
    if comp.notna().sum() > 1:  # the spread is the respondents'; the interval sits on the index itself
        shift = ind[0]["value"] - float(comp.mean())
        lo, hi = max(0.0, lo + shift), min(100.0, hi + shift)
    ind[0].update(low=lo, high=hi, note=ind[0]["note"] + f"；{_interval_text(share_method, False)}（按受访者综合得分）")
    if response["invalid"]:
        all_scores = respondent_scores(x, spec.items, score_map)
        all_items = item_table(x, spec.items, score_map=score_map, confidence=confidence)
        all_comp = composite(all_scores, weights)
        lo_, hi_ = mean_interval(all_comp, confidence, bounds=(0.0, 100.0))
        from udfs.score.survey.indices import weighted_index
        ind.append({"index": "综合满意度（含被排除问卷）", "value": weighted_index(all_items["score"], weights),
                    "low": lo_, "high": hi_, "n": int(all_comp.notna().sum()), "unit": "score",
                    "note": f"对照：把被排除的 {response['invalid']} 份也算进去"})
    per_resp = csat_of(xv, spec, per_respondent=True)
    binary = spec.overall is not None
    lo, hi = share_interval(per_resp, confidence, share_method, seed)
    n = int(per_resp.notna().sum())
    note = (f"总体满意度题「{spec.overall.text}」前两档占比" if binary
            else "无总体满意度题：每位受访者各题前两档的占比，再按受访者平均")
    ind.append({"index": "CSAT 满意率", "value": float(per_resp.mean()), "low": float(lo), "high": float(hi), "n": n,
                "unit": "share", "note": note + f"（{_interval_text(share_method, binary)}）"})
    if spec.recommend is not None:
        r = nps(xv[spec.recommend.code], confidence, method=nps_method, seed=seed)
        ind.append({"index": "NPS 净推荐值", "value": r["value"], "low": r["low"], "high": r["high"], "n": r["n"],
                    "unit": "points", "note": f"推荐者 {r['promoters']:.1%} − 贬损者 {r['detractors']:.1%}；"
                                              f"标准误 {r['se']:.1f}；{METHOD_TEXT[nps_method]}（Rocks 2016）"})
    if spec.ces is not None:
        r = ces(xv[spec.ces.code], spec.ces.scale_min, spec.ces.scale_max, confidence)
        ind.append({"index": "CES 费力度", "value": r["value"], "low": r["low"], "high": r["high"], "n": r["n"],
                    "unit": "mean", "note": f"{spec.ces.scale_min}–{spec.ces.scale_max} 分题目的均值"})
    model, model_note = None, ""
    try:
        plan = plan_model(spec, arrows)
    except ValueError as e:  # the user's 路径 sheet names something that is not a dimension
        raise SurveyInputError(f"{e}。", "The paths sheet names a construct that is not a dimension of the "
                                          "题目 sheet.") from None
    try:
        if plan is None:
            model_note = "没有可估计的满意度模型：维度不是 ECSI 构念，也没有总体满意度题。"
        else:
            model = fit_satisfaction_model(xv, plan, scheme=scheme, bootstrap=bootstrap, seed=seed,
                                           confidence=confidence)
    except ValueError as e:
        model_note = f"满意度模型未估计：{e}。"
    if model is not None:
        sat = model.constructs.set_index("construct").loc[model.plan.outcome]
        label = "ECSI 满意度指数" if model.plan.kind == "ECSI" else "满意度模型指数"
        ind.append({"index": label, "value": sat["index"], "low": sat["low"], "high": sat["high"], "n": model.n,
                    "unit": "score", "note": f"「{model.plan.outcome}」构念的 0–100 指数，PLS 外部权重加权"
                                             f"（ACSI 口径 {sat['index_acsi']:.1f}）；t 区间"})
    if spec.overall is not None:
        ov = spec.overall
        s_ = (xv[ov.code].dropna() - ov.scale_min) / (ov.scale_max - ov.scale_min) * 100
        m = index_with_margin([s_.mean()], [1.0], s_, confidence)
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
    per_respondent = respondent_figures(xv, scores, spec) if spec.group_columns else None
    sums = FigureSums(per_respondent.to_numpy(dtype=float)) if spec.group_columns else None
    groups = {col: group_comparison(xv, scores, spec, valid_df[col], score_map, min_n=min_group,
                                    figures=per_respondent, sums=sums) for col in spec.group_columns}

    flags = extreme_flags(comp, extreme_share)
    names = [q.text or q.code for q in spec.items]
    profile = extreme_profile(flags, valid_df[spec.group_columns], scores, names)

    settings = {"threshold": threshold, "score_map": score_map if isinstance(score_map, str) else list(score_map),
                "score_map_text": _map_text(score_map, spec), "confidence": confidence, "issued": issued,
                "min_seconds": min_seconds, "extreme_share": extreme_share, "exclude": list(exclude or ()) if not
                isinstance(exclude, str) else [e for e in exclude.split(",") if e], "interval": interval,
                "scheme": scheme, "bootstrap": bootstrap, "seed": seed, "min_group": min_group}
    res = SurveyResults(spec=spec, settings=settings, quality=quality, response=response, items=items,
                        levels=levels, dimensions=dims, indices=indices, reliability=reliability, drivers=drivers,
                        groups=groups, extremes=profile, extreme_flags=flags, composite=comp,
                        rows=None if rows is None else np.asarray(rows), source=df, model=model,
                        model_note=model_note, off_scale=bad.sum(axis=0).astype(int),
                        competition=rating_comparison(valid_df, spec, min_group),
                        versus=versus_comparison(valid_df, spec, min_group))
    res.findings = findings(res)
    return res


def _interval_text(method: str, binary: bool) -> str:
    if method == "bootstrap":
        return METHOD_TEXT["bootstrap"]
    return METHOD_TEXT[method] if binary else METHOD_TEXT["t"]


def _map_text(score_map: Any, spec: SurveySpec | None = None) -> str:
    if isinstance(score_map, str):
        text = SCORE_MAP_TEXT.get(score_map, score_map)
        if score_map == "level" and spec is not None:
            other = [q.code for q in spec.items if len(q.levels) != 5]
            if len(other) == len(spec.items):
                return (SCORE_MAP_TEXT["linear"] + "（等级分 100/80/60/30/0 只适用于 5 级量表，"
                        "本问卷不是，故按线性计分）")
            if other:
                return text + "；非 5 级量表的题按线性计分：" + "、".join(other[:5]) + ("…" if len(other) > 5 else "")
        return text
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
    q = res.quality
    if q["flagged"].any():
        flags = q.loc[q["flagged"], "reasons"].str.split("；").explode().value_counts()
        text = f"质量标记 {int(q['flagged'].sum())} 份：" + "、".join(f"{k} {v} 份" for k, v in flags.items())
        text += f"；按规则排除 {r['invalid']} 份" if r["invalid"] else "；没有问卷被排除"
        kept = int((q["flagged"] & q["valid"]).sum())
        if kept:
            text += f"，其余 {kept} 份只标记、仍计入（全部最高分是满意顾客的正常答法，不算敷衍）"
        out.append(text + "。")
    both = res.indices.set_index("index")["value"]
    if "综合满意度（含被排除问卷）" in both:
        out.append(f"综合满意度：排除后 {both['综合满意度（加权）']:.1f} 分，含被排除问卷 "
                   f"{both['综合满意度（含被排除问卷）']:.1f} 分。")
    if res.off_scale is not None and res.off_scale.sum():
        top = res.off_scale[res.off_scale > 0].sort_values(ascending=False)
        out.append(f"有 {int(top.sum())} 个答案超出量表或无法识别，已按缺答处理：" +
                   "、".join(f"{k} {v} 个" for k, v in top.head(5).items()) + "。")
    for t, rival_col, word in ((res.competition, "gap", "分"), (res.versus, "net", "")):
        if len(t):
            for r in t[t["market"] == "全部"].to_dict("records"):
                if t is res.competition:
                    out.append(f"与「{r['competitor']}」相比：我们 {r['ours']:.1f} 分，对方 {r['theirs']:.1f} 分，"
                               f"差 {r['gap']:+.1f} 分（{r['verdict']}）。")
                else:
                    out.append(f"「与{r['competitor']}相比」：更好 {r['better']:.0%}、差不多 {r['par']:.0%}、更差 "
                               f"{r['worse']:.0%}（{r['verdict']}）。")
    if res.model is not None:
        c = res.model.constructs.dropna(subset=["total_effect"]).sort_values("total_effect", ascending=False)
        if len(c):
            out.append(f"对「{res.model.plan.outcome}」影响最大的是「{c.iloc[0]['construct']}」"
                       f"（总效应 {c.iloc[0]['total_effect']:.2f}，指数 {c.iloc[0]['index']:.1f}）。")
    return out
