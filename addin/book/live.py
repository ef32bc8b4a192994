"""The workbook interface over a workbook open in Excel (xlwings); only Excel itself runs this."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from addin.jobs.results import Results
from addin.read import Table, table_from_rows
from addin.write import BuiltSheet, TableSheet
from addin.write.sheet_layout import SheetLayout, layout

from .render import add_beside, fresh_sheet, render_layout, used_rows


class XlwingsBook:
    def __init__(self, book):
        self.book = book
        self.path = Path(book.fullname)

    def table(self, kind: str) -> Table:
        sheet = self.book.sheets.active
        return table_from_rows(used_rows(sheet, err_to_str=True), path=self.path, sheet=sheet.name,
                               sheet_names=[s.name for s in self.book.sheets], kind=kind)

    def apply(self, table: Table, results: Results) -> str:
        add_beside(self.book.sheets[table.sheet], results.columns, list(table.rows), table.header_row)
        for spec in results.sheets:
            self._add_sheet(spec)
        if results.select_sheet:
            self.book.sheets[results.select_sheet].activate()
        return f"{self.book.name}（工作表“{table.sheet}”右侧及新工作表）"

    def _add_sheet(self, spec: TableSheet | BuiltSheet) -> None:
        if isinstance(spec, TableSheet):
            lay = layout(spec)
            new = fresh_sheet(self.book, spec.name)
            render_layout(new, lay)
            page_setup(self.book, new, lay)
            if lay.hidden:
                new.visible = False
            return
        # A report with native charts: build it exactly as the file door does, then copy the sheet in
        # (Excel's Sheet.copy keeps charts, formats, widths, merges and validations).
        import xlsxwriter

        if spec.name in [s.name for s in self.book.sheets]:
            self.book.sheets[spec.name].delete()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "kehu_report.xlsx"
            wb = xlsxwriter.Workbook(str(path))
            ws = wb.add_worksheet(spec.name)
            spec.build(wb, ws)
            hidden = bool(ws.hidden)   # xlsxwriter unhides a workbook's only sheet: remember the build's wish
            wb.close()
            other = self.book.app.books.open(str(path))
            try:
                copied = other.sheets[0].copy(after=self.book.sheets[-1], name=spec.name)
            finally:
                other.close()
        if hidden:
            (copied or self.book.sheets[spec.name]).visible = False

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
        return used_rows(self.book.sheets[name], drop_earlier=False)

    def message(self, text: str) -> None:
        self.book.app.alert(text, title="kehu 客户工具")


XL_LANDSCAPE = 2


def page_setup(book, sheet, lay: SheetLayout) -> None:
    """Freeze panes and print setup, which xlwings reaches only through Excel's own object model (`.api`).

    Excel for Windows (COM) names are used; on a Mac (appscript) these calls differ, and a sheet that cannot
    take them keeps its cells, widths and formats, so a failure here is not the user's problem.
    """
    try:
        setup = sheet.api.PageSetup
        setup.Orientation = XL_LANDSCAPE
        setup.Zoom = False
        setup.FitToPagesWide = 1 if lay.fit_to_width else False
        setup.FitToPagesTall = False
        setup.PrintTitleRows = f"${lay.print_title_row}:${lay.print_title_row}"
        if lay.freeze_at:
            sheet.activate()
            window = book.app.api.ActiveWindow
            window.FreezePanes = False
            window.SplitColumn, window.SplitRow = 0, lay.freeze_at
            window.FreezePanes = True
    except AttributeError:   # not Excel for Windows: see above
        pass
