"""Join texts that share a key into one text per key, for a whole column at once.

`pandas.Series.groupby(...).agg(sep.join)` builds one small Series per group in Python (about 10 µs each:
1.6 s of a 100,000-row clean went there); most keys here (a row's or a cell's problems) hold one text, so
those are taken as they are and only keys with several texts are joined, in their original order.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd


def group_runs(keys: np.ndarray, *, sort: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(order, starts, group_keys): `order` lists the positions key by key (each key's positions in their
    original order), `starts` where each key's run begins in it, `group_keys` the keys — ascending with
    `sort`, else in the order they first appear (as groupby's sort=False)."""
    keys = np.asarray(keys)
    if sort:
        order = np.argsort(keys, kind="stable")
        ranked = keys[order]
    else:
        codes, _ = pd.factorize(keys, sort=False)  # codes number the keys by first appearance
        order = np.argsort(codes, kind="stable")
        ranked = codes[order]
    if not len(keys):
        return order, np.empty(0, np.int64), keys[:0]
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    return order, starts, keys[order[starts]]


def join_runs(texts: Sequence[str], order: np.ndarray, starts: np.ndarray, sep: str) -> np.ndarray:
    """One text per run of `group_runs`: its texts joined with `sep` (object array)."""
    ordered = np.asarray(texts, dtype=object)[order]
    out = ordered[starts].copy()
    ends = np.r_[starts[1:], len(ordered)]
    for i in np.flatnonzero(ends - starts > 1).tolist():
        out[i] = sep.join(ordered[starts[i]:ends[i]].tolist())
    return out


def join_by_key(keys: np.ndarray, texts: Sequence[str], sep: str, *, sort: bool = True
                ) -> tuple[np.ndarray, np.ndarray]:
    """(group_keys, joined): the distinct keys and, for each, its texts joined with `sep` in their order."""
    order, starts, group_keys = group_runs(keys, sort=sort)
    return group_keys, join_runs(texts, order, starts, sep)
