"""Excel formulas for satisfaction surveys: CSAT, NPS, item score, weighted index, alpha, top-box, validity,
distribution and the ECSI model table. Answers off the scale are never dropped silently: the formula says how many."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import xlwings as xw

from udfs.formulas._xl import CATEGORY, Cells, column_in, column_out, excel_value, trim_range
from udfs.score.survey.indices import nps, weighted_index
from udfs.score.survey.items import ItemSpec, SurveySpec, infer_scale, to_scores
from udfs.score.survey.quality import check_quality
from udfs.score.survey.reliability import cronbach_alpha
from udfs.score.survey.stats import distribution, item_scores, level_counts


def _item(values: Any, scale_min: Any, scale_max: Any) -> ItemSpec:
    """The scale given, or (either end left out) the standard scale the answers fit."""
    if scale_min in (None, "") or scale_max in (None, ""):
        lo, hi = infer_scale(values)
        scale_min = lo if scale_min in (None, "") else scale_min
        scale_max = hi if scale_max in (None, "") else scale_max
    return ItemSpec(column=None, code="", scale_min=int(scale_min), scale_max=int(scale_max))


def _block_scales(df: pd.DataFrame, scale_min: Any, scale_max: Any) -> list[ItemSpec]:
    """One scale per column: the one given; else the scale most columns fit, and a clearly wider one where a
    column needs it (a 0–10 recommend item among 1–5 items), as `recognise_survey` decides."""
    if scale_min not in (None, "") and scale_max not in (None, ""):
        return [_item(None, scale_min, scale_max)] * df.shape[1]
    fits = [infer_scale(df[c], default=None) for c in df.columns]
    known = [f for f in fits if f is not None]
    common = max(set(known), key=known.count) if known else infer_scale(df)
    out = []
    for f in fits:
        lo, hi = f if f is not None and (f[1] - f[0]) > (common[1] - common[0]) else common
        out.append(_item(None, lo if scale_min in (None, "") else scale_min, hi if scale_max in (None, "") else scale_max))
    return out


def _off_scale(bad: Any, q: ItemSpec) -> str | None:
    """'有 3 个答案不在 1–5 分量表内或无法识别 / 3 answers off the 1–5 scale' when any, else None."""
    n = int(np.asarray(bad).sum())
    if not n:
        return None
    return f"有 {n} 个答案不在 {q.scale_min}–{q.scale_max} 分量表内或无法识别 / {n} answers off the {q.scale_min}–{q.scale_max} scale"


def _block(values: Any) -> pd.DataFrame:
    """A respondents × items range → DataFrame of objects (blank cells as None)."""
    rows = trim_range(values)
    if not rows:
        return pd.DataFrame()
    cells = np.empty((len(rows), max(len(r) for r in rows)), dtype=object)
    for i, r in enumerate(rows):  # ragged rows from odd callers: fill what each row has
        cells[i, :len(r)] = r
    # blank text → None; one ufunc pass over the cells is several times faster than DataFrame.map
    blank = _BLANK_TEXT(cells).astype(bool)
    cells[blank] = None
    return pd.DataFrame(cells, dtype=object)


_BLANK_TEXT = np.frompyfunc(lambda v: type(v) is str and not v.strip(), 1, 1)


def _scored_block(values: Any, scale_min: int, scale_max: int) -> pd.DataFrame:
    """A block of answers (numbers or level labels) → floats, off-scale answers blank."""
    q = ItemSpec(column=None, code="", scale_min=int(scale_min), scale_max=int(scale_max))
    df = _block(values)
    return pd.DataFrame({c: to_scores(df[c], q)[0].to_numpy() for c in df.columns})


def _score_map(score_map: Any) -> Any:
    if isinstance(score_map, str) or score_map is None:
        return score_map or "linear"
    flat = [v for row in trim_range(score_map) for v in row if v is not None and v != ""]
    return [float(v) for v in flat]


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("values", Cells, ndim=2, doc="总体满意度题的答案（数字或“满意”等文字）；多列时每行一位受访者")
@xw.arg("scale_min", doc="量表最低分，省略则按答案推断 / lowest scale point (inferred if omitted)")
@xw.arg("scale_max", doc="量表最高分，省略则按答案推断 / highest scale point (inferred if omitted)")
@xw.arg("top", doc="计入满意的最高几档，默认 2（top-2-box） / how many top levels count")
def KEHU_CSAT(values, scale_min=None, scale_max=None, top=2):
    """满意率 CSAT：前两档答案占比；多列时先算每位受访者的占比再平均。CSAT: top-two-box share (per respondent for several columns)."""
    block = _block(values)
    if block.empty:
        return ""
    scales = _block_scales(block, scale_min, scale_max)
    scored = [to_scores(block[c], q) for c, q in zip(block.columns, scales)]
    a = np.column_stack([x.to_numpy() for x, _ in scored])
    for (_, b), q in zip(scored, scales):
        problem = _off_scale(b, q)
        if problem:
            return problem
    ok = np.isfinite(a)
    cut = np.array([q.scale_max - int(top) for q in scales], dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(ok, a > cut, False).sum(axis=1) / ok.sum(axis=1)
    share = share[ok.any(axis=1)]
    return excel_value(float(share.mean()) if len(share) else float("nan"))


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("values", Cells, ndim=2, doc="0–10 分推荐意愿题的答案")
@xw.arg("detail", doc="TRUE 时另返回标准误、置信区间和样本量 / TRUE for the detail columns")
@xw.arg("method", doc='区间方法："adjusted-wald"（默认，Rocks 2016）、"wald" 或 "bootstrap"')
def KEHU_NPS(values, detail=False, method="adjusted-wald"):
    """净推荐值 NPS = 推荐者% − 贬损者%；detail=TRUE 时返回 NPS、标准误、下限、上限、样本量。Net Promoter Score."""
    col = column_in(values)
    _x, bad = to_scores(col, ItemSpec(column=None, code="", scale_min=0, scale_max=10))
    problem = _off_scale(bad, ItemSpec(column=None, code="", scale_min=0, scale_max=10))
    if problem:
        return [[problem]] if detail else problem
    r = nps(col, method=str(method or "adjusted-wald"))
    if detail:
        return [[excel_value(r[k]) for k in ("value", "se", "low", "high", "n")]]
    return excel_value(r["value"])


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("values", Cells, ndim=2, doc="一道题的答案")
@xw.arg("score_map", doc='"linear"（线性，默认）、"level"（100/80/60/30/0，仅 5 级量表）或一行等级分（从最高档起）')
@xw.arg("scale_min", doc="量表最低分，省略则按答案推断 / lowest scale point")
@xw.arg("scale_max", doc="量表最高分，省略则按答案推断 / highest scale point")
def KEHU_ITEMSCORE(values, scale_min=None, scale_max=None, score_map="linear"):
    """题目满意度（0–100 分）。Item satisfaction on a 0–100 scale."""
    col = column_in(values)
    q = _item(col, scale_min, scale_max)
    x, bad = to_scores(col, q)
    problem = _off_scale(bad, q)
    if problem:
        return problem
    sm = _score_map(score_map)
    if sm == "level" and len(q.levels) != 5:
        return (f"等级分 100/80/60/30/0 只适用于 5 级量表，此题为 {q.scale_min}–{q.scale_max} 分 / "
                "the level score table needs a 5-level scale")
    s = item_scores(x, q, sm)
    return excel_value(float(np.nanmean(s)) if np.isfinite(s).any() else float("nan"))


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("scores", Cells, ndim=2, doc="各题满意度")
@xw.arg("weights", Cells, ndim=2, doc="各题权重（省略则等权）")
def KEHU_SATINDEX(scores, weights=None):
    """综合满意度 = Σ(题目满意度 × 权重) / Σ权重。Weighted satisfaction index."""
    s = column_in(scores)
    w = None if weights is None else column_in(weights)
    return excel_value(weighted_index(s, w))


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("answers", Cells, ndim=2, doc="受访者 × 题目 的答案区域（一个维度的题目）")
@xw.arg("standardised", doc="TRUE 时返回标准化 alpha / TRUE for standardised alpha")
@xw.arg("scale_min", doc="量表最低分，可选 / lowest scale point")
@xw.arg("scale_max", doc="量表最高分，可选 / highest scale point")
def KEHU_ALPHA(answers, standardised=False, scale_min=None, scale_max=None):
    """克朗巴哈 α 信度系数（有缺答的问卷不计）。Cronbach's alpha of a block of items."""
    if scale_min is None or scale_max is None:
        block = _block(answers).apply(pd.to_numeric, errors="coerce")
    else:
        block = _scored_block(answers, scale_min, scale_max)
    return excel_value(cronbach_alpha(block, standardised=bool(standardised)))


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("values", Cells, ndim=2, doc="一道题的答案")
@xw.arg("scale_min", doc="量表最低分，省略则按答案推断 / lowest scale point")
@xw.arg("scale_max", doc="量表最高分，省略则按答案推断 / highest scale point")
@xw.arg("boxes", doc="计入的档数，默认 2 / number of levels counted")
@xw.arg("bottom", doc="TRUE 时计算最低几档比例 / TRUE for the bottom box")
def KEHU_TOPBOX(values, scale_min=None, scale_max=None, boxes=2, bottom=False):
    """前 N 档（bottom=TRUE 时后 N 档）答案占比。Top-box (or bottom-box) share."""
    col = column_in(values)
    q = _item(col, scale_min, scale_max)
    x, bad = to_scores(col, q)
    problem = _off_scale(bad, q)
    if problem:
        return problem
    c = level_counts(x, q)
    k = c[: int(boxes)].sum() if bottom else c[-int(boxes):].sum()
    return excel_value(k / c.sum() if c.sum() else float("nan"))


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("answers", Cells, ndim=2, doc="受访者 × 题目 的答案区域（所有计分题）")
@xw.arg("threshold", doc="有效问卷至少作答的比例，默认 2/3 / share of questions that must be answered")
@xw.arg("scale_min", doc="量表最低分，省略则按答案推断 / lowest scale point")
@xw.arg("scale_max", doc="量表最高分，省略则按答案推断 / highest scale point")
def KEHU_VALID(answers, threshold=2 / 3, scale_min=None, scale_max=None):
    """每份问卷：“有效”、“有效（标记：…）”或“无效：原因”。按三分之二规则排除；答案全同、超出量表只标记。
    Valid / flagged / invalid with the reason (spills a column)."""
    block = _block(answers)
    if block.empty:
        return [[""]]
    codes = [f"c{j}" for j in range(block.shape[1])]
    df = pd.DataFrame(block.to_numpy(), columns=codes)
    scales = _block_scales(df, scale_min, scale_max)
    spec = SurveySpec(items=[ItemSpec(column=c, code=c, scale_min=q.scale_min, scale_max=q.scale_max)
                             for c, q in zip(codes, scales)])
    scored = {c: to_scores(df[c], spec.items[j]) for j, c in enumerate(codes)}
    x = pd.DataFrame({c: v[0] for c, v in scored.items()})
    bad = pd.DataFrame({c: v[1] for c, v in scored.items()})
    quality = check_quality(df, spec, x, bad, threshold=float(threshold))
    out = [("无效：" + ex) if ex else (f"有效（标记：{r}）" if r else "有效")
           for ex, r in zip(quality["excluded_by"], quality["reasons"])]
    return column_out(out)


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("values", Cells, ndim=2, doc="一道题的答案")
@xw.arg("scale_min", doc="量表最低分，省略则按答案推断 / lowest scale point")
@xw.arg("scale_max", doc="量表最高分，省略则按答案推断 / highest scale point")
def KEHU_DISTRIBUTION(values, scale_min=None, scale_max=None):
    """各档答案的人数与占比（溢出为表：等级、名称、人数、占比；有超出量表的答案时另加一行）。Level counts and shares, spilled."""
    col = column_in(values)
    q = _item(col, scale_min, scale_max)
    d = distribution(col, q.scale_min, q.scale_max)
    header = [["等级", "名称", "人数", "占比"]]
    table = header + [[excel_value(v) for v in row] for row in d.itertuples(index=False, name=None)]
    n_bad = int(to_scores(col, q)[1].sum())
    if n_bad:
        table.append(["", "超出量表或无法识别", n_bad, ""])
    return table


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("answers", Cells, ndim=2, doc="答案区域，第一行为题目编号（受访者 × 题目）")
@xw.arg("dimensions", Cells, ndim=2, doc="与答案各列对应的一行维度名（企业形象、顾客预期、感知质量、感知价值、顾客满意、顾客忠诚）")
@xw.arg("scheme", doc='内部加权方案："centroid"（默认）、"factorial" 或 "path"')
@xw.arg("paths", Cells, ndim=2, doc="可选：自定义路径，两列（从、到），每行一条")
def KEHU_SATMODEL(answers, dimensions, scheme="centroid", paths=None):
    """满意度模型 ECSI/ACSI（PLS 路径模型）：每个构念的 0–100 指数、ACSI 口径指数、R²、AVE、DG ρ、α 和对满意度的总效应。
    ECSI/ACSI satisfaction model (PLS path model): the index table, spilled."""
    from udfs.formulas._xl import table_in
    from udfs.score.survey.satmodel import fit_satisfaction_model, model_table, plan_model, read_paths_sheet

    df = table_in(answers)
    dims = [v for row in trim_range(dimensions) for v in row]
    if df.empty or len(dims) != df.shape[1]:
        return [["维度的个数应与答案的列数相同 / one dimension per answer column"]]
    q = _item(df, None, None)
    spec = SurveySpec(items=[ItemSpec(column=c, code=str(c), text=str(c), dimension=str(d), scale_min=q.scale_min,
                                      scale_max=q.scale_max) for c, d in zip(df.columns, dims)])
    x = pd.DataFrame({str(c): to_scores(df[c], q)[0].to_numpy() for c in df.columns})
    arrows = read_paths_sheet(table_in(paths, header=False)) if paths is not None else None
    try:
        plan = plan_model(spec, arrows or None)
        if plan is None:
            return [["维度不是 ECSI 构念：请给出 paths（从、到） / dimensions are not ECSI constructs: give paths"]]
        model = fit_satisfaction_model(x, plan, scheme=str(scheme or "centroid"), bootstrap=0)
    except ValueError as e:
        return [[str(e)]]
    return [[excel_value(v) for v in row] for row in model_table(model)]
