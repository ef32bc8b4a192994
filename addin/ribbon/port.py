"""The small workbook interface ribbon handlers are written against, and its file implementation.

Two implementations, one set of handlers (as xlwings keeps one Range API over several engines):
`FileBook` (a saved workbook; used headless, by the frozen kehu.exe and by the tests) and
`addin.ribbon.live.XlwingsBook` (the workbook open in Excel).
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Protocol

from addin.commands.results import Results, write_to_file
from addin.read import Table, read_table


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


class FileBook:
    """A workbook on disk. Results go to a copy (`output`, default NAME.kehu.xlsx), never the file itself."""

    def __init__(self, path: Path, output: Path | None = None, sheet: str | None = None):
        self.path = Path(path)
        self.output = Path(output) if output else None
        self.sheet = sheet
        self.messages: list[str] = []
        self.written: Path | None = None

    def table(self, kind: str) -> Table:
        return read_table(self.path, self.sheet, kind=kind)

    def apply(self, table: Table, results: Results) -> str:
        report = write_to_file(table, results, self.output, in_place=False)
        self.written = report.output
        return str(report.output)

    def open_template(self, template: Path, name: str) -> str:
        target = self.output or Path.cwd() / name
        shutil.copyfile(template, target)
        self.written = target
        return str(target)

    def message(self, text: str) -> None:
        self.messages.append(text)

    def sheet_rows(self, name: str) -> list[list] | None:
        from addin.read.sniff import sniff
        from addin.read.workbook import open_workbook

        if sniff(self.path) == "csv":
            return None
        book = open_workbook(self.path)
        if name not in book.sheet_names:
            return None
        return book.get_sheet_by_name(name).to_python(skip_empty_area=False)
