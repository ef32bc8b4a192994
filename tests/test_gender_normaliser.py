"""One gender normaliser (udfs.normalise.gender) for cleaning, validation and the duplicate matcher.

Expected readings are written down by hand from the users' world: GB/T 2261.1-2003 codes 1 男, 2 女,
0 未知, 9 未说明; titles 先生 / 女士 / 小姐 / Mr / Ms / Mrs; symbols ♂ / ♀.
"""
from __future__ import annotations

import pandas as pd
import pytest

from udfs.match.prepare import apply_step, build_keys
from udfs.match.settings import register_settings
from udfs.normalise.gender import normalise_gender

CASES = [
    # GB/T 2261.1 codes, as numbers, as text and as a float cell
    (1, "男"), (2, "女"), (0, None), (9, None), ("1", "男"), ("2", "女"), ("0", None), (1.0, "男"), (2.0, "女"),
    ("男士", "男"), ("女士", "女"), ("先生", "男"), ("小姐", "女"), ("男", "男"), ("女", "女"), ("男性", "男"),
    ("Mr", "男"), ("Mr.", "男"), ("Ms", "女"), ("Mrs", "女"), ("MRS.", "女"), ("Miss", "女"),
    ("♂", "男"), ("♀", "女"), ("M", "男"), ("F", "女"), ("m", "男"), ("f", "女"), ("Ｍ", "男"),  # full-width M
    ("male", "男"), ("Female", "女"), ("MALE", "男"), (" 女 ", "女"),
    (None, None), ("", None), ("未知", None), (True, None), ("x", None),
]


@pytest.mark.parametrize("raw, expected", CASES)
def test_each_written_form(raw, expected):
    assert normalise_gender(pd.Series([raw], dtype=object)).tolist() == [expected]


def test_the_matcher_uses_the_same_reading():
    raw = pd.Series([raw for raw, _ in CASES], dtype=object)
    expected = [e for _, e in CASES]
    assert apply_step("gender", raw).tolist() == expected
    keys = build_keys(pd.DataFrame({"姓名": ["张伟"] * len(raw), "性别": raw}), {"姓名": "name", "性别": "gender"},
                      register_settings())
    assert keys.frame["gender"].tolist() == expected


def test_zero_is_not_read_as_female_by_the_matcher():
    """The matcher's old parser read 0 as 女: two rows 0 / 女 must not count as agreeing, nor 0 / 男 as differing."""
    keys = build_keys(pd.DataFrame({"性别": [0, "女", "男", "0"]}), {"性别": "gender"}, register_settings())
    assert keys.frame["gender"].tolist() == [None, "女", "男", None]
