"""The workbook interface inside xlwings Lite (Pyodide in Excel), written against the part of xlwings it has.

Lite's book object offers `book.sheets` (active, [name], add, delete), `range.value`, `range.number_format`,
`range.column_width`, `range.color` (hex strings only), `range.font.bold`/`size` and `sheet.visible`;
it has no `app.alert`, no `books.open` (so no copying a sheet from a file kehu built) and no `.api`
(so no freeze panes or print setup). What it covers, then: the added columns beside a table and the list
sheets (TableSheet), drawn from the same layout as the file writer's, and the report sheets (BuiltSheet)
replayed from their recorded xlsxwriter calls (`recorder.py`): cells, number formats, bold, fills and
widths; their charts, conditional formats and print setup are left out and named in the message.

The Lite scripts (`addin/lite/main.py`) call `LiteBook(book).run(job, options, …)`: the steps a ribbon button
takes (`addin/ribbon/handlers.py`) on this book. Everything imported here runs in Pyodide, where kehu_lite
brings no lxml or python-calamine (the reader imports them only where it reads a file) and no lossless writer.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from addin.errors import ExitCode, KehuError, from_input_problem
from addin.jobs.inputs import Inputs
from addin.jobs.options import JobOptions
from addin.jobs.results import Results
from addin.read import Table, table_from_rows
from addin.read.kinds import ensure_kind
from addin.write import TableSheet
from addin.write.sheet_layout import layout
from udfs.errors import InputProblem

from .recorder import record, replay
from .render import add_beside, fresh_sheet, render_layout, used_rows


class LiteBook:
    def __init__(self, book):
        self.book = book
        self.path = Path(getattr(book, "fullname", None) or getattr(book, "name", "workbook.xlsx"))
        self.messages: list[str] = []
        self.left_out: list[str] = []
        self.unlinked: list[str] = []    # list sheets whose links this host could not set

    def run(self, job: Callable[[Inputs, JobOptions], Results], options: JobOptions, *, kind: str,
            command: str) -> int:
        """Run a job on the active sheet, as a ribbon button does: read it as a table of `kind`, refuse the wrong
        kind of sheet as `kehu COMMAND` would, draw the results, print the summary (or the error's two lines,
        never a traceback) in Lite's task pane. Returns the exit code the CLI would give."""
        try:
            table = self.table(kind)
            ensure_kind(table, command)
            results = job(Inputs(table, self.sheet_rows), options)
            text, code = "\n".join(results.lines + [f"结果：{self.apply(table, results)}"]), 0
        except (KehuError, InputProblem) as problem:
            failure = problem if isinstance(problem, KehuError) else from_input_problem(problem)
            text, code = failure.lines(), int(failure.code)
        self.message(text)
        return code

    def table(self, kind: str) -> Table:
        sheet = self.book.sheets.active
        return table_from_rows(used_rows(sheet), path=self.path, sheet=sheet.name,
                               sheet_names=[s.name for s in self.book.sheets], kind=kind)

    def apply(self, table: Table, results: Results) -> str:
        add_beside(self.book.sheets[table.sheet], results.columns, list(table.rows), table.header_row)
        for spec in results.sheets:
            if isinstance(spec, TableSheet):
                lay = layout(spec)
                new, hidden = fresh_sheet(self.book, spec.name), lay.hidden
                if not render_layout(new, lay):
                    self.unlinked.append(spec.name)
            else:
                calls, hidden = record(spec)
                new = fresh_sheet(self.book, spec.name)
                drawn = replay(new, calls)
                if drawn.left_out:
                    self.left_out.append(spec.name)
            if hidden:
                new.visible = False
        shown = results.select_sheet
        if shown and shown in [s.name for s in self.book.sheets]:
            self.book.sheets[shown].activate()
        where = f"工作表“{table.sheet}”右侧及新工作表"
        if self.left_out:
            where += f"（{'、'.join(self.left_out)} 中的图表等需要 kehu 的 Excel 加载项或命令行）"
        if self.unlinked:
            where += f"（{'、'.join(self.unlinked)} 的跳转链接需要 kehu 的 Excel 加载项或命令行）"
        return where

    def open_template(self, template: Path, name: str) -> str:
        raise KehuError("xlwings Lite 不能新建或打开文件：请在 Excel 中打开模板。",
                        "xlwings Lite cannot create or open files: open the template in Excel.", ExitCode.USAGE)

    def message(self, text: str) -> None:
        print(text)   # Lite shows printed output in its task pane; it has no message box
        self.messages.append(text)

    def sheet_rows(self, name: str) -> list[list] | None:
        if name not in [s.name for s in self.book.sheets]:
            return None
        return used_rows(self.book.sheets[name], drop_earlier=False)
