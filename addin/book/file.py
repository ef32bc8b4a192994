"""A workbook on disk: results are written into a copy (or in place, after a backup) by the lossless writer."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from addin.jobs.results import Results
from addin.read import Table, read_table
from addin.write import WriteReport, default_output_path, write_results
from addin.write.mark_plan import MarkRequest
from addin.write.specs import Marks


def id_columns(table: Table) -> tuple[int, int] | None:
    """The data sheet's customer id and name columns (1-based, one run), repeated on each page when it is wide."""
    from addin.write.cells import column_index

    found = sorted(column_index(table.column_letters[c]) for c in (table.column_for(r) for r in
                   ("customer_id", "name", "company")) if c and c in table.column_letters)
    if not found:
        return None
    first = found[0]
    last = max((c for c in found if c - first < 3), default=first)   # a run of at most three columns
    return first, last


def write_to_file(table: Table, results: Results, output: Path | None, in_place: bool,
                  print_setup: bool | None = None, mark: bool | None = None) -> WriteReport:
    """Write results into a copy of the table's workbook (or into it, after a backup, with in_place).

    The table's raw cells are dropped first (its DataFrame is emptied): on a million-row register they
    are a gigabyte that the writer does not need. Call this last. The report's `notes` say what the
    writer did that the user must know; the caller shows them.
    `mark` (default: on for a copy, off in place): the results' marks on the user's own cells and a filter
    over the data (`kehu unmark` takes them away again). `print_setup` (default: on for a copy,
    off in place) gives the data sheet the print setup it lacks (addin/write/page_setup.py).
    """
    target = None if in_place else Path(output) if output else default_output_path(table.path)
    repeat = id_columns(table)
    table.df = table.df.iloc[:0]  # the raw cells are no longer needed: free them before the writer's peak
    return write_results(table.path, target, sheet=table.sheet, header_row=table.header_row, rows=table.rows,
                         columns=results.columns, sheets=results.sheets, in_place=in_place, grid=table.grid,
                         source_kind=table.source_kind, extent=table.sheet_extent, print_setup=print_setup,
                         repeat_columns=repeat,
                         marks=mark_request(table, results, not in_place if mark is None else mark))


def mark_request(table: Table, results: Results, mark: bool) -> MarkRequest | None:
    if not mark:
        return None
    return MarkRequest(results.marks if results.marks is not None else Marks(), dict(table.column_letters))


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
        for zh, en in report.notes:   # a renamed result sheet, sheets not carried over
            print(f"注意：{zh}\nNote: {en}", file=sys.stderr)
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
