"""Render a sheet layout and added columns through the Range API that xlwings and xlwings Lite share.

Only `range.value`, `range.number_format`, `range.column_width`, `range.color` (a hex string: Lite
refuses RGB tuples), `range.font.bold` and `range.font.size` are used, so the open-workbook book and the
Lite book draw the same cells, widths, formats and header style as the file writer does from the same
layout (`addin.write.sheet_layout`).
"""
from __future__ import annotations

from typing import Any, Sequence

from addin.write.sheet_layout import (HEADER_FILL_HEX, TITLE_FONT_SIZE, Block, SheetLayout, added_column_widths,
                                      cell_formats, characters_for, format_runs)
from addin.write.cells import column_letter
from addin.write.specs import AddedColumn
from udfs.excel_values import excel_value

#: The sheet-scoped name over the columns kehu added (as addin/write/workbook_parts.py's KEHU_COLUMNS): a
#: re-run reads the table without them and writes over them, in the open workbook as in a saved file.
KEHU_COLUMNS = "_kehu_columns"


def style_header(cells) -> None:
    cells.font.bold = True
    cells.color = HEADER_FILL_HEX


def set_formats(sheet, first_row: int, column: int, values: Sequence[Any], number_format: str | None) -> None:
    """Number formats of one column's cells from `first_row` down: the column's own, or date defaults."""
    for start, stop, fmt in format_runs(cell_formats(values, number_format)):
        sheet.range((first_row + start, column), (first_row + stop, column)).number_format = fmt


def set_widths(sheet, first_col: int, widths: Sequence[float]) -> None:
    """Layout widths (stored `<col width>` units) as Excel's ColumnWidth, so Excel stores the same number."""
    for j, width in enumerate(widths):
        sheet.range((1, first_col + j)).column_width = characters_for(width)


def _header_runs(headers) -> list[tuple[int, int]]:
    """(first, last) 1-based columns of each run of headers that are not None."""
    runs, start = [], None
    for j, h in enumerate(list(headers) + [None], start=1):
        if h is not None and start is None:
            start = j
        elif h is None and start is not None:
            runs.append((start, j - 1))
            start = None
    return runs


def _block(sheet, block: Block) -> None:
    row = block.header_row
    for first, last in _header_runs(block.headers):   # the gap before a summary beside the table stays blank
        header = sheet.range((row, first), (row, last))
        header.value = list(block.headers[first - 1:last])
        style_header(header)
    if block.columns and len(block.columns[0]):
        by_row = zip(*[[excel_value(v) for v in col] for col in block.columns])
        sheet.range((row + 1, 1)).value = [list(r) for r in by_row]
    for j, (values, fmt) in enumerate(zip(block.columns, block.formats)):
        set_formats(sheet, row + 1, j + 1, list(values), fmt)


def render_layout(sheet, lay: SheetLayout) -> bool:
    """Cells, header style, number formats, widths and links of a list sheet on an empty sheet; False when
    the book could not take the links (the cells are all there)."""
    if lay.title:
        title = sheet.range((1, 1))
        title.value = lay.title
        title.font.bold = True
        title.font.size = TITLE_FONT_SIZE
    for block in lay.blocks:
        _block(sheet, block)
    set_widths(sheet, 1, lay.widths)
    return add_links(sheet, lay.links)


def add_links(sheet, links: Sequence[tuple[int, int, str]]) -> bool:
    """Internal links (`#'客户档案'!D17`) on cells already written; each cell keeps its value (Excel's
    Hyperlinks.Add writes the display text into the cell, so the value is put back after). False when the
    book has no `add_hyperlink` (a host without it): the cells stay, unlinked."""
    for row, column, target in links:
        cell = sheet.range((row, column))
        value = cell.value
        try:
            cell.add_hyperlink("#" + target, text_to_display=None if value is None else str(value))
        except (AttributeError, NotImplementedError):
            return False
        cell.value = value
    return True


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


def earlier_columns(sheet) -> tuple[int, int] | None:
    """1-based (first, last) of the columns an earlier kehu run added to this sheet, from its name."""
    for name in getattr(sheet, "names", None) or []:
        if str(name.name).rsplit("!", 1)[-1] == KEHU_COLUMNS:
            cells = name.refers_to_range
            return cells.column, cells.column + cells.columns.count - 1
    return None


def used_rows(sheet, *, drop_earlier: bool = True, **options) -> list[list]:
    """A sheet's used range as rows padded to start at A1; an earlier run's added columns left blank."""
    used = sheet.used_range
    values = used.options(ndim=2, **options).value or []
    pad = [None] * (used.column - 1)
    rows = [[] for _ in range(used.row - 1)] + [pad + list(r) for r in values]
    span = earlier_columns(sheet) if drop_earlier else None
    if span:
        for row in rows:
            for j in range(span[0] - 1, min(span[1], len(row))):
                row[j] = None
    return rows


def add_beside(sheet, columns: Sequence[AddedColumn], rows: Sequence[int], header_row: int) -> None:
    """Added columns right of the data, or over an earlier run's columns when they are the last ones."""
    if not columns:
        return
    used = sheet.used_range
    last_used = used.column + used.columns.count - 1
    first_col = last_used + 1
    earlier = earlier_columns(sheet)
    if earlier and earlier[1] >= last_used and earlier[0] > 1:
        sheet.range((1, earlier[0]), (used.row + used.rows.count - 1, earlier[1])).clear_contents()
        first_col = earlier[0]
    render_columns(sheet, columns, rows, header_row, first_col)
    last = first_col + len(columns) - 1
    sheet.names.add(KEHU_COLUMNS, f"=${column_letter(first_col)}:${column_letter(last)}")


def fresh_sheet(book, name: str):
    """An empty sheet called `name` at the end of the workbook (kehu's earlier sheet of that name replaced)."""
    if name in [s.name for s in book.sheets]:
        book.sheets[name].delete()
    return book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])
