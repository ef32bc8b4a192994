"""The workbook interface over a workbook open in Excel (xlwings); only Excel itself runs this."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from addin.jobs.results import Results
from addin.read import Table, table_from_rows
from addin.write import BuiltSheet, TableSheet
from udfs.formulas._xl import excel_value

HEADER_FILL = (198, 239, 206)   # the same light green the file writer gives added headers


class XlwingsBook:
    def __init__(self, book):
        self.book = book
        self.path = Path(book.fullname)

    def table(self, kind: str) -> Table:
        sheet = self.book.sheets.active
        used = sheet.used_range
        values = used.options(ndim=2, err_to_str=True).value
        pad = [None] * (used.column - 1)
        rows = [[] for _ in range(used.row - 1)] + [pad + list(r) for r in values]
        return table_from_rows(rows, path=self.path, sheet=sheet.name,
                               sheet_names=[s.name for s in self.book.sheets], kind=kind)

    def apply(self, table: Table, results: Results) -> str:
        sheet = self.book.sheets[table.sheet]
        used = sheet.used_range
        first_col = used.column + used.columns.count
        if results.columns:
            top, bottom = int(table.rows.min()), int(table.rows.max())
            position = {int(r): i for i, r in enumerate(table.rows)}
            block = [[excel_value(c.values[position[r]]) if r in position else None for c in results.columns]
                     for r in range(top, bottom + 1)]
            header = sheet.range((table.header_row, first_col), (table.header_row, first_col + len(results.columns) - 1))
            header.value = [c.header for c in results.columns]
            header.font.bold = True
            header.color = HEADER_FILL
            sheet.range((top, first_col)).value = block
            for k, c in enumerate(results.columns):
                if c.number_format:
                    sheet.range((top, first_col + k), (bottom, first_col + k)).number_format = c.number_format
        for spec in results.sheets:
            self._add_sheet(spec)
        if results.select_sheet:
            self.book.sheets[results.select_sheet].activate()
        return f"{self.book.name}（工作表“{table.sheet}”右侧及新工作表）"

    def _add_sheet(self, spec: TableSheet | BuiltSheet) -> None:
        names = [s.name for s in self.book.sheets]
        if spec.name in names:
            self.book.sheets[spec.name].delete()
        if isinstance(spec, TableSheet):
            new = self.book.sheets.add(spec.name, after=self.book.sheets[-1])
            row = 1
            if spec.title:
                new.range((1, 1)).value = spec.title
                new.range((1, 1)).font.bold = True
                row = 2
            if spec.preamble is not None and len(spec.preamble.columns):
                pre = spec.preamble
                new.range((row, 1)).value = [list(map(str, pre.columns))] + [
                    [excel_value(v) for v in r] for r in pre.itertuples(index=False, name=None)]
                new.range((row, 1), (row, len(pre.columns))).font.bold = True
                row += len(pre) + 2
            data = spec.data
            new.range((row, 1)).value = [list(map(str, data.columns))] + [
                [excel_value(v) for v in r] for r in data.itertuples(index=False, name=None)]
            new.range((row, 1), (row, len(data.columns))).font.bold = True
            return
        # A report with native charts: build it exactly as the file door does, then copy the sheet in.
        import xlsxwriter

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "kehu_report.xlsx"
            wb = xlsxwriter.Workbook(str(path))
            spec.build(wb, wb.add_worksheet(spec.name))
            wb.close()
            other = self.book.app.books.open(str(path))
            try:
                other.sheets[0].copy(after=self.book.sheets[-1], name=spec.name)
            finally:
                other.close()

    def open_template(self, template: Path, name: str) -> str:
        folder = Path.home() / "Documents" / "kehu"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{Path(name).stem}({n}){Path(name).suffix}"
        shutil.copyfile(template, target)
        self.book.app.books.open(str(target))
        return str(target)

    def sheet_rows(self, name: str) -> list[list] | None:
        if name not in [s.name for s in self.book.sheets]:
            return None
        used = self.book.sheets[name].used_range
        pad = [None] * (used.column - 1)
        return [[] for _ in range(used.row - 1)] + [pad + list(r) for r in used.options(ndim=2).value]

    def message(self, text: str) -> None:
        self.book.app.alert(text, title="kehu 客户工具")
