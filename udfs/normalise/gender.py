"""Gender coding: 男/女/M/F/male/female/先生/女士/1/2 and their variants → '男' / '女' / None.

Numbers follow the resident-ID convention (odd = 男, even = 女) only for 1 and 2, the
codes GB/T 2261.1 uses (0 unknown, 9 unspecified → None). Anything else is None; the
validator reports it.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from udfs.normalise._unique import map_unique
from udfs.normalise.text import simplified_one

MALE, FEMALE = "男", "女"

_CODES = {
    MALE: ["男", "男性", "男士", "男生", "先生", "m", "male", "man", "boy", "mr", "mr.", "男的", "公", "1", "1.0", "♂"],
    FEMALE: ["女", "女性", "女士", "女生", "小姐", "太太", "f", "female", "woman", "girl", "ms", "ms.",
             "mrs", "mrs.", "miss", "女的", "母", "2", "2.0", "♀"],
}
_LOOKUP = {code: g for g, codes in _CODES.items() for code in codes}


def gender_one(v: Any) -> str | None:
    """One cell → '男', '女' or None."""
    if isinstance(v, (bool, np.bool_)):
        return None
    if isinstance(v, (int, float, np.integer, np.floating)):
        return {1: MALE, 2: FEMALE}.get(v) if v == v else None
    key = simplified_one(v)
    if key is None:
        return None
    return _LOOKUP.get(key.replace(" ", ""))


def normalise_gender(values: Any) -> pd.Series:
    """Column → '男' / '女' / None (M, male, 先生, 1 → 男; F, female, 女士, 2 → 女)."""
    return map_unique(values, gender_one)
