"""Money with its currency: NT$1,200, HK$ 300, MOP 50, US$20, ¥88, RMB 100, 1,500元, 300圓 → amount + currency.

`parse_amounts` reads yuan only and refuses other currencies (a total that mixes them is wrong). Cleaning a
register keeps every amount instead, in its own currency, beside a currency column: 元 / 圓 / a bare $ mean
the register's home currency (yuan in mainland China, NT$ in Taiwan, HK$ in Hong Kong, patacas in Macau),
the region taken from the register's phone numbers (udfs/normalise/phone_region.py).
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from udfs.normalise._unique import Columns, fold, map_unique_frame
from udfs.normalise.amounts import AMOUNT_FOREIGN_CURRENCY, AMOUNT_UNPARSEABLE, _parse_one
from udfs.normalise.phone_region import current_region

HOME_CURRENCY = {"CN": "CNY", "TW": "TWD", "HK": "HKD", "MO": "MOP"}
#: written currency marks, longest first; None means "the register's home currency"
_MARKS = [
    (r"nt\$|twd|新台币|新台幣|台币|台幣", "TWD"), (r"hk\$|hkd|港币|港幣|港元", "HKD"),
    (r"mop\$?|澳门币|澳門幣|澳门元|澳門元|葡币|葡幣", "MOP"), (r"us\$|usd|美元|美金", "USD"),
    (r"rmb|cny|人民币|人民幣|¥|￥", "CNY"), (r"eur|€|欧元|歐元", "EUR"), (r"gbp|£|英镑|英鎊", "GBP"),
    (r"jpy|日元|日圆|日圓", "JPY"), (r"\$", None), (r"元整|元|圓|圆|块钱|块|塊", None),
]
_MARK = re.compile("|".join(f"(?:{m})" for m, _c in _MARKS))
_COMPILED = [(re.compile(f"^(?:{m})$"), c) for m, c in _MARKS]
COLUMNS = ["amount", "currency", "problem"]


def parse_money(values: Any) -> pd.DataFrame:
    """Column → DataFrame[amount, currency, problem]; problem is AMOUNT_FOREIGN_CURRENCY for a currency
    other than the register's home currency (the amount is still read), else what parse_amounts says."""
    home = HOME_CURRENCY.get(current_region())
    out = map_unique_frame(values, _money_func(home), COLUMNS, batch=lambda uniques: _money_many(uniques, home))
    out["amount"] = pd.to_numeric(out["amount"], errors="coerce").astype("float64")
    return out


@lru_cache(maxsize=None)
def _money_func(home: str | None):
    """One function object per home currency, so a cleaning run's shared parses read each column once."""
    return lambda v: _money_one(v, home)


def _money_many(uniques: np.ndarray, home: str | None) -> Columns:
    """[_money_one(u, home) for u in uniques] field by field, float cells (the usual numeric amount column)
    without the parser: a finite float is its own amount in the home currency, inf is unreadable."""
    n = len(uniques)
    amount, currency, problem = (np.full(n, None, dtype=object) for _ in range(3))
    is_float = np.fromiter((u.__class__ is float for u in uniques), bool, n)
    floats = np.flatnonzero(is_float)
    finite = np.isfinite(uniques[floats].astype("float64"))
    amount[floats[finite]] = uniques[floats[finite]]
    currency[floats[finite]] = home
    amount[floats[~finite]] = math.nan
    problem[floats[~finite]] = AMOUNT_UNPARSEABLE
    rest = np.flatnonzero(~is_float)
    if len(rest):
        parsed = [_money_one(u, home) for u in uniques[rest].tolist()]
        for column, values in zip((amount, currency, problem), zip(*parsed)):
            column[rest] = values
    return Columns((amount, currency, problem))


def _money_one(v: Any, home: str | None) -> tuple[float, str | None, str | None]:
    if not isinstance(v, str):
        x, problem = _parse_one(v)
        return x, home if x == x else None, problem
    text = fold(v)
    if not text:
        return np.nan, None, None
    low = re.sub(r"\s+", "", text.lower())
    marks = _MARK.findall(low)
    currency = home
    for mark in marks:
        code = next(c for rx, c in _COMPILED if rx.match(mark))
        if mark == "$":
            code = home if home in ("TWD", "HKD", "MOP") else "USD"   # a bare $ is the local dollar
        if code is not None:
            currency = code
            break
    stripped = _MARK.sub("", low)
    x, problem = _parse_one(stripped)
    if x != x:
        return x, None, problem
    if currency != home:
        problem = problem or AMOUNT_FOREIGN_CURRENCY
    return x, currency, problem
