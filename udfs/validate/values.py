"""Check value columns: dates (readable, not in the future, not before 1900, in order), amounts, counts, required cells."""
from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from udfs.columns import as_column
from udfs.normalise._unique import blank_cells, map_unique
from udfs.normalise.amounts import amount_problems, parse_amounts
from udfs.normalise.dates import date_problems, parse_dates

EARLIEST = pd.Timestamp("1900-01-01")


def _today(today: Any) -> pd.Timestamp:
    return pd.Timestamp(today).normalize() if today is not None else pd.Timestamp.today().normalize()


def check_dates(values: Any, *, today: Any = None, allow_future: bool = False,
                earliest: Any = EARLIEST) -> pd.Series:
    """Date column → problem code per cell.

    DATE_UNPARSEABLE / DATE_INVALID / DATE_AMBIGUOUS / DATE_OUT_OF_RANGE / CELL_ERROR from the
    parser, then DATE_FUTURE (after `today`, unless `allow_future`, as for 下次跟进日期) and
    DATE_BEFORE_1900 (before `earliest`).
    """
    s = as_column(values) if not isinstance(values, pd.Series) else values
    dates = parse_dates(s, as_of=today)
    problems = date_problems(s, as_of=today).to_numpy(dtype=object, copy=True)
    ok = pd.isna(problems)
    if not allow_future:
        future = (dates > _today(today) + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)).to_numpy()
        problems[ok & future] = "DATE_FUTURE"
    early = (dates < pd.Timestamp(earliest)).to_numpy()
    problems[ok & early] = "DATE_BEFORE_1900"
    return pd.Series(problems, index=s.index, dtype=object)


def check_date_order(first: Any, last: Any) -> pd.Series:
    """DATE_ORDER where the first date (首次接触) is after the last one (最近购买)."""
    a, b = parse_dates(first), parse_dates(last)
    if len(a) != len(b):
        raise ValueError("the two date columns differ in length")
    bad = (a.to_numpy() > b.to_numpy())  # NaT compares False
    return pd.Series(np.where(bad, "DATE_ORDER", None), index=a.index, dtype=object)


def check_amounts(values: Any, *, allow_negative: bool = False) -> pd.Series:
    """Amount column → problem code per cell (unreadable, foreign currency, approximate, negative)."""
    s = as_column(values) if not isinstance(values, pd.Series) else values
    amounts = parse_amounts(s)
    problems = amount_problems(s).to_numpy(dtype=object, copy=True)
    foreign = problems == "AMOUNT_FOREIGN_CURRENCY"
    if foreign.any():  # NT$ in a Taiwan register is its own currency: read it as money in that currency
        from udfs.normalise.money import parse_money

        money = parse_money(s)
        problems[foreign] = money["problem"].to_numpy(dtype=object)[foreign]
        amounts = amounts.where(~foreign, money["amount"])
    if not allow_negative:
        neg = (amounts < 0).to_numpy() & pd.isna(problems)
        problems[neg] = "AMOUNT_NEGATIVE"
    return pd.Series(problems, index=s.index, dtype=object)


_COUNT_UNIT = re.compile(r"\s*(次|笔|单|件|回|个|times?)\s*$", re.IGNORECASE)


def _strip_count_unit(v: Any) -> Any:
    return _COUNT_UNIT.sub("", v) if isinstance(v, str) else v


def check_counts(values: Any) -> pd.Series:
    """Count column (购买次数) → COUNT_UNPARSEABLE, COUNT_NOT_WHOLE, COUNT_NEGATIVE or None. "3次" is fine."""
    s = as_column(values) if not isinstance(values, pd.Series) else values
    stripped = map_unique(s, _strip_count_unit)
    numbers = parse_amounts(stripped).to_numpy()
    parse_problem = amount_problems(stripped).notna().to_numpy()
    out = np.full(len(s), None, dtype=object)
    out[parse_problem] = "COUNT_UNPARSEABLE"
    valid = ~parse_problem & ~np.isnan(numbers)
    out[valid & (numbers != np.floor(np.where(valid, numbers, 0)))] = "COUNT_NOT_WHOLE"
    out[valid & (numbers < 0) & pd.isna(out)] = "COUNT_NEGATIVE"
    return pd.Series(out, index=s.index, dtype=object)


def parse_counts(values: Any) -> pd.Series:
    """Count column → float counts ("3次" → 3.0); NaN where blank or unreadable."""
    return parse_amounts(map_unique(values, _strip_count_unit))


def check_required(values: Any, code: str = "REQUIRED_MISSING") -> pd.Series:
    """`code` where a cell is blank (None, NaN, empty or whitespace), else None."""
    s = as_column(values) if not isinstance(values, pd.Series) else values
    blank = blank_cells(s)
    return pd.Series(np.where(blank, code, None), index=s.index, dtype=object)


def check_any_present(columns: list[Any], code: str = "CONTACT_MISSING") -> pd.Series:
    """`code` on rows where every one of `columns` is blank (a customer needs one contact)."""
    if not columns:
        raise ValueError("no columns given")
    index = columns[0].index if isinstance(columns[0], pd.Series) else None
    return pd.Series(np.where(all_blank(columns), code, None), index=index, dtype=object)


def all_blank(columns: list[Any]) -> np.ndarray:
    """Rows where every one of `columns` (of one length) is blank.

    Each column after the first is looked at only in the rows still blank so far: a register's first
    contact or identity column is filled almost everywhere, so the others are hardly read at all.
    """
    rows = np.flatnonzero(blank_cells(columns[0]))
    for column in columns[1:]:
        if not len(rows):
            break
        cells = as_column(column).to_numpy(dtype=object)
        rows = rows[blank_cells(cells[rows])]
    out = np.zeros(len(as_column(columns[0])), dtype=bool)
    out[rows] = True
    return out
