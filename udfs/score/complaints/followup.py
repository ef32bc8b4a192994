"""What needs action: open cases past their service-level limit (逾期未结) and customers who keep complaining."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: default service-level limits in days per contact type; users override them (--sla 投诉=2)
DEFAULT_SLA: dict[str, int] = {"投诉": 3, "报修": 5, "退换货": 7, "咨询": 2, "建议": 7, "回访": 3}
OTHER_SLA = 5
REPEAT_MIN = 3
REPEAT_WINDOW_DAYS = 90


def overdue(f: pd.DataFrame, as_of: Any, sla: dict[str, int] | None = None, age: pd.Series | None = None
            ) -> pd.DataFrame:
    """Open contacts older than their type's limit, oldest first. `age` (days open) defaults to calendar days."""
    limits = dict(DEFAULT_SLA, **(sla or {}))
    day0 = pd.Timestamp(as_of).normalize()
    days = age if age is not None else (day0 - f["at"].dt.normalize()).dt.days.astype(float)
    limit = f["contact_type"].map(lambda t: limits.get(t, OTHER_SLA)).astype(float)
    late = f["open"] & f["at"].notna() & (f["at"] <= day0 + pd.Timedelta(days=1)) & (days > limit)
    o = f[late]
    out = pd.DataFrame({"行号": o["row"], "联系时间": o["at"], "客户编号": o["customer_id"], "姓名": o["name"],
                        "手机": o["mobile"], "类型": o["contact_type"], "产品": o["product"], "门店": o["store"],
                        "处理人": o["handler"], "状态": o["status"], "已过天数": days[late], "时限天数": limit[late],
                        "超出天数": days[late] - limit[late], "内容": o["text"]})
    return out.sort_values(["联系时间", "行号"], kind="stable").reset_index(drop=True)


def repeat_flags(f: pd.DataFrame, min_count: int = REPEAT_MIN, window_days: int = REPEAT_WINDOW_DAYS) -> pd.Series:
    """True for each complaint that opens a run of ≥ min_count complaints by one customer within window_days."""
    c = f[(f["contact_type"] == "投诉") & f["customer"].notna() & f["at"].notna()]
    c = c.sort_values(["customer", "at"], kind="stable")
    later = c.groupby("customer", sort=False)["at"].shift(-(min_count - 1))
    starts = later.notna() & ((later - c["at"]) <= pd.Timedelta(days=window_days))
    out = pd.Series(False, index=f.index)
    out[c.index] = starts.to_numpy()
    return out


def repeat_complainers(f: pd.DataFrame, themes: pd.Series | None = None, min_count: int = REPEAT_MIN,
                       window_days: int = REPEAT_WINDOW_DAYS) -> pd.DataFrame:
    """Customers with ≥ min_count complaints inside some window of window_days: their totals and themes."""
    starts = repeat_flags(f, min_count, window_days)
    who = set(f.loc[starts, "customer"])
    comp = f[(f["contact_type"] == "投诉") & f["customer"].isin(who)]
    if comp.empty:
        return pd.DataFrame(columns=["客户", "客户编号", "姓名", "手机", "投诉次数", "未结投诉", "首次投诉", "最近投诉",
                                     "主要门店", "主要主题"])
    g = comp.groupby("customer", sort=False)
    out = pd.DataFrame({
        "客户编号": g["customer_id"].first(), "姓名": g["name"].first(), "手机": g["mobile"].first(),
        "投诉次数": g.size(), "未结投诉": g["open"].sum(), "首次投诉": g["at"].min(), "最近投诉": g["at"].max(),
        "主要门店": _mode_per(comp["customer"], comp["store"]),
    })
    if themes is not None:
        t = themes.reindex(comp.index).astype(object).str.split("、").explode().dropna()
        out["主要主题"] = _mode_per(comp.loc[t.index, "customer"], t)
    out.index.name = "客户"
    out = out.reset_index()
    return out.sort_values(["投诉次数", "最近投诉"], ascending=[False, False], kind="stable").reset_index(drop=True)


def _mode_per(keys: pd.Series, values: pd.Series) -> pd.Series:
    """The most frequent value per key (ties: the value seen first), without a Python call per group."""
    pairs = pd.DataFrame({"k": keys.to_numpy(), "v": values.to_numpy()}).dropna()
    if pairs.empty:
        return pd.Series(dtype=object)
    counts = pairs.groupby(["k", "v"], sort=False).size().reset_index(name="n")
    best = counts.sort_values("n", ascending=False, kind="stable").drop_duplicates("k")
    return pd.Series(best["v"].to_numpy(dtype=object), index=best["k"].to_numpy())
