"""Tables for the 客户分析 report: counts and revenue per segment, type and tier, and the 待跟进 list."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .followup_list import call_list
from .reasons import plain_method_note
from .segments import TYPES

NO_PURCHASE = "尚无购买"


@dataclass
class SegmentSummary:
    """What the report sheet shows. Every table has Chinese headers and is ready to write."""
    by_segment: pd.DataFrame
    by_type: pd.DataFrame
    by_tier: pd.DataFrame
    followup: pd.DataFrame
    as_of: str = ""
    method: str = ""
    notes: list[str] = field(default_factory=list)


def _group(table: pd.DataFrame, key: str, order: list[str], label: str,
           satisfaction: pd.Series | None) -> pd.DataFrame:
    spend = table["累计金额"].where(table["已购买"], 0.0).fillna(0.0).clip(lower=0)
    frame = pd.DataFrame({label: table[key].to_numpy(dtype=object), "金额": spend.to_numpy()})
    if satisfaction is not None:
        frame["满意度"] = pd.to_numeric(satisfaction, errors="coerce").to_numpy()
    grouped = frame.groupby(label, sort=False, dropna=True)
    out = pd.DataFrame({"客户数": grouped.size(), "累计金额": grouped["金额"].sum()})
    out = out.reindex([k for k in order if k in out.index] + [k for k in out.index if k not in order])
    out = out.reindex(order, fill_value=0) if set(out.index) <= set(order) else out
    total_n, total_money = len(table), spend.sum()
    out["客户占比"] = out["客户数"] / total_n if total_n else np.nan
    out["金额占比"] = out["累计金额"] / total_money if total_money else np.nan
    out["平均金额"] = (out["累计金额"] / out["客户数"]).where(out["客户数"] > 0)
    cols = ["客户数", "客户占比", "累计金额", "金额占比", "平均金额"]
    if satisfaction is not None:
        out["平均满意度"] = grouped["满意度"].mean().reindex(out.index)
        out["满意度样本数"] = grouped["满意度"].count().reindex(out.index).fillna(0).astype(int)
        cols += ["平均满意度", "满意度样本数"]
    out["客户数"] = out["客户数"].astype(int)
    return out[cols].rename_axis(label).reset_index()


def summarise(run: Any, *, identity: pd.DataFrame | None = None, satisfaction: Any = None, phone: Any = None,
              last_contact: Any = None) -> SegmentSummary:
    """A SegmentRun (or its table) → SegmentSummary.

    `identity`: columns aligned with the customers (客户编号, 姓名, 手机, 状态 …) shown in the
    待跟进 list. `satisfaction`: one score per customer (NaN where no survey answer) for the
    satisfaction columns per segment and type. `phone` (normalised numbers) and `last_contact` go into the
    call list, which holds only the customers due on or before the analysis date.
    """
    table = run.table if hasattr(run, "table") else run
    rules = getattr(run, "rules", None)
    seg_order = (rules.names() if rules is not None else list(dict.fromkeys(table["细分"].dropna())))
    table = table.copy()
    table["细分"] = table["细分"].where(table["细分"].notna() | table["已购买"], NO_PURCHASE)
    sat = None if satisfaction is None else pd.Series(np.asarray(satisfaction, dtype=object))
    by_segment = _group(table, "细分", seg_order + [NO_PURCHASE], "细分", sat)
    by_segment = by_segment[(by_segment["客户数"] > 0) | (by_segment["细分"] != NO_PURCHASE)].reset_index(drop=True)
    if rules is not None:
        advice = dict(zip(rules.segments["细分"], rules.segments["说明"]))
        advice[NO_PURCHASE] = "登记了但还没有购买：按状态跟进，争取首单"
        by_segment["建议"] = by_segment["细分"].map(advice).fillna("")
    by_type = _group(table, "客户类型", list(TYPES), "客户类型", sat)
    by_tier = _group(table, "价值等级", ["A", "B", "C"], "价值等级", sat)
    settings = getattr(run, "settings", None)
    method = getattr(run, "method", None)
    follow = call_list(table, as_of=settings.as_of if settings else None, identity=identity, phone=phone,
                       last_contact=last_contact)
    return SegmentSummary(by_segment, by_type, by_tier, follow,
                          as_of=settings.as_of if settings else "",
                          method=plain_method_note(method) if method is not None else "")
