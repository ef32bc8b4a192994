"""is_blank over a whole column equals the per-cell definition: None, NaN, NaT, NA, "" or whitespace-only text."""
import math

import numpy as np
import pandas as pd
from hypothesis import given, strategies as st

from udfs.columns import is_blank


def _blank_one(v) -> bool:
    if v is None or v is pd.NaT or v is pd.NA:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return isinstance(v, str) and v.strip() == "" and (v == "" or v.isspace())


class Label(str):
    """A str subclass, as some readers hand over."""


cells = st.one_of(st.none(), st.just(float("nan")), st.just(pd.NaT), st.just(pd.NA), st.floats(allow_nan=False),
                  st.integers(), st.text(alphabet=" \t\u3000\n\xa0ab客", max_size=4), st.booleans(),
                  st.builds(Label, st.text(alphabet=" a", max_size=2)))


@given(st.lists(cells, max_size=40))
def test_is_blank_matches_the_per_cell_definition(values):
    got = is_blank(pd.Series(values, dtype=object)).tolist()
    assert got == [_blank_one(v) for v in values]


def test_is_blank_keeps_the_index():
    s = pd.Series(["", "x", None], index=[10, 20, 30], dtype=object)
    out = is_blank(s)
    assert out.index.tolist() == [10, 20, 30] and out.tolist() == [True, False, True]
    assert np.asarray(is_blank(pd.Series([], dtype=object))).size == 0
