"""Cell XML for whole columns as pieces to join, not strings to concatenate.

`cells.fragments` builds each cell's text by adding strings element by element (a new Python string per
cell per step). Here a column's cells come back as a few aligned arrays — constant heads, the value
texts, constant tails — that the splicer lays side by side and joins once per block of rows, so a
cell's text is copied once, into the output. The cell text is exactly what `fragments` makes.

The data-sheet splice takes the parts as UTF-8 bytes (`utf8=True`; its rows stay bytes from the zip to the
output) and lays a block out with `spliced_row_pieces`: three pieces per cell that is there and none for a
blank one, the constants between two cells merged into one piece, since the join costs per piece.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from addin.write.cells import (BOOL, DATE, DATETIME, EPOCH_1900, EPOCH_1904, NUMBER, TEXT, StyleFor, _object_array,
                               _style_attrs, fragments, xml_texts)
from udfs.columns import as_column


class ColumnParts:
    """One added column's cells for some rows: `parts` concatenated element-wise give each cell's XML
    after `<c r="REF` (the fragment); `filled` marks the rows that get a cell at all."""

    __slots__ = ("filled", "parts")

    def __init__(self, filled: np.ndarray, parts: list[Any]):
        self.filled = filled
        self.parts = parts   # each an object array aligned with the rows, or a str (bytes) used where filled


def column_parts(values: Any, style_for: StyleFor, *, date1904: bool = False, utf8: bool = False) -> ColumnParts:
    """The fragments of `values` (as `cells.fragments` makes them) split into joinable parts.

    With `utf8` the parts are UTF-8 bytes and always three: head, value, tail (head may be an array)."""
    attrs = _style_attrs(style_for)
    epoch = EPOCH_1904 if date1904 else EPOCH_1900
    if isinstance(values, np.ndarray) and values.ndim == 1 and values.dtype.kind in "Mfiub":
        values = pd.Series(values)
    if isinstance(values, pd.Series) and values.dtype != object and len(values):
        typed = _typed_parts(values, attrs, epoch, utf8)
        if typed is not None:
            return typed
    arr = as_column(values).to_numpy(dtype=object) if not (
        isinstance(values, np.ndarray) and values.dtype == object and values.ndim == 1) else values
    if len(arr) and pd.api.types.infer_dtype(arr, skipna=True) == "string":
        return _text_parts(arr, attrs, utf8)
    return _whole(fragments(values, style_for, date1904=date1904), utf8)


def _whole(frags: np.ndarray, utf8: bool) -> ColumnParts:
    if not utf8:
        return ColumnParts(frags != "", [frags])
    return ColumnParts(frags != "", [b"", _object_array([f.encode("utf-8") for f in frags.tolist()]), b""])


def _text_parts(arr: np.ndarray, attrs: dict[str, str], utf8: bool) -> ColumnParts:
    """Every value text or blank: head, escaped text, tail (blank and "" give no cell, as in fragments)."""
    present = ~pd.isna(arr)
    empty = b"" if utf8 else ""
    escaped = np.full(len(arr), empty, dtype=object)
    if present.any():
        escaped[present] = xml_texts(arr[present].tolist(), utf8=utf8)
    filled = escaped != empty
    return ColumnParts(filled, _encoded([f'"{attrs[TEXT]} t="inlineStr"><is><t xml:space="preserve">', escaped,
                                         "</t></is></c>"], utf8))


def _encoded(parts: list[Any], utf8: bool) -> list[Any]:
    """The constant (str) parts UTF-8 encoded when the value parts are bytes."""
    return [p.encode("utf-8") if utf8 and isinstance(p, str) else p for p in parts]


def _typed_parts(values: pd.Series, attrs: dict[str, str], epoch: dt.datetime, utf8: bool) -> ColumnParts | None:
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype) and not values.isna().any():
        bits = np.where(values.to_numpy(dtype=bool), *_encoded(["1", "0"], utf8)).astype(object)
        return ColumnParts(np.ones(len(values), dtype=bool),
                           _encoded([f'"{attrs[BOOL]} t="b"><v>', bits, "</v></c>"], utf8))
    if pd.api.types.is_datetime64_any_dtype(dtype):
        stamps = values.dt.tz_localize(None) if getattr(values.dt, "tz", None) is not None else values
        days = (stamps - pd.Timestamp(epoch)) / pd.Timedelta(days=1)
        whole = (stamps == stamps.dt.normalize()).to_numpy()
        nums = days.to_numpy(dtype=float)
        heads = np.where(whole, *_encoded([f'"{attrs[DATE]}><v>', f'"{attrs[DATETIME]}><v>'], utf8)).astype(object)
        # a text is "" exactly where the number is not finite (number_texts)
        return ColumnParts(np.isfinite(nums), _encoded([heads, number_texts(nums, utf8=utf8), "</v></c>"], utf8))
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype):
        nums = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if pd.api.types.is_integer_dtype(dtype) and np.abs(nums).max(initial=0) >= 2**53:
            return None   # floats would round these: fragments' exact per-value path
        return ColumnParts(np.isfinite(nums),
                           _encoded([f'"{attrs[NUMBER]}><v>', number_texts(nums, utf8=utf8), "</v></c>"], utf8))
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


def number_texts(nums: np.ndarray, *, utf8: bool = False) -> np.ndarray:
    """`cells._float_texts` through Python's own int and float repr, which is faster than numpy's
    astype(str) and gives the same shortest round-trip text (tests/test_write_bulk_path.py checks).
    With `utf8`, bytes: b"%d" and b"%r" format as str and repr do, straight into bytes."""
    out = np.full(len(nums), b"" if utf8 else "", dtype=object)
    finite = np.isfinite(nums)
    if not finite.any():
        return out
    vals = nums[finite]
    whole = (vals == np.round(vals)) & (np.abs(vals) < 1e15)
    as_int, as_float = (b"%d".__mod__, b"%r".__mod__) if utf8 else (str, repr)
    texts = np.empty(len(vals), dtype=object)
    texts[whole] = list(map(as_int, vals[whole].astype(np.int64).tolist()))
    texts[~whole] = list(map(as_float, vals[~whole].tolist()))
    out[finite] = texts
    return out


ROW_END = b"</row>"


def spliced_row_pieces(rows: np.ndarray, hit: np.ndarray, letters: list[str],
                       columns: list[ColumnParts]) -> tuple[np.ndarray, np.ndarray]:
    """UTF-8 pieces of the cells added to a block of sheet rows, each row closed by `</row>`, and where each
    row starts: the caller puts the row's own content at `starts` (left None) and joins the whole once.

    `rows` are the block's ascending sheet rows, `hit` marks those whose values `columns` (UTF-8 parts,
    aligned with rows[hit]) hold. A row is: its content, the first cell's `<c r="P`, then for each cell that
    is there its row number with the head, its value, and the tail with the next cell's `<c r="Q` (or the
    `</row>`); a row without cells is its content and `</row>` (the piece at starts + 1).
    """
    n, width = len(rows), len(columns)
    filled = np.zeros((n, width), dtype=bool)
    for j, col in enumerate(columns):
        filled[hit, j] = col.filled
    before = np.cumsum(filled, axis=1, dtype=np.int64) - filled   # cells left of each cell in its row
    sizes = 2 + 3 * filled.sum(axis=1, dtype=np.int64)
    starts = np.zeros(n, dtype=np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    pieces = np.empty(int(sizes.sum()), dtype=object)
    opens = _object_array([f'<c r="{letter}'.encode() for letter in letters] + [ROW_END])
    numbered = _RowNumbers(rows[hit])
    next_cell = np.full(n, width, dtype=np.int64)   # the next cell right of the one being laid out; width: none
    for j in range(width - 1, -1, -1):   # right to left, so each cell knows the one after it
        head, value, tail = columns[j].parts
        mine, own = filled[:, j], columns[j].filled
        at = starts[mine] + 2 + 3 * before[mine, j]
        pieces[at] = numbered.with_head(head, own)
        pieces[at + 1] = value[own]
        pieces[at + 2] = _object_array([tail + piece for piece in opens.tolist()])[next_cell[mine]]
        next_cell[mine] = j
    pieces[starts + 1] = opens[next_cell]
    return pieces, starts


class _RowNumbers:
    """Each row's number followed by a cell head (`123" s="3"><v>`), made once per head for a block's rows
    and shared by the columns whose cells have that head (the text columns all have one)."""

    def __init__(self, rows: np.ndarray):
        self._rows = rows.tolist()
        self._numbers: np.ndarray | None = None
        self._made: dict[bytes, np.ndarray] = {}

    def with_head(self, head: bytes | np.ndarray, where: np.ndarray) -> np.ndarray:
        if isinstance(head, bytes):
            if head not in self._made:
                self._made[head] = _object_array(list(map((b"%d" + head.replace(b"%", b"%%")).__mod__,
                                                          self._rows)))
            return self._made[head][where]
        if self._numbers is None:
            self._numbers = _object_array(list(map(b"%d".__mod__, self._rows)))
        return self._numbers[where] + head[where]   # heads that differ by row (a date or a date-time)
