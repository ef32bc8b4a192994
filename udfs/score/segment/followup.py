"""Next call-back date per customer from status (意向/签单/无效/丢单 …) and last contact, with an overdue flag.

Follow-up discipline (DOMAIN.md §1): intention customers are reviewed monthly; customers who were
unreachable, refused, lost or marked invalid are kept and called again every two to three months;
signed customers are served on a cadence of their own. All intervals are calendar months and
configurable in `FollowupPolicy`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from udfs.columns import as_column

from ._values import analysis_date, to_dates

INTENTION, SIGNED, RECALL = "意向", "签单", "回访"

# Checked in this order, so 无意向 / 未签单 are recall statuses before 意向 / 签单 can match.
_STATUS_WORDS = (
    (RECALL, ("无效", "丢单", "无意向", "没有意向", "没意向", "未签", "未成交", "无法联系", "联系不上", "联系不到",
              "未接通", "无人接听", "不接", "拒接", "拒绝", "不需要", "空号", "停机", "流失", "暂停", "搁置")),
    (SIGNED, ("签单", "已签", "签约", "成交", "合作中", "已合作", "老客户", "signed", "won")),
    (INTENTION, ("意向", "跟进中", "洽谈", "有兴趣", "潜在", "intention", "lead", "prospect")),
)
_RECALL_EN = ("invalid", "lost", "unreachable", "refused", "no answer")


@dataclass(frozen=True)
class FollowupPolicy:
    """Months between call-backs per kind of status; None means no scheduled call-back."""
    intention_months: int = 1   # 意向客户: monthly review
    recall_months: int = 3      # 无效 / 丢单 / 无法联系 / 拒绝: every 2–3 months (3 by default)
    signed_months: int = 3      # 签单客户: service cadence
    other_months: int | None = None  # any other or blank status

    def months(self, kind: str | None) -> int | None:
        return {INTENTION: self.intention_months, RECALL: self.recall_months,
                SIGNED: self.signed_months}.get(kind or "", self.other_months)


def status_kind(status: Any) -> pd.Series:
    """状态 text → 意向 / 签单 / 回访 (call again later) / None (blank or not recognised)."""
    s = as_column(status).reset_index(drop=True)
    codes, uniques = pd.factorize(s, sort=False)
    kinds = np.array([_kind(u) for u in uniques] + [None], dtype=object)
    return pd.Series(kinds[codes], dtype=object)


def _kind(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    t = str(v).strip().lower()
    if not t:
        return None
    if any(w in t for w in _RECALL_EN):
        return RECALL
    for kind, words in _STATUS_WORDS:
        if any(w in t for w in words):
            return kind
    return None


def add_months(dates: Any, months: Any) -> pd.Series:
    """Calendar-month addition, vectorised: 1-31 + 1 month = end of February (day clipped to the month)."""
    d = to_dates(dates).dt.normalize().to_numpy(dtype="datetime64[ns]")
    k = np.asarray(months, dtype="float64")
    k = np.broadcast_to(k, d.shape)
    ok = ~np.isnat(d) & ~np.isnan(k)
    out = np.full(d.shape, np.datetime64("NaT"), dtype="datetime64[ns]")
    if ok.any():
        dd = d[ok]
        month_start = dd.astype("datetime64[M]")
        day = (dd.astype("datetime64[D]") - month_start.astype("datetime64[D]")).astype(np.int64)  # 0-based
        target = month_start + k[ok].astype(np.int64)
        days_in_target = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
        out[ok] = (target.astype("datetime64[D]") + np.minimum(day, days_in_target - 1)).astype("datetime64[ns]")
    return pd.Series(out)


def next_followup(status: Any, last_contact: Any, *, as_of: Any = None, planned: Any = None,
                  policy: FollowupPolicy | None = None) -> pd.DataFrame:
    """Status and last contact date → 下次跟进 (date), 逾期 (bool), 跟进说明.

    下次跟进 = last contact + the status's interval. A date already planned in the register
    (`planned`, e.g. 下次跟进日期) is kept when it is not before the last contact (an older plan was
    already carried out). Without a last contact the customer is due on `as_of`
    (call now). 逾期 is True when 下次跟进 is before `as_of` (due today is not overdue); None when no
    date is due. Statuses not recognised get no date.
    """
    policy = policy or FollowupPolicy()
    kind = status_kind(status)
    n = len(kind)
    contact = to_dates(last_contact).dt.normalize() if last_contact is not None else pd.Series([pd.NaT] * n)
    if len(contact) != n:
        raise ValueError("status and last_contact must have the same length")
    day0 = analysis_date(as_of)
    per_kind = {k: policy.months(k) for k in (INTENTION, SIGNED, RECALL)}
    months = kind.map(per_kind).astype("float64").to_numpy(copy=True)  # written to below
    if policy.other_months is not None:
        months[np.isnan(months)] = policy.other_months
    due = add_months(contact, months).to_numpy(dtype="datetime64[ns]", copy=True)
    no_contact = np.isnat(contact.to_numpy(dtype="datetime64[ns]")) & ~np.isnan(months)
    due[no_contact] = day0
    label = {INTENTION: "意向客户", SIGNED: "签单客户", RECALL: "需再次联系的客户"}
    texts = {k: f"{label[k]}每 {m} 个月跟进一次" for k, m in per_kind.items() if m is not None}
    note = kind.map(texts).to_numpy(dtype=object)
    note[pd.isna(note)] = "状态未识别，未安排跟进" if policy.other_months is None else f"每 {policy.other_months} 个月跟进一次"
    note[no_contact] = (pd.Series(note[no_contact], dtype=object) + "；无最近联系日期，请尽快联系").to_numpy(dtype=object)
    if planned is not None:
        plan = to_dates(planned).dt.normalize().to_numpy(dtype="datetime64[ns]")
        last = contact.to_numpy(dtype="datetime64[ns]")
        # A plan older than the last contact was already carried out: schedule anew from the contact.
        use_plan = ~np.isnat(plan) & (np.isnat(last) | (plan >= last))
        due[use_plan] = plan[use_plan]
        note[use_plan] = "按登记的下次跟进日期"
    overdue = np.where(np.isnat(due), None, due < day0).astype(object)
    return pd.DataFrame({"下次跟进": pd.Series(due, dtype="datetime64[ns]"), "逾期": overdue, "跟进说明": note})
