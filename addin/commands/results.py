"""What an analysis hands to a door: columns to add, sheets to add, and a summary to show."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from addin.read import Table
from addin.write import AddedColumn, BuiltSheet, TableSheet, WriteReport, default_output_path, write_results


@dataclass
class Results:
    """The outcome of one command on one table, before anything is written.

    The CLI writes it into a copy of the file (`write_to_file`); the ribbon handlers write the same
    object into the open workbook through the workbook interface, so both doors show the same thing.
    """

    columns: list[AddedColumn] = field(default_factory=list)
    sheets: list[TableSheet | BuiltSheet] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)     # the short human summary, one line each
    select_sheet: str | None = None                    # what to show the user afterwards


def combine(first: Results, *more: Results) -> Results:
    """Several analyses of one table written together (e.g. `kehu clean --dedupe`)."""
    out = Results(list(first.columns), list(first.sheets), dict(first.summary), list(first.lines), first.select_sheet)
    for r in more:
        out.columns += r.columns
        out.sheets += r.sheets
        out.lines += r.lines
    return out


def write_to_file(table: Table, results: Results, output: Path | None, in_place: bool) -> WriteReport:
    """Write results into a copy of the table's workbook (or into it, after a backup, with in_place).

    The table's raw cells are dropped first (its DataFrame is emptied): on a million-row register they
    are a gigabyte that the writer does not need. Call this last.
    """
    target = None if in_place else Path(output) if output else default_output_path(table.path)
    table.df = table.df.iloc[:0]  # the raw cells are no longer needed: free them before the writer's peak
    report = write_results(table.path, target, sheet=table.sheet, header_row=table.header_row, rows=table.rows,
                           columns=results.columns, sheets=results.sheets, in_place=in_place, grid=table.grid,
                           source_kind=table.source_kind, extent=table.sheet_extent)
    tell(report.notes)
    return report


def tell(notes: list[tuple[str, str]]) -> None:
    """What the writer did that the user must know (a renamed result sheet, sheets not carried over)."""
    from .common import err

    for zh, en in notes:
        err.print(f"[yellow]注意：{zh}[/]", highlight=False)
        err.print(f"[dim]Note: {en}[/]", highlight=False)


def reading_lines(table: Table) -> list[str]:
    """What reading skipped or assumed, for a command's summary: rows are never dropped without a word."""
    lines = []
    if table.header_row == 0:
        lines.append("  注意：没有表头行，所有行都按数据读取；新增的列没有列名。")
    if table.skipped_rows:
        lines.append(f"  跳过的标题行：第 {', '.join(map(str, table.skipped_rows))} 行（不是客户记录）。")
    return lines
