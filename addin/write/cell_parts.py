"""Cell XML for whole columns as pieces to join, not strings to concatenate.

`cells.fragments` builds each cell's text by adding strings element by element (a new Python string per
cell per step). Here a column's cells come back as a few aligned arrays — constant heads, the value
texts, constant tails — that the splicer lays side by side and joins once per block of rows, so a
cell's text is copied once, into the output. The cell text is exactly what `fragments` makes.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from addin.write.cells import (BOOL, DATE, DATETIME, EPOCH_1900, EPOCH_1904, NUMBER, TEXT, StyleFor, _style_attrs, fragments, xml_texts)
from udfs.columns import as_column


class ColumnParts:
    """One added column's cells for some rows: `parts` concatenated element-wise give each cell's XML
    after `<c r="REF` (the fragment); `filled` marks the rows that get a cell at all."""

    __slots__ = ("filled", "parts")

    def __init__(self, filled: np.ndarray, parts: list[Any]):
        self.filled = filled
        self.parts = parts   # each an object array aligned with the rows, or a str used where filled


def column_parts(values: Any, style_for: StyleFor, *, date1904: bool = False) -> ColumnParts:
    """The fragments of `values` (as `cells.fragments` makes them) split into joinable parts."""
    attrs = _style_attrs(style_for)
    epoch = EPOCH_1904 if date1904 else EPOCH_1900
    if isinstance(values, np.ndarray) and values.ndim == 1 and values.dtype.kind in "Mfiub":
        values = pd.Series(values)
    if isinstance(values, pd.Series) and values.dtype != object and len(values):
        typed = _typed_parts(values, attrs, epoch)
        if typed is not None:
            return typed
    arr = as_column(values).to_numpy(dtype=object) if not (
        isinstance(values, np.ndarray) and values.dtype == object and values.ndim == 1) else values
    if len(arr) and pd.api.types.infer_dtype(arr, skipna=True) == "string":
        return _text_parts(arr, attrs)
    return _whole(fragments(values, style_for, date1904=date1904))


def _whole(frags: np.ndarray) -> ColumnParts:
    return ColumnParts(frags != "", [frags])


def _text_parts(arr: np.ndarray, attrs: dict[str, str]) -> ColumnParts:
    """Every value text or blank: head, escaped text, tail (blank and "" give no cell, as in fragments)."""
    present = ~pd.isna(arr)
    escaped = np.full(len(arr), "", dtype=object)
    if present.any():
        escaped[present] = xml_texts(arr[present].tolist())
    filled = escaped != ""
    return ColumnParts(filled, [f'"{attrs[TEXT]} t="inlineStr"><is><t xml:space="preserve">', escaped,
                                "</t></is></c>"])


def _typed_parts(values: pd.Series, attrs: dict[str, str], epoch: dt.datetime) -> ColumnParts | None:
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype) and not values.isna().any():
        bits = np.where(values.to_numpy(dtype=bool), "1", "0").astype(object)
        return ColumnParts(np.ones(len(values), dtype=bool), [f'"{attrs[BOOL]} t="b"><v>', bits, "</v></c>"])
    if pd.api.types.is_datetime64_any_dtype(dtype):
        stamps = values.dt.tz_localize(None) if getattr(values.dt, "tz", None) is not None else values
        days = (stamps - pd.Timestamp(epoch)) / pd.Timedelta(days=1)
        whole = (stamps == stamps.dt.normalize()).to_numpy()
        text = number_texts(days.to_numpy(dtype=float))
        heads = np.where(whole, f'"{attrs[DATE]}><v>', f'"{attrs[DATETIME]}><v>').astype(object)
        return ColumnParts(text != "", [heads, text, "</v></c>"])
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype):
        nums = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if pd.api.types.is_integer_dtype(dtype) and np.abs(nums).max(initial=0) >= 2**53:
            return None   # floats would round these: fragments' exact per-value path
        text = number_texts(nums)
        return ColumnParts(text != "", [f'"{attrs[NUMBER]}><v>', text, "</v></c>"])
    return None


def row_cells_grid(rows: np.ndarray, letters: list[str], columns: list[ColumnParts], *, lead: int = 0,
                   trail: int = 0) -> np.ndarray:
    """An object grid, one line per row, whose line joined is that row's added cells ("" throughout for
    blank cells, so they join to nothing); `lead` and `trail` empty columns are left for the caller."""
    n = len(rows)
    width = sum(2 + len(c.parts) for c in columns)
    grid = np.full((n, lead + width + trail), "", dtype=object)
    row_texts = np.array(list(map(str, rows.tolist())), dtype=object)
    at = lead
    for letter, col in zip(letters, columns):
        filled = col.filled
        if filled.all():
            grid[:, at] = '<c r="' + letter
            grid[:, at + 1] = row_texts
            for j, part in enumerate(col.parts):
                grid[:, at + 2 + j] = part
        elif filled.any():
            grid[filled, at] = '<c r="' + letter
            grid[filled, at + 1] = row_texts[filled]
            for j, part in enumerate(col.parts):
                grid[filled, at + 2 + j] = part if isinstance(part, str) else part[filled]
        at += 2 + len(col.parts)
    return grid


def number_texts(nums: np.ndarray) -> np.ndarray:
    """`cells._float_texts` through Python's own int and float repr, which is faster than numpy's
    astype(str) and gives the same shortest round-trip text (tests/test_write_bulk_path.py checks)."""
    out = np.full(len(nums), "", dtype=object)
    finite = np.isfinite(nums)
    if not finite.any():
        return out
    vals = nums[finite]
    whole = (vals == np.round(vals)) & (np.abs(vals) < 1e15)
    texts = np.empty(len(vals), dtype=object)
    texts[whole] = list(map(str, vals[whole].astype(np.int64).tolist()))
    texts[~whole] = list(map(repr, vals[~whole].tolist()))
    out[finite] = texts
    return out
