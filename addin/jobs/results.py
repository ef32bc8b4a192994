"""What a job hands to a workbook: columns to add, sheets to add, and a summary to show."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from addin.read import Table
from addin.write import AddedColumn, BuiltSheet, TableSheet
from addin.write.specs import Marks


@dataclass
class Results:
    """The outcome of one job on one table, before anything is written.

    Every book (`addin.book`: a saved file, the open workbook, xlwings Lite) renders the same object,
    so every door shows the same thing.
    """

    columns: list[AddedColumn] = field(default_factory=list)
    sheets: list[TableSheet | BuiltSheet] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)     # the short human summary, one line each
    select_sheet: str | None = None                    # what to show the user afterwards
    marks: Marks | None = None                         # fills and notes on the user's own cells (`--mark`)


def combine(first: Results, *more: Results) -> Results:
    """Several analyses of one table written together (e.g. `kehu clean --dedupe`)."""
    out = Results(list(first.columns), list(first.sheets), dict(first.summary), list(first.lines), first.select_sheet)
    out.marks = first.marks
    for r in more:
        if r.marks is not None:
            shifted = r.marks.shifted(len(out.columns))
            out.marks = shifted if out.marks is None else out.marks + shifted
        out.columns += r.columns
        out.sheets += r.sheets
        out.lines += r.lines
    return _one_overview(out)


def _one_overview(out: Results) -> Results:
    """Two jobs of one run write one 总览 page: the figures of both, drawn in the run's language."""
    from addin.report.overview import OverviewSheet, merge_overviews, overview_sheet

    pages = [s for s in out.sheets if isinstance(s, OverviewSheet) and s.overview is not None]
    if len(pages) < 2:
        return out
    merged = pages[0].overview
    for page in pages[1:]:
        merged = merge_overviews(merged, page.overview)
    from .language import localise

    lang = out.summary.get("lang")
    sheet = localise(Results(sheets=[overview_sheet(merged)]), lang).sheets[0]
    rest = [s for s in out.sheets if not isinstance(s, OverviewSheet)]
    out.sheets = [sheet, *rest]
    return out


def reading_lines(table: Table) -> list[str]:
    """What reading skipped or assumed, for a job's summary: rows are never dropped without a word."""
    lines = []
    if table.header_row == 0:
        lines.append("  注意：没有表头行，所有行都按数据读取；新增的列没有列名。")
    if table.skipped_rows:
        lines.append(f"  跳过的标题行：第 {', '.join(map(str, table.skipped_rows))} 行（不是客户记录）。")
    return lines
