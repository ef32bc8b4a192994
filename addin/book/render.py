"""Render a sheet layout and added columns through the Range API that xlwings and xlwings Lite share.

Only `range.value`, `range.number_format`, `range.column_width`, `range.color` (a hex string: Lite
refuses RGB tuples), `range.font.bold` and `range.font.size` are used, so the open-workbook book and the
Lite book draw the same cells, widths, formats and header style as the file writer does from the same
layout (`addin.write.sheet_layout`).
"""
from __future__ import annotations

from typing import Any, Sequence

from addin.write.sheet_layout import (HEADER_FILL_HEX, TITLE_FONT_SIZE, Block, SheetLayout, added_column_widths,
                                      cell_formats, format_runs)
from addin.write.specs import AddedColumn
from udfs.formulas._xl import excel_value


def style_header(cells) -> None:
    cells.font.bold = True
    cells.color = HEADER_FILL_HEX


def set_formats(sheet, first_row: int, column: int, values: Sequence[Any], number_format: str | None) -> None:
    """Number formats of one column's cells from `first_row` down: the column's own, or date defaults."""
    for start, stop, fmt in format_runs(cell_formats(values, number_format)):
        sheet.range((first_row + start, column), (first_row + stop, column)).number_format = fmt


def set_widths(sheet, first_col: int, widths: Sequence[float]) -> None:
    for j, width in enumerate(widths):
        sheet.range((1, first_col + j)).column_width = width


def _block(sheet, block: Block) -> None:
    row, n = block.header_row, len(block.headers)
    header = sheet.range((row, 1), (row, n))
    header.value = list(block.headers)
    style_header(header)
    if block.columns and len(block.columns[0]):
        by_row = zip(*[[excel_value(v) for v in col] for col in block.columns])
        sheet.range((row + 1, 1)).value = [list(r) for r in by_row]
    for j, (values, fmt) in enumerate(zip(block.columns, block.formats)):
        set_formats(sheet, row + 1, j + 1, list(values), fmt)


def render_layout(sheet, lay: SheetLayout) -> None:
    """Cells, header style, number formats and widths of a list sheet on an empty sheet."""
    if lay.title:
        title = sheet.range((1, 1))
        title.value = lay.title
        title.font.bold = True
        title.font.size = TITLE_FONT_SIZE
    for block in lay.blocks:
        _block(sheet, block)
    set_widths(sheet, 1, lay.widths)


def render_columns(sheet, columns: Sequence[AddedColumn], rows: Sequence[int], header_row: int,
                   first_col: int) -> None:
    """Added columns beside a table: header cells styled as the file writer's, values by source row."""
    if not columns:
        return
    top, bottom = int(min(rows)), int(max(rows))
    position = {int(r): i for i, r in enumerate(rows)}
    block = [[excel_value(c.values[position[r]]) if r in position else None for c in columns]
             for r in range(top, bottom + 1)]
    if header_row:
        header = sheet.range((header_row, first_col), (header_row, first_col + len(columns) - 1))
        header.value = [c.header for c in columns]
        style_header(header)
    sheet.range((top, first_col)).value = block
    for k, c in enumerate(columns):
        by_row = [c.values[position[r]] if r in position else None for r in range(top, bottom + 1)]
        set_formats(sheet, top, first_col + k, by_row, c.number_format)
    set_widths(sheet, first_col, added_column_widths(columns))
