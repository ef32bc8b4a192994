"""Candidate pairs: rows that share a blocking key, found in time linear in the number of rows.

Each rule sorts the rows by (block key, sort key) and pairs every row with the next `window` rows of the
same block. A block no larger than window + 1 yields all its pairs; a bigger one (a switchboard number
shared by a whole company) yields its sorted neighbours only, so no rule ever costs rows².
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from udfs.match.prepare import KeyTable
from udfs.match.settings import BlockingRule


def key_codes(keys: KeyTable, names: tuple[str, ...]) -> np.ndarray:
    """Integer code per row for the combination of `names`; -1 where any part is missing."""
    combined = np.zeros(len(keys), dtype=np.int64)
    missing = np.zeros(len(keys), dtype=bool)
    for i, name in enumerate(names):
        codes = keys.codes(name)
        missing |= codes < 0
        if i == 0:
            combined = codes.copy()
        else:
            combined = combined * (len(keys.uniques(name)) + 1) + codes + 1
            # Re-number so the product never overflows, however many parts a rule has.
            combined = pd.factorize(combined)[0].astype(np.int64)
    combined[missing] = -1
    return combined


def rule_pairs(keys: KeyTable, rule: BlockingRule) -> tuple[np.ndarray, np.ndarray]:
    """(left, right) row positions, left < right, for one blocking rule."""
    block = key_codes(keys, rule.keys)
    rows = np.flatnonzero(block >= 0)
    if len(rows) < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    if rule.sort_by is not None:
        # Missing sort keys sort last; the sort only decides who the neighbours are.
        sort_codes = keys.rank(rule.sort_by)
        # one stable argsort of block·(ranks + 1) + rank: the order np.lexsort((rank, block)) gives, faster
        combined = block[rows] * (int(sort_codes.max(initial=0)) + 1) + sort_codes[rows]
        order = rows[np.argsort(combined, kind="stable")]
    else:
        order = rows[np.argsort(block[rows], kind="stable")]
    sorted_block = block[order]
    left, right = [], []
    for step in range(1, rule.window + 1):  # loop over window offsets, not rows
        same = sorted_block[:-step] == sorted_block[step:]
        if not same.any():
            break
        left.append(order[:-step][same])
        right.append(order[step:][same])
    a = np.concatenate(left) if left else np.empty(0, np.int64)
    b = np.concatenate(right) if right else np.empty(0, np.int64)
    return np.minimum(a, b), np.maximum(a, b)


def rows_without_key(keys: KeyTable, rules: list[BlockingRule]) -> np.ndarray:
    """True for rows that no blocking rule can pair with anything (every rule has a key part missing)."""
    has_key = np.zeros(len(keys), dtype=bool)
    for rule in rules:
        has_key |= key_codes(keys, rule.keys) >= 0
    return ~has_key


def candidate_pairs(keys: KeyTable, rules: list[BlockingRule], only_across: np.ndarray | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Distinct pairs over all rules, sorted; `only_across` (bool per row) keeps pairs that join a
    True row with a False row (second-file mode: incoming rows against the master register)."""
    n = len(keys)
    found = []
    for rule in rules:
        a, b = rule_pairs(keys, rule)
        if only_across is not None:
            keep = only_across[a] != only_across[b]
            a, b = a[keep], b[keep]
        found.append(a.astype(np.int64) * n + b)
    if not found:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    codes = np.concatenate(found)
    codes.sort()
    if len(codes):
        codes = codes[np.concatenate(([True], codes[1:] != codes[:-1]))]  # distinct pairs, already sorted
    return codes // n, codes % n
