"""The review loop: 疑似重复 rows shown with the group they might belong to, and a person's decisions on pairs
(是同一客户 / 不是同一客户) turned into must-link / cannot-link constraints for the next run.

Decisions are keyed by customer ids, not row numbers, so they still apply after the register has grown or
been re-sorted. Pure functions over columns; the doors read and write the workbooks.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

SAME, DIFFERENT_CUSTOMER = "是同一客户", "不是同一客户"
REVIEW_CHOICES = (SAME, DIFFERENT_CUSTOMER)
POSSIBLE_PREFIX = "疑似 "


def possible_group_labels(groups: np.ndarray, is_possible: np.ndarray, partner: np.ndarray) -> np.ndarray:
    """重复组 as shown: the group number for duplicates, "疑似 N" for 疑似重复 rows, None for the rest.

    groups: group id per row (0 = none); is_possible: bool per row; partner: position of the row's best
    partner (-1 = none). A 疑似 row whose partner is in group g shows "疑似 g"; 疑似 rows linked only to each
    other share a new number after the last duplicate group.
    """
    n = len(groups)
    out = np.where(groups > 0, groups, None).astype(object)
    rows = np.flatnonzero(is_possible & (partner >= 0))
    if not len(rows):
        return out
    near = groups[partner[rows]]
    joined = near > 0
    out[rows[joined]] = [POSSIBLE_PREFIX + str(int(g)) for g in near[joined]]
    loose = rows[~joined]
    if len(loose):
        # 疑似 rows pointing at each other: connected components over (row, partner), numbered in row order
        parent = np.arange(n)

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for r in loose.tolist():  # loop over 疑似 rows only (a few per cent of a register)
            a, b = find(r), find(int(partner[r]))
            if a != b:
                parent[max(a, b)] = min(a, b)
        roots = np.array([find(r) for r in loose.tolist()])
        number = {root: i for i, root in enumerate(dict.fromkeys(roots.tolist()), start=int(groups.max(initial=0)) + 1)}
        out[loose] = [POSSIBLE_PREFIX + str(number[root]) for root in roots.tolist()]
    return out


def constraints_from_ids(ids: pd.Series, decisions: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(must-link pairs, cannot-link pairs) as (k, 2) arrays of row positions, from reviewed decisions.

    ids: the customer id of each row of the table being matched; decisions: columns id_a, id_b, decision
    (是同一客户 / 不是同一客户; anything else is ignored). Ids not in the table (customers since deleted) are
    skipped; an id held by several rows links each of them.
    """
    key = ids.map(_id_text)
    positions: dict[str, list[int]] = {}
    for pos, k in enumerate(key.tolist()):
        if k is not None:
            positions.setdefault(k, []).append(pos)
    must, cannot = [], []
    for a, b, decision in zip(decisions["id_a"].map(_id_text), decisions["id_b"].map(_id_text),
                              decisions["decision"].map(lambda v: str(v).strip() if v is not None else "")):
        if decision not in REVIEW_CHOICES or a is None or b is None:
            continue
        target = must if decision == SAME else cannot
        for x in positions.get(a, []):
            for y in positions.get(b, []):
                if x != y:
                    target.append((min(x, y), max(x, y)))
    as_array = lambda pairs: np.array(sorted(set(pairs)), dtype=np.int64).reshape(-1, 2)  # noqa: E731
    return as_array(must), as_array(cannot)


def _id_text(v) -> str | None:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    t = str(v).strip()
    return t or None
