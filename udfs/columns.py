"""Turn whatever a caller hands us (list, tuple, numpy array, pandas object, Excel 2-D range) into one column."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def as_column(values: Any) -> pd.Series:
    """Return `values` as a 1-D object Series, keeping a pandas index when one is given.

    Excel hands ranges over as tuples of tuples; a single-column or single-row range is
    flattened, a scalar becomes a one-element column.
    """
    if isinstance(values, pd.Series):
        return values.astype(object)
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise ValueError("expected one column, got %d" % values.shape[1])
        return values.iloc[:, 0].astype(object)
    if isinstance(values, np.ndarray):
        arr = values
    elif isinstance(values, (list, tuple)):
        if values and all(isinstance(v, (list, tuple)) for v in values):
            arr = np.empty((len(values), max(len(v) for v in values)), dtype=object)
            arr[:] = None
            for i, row in enumerate(values):
                arr[i, : len(row)] = row
        else:
            arr = np.empty(len(values), dtype=object)
            arr[:] = list(values)
    else:
        arr = np.empty(1, dtype=object)
        arr[0] = values
    if arr.ndim == 2:
        if 1 in arr.shape:
            arr = arr.reshape(-1)
        else:
            raise ValueError("expected one column, got a %dx%d range" % arr.shape)
    if arr.dtype.kind in "mM":
        # numpy turns datetime64[ns] into integer nanoseconds under astype(object); pandas gives Timestamps
        return pd.Series(arr).astype(object)
    return pd.Series(arr.astype(object, copy=False), dtype=object)


def is_blank(values: pd.Series) -> pd.Series:
    """True where a cell is empty: None, NaN, NaT, "" or a string of only whitespace."""
    s = as_column(values)
    arr = s.to_numpy(dtype=object)
    # one C-level pass over the cells (half the time of factorising them first): empty or whitespace-only
    # text (str subclasses included), then what pandas calls missing
    blank = _BLANK_TEXT(arr).astype(bool) if len(arr) else np.zeros(0, dtype=bool)
    return pd.Series(blank | pd.isna(arr), index=s.index)


_BLANK_TEXT = np.frompyfunc(lambda v: isinstance(v, str) and (not v or v.isspace()), 1, 1)
