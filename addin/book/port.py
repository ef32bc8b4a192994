"""The few things a job's results need from a workbook, whichever door opened it.

Implementations (as xlwings keeps one Range API over several engines): `addin.book.file.FileBook`
(a saved workbook; headless, the frozen kehu.exe, the tests), `addin.book.live.XlwingsBook` (the workbook
open in Excel) and `addin.book.lite.LiteBook` (xlwings Lite's subset of that API). All three render the
same data: a list sheet's layout (`addin.write.sheet_layout.layout`), added columns with their widths and
formats, and a report sheet's xlsxwriter build (run for real, or recorded and replayed: `recorder.py`).
The Range-level primitives the two live books share are in `render.py`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

from addin.jobs.results import Results
from addin.read import Table


class WorkbookPort(Protocol):
    path: Path

    def table(self, kind: str) -> Table:
        """The active (or chosen) sheet as a Table of the given kind (register, survey, orders)."""

    def apply(self, table: Table, results: Results) -> str:
        """Write added columns and sheets; return where the user can see them."""

    def open_template(self, template: Path, name: str) -> str:
        """Give the user a fresh copy of a template workbook; return where it is."""

    def message(self, text: str) -> None:
        """Tell the user something (a message box in Excel)."""

    def sheet_rows(self, name: str) -> list[list] | None:
        """Raw rows of another sheet of the same workbook (题目, 订单 …), None if there is no such sheet."""
