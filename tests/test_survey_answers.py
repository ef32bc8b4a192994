"""The block answer reader gives each cell the reading the one-column reader (`to_scores`) gives it, on answers typed
the way respondents and data-entry staff type them: numbers, level labels (simplified and traditional), digits
as text, full-width digits, 4分, off-scale numbers, decimals, blanks, dates and other stray objects."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from udfs.score.survey.answers import read_answers
from udfs.score.survey.items import ItemSpec, to_scores

TYPED = [1, 2, 3, 4, 5, 1.0, 5.0, "3", "４", "4分", " 5 ", "满意", "非常满意", "一般", "不满意", "非常不满意", "滿意",
         "很好", "还行", 9, 0, 3.5, -1, "N/A", "不知道", "", None, np.nan, 7, 10, "10", "好"]


def _column(rng: np.random.Generator, n: int, stray: bool) -> list:
    values = list(rng.choice(np.array(TYPED, dtype=object), n))
    if stray:  # a date typed into an answer cell, as happens when Excel auto-formats 3/4
        values[int(rng.integers(n))] = dt.datetime(2024, 3, 4)
    return values


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_block_reading_equals_column_reading(seed):
    rng = np.random.default_rng(seed)
    n = 400
    items = [ItemSpec(column="Q1", code="Q1"),
             ItemSpec(column="Q2", code="Q2", reverse=True),
             ItemSpec(column="Q3", code="Q3", scale_min=0, scale_max=10),
             ItemSpec(column="Q4", code="Q4", scale_min=1, scale_max=7, labels=("很差", "差", "较差", "一般", "较好",
                                                                              "好", "很好")),
             ItemSpec(column="Q5", code="Q5"),
             ItemSpec(column="Q6", code="Q6", scale_min=1, scale_max=10)]
    df = pd.DataFrame({"Q1": _column(rng, n, False), "Q2": _column(rng, n, False), "Q3": _column(rng, n, True),
                       "Q4": _column(rng, n, False),
                       "Q5": rng.integers(1, 7, n).astype(float),       # a numeric column (the reader's floats)
                       "Q6": pd.Series(rng.choice(["3", "8", "十", None], n), dtype="str")})
    x, bad = read_answers(df, items)
    for j, q in enumerate(items):
        want, want_bad = to_scores(df[q.column], q)
        np.testing.assert_array_equal(x[:, j], want.to_numpy(), err_msg=q.code)
        np.testing.assert_array_equal(bad[:, j], want_bad.to_numpy(), err_msg=q.code)
    assert np.isfinite(x).any() and bad.any()  # the data has readable and unreadable answers, so both can fail
