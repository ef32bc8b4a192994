"""Working days between two dates on the mainland China calendar (public holidays and the make-up working
weekends, 调休), from the maintained `chinesecalendar` package; Monday–Friday where it has no data."""
from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd


def _is_workday(day: dt.date) -> tuple[bool, bool]:
    """(is a working day, known to chinesecalendar)."""
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day)), True
    except NotImplementedError:  # a year the package has no holiday table for
        return day.weekday() < 5, False


def working_days_between(start: Any, end: Any) -> tuple[pd.Series, bool]:
    """Working days d with start < d ≤ end, counted on dates (a same-day fix is 0); NaN where either is missing
    or end is before start. Returns (days, whether every date fell inside chinesecalendar's years)."""
    s = pd.to_datetime(pd.Series(start)).dt.normalize().reset_index(drop=True)
    e = pd.to_datetime(pd.Series(end)).dt.normalize().reset_index(drop=True)
    ok = s.notna() & e.notna() & (e >= s)
    out = pd.Series(np.nan, index=s.index)
    if not ok.any():
        return out, True
    lo, hi = s[ok].min(), e[ok].max()
    days = pd.date_range(lo, hi, freq="D")
    flags = [_is_workday(d.date()) for d in days]  # one call per calendar day in the span, not per contact
    work = np.array([w for w, _ in flags], dtype=np.int64)
    known = all(k for _, k in flags)
    cum = np.cumsum(work)  # cum[k] = working days from lo up to and including day k
    si = ((s[ok] - lo).dt.days).to_numpy()
    ei = ((e[ok] - lo).dt.days).to_numpy()
    out[ok] = (cum[ei] - cum[si]).astype(float)
    return out, known
