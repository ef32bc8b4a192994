"""The cells to splice onto a million rows, made a batch of rows at a time as the sheet streams past.

Building every row's added cells up front held a gigabyte of XML text (and a copy per added column)
at the writer's peak. The splicer asks for rows in increasing order, so one batch at a time is enough.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Iterator, Sequence

import numpy as np
import pandas as pd

from addin.write.cell_parts import ROW_END, column_parts, spliced_row_pieces
from addin.write.cells import StyleFor, column_letter, fragments
from addin.write.table_sheet import BATCH, cell_column
from udfs.progress import advance


class BatchedCells(Mapping):
    """row number → cell XML to append, for the data rows that get at least one non-blank value."""

    def __init__(self, rows: Sequence[int], columns: list[tuple[Any, StyleFor]], first_col: int, header_row: int,
                 header_xml: str, *, date1904: bool = False, batch: int = BATCH):
        rows_arr = np.asarray(rows, dtype=np.int64)
        self._order = np.argsort(rows_arr, kind="stable")
        self._rows = rows_arr[self._order]
        self._values = [(_indexable(v), style) for v, style in columns]
        self._letters = [column_letter(first_col + j) for j in range(len(columns))]
        self._header_row, self._header_xml = header_row, header_xml
        self._date1904, self._batch = date1904, batch
        filled = np.zeros(len(rows_arr), dtype=bool)
        for values, _style in self._values:
            filled |= _present(values)
        self._keys = sorted(set(rows_arr[filled].tolist()) | ({header_row} if header_row >= 1 else set()))  # 0: no header row
        self._cached: tuple[int, dict[int, str]] = (-1, {})
        #: an upper bound on the bytes added, for choosing zip64 before the text exists
        self.approx_size = int(filled.sum()) * len(columns) * 96

    def __getitem__(self, row: int) -> str:
        if row == self._header_row and row >= 1:
            return self._header_xml
        i = int(np.searchsorted(self._rows, row))
        if i >= len(self._rows) or self._rows[i] != row:
            raise KeyError(row)
        b = i // self._batch
        if self._cached[0] != b:
            self._cached = (b, self._make(b))
        return self._cached[1][row]

    def __iter__(self) -> Iterator[int]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, row: object) -> bool:
        try:
            self[row]  # type: ignore[index]
            return True
        except KeyError:
            return False

    def row_pieces(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For ascending sheet rows (a block as the splicer meets it): the UTF-8 pieces of what each row
        gets appended, its `</row>` included, and where each row starts (cell_parts.spliced_row_pieces)."""
        at = np.searchsorted(self._rows, rows)
        inside = at < len(self._rows)
        hit = np.zeros(len(rows), dtype=bool)
        hit[inside] = self._rows[at[inside]] == rows[inside]
        positions = self._order[at[hit]]
        columns = [column_parts(_take(values, positions), style, date1904=self._date1904, utf8=True)
                   for values, style in self._values]
        pieces, starts = spliced_row_pieces(rows, hit, self._letters, columns)
        if self._header_row >= 1:   # the header row (never a data row) gets the headers
            pieces[starts[rows == self._header_row] + 1] = self._header_xml.encode("utf-8") + ROW_END
        if len(rows) and len(self._rows):
            advance(int(np.searchsorted(self._rows, rows[-1], side="right")), len(self._rows))   # data rows written
        return pieces, starts

    def _make(self, b: int) -> dict[int, str]:
        start, stop = b * self._batch, min((b + 1) * self._batch, len(self._rows))
        advance(stop, len(self._rows))   # the row-by-row path: data rows made so far
        positions = self._order[start:stop]
        rows = self._rows[start:stop]
        row_texts = rows.astype(str).astype(object)
        joined = np.full(len(rows), "", dtype=object)
        for letter, (values, style) in zip(self._letters, self._values):
            chunk = values.iloc[positions].reset_index(drop=True) if isinstance(values, pd.Series) else values[positions]
            joined = joined + cell_column(fragments(chunk, style, date1904=self._date1904), letter, row_texts)
        return {r: c for r, c in zip(rows.tolist(), joined.tolist()) if c}


def _take(values: pd.Series | np.ndarray, positions: np.ndarray) -> pd.Series | np.ndarray:
    return values.iloc[positions].reset_index(drop=True) if isinstance(values, pd.Series) else values[positions]


def _indexable(values: Any) -> pd.Series | np.ndarray:
    if isinstance(values, pd.Series):
        return values.reset_index(drop=True)
    if isinstance(values, np.ndarray) and values.ndim == 1:
        return values
    arr = np.empty(len(values), dtype=object)
    arr[:] = list(values)
    return arr


def _present(values: pd.Series | np.ndarray) -> np.ndarray:
    arr = values.to_numpy() if isinstance(values, pd.Series) else values
    present = ~pd.isna(arr)
    if arr.dtype == object:
        present &= arr != ""
    return np.asarray(present, dtype=bool)
