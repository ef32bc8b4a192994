"""Gender coding: 男/女/M/F/male/female/先生/女士/1/2 and their variants → '男' / '女' / None.

The one gender normaliser of kehu: cleaning, validation and the duplicate matcher all use it.
Numbers follow GB/T 2261.1-2003《个人基本信息分类与代码 第1部分：人的性别代码》: 1 男性, 2 女性,
0 未知的性别, 9 未说明的性别 (5/6: changed gender). So 1 → 男, 2 → 女, and 0 and 9 → None (unknown):
a 0/1 "dummy" coding (0 = female) also exists, but reading 0 as 女 would invent a fact the standard
calls unknown, and a wrong gender is worse than none (the matcher would count it as contrary evidence,
the validator as a GENDER_ID_MISMATCH). Anything else is None; the validator reports it.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from udfs.normalise._unique import map_unique
from udfs.normalise.text import simplified_one

MALE, FEMALE = "男", "女"

_CODES = {
    MALE: ["男", "男性", "男士", "男生", "先生", "m", "m.", "male", "man", "boy", "mr", "mr.", "男的", "公", "1", "1.0",
           "♂"],
    FEMALE: ["女", "女性", "女士", "女生", "小姐", "太太", "f", "f.", "female", "woman", "girl", "ms", "ms.",
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
    """Column → '男' / '女' / None (M, male, 先生, 1 → 男; F, female, 女士, 2 → 女; 0, 9 → unknown)."""
    return map_unique(values, gender_one)
