"""Up-sell candidates: frequent buyers whose spend per order is well below their segment's."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def upsell_candidates(segment: Any, orders: Any, spend: Any, *, ratio: float = 0.5) -> pd.DataFrame:
    """Flags customers with at least their segment's median order count and an average order value
    below `ratio` × the segment's median average order value. Returns 单均金额, 细分单均中位数, 追加销售."""
    seg = pd.Series(segment, dtype=object).reset_index(drop=True)
    n = pd.Series(np.asarray(orders, dtype="float64"))
    money = pd.Series(np.asarray(spend, dtype="float64"))
    aov = (money / n).where(n > 0)
    med_aov = aov.groupby(seg).transform("median")
    med_n = n.where(n > 0).groupby(seg).transform("median")
    flag = (n >= med_n) & (aov < ratio * med_aov) & seg.notna()
    return pd.DataFrame({"单均金额": aov, "细分单均中位数": med_aov, "追加销售": flag.fillna(False).to_numpy(bool)})


def group_spend(groups: Any, spend: Any, orders: Any) -> pd.DataFrame:
    """Per group: customers, revenue, orders, revenue per customer and per order."""
    g = pd.Series(groups, dtype=object).fillna("（空白）").reset_index(drop=True)
    frame = pd.DataFrame({"g": g, "m": np.asarray(spend, dtype="float64"), "n": np.asarray(orders, dtype="float64")})
    out = frame.groupby("g", sort=False).agg(客户数=("m", "size"), 收入=("m", "sum"), 订单数=("n", "sum"))
    total = out["收入"].sum()
    out["收入占比"] = out["收入"] / total if total else np.nan
    out["客均收入"] = out["收入"] / out["客户数"]
    out["单均收入"] = (out["收入"] / out["订单数"]).where(out["订单数"] > 0)
    return out.sort_values("收入", ascending=False).rename_axis("分组").reset_index()
