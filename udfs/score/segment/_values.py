"""Read the raw cells this package needs: customer ids as keys, dates, amounts and counts as numbers."""
from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from udfs.columns import as_column
from udfs.normalise.dates import parse_dates

_MONEY_NOISE = re.compile(r"[,，\s¥￥$元]|RMB|CNY", re.IGNORECASE)


def _series(values: Any) -> pd.Series:
    s = values if isinstance(values, pd.Series) else as_column(values)
    return s.reset_index(drop=True)


def customer_keys(values: Any) -> tuple[np.ndarray, list]:
    """Customer id column → (integer code per row, -1 when blank; the distinct ids as text).

    1001 typed as a number in one sheet and "1001" as text in another is one customer, so ids
    are compared as trimmed text. Work is per distinct id, not per row.
    """
    s = _series(values)
    codes, uniques = pd.factorize(s, sort=False, use_na_sentinel=True)
    keys = [_key(u) for u in uniques]
    key_codes, key_uniques = pd.factorize(pd.Series(keys, dtype=object), sort=False)
    remap = np.append(key_codes, -1)  # index -1 (blank) stays -1
    out = remap[codes]
    # Keys that became blank after trimming map to -1 already (factorize gives -1 for None).
    return out.astype(np.int64), list(key_uniques)


def _key(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, (float, np.floating)):
        if np.isnan(v):
            return None
        if float(v).is_integer():
            return str(int(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    t = str(v).strip()
    return t or None


def to_dates(values: Any) -> pd.Series:
    """Any date column → datetime64[ns] Series (NaT when blank or unreadable)."""
    s = values if isinstance(values, pd.Series) else as_column(values)
    s = s.reset_index(drop=True)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return s.astype("datetime64[ns]")
    return parse_dates(s).reset_index(drop=True)


def to_amounts(values: Any) -> pd.Series:
    """Amount or count column → float64 Series; text such as "¥1,200.50" or "1200元" is read, junk is NaN."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "iuf":
        return pd.Series(values.astype("float64", copy=False))
    s = _series(values)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        return s.astype("float64")
    # Numbers first in one vectorised pass; only the cells that are not plain numbers are read one
    # distinct value at a time.
    nums = pd.to_numeric(s, errors="coerce").astype("float64")
    left = nums.isna() & s.notna()
    if left.any():
        rest = s[left]
        codes, uniques = pd.factorize(rest, sort=False)
        parsed = np.array([_amount(u) for u in uniques] + [np.nan], dtype="float64")
        nums[left] = parsed[codes]
    return nums.reset_index(drop=True)


def _amount(v: Any) -> float:
    if isinstance(v, (bool, np.bool_)) or v is None:
        return np.nan
    if isinstance(v, (int, float, np.integer, np.floating)):
        return float(v)
    t = _MONEY_NOISE.sub("", str(v))
    try:
        return float(t)
    except ValueError:
        return np.nan


def analysis_date(as_of: Any = None) -> np.datetime64:
    """The analysis date as datetime64[ns] at midnight; today when `as_of` is None."""
    if as_of is None or (isinstance(as_of, str) and not as_of.strip()):
        return pd.Timestamp.today().normalize().to_datetime64()
    ts = to_dates([as_of]).iloc[0]
    if pd.isna(ts):
        raise ValueError(f"unreadable analysis date: {as_of!r}")
    return pd.Timestamp(ts).normalize().to_datetime64()
