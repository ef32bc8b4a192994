"""Parse register dates (real dates, Excel serials, Chinese and ISO-style text) into datetime64[ns].

Accepted: datetime/date/Timestamp objects; Excel serial numbers of the 1900 date system
(1 = 1900-01-01, fractions are the time of day; serial 60 is Excel's fictitious 1900-02-29 and
is reported, not guessed) as numbers or as numeric text ("45356"); eight-digit 20240305 as a
number or text; text such as 2024-3-5, 2024/03/05, 2024.3.5, 2024年3月5日 (or 5号), 2024年3月
(the first of the month), with an optional time 14:30[:00]; full-width digits; Chinese numerals
(二〇二四年三月五日); 05/03/2024-style day/month orders only when one part is over 12.

Never guessed (NaT plus a problem code from `date_problems`): Excel error cells, impossible
calendar dates, two-digit years without 年, day/month orders that read both ways, and dates
outside what datetime64[ns] can hold (1677–2262).
"""
from __future__ import annotations

import datetime as _dt
import functools
import math
import re
from typing import Any, Callable

import numpy as np
import pandas as pd

from udfs.columns import as_column
from udfs.normalise._unique import factorize, fold, is_excel_error, shared, spread
from udfs.normalise.phone_region import current_region

# Excel's 1900 system counts 1900-01-01 as day 1 and wrongly includes 1900-02-29 as day 60;
# from day 61 on, day n is 1899-12-30 + n.
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31
_NS_MIN = pd.Timestamp("1677-09-22")  # whole days inside what datetime64[ns] can hold
_NS_MAX = pd.Timestamp("2262-04-10")

_TIME = r"(?:\s*(?:T|\s)\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}(?:\.\d+)?))?\s*秒?)?"
_YMD = re.compile(r"^(\d{4})\s*([-/.年])\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号號]?" + _TIME + r"$")
_YM = re.compile(r"^(\d{4})\s*[-/年]\s*(\d{1,2})\s*月?(?:份)?$")
# "2024.3" typed as text means March 2024 in Chinese registers, not Excel serial 2024.3 (1905).
_YM_DOT = re.compile(r"^((?:19|20)\d{2})\.(0?[1-9]|1[0-2])\s*月?$")
_YM_CN = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月份?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\s*(\d{2}):?(\d{2})(?::?(\d{2}))?)?$")
_SERIAL = re.compile(r"^\d{1,7}(?:\.\d+)?$")
_DMY = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})" + _TIME + r"$")
_YY_CN = re.compile(r"^(\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]$")
# Taiwan's ROC calendar: 民國113年3月5日, 113/3/5, 113.03.05 (ROC year + 1911). A three-digit year is
# ROC wherever it appears; a two-digit one only in a Taiwan register (elsewhere it stays ambiguous).
_ROC = re.compile(r"^(?:民國|民国)\s*(\d{1,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]?$|"
                  r"^(?:民國|民国)?\s*(\d{2,3})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})$")
#: regions that write numeric dates day first (05/03/2024 is 5 March): Hong Kong and Macau
DAY_FIRST_REGIONS = {"HK", "MO"}
_YY_OTHER = re.compile(r"^(\d{2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$")

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_EN_DMY = re.compile(r"^(\d{1,2})[\s-]+([a-z]{3})[a-z]*\.?[\s,-]+(\d{4})$")
_EN_MDY = re.compile(r"^([a-z]{3})[a-z]*\.?[\s-]+(\d{1,2})(?:st|nd|rd|th)?[\s,-]+(\d{4})$")

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_DATE = re.compile(r"^([〇零○一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月(?:([一二三四五六七八九十]{1,3})[日号])?$")

# Problem codes (described in udfs/validate/problems.py).
CELL_ERROR = "CELL_ERROR"
DATE_UNPARSEABLE = "DATE_UNPARSEABLE"
DATE_INVALID = "DATE_INVALID"
DATE_AMBIGUOUS = "DATE_AMBIGUOUS"
DATE_OUT_OF_RANGE = "DATE_OUT_OF_RANGE"


def parse_dates(values: Any, *, as_of: Any = None) -> pd.Series:
    """Column of dates in any register form → datetime64[ns] Series (NaT when blank or unparseable).

    `as_of` (default: today) only decides the century of two-digit years written with 年:
    24年3月5日 is 2024 when that is not after `as_of`, otherwise 1924.
    """
    return _parse(values, as_of)[0]


def date_problems(values: Any, *, as_of: Any = None) -> pd.Series:
    """Problem code per cell (None when the cell is blank or a readable date).

    Codes: CELL_ERROR (#N/A …), DATE_UNPARSEABLE, DATE_INVALID (e.g. 2024-02-30),
    DATE_AMBIGUOUS (03/05/2024, 24/3/5), DATE_OUT_OF_RANGE (serial ≤ 0 or past 9999, year
    outside 1677–2262).
    """
    return _parse(values, as_of)[1]


def _parse(values: Any, as_of: Any) -> tuple[pd.Series, pd.Series]:
    s = as_column(values) if not isinstance(values, pd.Series) else values
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        out = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
        return out.astype("datetime64[ns]"), pd.Series(None, index=s.index, dtype=object)
    s, codes, uniques = factorize(s)
    pivot_year = _as_of_year(as_of)
    # per distinct value, not per row; and once for parse_dates and date_problems of one column
    parsed = shared(_parser(pivot_year, current_region()), uniques)
    ns = np.empty(len(parsed) + 1, dtype="datetime64[ns]")
    ns[:] = np.datetime64("NaT")
    for i, (ts, _) in enumerate(parsed):
        if ts is not None:
            ns[i] = ts
    dates = pd.Series(ns[codes], index=s.index, dtype="datetime64[ns]")
    problems = pd.Series(spread([p for _, p in parsed], codes), index=s.index, dtype=object)
    return dates, problems


@functools.lru_cache(maxsize=None)
def _parser(pivot_year: int, region: str) -> Callable[[np.ndarray], list]:
    """One function object per pivot year and region (day-first or not), so a cleaning run's shared parses
    read each date column once."""
    return lambda uniques: [_parse_one(u, pivot_year) for u in uniques]


def _as_of_year(as_of: Any) -> int:
    if as_of is None:
        return _dt.date.today().year
    return pd.Timestamp(as_of).year


def _parse_one(v: Any, pivot_year: int) -> tuple[np.datetime64 | None, str | None]:
    """One distinct cell value → (datetime64[ns] or None, problem code or None)."""
    if isinstance(v, (bool, np.bool_)):
        return None, DATE_UNPARSEABLE
    if isinstance(v, (pd.Timestamp, _dt.datetime, _dt.date, np.datetime64)):
        return _from_datetime(v)
    if isinstance(v, (int, np.integer)):
        return _from_number(float(v), is_integer=True)
    if isinstance(v, (float, np.floating)):
        if math.isinf(v):
            return None, DATE_OUT_OF_RANGE
        return _from_number(float(v), is_integer=float(v).is_integer())
    if isinstance(v, str):
        return _from_text(v, pivot_year)
    return None, DATE_UNPARSEABLE


def _from_datetime(v: Any) -> tuple[np.datetime64 | None, str | None]:
    try:
        ts = pd.Timestamp(v)
        if ts.tzinfo is not None:
            ts = ts.tz_localize(None)
        if pd.isna(ts):
            return None, None
        return _in_ns_range(ts)
    except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        return None, DATE_OUT_OF_RANGE


def _from_number(x: float, is_integer: bool) -> tuple[np.datetime64 | None, str | None]:
    if is_integer and 10000101 <= x <= 99991231:
        return _from_ymd(int(x // 10000), int(x // 100 % 100), int(x % 100))
    if not (1 <= x < _EXCEL_MAX_SERIAL + 1):
        return None, DATE_OUT_OF_RANGE
    if 60 <= x < 61:
        return None, DATE_INVALID  # Excel's 1900-02-29 never existed
    day_ms = round(x * 86_400_000)  # Excel stores times to about a millisecond
    offset = pd.Timedelta(milliseconds=day_ms)
    base = _EXCEL_EPOCH if x >= 61 else _EXCEL_EPOCH + pd.Timedelta(days=1)
    try:
        ts = base + offset
    except (OverflowError, pd.errors.OutOfBoundsDatetime):
        return None, DATE_OUT_OF_RANGE
    return _in_ns_range(ts)


def _in_ns_range(ts: pd.Timestamp) -> tuple[np.datetime64 | None, str | None]:
    if not (_NS_MIN <= ts <= _NS_MAX):
        return None, DATE_OUT_OF_RANGE
    return ts.as_unit("ns").to_datetime64(), None


def _from_ymd(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: float = 0.0
              ) -> tuple[np.datetime64 | None, str | None]:
    try:
        dt = _dt.datetime(y, m, d, hh, mm, int(ss), int(round((ss % 1) * 1e6)) if ss % 1 else 0)
    except ValueError:
        return None, DATE_INVALID
    return _in_ns_range(pd.Timestamp(dt))


def _time_parts(groups: tuple) -> tuple[int, int, float]:
    hh, mm, ss = groups
    return int(hh or 0), int(mm or 0), float(ss or 0)


def _from_text(raw: str, pivot_year: int) -> tuple[np.datetime64 | None, str | None]:
    text = fold(raw)
    if not text:
        return None, None
    if is_excel_error(text):
        return None, CELL_ERROR
    low = re.sub(r"\s+", " ", text.lower())
    if m := _YMD.match(low):
        return _from_ymd(int(m.group(1)), int(m.group(3)), int(m.group(4)), *_time_parts(m.groups()[4:7]))
    if m := _COMPACT.match(low):
        return _from_ymd(int(m.group(1)), int(m.group(2)), int(m.group(3)),
                         int(m.group(4) or 0), int(m.group(5) or 0), float(m.group(6) or 0))
    if m := _YM_DOT.match(low):
        return _from_ymd(int(m.group(1)), int(m.group(2)), 1)
    if _SERIAL.match(low):
        x = float(low)
        return _from_number(x, x.is_integer())
    if m := _YM_CN.match(low) or _YM.match(low):
        return _from_ymd(int(m.group(1)), int(m.group(2)), 1)
    if m := _ROC.match(low):
        roc = _roc_date(m, text)
        if roc is not None:
            return roc
    if m := _DMY.match(low):
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        hh, mm, ss = _time_parts(m.groups()[3:6])
        if current_region() in DAY_FIRST_REGIONS and a <= 31 and b <= 12:
            return _from_ymd(y, b, a, hh, mm, ss)  # the register's region writes day first
        if a > 12 and b <= 12:
            return _from_ymd(y, b, a, hh, mm, ss)  # day first
        if b > 12 and a <= 12:
            return _from_ymd(y, a, b, hh, mm, ss)  # month first
        if a == b:
            return _from_ymd(y, a, b, hh, mm, ss)
        return None, DATE_AMBIGUOUS if a <= 12 and b <= 12 else DATE_INVALID
    if m := _YY_CN.match(low):
        yy = int(m.group(1))
        year = 2000 + yy if 2000 + yy <= pivot_year else 1900 + yy
        return _from_ymd(year, int(m.group(2)), int(m.group(3)))
    if _YY_OTHER.match(low):
        return None, DATE_AMBIGUOUS
    if m := _EN_DMY.match(low):
        if m.group(2) in _MONTHS:
            return _from_ymd(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)))
    if m := _EN_MDY.match(low):
        if m.group(1) in _MONTHS:
            return _from_ymd(int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2)))
    if m := _CN_DATE.match(text.replace(" ", "")):
        year = int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
        month = _cn_small_number(m.group(2))
        day = _cn_small_number(m.group(3)) if m.group(3) else 1
        if month is None or day is None:
            return None, DATE_UNPARSEABLE
        return _from_ymd(year, month, day)
    return None, DATE_UNPARSEABLE


def _roc_date(m: re.Match, text: str) -> tuple | None:
    """A ROC-calendar date, or None when the form is not one (a two-digit year outside Taiwan)."""
    if m.group(1) is not None:
        return _from_ymd(int(m.group(1)) + 1911, int(m.group(2)), int(m.group(3)))
    year = m.group(4)
    if len(year) == 2 and current_region() != "TW" and "民" not in text:
        return None
    return _from_ymd(int(year) + 1911, int(m.group(5)), int(m.group(6)))


def _cn_small_number(text: str) -> int | None:
    """一 … 三十一 → 1 … 31 (the numbers a month or day can be)."""
    if "十" not in text:
        return _CN_DIGITS.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    t = 1 if tens == "" else _CN_DIGITS.get(tens)
    o = 0 if ones == "" else _CN_DIGITS.get(ones)
    if t is None or o is None or len(tens) > 1 or len(ones) > 1:
        return None
    return t * 10 + o
