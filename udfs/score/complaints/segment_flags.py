"""Open complaints in the segment job: a customer with one is due for a call today, a loyal one is flagged."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

LOYAL = "忠诚客户"


def open_complaint_counts(log_df: pd.DataFrame, log_roles: dict[str, str], register_df: pd.DataFrame,
                          register_roles: dict[str, str], as_of: Any) -> tuple[np.ndarray, int]:
    """Open complaints per register customer (aligned with the register) and how many contacts were linked."""
    from .analysis import analyse_log
    from .link import link_contacts

    res = analyse_log(log_df, log_roles, as_of=as_of, working_days=False)
    linked = link_contacts(log_df.reset_index(drop=True), log_roles, register_df.reset_index(drop=True),
                           register_roles, res.contacts)
    return linked.register_columns["未结投诉"].to_numpy(), int((linked.register_row >= 0).sum())


def apply_open_complaints(table: pd.DataFrame, open_counts: Any, as_of: Any) -> tuple[pd.DataFrame, dict[str, int]]:
    """Bring forward 下次跟进 to `as_of` for customers with open complaints and say why in 跟进说明; add 未结投诉
    and 需致电 (a loyal customer with an open complaint). `table` is the segment run's table."""
    t = table.copy()
    n = np.asarray(open_counts, dtype=np.int64)
    has = n > 0
    day0 = pd.Timestamp(as_of).normalize()
    due = pd.to_datetime(t["下次跟进"])
    t["下次跟进"] = due.where(~has | (due.notna() & (due <= day0)), day0)
    loyal = has & (t["客户类型"] == LOYAL).to_numpy()
    why = np.where(loyal, "忠诚客户有未结投诉 " + n.astype(str) + " 条：请尽快致电",
                   np.where(has, "有未结投诉 " + n.astype(str) + " 条：请跟进处理", ""))
    old = t["跟进说明"].astype(object).where(t["跟进说明"].notna(), "")
    t["跟进说明"] = np.where(has, np.where(old != "", why + "；" + old.astype(str), why), t["跟进说明"].astype(object))
    t["未结投诉"] = n
    t["需致电"] = np.where(loyal, "需致电", None).astype(object)
    return t, {"with_open_complaints": int(has.sum()), "loyal_to_call": int(loyal.sum())}
