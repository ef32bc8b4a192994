"""The fast paths for plain landlines and the shared-parse cache give exactly the general path's answers."""
from __future__ import annotations

import random

import pandas as pd

from udfs.normalise._unique import fold, shared_parses
from udfs.normalise.phone import _from_text, _parse_cell, parse_phones


def test_plain_landline_fast_path_equals_general_path():
    rng = random.Random(11)
    for _ in range(5000):
        area = rng.choice(["010", "021", "020", "0755", "0571", "099", "0000", "0851", "02", "028"])
        local = "".join(rng.choice("0123456789") for _ in range(rng.choice([6, 7, 8, 9])))
        form = rng.randrange(4)
        v = [f"{area}-{local}", f"({area}){local}", f"{area} {local[:4]} {local[4:]}",
             f"（{area}）{local[:3]}-{local[3:]}"][form]
        assert _parse_cell(v) == _from_text(fold(v)), v


def test_shared_parses_gives_the_same_frames_and_keeps_types_apart():
    col = pd.Series(["010-12345678", 13800138000, "13800138000", None, "(0755)87654321"], dtype=object)
    plain = parse_phones(col)
    with shared_parses():
        first = parse_phones(col)
        again = parse_phones(col)
        other = parse_phones(pd.Series([13800138000.0, "x"], dtype=object))   # same length, other values
    pd.testing.assert_frame_equal(first, plain)
    pd.testing.assert_frame_equal(again, plain)
    assert other["number"].tolist()[0] == "13800138000" and other["problem"].tolist()[1] is not None
