"""Straight-lining per row against a row-by-row reading: same answer to every answered item (at least six), and
whether that answer is each item's top or bottom level, on random rows with blanks, mixed scales and planted
straight lines."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from udfs.score.survey.quality import straight_pattern


def row_by_row(arr: np.ndarray, lo: np.ndarray, hi: np.ndarray, min_answered: int = 6) -> list[str]:
    out = []
    for row in arr:
        ok = ~np.isnan(row)
        vals = set(row[ok].tolist())
        if ok.sum() < min_answered or len(vals) != 1:
            out.append("")
        elif all(row[ok] == hi[ok]):
            out.append("top")
        elif all(row[ok] == lo[ok]):
            out.append("bottom")
        else:
            out.append("same")
    return out


@pytest.mark.parametrize("seed", range(5))
def test_straight_pattern_equals_row_by_row(seed):
    rng = np.random.default_rng(seed)
    n, k = 600, 9
    lo = np.ones(k)
    hi = np.where(np.arange(k) < 6, 5.0, 7.0)   # six 1–5 items and three 1–7 items
    arr = rng.integers(1, 6, (n, k)).astype(float)
    planted = rng.choice(n, 120, replace=False)
    arr[planted] = rng.choice([1.0, 3.0, 5.0, 7.0], 120)[:, None]  # 7 everywhere: top only on the 1–7 items
    arr[rng.random((n, k)) < 0.15] = np.nan
    arr[:5] = np.nan                                               # nothing answered
    arr[5:15, :6], arr[5:15, 6:] = 5.0, np.nan                     # all top on the 1–5 items, the rest blank
    got = straight_pattern(pd.DataFrame(arr), lo, hi).tolist()
    want = row_by_row(arr, lo, hi)
    assert got == want
    assert {"", "same", "top", "bottom"} <= set(want)  # every verdict occurs, so each can fail
