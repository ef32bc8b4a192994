"""Excel formulas for satisfaction surveys: CSAT, NPS, item score, weighted index, alpha, top-box, validity, distribution."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import xlwings as xw

from udfs.formulas._xl import CATEGORY, column_in, column_out, excel_value, trim_range
from udfs.score.survey.indices import csat, nps, weighted_index
from udfs.score.survey.items import ItemSpec, to_scores
from udfs.score.survey.quality import enough_answers
from udfs.score.survey.reliability import cronbach_alpha
from udfs.score.survey.stats import distribution, item_scores, level_counts


def _block(values: Any) -> pd.DataFrame:
    """A respondents × items range → DataFrame of objects (blank cells as None)."""
    rows = trim_range(values)
    if not rows:
        return pd.DataFrame()
    df = pd.DataFrame(rows, dtype=object)
    return df.map(lambda v: None if v is None or (isinstance(v, str) and not v.strip()) else v)


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
@xw.arg("values", ndim=2, doc="总体满意度题的答案（数字或“满意”等文字）")
@xw.arg("scale_min", doc="量表最低分，默认 1 / lowest scale point")
@xw.arg("scale_max", doc="量表最高分，默认 5 / highest scale point")
@xw.arg("top", doc="计入满意的最高几档，默认 2（top-2-box） / how many top levels count")
def KEHU_CSAT(values, scale_min=1, scale_max=5, top=2):
    """满意率 CSAT：前两档（如 4、5 分）答案占比。CSAT: share of answers in the top two levels."""
    return excel_value(csat(column_in(values), int(scale_min), int(scale_max), int(top))["value"])


@xw.func(category=CATEGORY)
@xw.arg("values", ndim=2, doc="0–10 分推荐意愿题的答案")
@xw.arg("detail", doc="TRUE 时另返回推荐者、贬损者比例、标准误和置信区间 / TRUE for the detail columns")
def KEHU_NPS(values, detail=False):
    """净推荐值 NPS = 推荐者% − 贬损者%；detail=TRUE 时返回 NPS、标准误、下限、上限、样本量。Net Promoter Score."""
    r = nps(column_in(values))
    if detail:
        return [[excel_value(r[k]) for k in ("value", "se", "low", "high", "n")]]
    return excel_value(r["value"])


@xw.func(category=CATEGORY)
@xw.arg("values", ndim=2, doc="一道题的答案")
@xw.arg("score_map", doc='"linear"（线性，默认）、"level"（100/80/60/30/0）或一行等级分（从最高档起）')
@xw.arg("scale_min", doc="量表最低分，默认 1 / lowest scale point")
@xw.arg("scale_max", doc="量表最高分，默认 5 / highest scale point")
def KEHU_ITEMSCORE(values, scale_min=1, scale_max=5, score_map="linear"):
    """题目满意度（0–100 分）。Item satisfaction on a 0–100 scale."""
    q = ItemSpec(column=None, code="", scale_min=int(scale_min), scale_max=int(scale_max))
    x, _ = to_scores(column_in(values), q)
    s = item_scores(x, q, _score_map(score_map))
    return excel_value(float(np.nanmean(s)) if np.isfinite(s).any() else float("nan"))


@xw.func(category=CATEGORY)
@xw.arg("scores", ndim=2, doc="各题满意度")
@xw.arg("weights", ndim=2, doc="各题权重（省略则等权）")
def KEHU_SATINDEX(scores, weights=None):
    """综合满意度 = Σ(题目满意度 × 权重) / Σ权重。Weighted satisfaction index."""
    s = column_in(scores)
    w = None if weights is None else column_in(weights)
    return excel_value(weighted_index(s, w))


@xw.func(category=CATEGORY)
@xw.arg("answers", ndim=2, doc="受访者 × 题目 的答案区域（一个维度的题目）")
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
@xw.arg("values", ndim=2, doc="一道题的答案")
@xw.arg("scale_min", doc="量表最低分，默认 1 / lowest scale point")
@xw.arg("scale_max", doc="量表最高分，默认 5 / highest scale point")
@xw.arg("boxes", doc="计入的档数，默认 2 / number of levels counted")
@xw.arg("bottom", doc="TRUE 时计算最低几档比例 / TRUE for the bottom box")
def KEHU_TOPBOX(values, scale_min=1, scale_max=5, boxes=2, bottom=False):
    """前 N 档（bottom=TRUE 时后 N 档）答案占比。Top-box (or bottom-box) share."""
    q = ItemSpec(column=None, code="", scale_min=int(scale_min), scale_max=int(scale_max))
    x, _ = to_scores(column_in(values), q)
    c = level_counts(x, q)
    k = c[: int(boxes)].sum() if bottom else c[-int(boxes):].sum()
    return excel_value(k / c.sum() if c.sum() else float("nan"))


@xw.func(category=CATEGORY)
@xw.arg("answers", ndim=2, doc="受访者 × 题目 的答案区域（所有计分题）")
@xw.arg("threshold", doc="有效问卷至少作答的比例，默认 2/3 / share of questions that must be answered")
def KEHU_VALID(answers, threshold=2 / 3):
    """每份问卷是否有效：至少答了三分之二（threshold）的题目。Valid questionnaire by the 2/3 rule (spills a column)."""
    block = _block(answers)
    if block.empty:
        return [[""]]
    answered = block.notna().sum(axis=1)
    return column_out(enough_answers(answered, block.shape[1], float(threshold)).tolist())


@xw.func(category=CATEGORY)
@xw.arg("values", ndim=2, doc="一道题的答案")
@xw.arg("scale_min", doc="量表最低分，默认 1 / lowest scale point")
@xw.arg("scale_max", doc="量表最高分，默认 5 / highest scale point")
def KEHU_DISTRIBUTION(values, scale_min=1, scale_max=5):
    """各档答案的人数与占比（溢出为表：等级、名称、人数、占比）。Level counts and shares, spilled."""
    d = distribution(column_in(values), int(scale_min), int(scale_max))
    header = [["等级", "名称", "人数", "占比"]]
    return header + [[excel_value(v) for v in row] for row in d.itertuples(index=False, name=None)]
