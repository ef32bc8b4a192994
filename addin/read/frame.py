"""The records of a sheet as one object DataFrame, built column by column.

A register of a million rows × 15 columns is 15 million cells. Slicing every row into a new list and
handing pandas a list of rows (which it transposes, stacks and then copies again for '' → None) costs
seconds, mostly fetching each cell object from memory again and again; `zip(*rows)` over a few thousand
rows at a time hands out their columns in one C-level pass while those cells are still cached.
The result is the same frame: object dtype, one 2-D block laid out column after column, '' (calamine's
empty cell) turned into None exactly as `df.where(df.ne(""), None)` did.
"""
from __future__ import annotations

import contextlib
import gc
import itertools
from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd

#: rows handled per step: their cells are still in the CPU cache for the next pass over them (placing,
#: then looking for ''), where a whole column at a time would fetch each cell from memory twice
CHUNK_ROWS = 4096


def records_frame(rows: list[list[object]], data_rows: list[int], first_col: int, last_col: int,
                  headers: list[str]) -> pd.DataFrame:
    """rows[i][first_col:last_col + 1] for i in data_rows (short rows padded with None), '' as None."""
    n = len(data_rows)
    block = np.empty((last_col - first_col + 1, n), dtype=object)   # column-major, as pandas keeps it
    for start in range(0, n, CHUNK_ROWS):
        picked = [rows[i] for i in data_rows[start:start + CHUNK_ROWS]]   # references, not copies
        for j, column in enumerate(_columns(picked, first_col, last_col)):
            part = block[j, start:start + len(picked)]
            part[:] = np.fromiter(column, dtype=object, count=len(picked))   # fromiter: no cell is unpacked
            _blank_to_none(part, column)
    # block.T is an (n, width) view; pandas keeps the (width, n) array as its block without copying it
    return pd.DataFrame(block.T, columns=headers, dtype=object, copy=False)


def _columns(picked: list[list[object]], first_col: int, last_col: int) -> Iterable[tuple]:
    """The table's columns over some rows, left to right, each as a tuple."""
    if min(map(len, picked)) <= last_col:   # ragged rows (csv, a live range): pad each row, as before
        width = last_col - first_col + 1
        picked = [_pad(r[first_col:last_col + 1], width) for r in picked]
        first_col, last_col = 0, width - 1
    return itertools.islice(zip(*picked), first_col, last_col + 1)


def _pad(cells: list, width: int) -> list:
    return cells + [None] * (width - len(cells)) if len(cells) < width else cells


def _blank_to_none(values: np.ndarray, column: tuple) -> None:
    """'' → None in place, with pandas' own `!=` so the cells kept are exactly those df.ne("") kept."""
    if not column.count(""):   # C-speed, and most columns of a register have no empty cell
        return
    keep = pd.Series(values, dtype=object, copy=False).ne("").to_numpy()
    values[~keep] = None


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while millions of cells become Python objects.

    Each collection walks every tracked object (a list per row): at a million rows the collector ran
    thousands of times during a read and found nothing to free (the cells make no reference cycles).
    Reference counting still frees everything as usual; the collector is restored on the way out.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

