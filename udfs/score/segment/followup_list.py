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
REASONS = np.array([COMPLAINT, WIN_BACK, CADENCE], dtype=object)   # most pressing first
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


def call_urgency(table: pd.DataFrame) -> np.ndarray:
    """Per customer of the run table, the index of its 跟进原因 in REASONS (0 = most pressing)."""
    urgency = np.full(len(table), 2, dtype=np.int8)
    urgency[(table["客户类型"] == LOST).to_numpy(dtype=bool, na_value=False)] = 1
    if "未结投诉" in table:
        urgency[pd.to_numeric(table["未结投诉"], errors="coerce").fillna(0).to_numpy() > 0] = 0
    return urgency


def call_reasons(table: pd.DataFrame) -> np.ndarray:
    """跟进原因 per customer of the run table: 未结投诉 / 挽回流失客户 / 到期回访."""
    return REASONS[call_urgency(table)]


def call_list(table: pd.DataFrame, *, as_of: Any = None, identity: pd.DataFrame | None = None,
              phone: Any = None, last_contact: Any = None) -> pd.DataFrame:
    """The customers of a segment run's `table` due on or before `as_of`, most overdue first.

    `identity`: the register's columns to show (客户编号, 姓名, 公司名称, 状态, 行号 …), aligned with `table`;
    `phone`: each customer's number already normalised (see `dialable`); `last_contact`: the date the due
    date was counted from. Ties keep the more pressing reason first, then the bigger spender.
    """
    t = table.reset_index(drop=True)
    day0 = pd.Timestamp(analysis_date(as_of)).normalize()
    due_on = pd.to_datetime(t["下次跟进"]).dt.normalize().to_numpy(dtype="datetime64[ns]")
    keep = np.flatnonzero(due_mask(due_on, day0))
    late = ((np.datetime64(day0.to_datetime64(), "ns") - due_on[keep]) // np.timedelta64(1, "D")).astype(np.int64)
    urgency = call_urgency(t)[keep]
    reason = REASONS[urgency]
    spend = pd.to_numeric(t["累计金额"], errors="coerce").fillna(0).to_numpy()[keep]
    order = np.lexsort((-spend, urgency, -late))   # most overdue first, then reason, then spend
    rows = keep[order]

    def pick(values: Any) -> Any:   # only the listed rows are taken before anything is converted
        return pd.Series(values).reset_index(drop=True).take(rows).reset_index(drop=True)

    cols: dict[str, Any] = {"下次跟进": due_on[rows], "逾期": np.where(late[order] > 0, "逾期", "").astype(object),
                            "逾期天数": late[order], "跟进原因": reason[order]}
    if identity is not None:
        cols.update({c: pick(identity[c]) for c in identity.columns})
    if phone is not None:
        cols["联系电话"] = pick(pd.Series(phone, dtype=object))
    if last_contact is not None:
        cols["最近联系"] = pd.to_datetime(pick(last_contact)).dt.normalize()
    for c in ("客户类型", "价值等级", "跟进说明"):
        cols[c] = pick(t[c])
    cols["累计金额"] = pd.to_numeric(pick(t["累计金额"]), errors="coerce")
    out = pd.DataFrame(cols)
    first = ["下次跟进", "逾期", "逾期天数", "跟进原因"]
    last = [c for c in ("行号",) if c in out]   # where the customer sits in the register, for the link
    return out[first + [c for c in out.columns if c not in first + last] + last]
