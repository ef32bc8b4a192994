"""Per-field rules for a golden record, on top of "the preferred row, its blanks filled from the others".

The rules are what staff do by hand when they merge two rows of one customer:
- 最近购买日期 / 下次跟进日期: the latest date of the group (the newest purchase is the last purchase);
- 首次接触日期: the earliest date (the customer was first met on the first of them);
- 状态: the status written on the row with the latest purchase date (the most recent follow-up);
- 购买次数 / 累计金额: kept as they are by default — re-entries of one customer repeat the same totals —
  or summed when the rows are separate purchase records (`sum_amounts=True`, `--sum-amounts` on the CLI);
- everything else: the preferred row's value, blanks filled from the others (merge.py).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

#: role → rule; "sum" rules apply only when amounts are summed
FIELD_RULES = {"last_purchase": "latest", "next_followup": "latest", "first_contact": "earliest",
               "status": "with_latest_purchase", "purchase_count": "sum", "total_spend": "sum"}
RULE_NOTES = {"latest": "最新日期", "earliest": "最早日期", "with_latest_purchase": "最近购买那一行", "sum": "合计"}


def apply_field_rules(golden: pd.DataFrame, sub: pd.DataFrame, group: np.ndarray, roles: dict[str, str],
                      sum_amounts: bool = False) -> tuple[pd.DataFrame, dict[str, str]]:
    """Golden rows (one per group, indexed by group id) with the field rules applied; column → rule used.

    sub: the grouped rows (any order), group: their group ids.
    """
    from udfs.match.steps import date_keys_of

    golden = golden.astype(object)  # a sum is a number even in a text column
    used: dict[str, str] = {}
    date_keys: dict[str, np.ndarray] = {}
    for col in sub.columns:
        rule = FIELD_RULES.get(roles.get(col, ""))
        if rule in ("latest", "earliest"):
            keys = date_keys_of(sub[col]).to_numpy(dtype=object)
            date_keys[col] = keys
            pick = _pick_row(keys, group, latest=rule == "latest")
            if len(pick):
                golden.loc[pick.index, col] = sub[col].to_numpy(dtype=object)[pick.to_numpy()]
                used[col] = rule
    latest_col = next((c for c in sub.columns if roles.get(c) == "last_purchase" and c in date_keys), None)
    for col in sub.columns:
        rule = FIELD_RULES.get(roles.get(col, ""))
        if rule == "with_latest_purchase" and latest_col is not None:
            values = sub[col].to_numpy(dtype=object)
            present = pd.notna(values)
            keys = np.where(present, date_keys[latest_col], None)  # the newest row that has a status
            pick = _pick_row(keys, group, latest=True)
            if len(pick):
                golden.loc[pick.index, col] = values[pick.to_numpy()]
                used[col] = rule
        elif rule == "sum" and sum_amounts:
            numbers = _numbers(sub[col], roles[col])
            totals = pd.Series(numbers).groupby(group).sum(min_count=1)
            golden.loc[totals.index, col] = totals.to_numpy(dtype=object)
            used[col] = rule
    return golden, used


def _pick_row(keys: np.ndarray, group: np.ndarray, latest: bool) -> pd.Series:
    """group → position of its row with the latest (earliest) key; groups without any key are left out."""
    frame = pd.DataFrame({"g": group, "k": keys, "pos": np.arange(len(keys))}).dropna(subset=["k"])
    if frame.empty:
        return pd.Series(dtype=np.int64)
    frame = frame.sort_values(["g", "k", "pos"], ascending=[True, not latest, True], kind="stable")
    first = frame.drop_duplicates("g")
    return pd.Series(first["pos"].to_numpy(), index=first["g"].to_numpy())


def _numbers(values: pd.Series, role: str) -> np.ndarray:
    if role == "purchase_count":
        from udfs.validate.values import parse_counts
        parsed = parse_counts(values.astype(object))
    else:
        from udfs.normalise.amounts import parse_amounts
        parsed = parse_amounts(values.astype(object))
    return pd.to_numeric(pd.Series(np.asarray(parsed, dtype=object)), errors="coerce").to_numpy(dtype=float)
