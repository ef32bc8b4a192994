"""Group 重复 pairs into duplicate groups without chaining unrelated records through one weak link.

Plain connected components would put A and C together whenever A–B and B–C are duplicate pairs, even when
A and C are plainly two people (B is a family member's row that shares A's mobile and C's name). So:
1. connected components over 重复 pairs;
2. in every component of three or more rows, the pairs not yet compared are scored too, and a pair that is
   vetoed (names clearly differ, ID numbers differ) or very unlikely is a *cannot-link*;
3. a component holding a cannot-link is rebuilt greedily: its 重复 pairs are added strongest first and a
   pair is skipped when it would join two sets that contain a cannot-link pair.
Components without any cannot-link (the usual case) are kept as they are, fully vectorised.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

#: Components larger than this are not completed pair by pair (cost size²); their 重复 pairs stand.
MAX_COMPLETED_COMPONENT = 200


def components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected-component label per row (the smallest row index in the component)."""
    label = np.arange(n, dtype=np.int64)
    if len(a) == 0:
        return label
    while True:  # label propagation with pointer jumping: a few rounds for small components
        low = np.minimum(label[a], label[b])
        before = label.copy()
        np.minimum.at(label, a, low)
        np.minimum.at(label, b, low)
        label = label[label]
        while True:
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped
        if np.array_equal(label, before):
            return label


def _pairs_within(label: np.ndarray, members: np.ndarray, max_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of rows sharing a label, for the given member rows (components no larger than max_size)."""
    order = members[np.argsort(label[members], kind="stable")]
    lab = label[order]
    left, right = [], []
    for step in range(1, max_size):  # loop over offsets inside a component, not over rows
        same = lab[:-step] == lab[step:]
        if not same.any():
            break
        left.append(order[:-step][same])
        right.append(order[step:][same])
    if not left:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    x, y = np.concatenate(left), np.concatenate(right)
    return np.minimum(x, y), np.maximum(x, y)


def cluster_pairs(n: int, a: np.ndarray, b: np.ndarray, probability: np.ndarray, is_duplicate: np.ndarray,
                  cannot_link: np.ndarray, score_more: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None
                  ) -> np.ndarray:
    """Group id (1, 2, …) per row, 0 for rows in no group.

    cannot_link: bool per candidate pair. score_more(a, b) → bool cannot-link for extra pairs (pairs
    inside a component that blocking never paired).
    """
    da, db, dp = a[is_duplicate], b[is_duplicate], probability[is_duplicate]
    label = components(n, da, db)
    size = np.bincount(label, minlength=n)
    big = size[label] >= 3
    if big.any():
        label = _split_conflicts(n, label, size, big, a, b, cannot_link, da, db, dp, score_more)
    return _number_groups(label)


def _split_conflicts(n, label, size, big, a, b, cannot_link, da, db, dp, score_more):
    members = np.flatnonzero(big & (size[label] <= MAX_COMPLETED_COMPONENT))
    if not len(members):
        return label
    wa, wb = _pairs_within(label, members, int(size[label[members]].max()))
    # Cannot-links known from the candidate pairs, plus those of pairs blocking never produced.
    codes = wa * n + wb
    cand = a.astype(np.int64) * n + b
    order = np.argsort(cand, kind="stable")
    pos = np.searchsorted(cand[order], codes)
    pos = np.minimum(pos, max(len(cand) - 1, 0))
    is_known = (cand[order][pos] == codes) if len(cand) else np.zeros(len(codes), dtype=bool)
    conflict = np.zeros(len(codes), dtype=bool)
    conflict[is_known] = cannot_link[order][pos[is_known]]
    if score_more is not None and (~is_known).any():
        conflict[~is_known] = score_more(wa[~is_known], wb[~is_known])
    bad_labels = np.unique(label[wa[conflict]])
    if not len(bad_labels):
        return label
    label = label.copy()
    conflicts: dict[int, set[int]] = {}
    for x, y in zip(wa[conflict].tolist(), wb[conflict].tolist()):
        conflicts.setdefault(x, set()).add(y)
        conflicts.setdefault(y, set()).add(x)
    in_bad = np.isin(label[da], bad_labels)
    edges = sorted(zip((-dp[in_bad]).tolist(), da[in_bad].tolist(), db[in_bad].tolist()))
    rows = np.flatnonzero(np.isin(label, bad_labels))
    # Python loop over the edges of conflicting components only: greedy merging under constraints.
    parent = {r: r for r in rows.tolist()}
    sets = {r: {r} for r in rows.tolist()}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, x, y in edges:
        rx, ry = find(x), find(y)
        if rx == ry:
            continue
        if any(conflicts.get(m, set()) & sets[ry] for m in sets[rx]):
            continue  # this link would join two records known to be different people
        if len(sets[rx]) < len(sets[ry]):
            rx, ry = ry, rx
        parent[ry] = rx
        sets[rx] |= sets.pop(ry)
    for r in rows.tolist():
        label[r] = min(sets[find(r)])
    return label


def _number_groups(label: np.ndarray) -> np.ndarray:
    """Label per row → 1..G for groups of two or more rows (in order of first row), 0 for the rest."""
    n = len(label)
    size = np.bincount(label, minlength=n)
    grouped = size[label] >= 2
    out = np.zeros(n, dtype=np.int64)
    if grouped.any():
        firsts = np.unique(label[grouped])  # label = a member row, so sorting labels follows row order
        numbers = np.zeros(n, dtype=np.int64)
        numbers[firsts] = np.arange(1, len(firsts) + 1)
        out[grouped] = numbers[label[grouped]]
    return out
