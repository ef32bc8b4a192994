"""One Python / numpy / pandas value as something Excel can show: what the formulas return and what the
open-workbook port writes. Public (not door plumbing), so a book need not import the formulas' own module."""
from __future__ import annotations

import datetime as _dt
import math
from typing import Any

import numpy as np
import pandas as pd


def excel_value(v: Any) -> Any:
    """One Python/numpy/pandas value → something Excel can show (blank for missing)."""
    if v is None:
        return ""
    if isinstance(v, (float, np.floating)):
        return "" if math.isnan(v) else float(v)
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, pd.Timestamp):
        return "" if pd.isna(v) else v.to_pydatetime()
    if isinstance(v, np.datetime64):
        return "" if np.isnat(v) else pd.Timestamp(v).to_pydatetime()
    if v is pd.NaT:
        return ""
    if isinstance(v, (_dt.date, _dt.datetime, str)):
        return v
    try:
        if pd.isna(v):
            return ""
    except (TypeError, ValueError):
        pass
    return str(v)
