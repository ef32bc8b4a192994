"""The four customer types of DOMAIN.md §3 (忠诚 / 潜在 / 边缘 / 流失) from the churn window and the RFM segment."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from udfs.columns import as_column

from ._values import to_amounts
from .segments import load_rules

DEFAULT_CHURN_DAYS = 365


def customer_types(segment: Any, recency: Any, *, churn_days: int = DEFAULT_CHURN_DAYS,
                   has_purchase: Any = None, rules: Any = None) -> pd.DataFrame:
    """Segment names (Chinese or English) and days since the last purchase → 客户类型, 分类原因, 重点挽回.

    Checked in this order:
    1. no purchase at all (`has_purchase` False; default: no recency and no segment) → 潜在客户;
    2. last purchase more than `churn_days` ago → 流失客户 (exactly `churn_days` days ago is not yet lost);
    3. otherwise the type the segment leads to in the rules (Champions/Loyal → 忠诚客户; Potential
       Loyalist/New/Promising → 潜在客户; the rest → 边缘客户). 重点挽回 is True for the segments the
       rules mark as high-value at risk (At Risk, Can't Lose Them) unless the customer is already lost.
    A customer with purchases but neither a recency nor a segment gets no type (数据不全).
    """
    rules = load_rules(rules)
    seg = as_column(segment).reset_index(drop=True)
    days = to_amounts(recency).to_numpy(dtype="float64", na_value=np.nan)
    if len(seg) != len(days):
        raise ValueError("segment and recency must have the same length")
    segs = rules.segments
    by_name = {**dict(zip(segs["Segment"], segs.index)), **dict(zip(segs["细分"], segs.index))}
    codes, uniques = pd.factorize(seg, sort=False)  # look names up once per distinct name
    per_unique = np.array([by_name.get(str(u).strip(), -1) for u in uniques] + [-1], dtype=int)
    seg_no = per_unique[codes]
    known_seg = seg_no >= 0
    if has_purchase is None:
        buyer = known_seg | ~np.isnan(days)
    else:
        buyer = np.asarray(has_purchase, dtype=bool)

    n_seg = len(segs)
    seg_type = np.append(segs["客户类型"].to_numpy(dtype=object), None)[seg_no]
    seg_risk = np.append(segs["重点挽回"].to_numpy(dtype=bool), False)[seg_no]
    # One reason text per segment, picked by index: no string work per row.
    seg_reason = np.array([f"RFM 细分为「{name}」" + ("，高价值客户有流失风险" if risky else "")
                           for name, risky in zip(segs["细分"], segs["重点挽回"])] + [None], dtype=object)
    lost = buyer & (days > churn_days)  # NaN > x is False: unknown recency is never "lost"

    kind = np.full(len(seg), None, dtype=object)
    reason = np.full(len(seg), "数据不全：缺少最近购买日期和 RFM 细分", dtype=object)
    kind[~buyer] = "潜在客户"
    reason[~buyer] = "尚无购买记录"
    by_seg = buyer & ~lost & known_seg
    kind[by_seg] = seg_type[by_seg]
    reason[by_seg] = seg_reason[np.where(by_seg, seg_no, n_seg)][by_seg]
    risk = by_seg & seg_risk
    kind[lost] = "流失客户"
    if lost.any():
        d = pd.Series(days[lost].astype(np.int64)).astype(str)
        reason[lost] = ("最近一次购买在 " + d + f" 天前，超过流失期 {churn_days} 天").to_numpy(dtype=object)
    return pd.DataFrame({"客户类型": kind, "分类原因": reason, "重点挽回": risk})
