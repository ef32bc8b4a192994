"""Parse money amounts written the Chinese-register way ("¥2,288.38", "6636元", "1.2万") into floats.

Accepted: real numbers; numbers stored as text; ¥ ￥ 元 块 圆 RMB CNY 人民币 around the number;
thousands separators (1,234,567.8 — only in groups of three, so 1,5 is not read as 1.5 or 15);
the multipliers 千 / k (×1,000), 万 / w (×10,000), 百万 (×1,000,000), 亿 (×100,000,000), also as
万元; full-width digits and signs; a leading 约 / 大约 / 近 (read, and reported as approximate);
accounting negatives in brackets: "(100)" → -100.0 (the common spreadsheet convention; the
validator then reports the negative amount).

Not guessed (NaN plus a problem code from `amount_problems`): foreign currencies ($, USD,
HK$, €, £, ¥ is yuan), ranges (100-200), percentages, words, Excel error cells, booleans.
"""
from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd

from udfs.columns import as_column
from udfs.normalise._kernels import full_match_groups
from udfs.normalise._unique import factorize, fold, is_excel_error, shared, spread
from udfs.normalise.reference import kernels_on

CELL_ERROR = "CELL_ERROR"
AMOUNT_UNPARSEABLE = "AMOUNT_UNPARSEABLE"
AMOUNT_FOREIGN_CURRENCY = "AMOUNT_FOREIGN_CURRENCY"
AMOUNT_APPROXIMATE = "AMOUNT_APPROXIMATE"

_MULTIPLIERS = {"": 1.0, "千": 1e3, "k": 1e3, "万": 1e4, "w": 1e4, "十万": 1e5, "百万": 1e6,
                "千万": 1e7, "亿": 1e8}
_YUAN_WORDS = ("人民币", "rmb", "cny", "¥", "元整", "元", "块钱", "块", "圆")
_FOREIGN = re.compile(r"(us\$|hk\$|nt\$|\$|usd|hkd|eur|gbp|jpy|twd|mop|€|£|美元|美金|港币|港元|欧元|英镑|日元|台币)")
_APPROX = re.compile(r"^(约|大约|近|大概|左右)")
_NUMBER = re.compile(
    r"^(?P<sign>[-+]?)\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)(?:e(?P<exp>[-+]?\d+))?"
    r"\s*(?P<mult>千|k|万|w|十万|百万|千万|亿)?$"
)


def parse_amounts(values: Any) -> pd.Series:
    """Column of amounts (numbers or text) → float Series; NaN where blank or unparseable."""
    return _parse(values)[0]


def amount_problems(values: Any) -> pd.Series:
    """Problem code per cell (None when blank or readable as it stands).

    Codes: CELL_ERROR, AMOUNT_UNPARSEABLE, AMOUNT_FOREIGN_CURRENCY, AMOUNT_APPROXIMATE
    (the number was read but was written as "约300").
    """
    return _parse(values)[1]


def _parse(values: Any) -> tuple[pd.Series, pd.Series]:
    s = values if isinstance(values, pd.Series) else as_column(values)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        out = s.astype("float64")
        bad = np.isinf(out.to_numpy())
        problems = pd.Series(np.where(bad, AMOUNT_UNPARSEABLE, None), index=s.index, dtype=object)
        return out.where(~bad), problems
    s, codes, uniques = factorize(s)
    values, found = shared(_parse_many, uniques)  # per distinct value, not per row; once for amounts and problems
    table = np.append(values, np.nan)  # code -1 (a missing cell) indexes the last slot
    amounts = pd.Series(table[codes], index=s.index, dtype="float64")
    problems = pd.Series(spread(found, codes), index=s.index, dtype=object)
    return amounts, problems


#: The usual written amount, which _parse_one reads as the number itself (×10,000 with 万): no space,
#: no full-width character, nothing to fold; ¥ in front or 元 / 万 behind. Everything else goes the long way.
_PLAIN_AMOUNT = r"¥?([0-9]{1,3}(?:,[0-9]{3})+(?:[.][0-9]*)?|[0-9]+(?:[.][0-9]*)?)(元|万|)"


def _parse_many(uniques: np.ndarray) -> tuple[np.ndarray, list[str | None]]:
    """[_parse_one(u) for u in uniques] as (amounts, problems), numbers and plain amounts column-wise."""
    n = len(uniques)
    if not kernels_on():
        found = [_parse_one(u) for u in uniques]
        return np.array([f[0] for f in found], dtype="float64"), [f[1] for f in found]
    values = np.full(n, np.nan)
    problems: list[str | None] = [None] * n
    kinds = [u.__class__ for u in uniques]
    floats = [i for i, k in enumerate(kinds) if k is float]
    if floats:
        x = np.array([uniques[i] for i in floats], dtype="float64")
        finite = np.isfinite(x)
        values[floats] = np.where(finite, x, np.nan)
        for i in np.asarray(floats)[~finite].tolist():
            problems[i] = AMOUNT_UNPARSEABLE
    texts = [i for i, k in enumerate(kinds) if k is str]
    numbers, multipliers = full_match_groups([uniques[i] for i in texts], _PLAIN_AMOUNT, 2)
    plain = [(i, number.replace(",", ""), multiplier)
             for i, number, multiplier in zip(texts, numbers.tolist(), multipliers.tolist()) if number is not None]
    if plain:
        at, digits, units = zip(*plain)
        x = np.array(list(map(float, digits))) * np.array([1e4 if u == "万" else 1.0 for u in units])
        finite = np.isfinite(x)
        # _parse_one's rounding to the cent scale (1.2万 is 11999.999999999998 in binary), value by value
        values[list(at)] = np.where(finite, list(map(round, x.tolist(), [6] * len(x))), np.nan)
        for i in np.asarray(at)[~finite].tolist():
            problems[i] = AMOUNT_UNPARSEABLE
    rest = np.ones(n, dtype=bool)
    rest[floats] = False
    rest[list(at) if plain else []] = False
    for i in np.flatnonzero(rest).tolist():
        values[i], problems[i] = _parse_one(uniques[i])
    return values, problems


def _parse_one(v: Any) -> tuple[float, str | None]:
    if isinstance(v, (bool, np.bool_)):
        return math.nan, AMOUNT_UNPARSEABLE
    if isinstance(v, (int, float, np.integer, np.floating)):
        x = float(v)
        return (x, None) if math.isfinite(x) else (math.nan, AMOUNT_UNPARSEABLE)
    if not isinstance(v, str):
        return math.nan, AMOUNT_UNPARSEABLE
    text = fold(v)
    if not text:
        return math.nan, None
    if is_excel_error(text):
        return math.nan, CELL_ERROR
    t = re.sub(r"\s+", "", text.lower())
    if _FOREIGN.search(t):
        return math.nan, AMOUNT_FOREIGN_CURRENCY
    approx = bool(_APPROX.search(t)) or t.endswith("左右")
    t = _APPROX.sub("", t).removesuffix("左右")
    negative = False
    if t.startswith("(") and t.endswith(")"):  # accounting style (100) = -100
        negative, t = True, t[1:-1]
    for word in _YUAN_WORDS:  # strip currency words at either end, in any order
        t = t.removeprefix(word)
    for word in _YUAN_WORDS:
        if t.endswith(word):
            t = t[: -len(word)]
            break
    if t.endswith("万元") or t.endswith("千元") or t.endswith("亿元"):
        t = t[:-1]
    if t.startswith("-¥") or t.startswith("+¥"):
        t = t[0] + t[2:]
    m = _NUMBER.match(t)
    if not m:
        return math.nan, AMOUNT_UNPARSEABLE
    x = float(m.group("num").replace(",", "") + (("e" + m.group("exp")) if m.group("exp") else ""))
    x *= _MULTIPLIERS[m.group("mult") or ""]
    if m.group("sign") == "-":
        x = -x
    if negative:
        x = -abs(x)
    if not math.isfinite(x):
        return math.nan, AMOUNT_UNPARSEABLE
    # 1.2万 × 10,000 gives 11999.999999999998 in binary; round to the cent scale of the input.
    x = round(x, 6)
    return x, AMOUNT_APPROXIMATE if approx else None
