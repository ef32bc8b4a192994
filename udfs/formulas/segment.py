"""Excel formulas for RFM scores, segments, customer types, value tiers and call-back dates (KEHU_RFM …)."""
from __future__ import annotations

import pandas as pd
import xlwings as xw

from udfs.formulas._xl import CATEGORY, Cells, column_in, column_out, table_in, table_out
from udfs.score.segment import (DEFAULT_CHURN_DAYS, FollowupPolicy, assign_segments, customer_types,
                                next_followup, recency_days, value_tiers)
from udfs.score.segment.pipeline import rfm_table


def _blank_to_none(v):
    return None if v in (None, "") else v


def _same_length(*cols: pd.Series) -> list[pd.Series]:
    """Trimmed columns can differ in length when the last cells of one are blank: pad them."""
    n = max(len(c) for c in cols)
    return [c.reindex(range(n)) if len(c) < n else c for c in cols]


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("last_purchase", Cells, ndim=2, doc="最近购买日期所在的列")
@xw.arg("frequency", Cells, ndim=2, doc="购买次数所在的列")
@xw.arg("monetary", Cells, ndim=2, doc="累计金额所在的列")
@xw.arg("as_of", doc="分析日期，默认今天")
@xw.arg("method", doc='"rfm"（R 语言 rfm 包规则，默认）或 "quantile"')
def KEHU_RFM(last_purchase, frequency, monetary, as_of=None, method="rfm"):
    """RFM 评分：返回 R、F、M、RFM 四列（1–5 分）。RFM scores R, F, M and the three-digit RFM."""
    last, freq, money = _same_length(column_in(last_purchase), column_in(frequency), column_in(monetary))
    # only the scores: segments, types, tiers and call-backs of segment_customers are not returned
    scores = rfm_table(last, freq, money, as_of=_blank_to_none(as_of), method=str(method or "rfm"))
    return table_out(scores[["R", "F", "M", "RFM"]])


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("r", Cells, ndim=2, doc="R 分所在的列")
@xw.arg("f", Cells, ndim=2, doc="F 分所在的列")
@xw.arg("m", Cells, ndim=2, doc="M 分所在的列")
@xw.arg("rules", Cells, ndim=2, doc="可选：细分规则区域（含表头：细分、R最低、R最高、F最低…，同「细分规则」表）/ optional rules range")
def KEHU_SEGMENT(r, f, m, rules=None):
    """RFM 细分：由 R、F、M 分得出客户细分名称；可给自己的细分规则。RFM segment name from the three scores."""
    rr, ff, mm = _same_length(column_in(r), column_in(f), column_in(m))
    table = table_in(rules) if rules is not None else None
    return column_out(assign_segments(rr, ff, mm, rules=table if table is not None and len(table) else None)["细分"])


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("segment", Cells, ndim=2, doc="细分所在的列")
@xw.arg("last_purchase", Cells, ndim=2, doc="最近购买日期所在的列")
@xw.arg("as_of", doc="分析日期，默认今天")
@xw.arg("churn_days", doc="超过多少天没有购买算流失，默认 365")
@xw.arg("rules", Cells, ndim=2, doc="可选：细分规则区域（含表头：细分、…、客户类型，同「细分规则」表）/ optional rules range")
def KEHU_CUSTOMER_TYPE(segment, last_purchase, as_of=None, churn_days=DEFAULT_CHURN_DAYS, rules=None):
    """客户类型：忠诚 / 潜在 / 边缘 / 流失客户；可给自己的细分规则。Customer type from segment and last purchase."""
    seg, last = _same_length(column_in(segment), column_in(last_purchase))
    days = recency_days(last, _blank_to_none(as_of))
    table = table_in(rules) if rules is not None else None
    kinds = customer_types(seg, days, churn_days=int(churn_days or DEFAULT_CHURN_DAYS),
                           rules=table if table is not None and len(table) else None)
    return column_out(kinds["客户类型"])


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("spend", Cells, ndim=2, doc="累计金额所在的列")
@xw.arg("a_share", doc="A 类占收入比例，默认 0.8")
@xw.arg("b_share", doc="B 类占收入比例，默认 0.15")
def KEHU_TIER(spend, a_share=0.8, b_share=0.15):
    """价值等级 A/B/C：按累计金额占收入的 80/15/5%。ABC value tier by cumulative revenue share."""
    a, b = float(a_share or 0.8), float(b_share or 0.15)
    return column_out(value_tiers(column_in(spend), (a, b, 1 - a - b))["价值等级"])


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("status", Cells, ndim=2, doc="状态所在的列（意向客户 / 签单客户 / 无效客户 / 丢单客户）")
@xw.arg("last_contact", Cells, ndim=2, doc="最近联系日期所在的列")
@xw.arg("as_of", doc="分析日期，默认今天")
@xw.arg("with_overdue", doc="TRUE 时多返回一列「逾期」")
@xw.arg("intention_months", doc="意向客户每隔几个月回访，默认 1 / months between calls to prospects")
@xw.arg("recall_months", doc="联系不上或拒绝的客户每隔几个月再联系，默认 3 / months before calling back refusals")
@xw.arg("signed_months", doc="签单客户的服务回访间隔（月），默认 3 / service-call interval for signed customers")
def KEHU_NEXT_CALL(status, last_contact, as_of=None, with_overdue=False, intention_months=1,
                   recall_months=3, signed_months=3):
    """下次跟进日期：意向客户每月、无效/丢单每 3 个月、签单客户按服务周期。Next call-back date."""
    st, contact = _same_length(column_in(status), column_in(last_contact))
    policy = FollowupPolicy(int(intention_months or 1), int(recall_months or 3), int(signed_months or 3))
    out = next_followup(st, contact, as_of=_blank_to_none(as_of), policy=policy)
    if with_overdue:
        out = out.assign(逾期=out["逾期"].map({True: "逾期", False: ""}))
        return table_out(out[["下次跟进", "逾期"]])
    return column_out(out["下次跟进"])
