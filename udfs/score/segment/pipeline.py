"""One call from register columns (or aggregated orders) to every added column: RFM, segment, type, tier, follow-up."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ._values import analysis_date, to_amounts, to_dates
from .customer_types import DEFAULT_CHURN_DAYS, customer_types
from .followup import FollowupPolicy, next_followup
from .reasons import rfm_reasons
from .rfm import RfmMethod, recency_days, rfm_scores
from .segments import SegmentRules, assign_segments, load_rules
from .tiers import DEFAULT_SHARES, value_tiers

#: The columns `kehu segment` adds to the register, in order.
ADDED_COLUMNS = ("R", "F", "M", "RFM", "细分", "客户类型", "分类原因", "价值等级", "收入占比", "下次跟进", "逾期")


@dataclass(frozen=True)
class SegmentSettings:
    """Everything that decides the result; printed with it so a run can be repeated."""
    as_of: str
    method: str = "rfm"
    bins: int = 5
    churn_days: int = DEFAULT_CHURN_DAYS
    tier_shares: tuple[float, float, float] = DEFAULT_SHARES
    policy: FollowupPolicy = field(default_factory=FollowupPolicy)


@dataclass
class SegmentRun:
    """Result: one row per customer (aligned with the input), plus how it was computed."""
    table: pd.DataFrame
    method: RfmMethod
    rules: SegmentRules
    settings: SegmentSettings


def segment_customers(last_purchase: Any, frequency: Any, monetary: Any, *, as_of: Any = None,
                      status: Any = None, last_contact: Any = None, planned: Any = None,
                      method: str = "rfm", bins: int = 5, breaks: dict | None = None,
                      churn_days: int = DEFAULT_CHURN_DAYS, tier_shares: Sequence[float] = DEFAULT_SHARES,
                      rules: Any = None, policy: FollowupPolicy | None = None) -> SegmentRun:
    """Register columns 最近购买日期, 购买次数, 累计金额 (+ optional 状态, last contact, planned date) → SegmentRun.

    A customer "has bought" when the count is above 0, or, with the count blank, when a last
    purchase date or a positive spend is known. Customers who have not bought get no RFM
    score, no segment, type 潜在客户 and tier C. Without `last_contact` the last purchase date is
    used as the last contact.
    """
    day0 = analysis_date(as_of)
    rules = load_rules(rules)
    policy = policy or FollowupPolicy()
    last, count, spend, c, bought, days = _purchases(last_purchase, frequency, monetary, day0)
    scores, used = rfm_scores(days, count, spend, bins=bins, method=method, breaks=breaks, has_purchase=bought)
    seg = assign_segments(scores["R"], scores["F"], scores["M"], rules) if bins == 5 else \
        pd.DataFrame({"细分": [None] * len(days), "Segment": [None] * len(days)})
    types = customer_types(seg["细分"], days, churn_days=churn_days, has_purchase=bought, rules=rules)
    # 分类原因 says which R, F and M made the segment, not the segment's name again (lost customers keep theirs)
    why = rfm_reasons(days, c, spend.to_numpy(dtype="float64", na_value=np.nan), scores["R"], scores["F"],
                      scores["M"], at_risk=types["重点挽回"])
    by_scores = why.notna().to_numpy() & (types["客户类型"] != "流失客户").to_numpy() & seg["细分"].notna().to_numpy()
    types["分类原因"] = np.where(by_scores, why.to_numpy(dtype=object), types["分类原因"].to_numpy(dtype=object))
    tiers = value_tiers(np.where(bought, spend.to_numpy(dtype="float64", na_value=np.nan), 0.0), tier_shares)
    n = len(days)
    st = status if status is not None else [None] * n
    contact = last_contact if last_contact is not None else last
    follow = next_followup(st, contact, as_of=day0, planned=planned, policy=policy)
    table = pd.concat([
        pd.DataFrame({"最近购买日期": last.to_numpy(), "距今天数": days.to_numpy(), "购买次数": c,
                      "累计金额": spend.to_numpy(dtype="float64", na_value=np.nan), "已购买": bought}),
        scores, seg, types, tiers, follow], axis=1)
    settings = SegmentSettings(as_of=str(pd.Timestamp(day0).date()), method=used.method, bins=bins,
                               churn_days=churn_days, tier_shares=tuple(tier_shares), policy=policy)
    return SegmentRun(table, used, rules, settings)


def rfm_table(last_purchase: Any, frequency: Any, monetary: Any, *, as_of: Any = None, method: str = "rfm",
              bins: int = 5, breaks: dict | None = None) -> pd.DataFrame:
    """Only the R, F, M and RFM columns of `segment_customers` (same inputs, same scores), without the rest."""
    last, count, spend, _, bought, days = _purchases(last_purchase, frequency, monetary, analysis_date(as_of))
    scores, _ = rfm_scores(days, count, spend, bins=bins, method=method, breaks=breaks, has_purchase=bought)
    return scores


def _purchases(last_purchase: Any, frequency: Any, monetary: Any, day0: np.datetime64) -> tuple:
    """(dates, counts, spend, counts as floats, has bought, days since the last purchase) of a register."""
    last = to_dates(last_purchase)
    # a register may lack the count or the spend column: missing for every customer, not a shorter column
    count = to_amounts(frequency if frequency is not None else [None] * len(last))
    spend = to_amounts(monetary if monetary is not None else [None] * len(last))
    if not (len(last) == len(count) == len(spend)):
        raise ValueError("last_purchase, frequency and monetary must have the same length")
    c = count.to_numpy(dtype="float64", na_value=np.nan)
    bought = np.where(np.isnan(c), last.notna().to_numpy() | (np.nan_to_num(spend.to_numpy()) > 0), c > 0)
    return last, count, spend, c, bought, recency_days(last, day0)
