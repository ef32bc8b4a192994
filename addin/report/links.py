"""Internal link targets (`'客户档案'!D17`) for a list sheet's cells (TableSheet.links), made column-wise.

Here, beside the list sheets, so the jobs that make links need nothing of the writer (the Lite wheel ships
addin/jobs and addin/report, not addin/write)."""
from __future__ import annotations

from typing import Sequence

import numpy as np


def quoted(sheet: str) -> str:
    """A sheet name as a link location needs it: always quoted, inner quotes doubled."""
    return "'" + str(sheet).replace("'", "''") + "'"


def cell_locations(sheet: str, rows: Sequence[int], letters: Sequence[str | None]) -> list[str | None]:
    """`'sheet'!<letter><row>` for each (row, column letter); None where the row or the letter is missing."""
    prefix = quoted(sheet) + "!"
    return [None if r is None or letter is None or r != r else f"{prefix}{letter}{int(r)}"
            for r, letter in zip(rows, letters)]


def row_locations(sheet: str, rows: Sequence[int], letter: str = "A") -> list[str | None]:
    """The cell in column `letter` of each sheet row (a record's first cell)."""
    return cell_locations(sheet, rows, [letter] * len(rows))


def first_rows(keys: Sequence) -> dict:
    """key → the 0-based position of its first occurrence (the list row a summary line opens)."""
    values = np.asarray(keys.tolist() if hasattr(keys, "tolist") else list(keys), dtype=object)
    _, first = np.unique(values.astype(str), return_index=True)
    return {values[i]: int(i) for i in first}
