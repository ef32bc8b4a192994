"""What a job reads: the table a door read, plus the other sheets of the same workbook and other files.

A job never opens the user's workbook itself: sibling sheets (题目, 订单, 客户档案 …) come through the
book's `sheet_rows` primitive, so the same job works on a saved file, the open workbook and xlwings Lite.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from addin.read import Table, read_table, table_from_rows

Rows = list[list]


@dataclass
class Inputs:
    """The main table of a run and where its sibling sheets come from (None: read them from the saved file)."""

    table: Table
    sheet_rows: Callable[[str], Rows | None] | None = None
    #: other tables of the run, by name (register, orders …): read by the door, or read here once and kept
    others: dict[str, Table] = field(default_factory=dict)

    def file(self, name: str, path: Path | str, sheet: str | None, kind: str) -> Table:
        """The other file named in the options (--register, --orders …), read once."""
        if name not in self.others:
            self.others[name] = read_file(path, sheet, kind)
        return self.others[name]

    def rows_of(self, name: str) -> Rows | None:
        """Raw rows of another sheet of the workbook the table came from; None if there is no such sheet."""
        if self.sheet_rows is not None:
            return self.sheet_rows(name)
        from addin.book.file import FileBook   # a saved workbook by default (the CLI, the tests)

        return FileBook(self.table.path).sheet_rows(name)

    def sibling(self, name: str, kind: str) -> Table | None:
        """Another sheet of the same workbook read as a table of `kind`, or None when it is missing or empty."""
        rows = self.rows_of(name)
        if not rows:
            return None
        t = self.table
        return table_from_rows(rows, path=t.path, sheet=name, sheet_names=t.book_sheets, kind=kind,
                               source_kind=t.source_kind)

    def sibling_named(self, words: tuple[str, ...]) -> str | None:
        """The first other sheet whose name contains one of `words` (订单, 客户档案 …)."""
        return next((s for s in self.table.book_sheets
                     if s != self.table.sheet and any(w in s.lower() for w in words)), None)


def read_file(path: Path | str, sheet: str | None, kind: str) -> Table:
    """Another file named in the options (--orders, --register, --against …)."""
    return read_table(Path(path), sheet, kind=kind)


def as_inputs(tables: Inputs | Table) -> Inputs:
    return tables if isinstance(tables, Inputs) else Inputs(tables)


def frame_from_rows(rows: Rows | None):
    """A small side sheet (题目, 路径, 主题词典) as a DataFrame, its first non-blank row as the header."""
    import pandas as pd

    rows = [r for r in (rows or []) if any(v not in (None, "") for v in r)]
    if not rows:
        return None
    header = [str(h).strip() if h not in (None, "") else f"列{i + 1}" for i, h in enumerate(rows[0])]
    body = [[None if v == "" else v for v in r[:len(header)]] + [None] * (len(header) - len(r)) for r in rows[1:]]
    return pd.DataFrame(body, columns=header, dtype=object)
