"""The workbook interface over a workbook open in Excel (xlwings); only Excel itself runs this."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from addin.jobs.results import Results
from addin.read import Table, table_from_rows
from addin.write import BuiltSheet, TableSheet
from addin.write.page_setup import apply_com, build_sheet
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
        # the user's own sheet is written in place: its print setup stays theirs (as `kehu … --in-place`)
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
            lists_and_filter(new, spec, lay)
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
            build_sheet(spec, wb, ws)   # its print setup too, which Sheet.copy keeps
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


def page_setup(book, sheet, lay: SheetLayout) -> None:
    """Freeze panes, print setup and the wrapped header row, which xlwings reaches only through Excel's own object
    model (`.api`).

    Excel for Windows (COM) names are used; on a Mac (appscript) these calls differ, and a sheet that cannot
    take them keeps its cells, widths and formats, so a failure here is not the user's problem.
    """
    try:
        apply_com(lay.page, sheet.api.PageSetup)
        if lay.header_height:
            header = sheet.range((lay.table.header_row, 1), (lay.table.header_row, len(lay.table.headers)))
            header.api.WrapText = True
            header.api.RowHeight = lay.header_height
        if lay.freeze_at:
            sheet.activate()
            window = book.app.api.ActiveWindow
            window.FreezePanes = False
            window.SplitColumn, window.SplitRow = 0, lay.freeze_at
            window.FreezePanes = True
    except AttributeError:   # not Excel for Windows: see above
        pass


XL_VALIDATE_LIST, XL_VALID_ALERT_STOP, XL_BETWEEN = 3, 1, 1   # Excel's XlDVType / XlDVAlertStyle / XlFormatConditionOperator


def lists_and_filter(sheet, spec: TableSheet, lay: SheetLayout) -> None:
    """The drop-down lists (重复对's 复核) and filter buttons the file writer gives a list sheet, through Excel's
    object model (`.api`, Excel for Windows names) — as `page_setup`, skipped where Excel does not take them."""
    header, n = lay.table.header_row, len(spec.data)
    columns = [str(c) for c in spec.data.columns]
    try:
        for column, drop in (spec.drop_downs or {}).items():
            if str(column) not in columns or not n:
                continue
            j = columns.index(str(column)) + 1
            validation = sheet.range((header + 1, j), (header + n, j)).api.Validation
            validation.Delete()
            validation.Add(XL_VALIDATE_LIST, XL_VALID_ALERT_STOP, XL_BETWEEN, ",".join(map(str, drop.choices)))
            validation.IgnoreBlank = True
            if drop.prompt:
                validation.InputTitle, validation.InputMessage = columns[j - 1][:32], drop.prompt[:255]
            if drop.error:
                validation.ErrorTitle, validation.ErrorMessage = columns[j - 1][:32], drop.error[:255]
        if spec.autofilter and columns:
            sheet.range((header, 1), (header + n, len(columns))).api.AutoFilter()
    except AttributeError:   # not Excel for Windows (the fake, a Mac): the cells and formats are already there
        pass
