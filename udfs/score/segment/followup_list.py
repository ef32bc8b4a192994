"""The 待跟进 call list: only the customers due or overdue on the analysis date, most overdue first, with a
number to dial, why to call and when they were last contacted.

Why to call, most pressing first: an open complaint (brought forward to the analysis date), a lost customer to
win back, or simply the cadence of their status (DOMAIN.md §1: 意向 monthly, 无效/丢单 every 2–3 months …).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from udfs.normalise.phone import parse_phones

from ._values import analysis_date

COMPLAINT, WIN_BACK, CADENCE = "未结投诉", "挽回流失客户", "到期回访"
REASONS_EN = {COMPLAINT: "Open complaint", WIN_BACK: "Lost customer to win back", CADENCE: "Due by cadence"}
_URGENCY = {COMPLAINT: 0, WIN_BACK: 1, CADENCE: 2}
LOST = "流失客户"


def dialable(*phones: Any) -> pd.Series:
    """The first usable number of each customer from the phone columns given (mobile first), normalised:
    `13800138000`, `010-27558835`; None when none can be trusted (a rounded `1.38001E+10` is not a number)."""
    out: pd.Series | None = None
    for column in phones:
        if column is None:
            continue
        p = parse_phones(column)
        number = p["number"].where(p["number"].notna() & p["kind"].notna(), None).astype(object).reset_index(drop=True)
        out = number if out is None else out.where(out.notna(), number)
    return out if out is not None else pd.Series(dtype=object)


def due_mask(due: Any, as_of: Any = None) -> np.ndarray:
    """True where the next follow-up date is on or before the analysis date."""
    d = pd.to_datetime(pd.Series(due)).dt.normalize().to_numpy(dtype="datetime64[ns]")
    day0 = np.datetime64(pd.Timestamp(analysis_date(as_of)).normalize().to_datetime64(), "ns")
    return ~np.isnat(d) & (d <= day0)


def call_reasons(table: pd.DataFrame) -> np.ndarray:
    """跟进原因 per customer of the run table: 未结投诉 / 挽回流失客户 / 到期回访."""
    n = len(table)
    reason = np.full(n, CADENCE, dtype=object)
    reason[(table["客户类型"] == LOST).to_numpy()] = WIN_BACK
    if "未结投诉" in table:
        reason[pd.to_numeric(table["未结投诉"], errors="coerce").fillna(0).to_numpy() > 0] = COMPLAINT
    return reason


def call_list(table: pd.DataFrame, *, as_of: Any = None, identity: pd.DataFrame | None = None,
              phone: Any = None, last_contact: Any = None) -> pd.DataFrame:
    """The customers of a segment run's `table` due on or before `as_of`, most overdue first.

    `identity`: the register's columns to show (客户编号, 姓名, 公司名称, 状态, 行号 …), aligned with `table`;
    `phone`: each customer's number already normalised (see `dialable`); `last_contact`: the date the due
    date was counted from. Ties keep the more pressing reason first, then the bigger spender.
    """
    t = table.reset_index(drop=True)
    day0 = pd.Timestamp(analysis_date(as_of)).normalize()
    due_on = pd.to_datetime(t["下次跟进"]).dt.normalize()
    keep = due_mask(due_on, day0)
    late = ((day0 - due_on).dt.days).to_numpy(dtype="float64")
    reason = call_reasons(t)
    cols: dict[str, Any] = {"逾期天数": late, "下次跟进": due_on.to_numpy(), "跟进原因": reason}
    front = pd.DataFrame(cols)
    parts = [front]
    if identity is not None:
        parts.append(identity.reset_index(drop=True))
    extra = pd.DataFrame(index=range(len(t)))
    if phone is not None:
        extra["联系电话"] = pd.Series(phone, dtype=object).reset_index(drop=True)
    if last_contact is not None:
        extra["最近联系"] = pd.to_datetime(pd.Series(last_contact)).dt.normalize().reset_index(drop=True)
    for c in ("客户类型", "价值等级", "累计金额", "跟进说明"):
        extra[c] = t[c].to_numpy()
    parts.append(extra)
    out = pd.concat(parts, axis=1)
    out["逾期"] = np.where(late > 0, "逾期", "")
    urgency = pd.Series(reason).map(_URGENCY).to_numpy()
    spend = pd.to_numeric(t["累计金额"], errors="coerce").fillna(0).to_numpy()
    order = np.lexsort((-spend, urgency, -late))   # most overdue first, then reason, then spend
    order = order[keep[order]]
    out = out.iloc[order].reset_index(drop=True)
    out["逾期天数"] = out["逾期天数"].astype(np.int64)
    first = ["下次跟进", "逾期", "逾期天数", "跟进原因"]
    last = [c for c in ("行号",) if c in out]   # where the customer sits in the register, for the link
    return out[first + [c for c in out.columns if c not in first + last] + last]
