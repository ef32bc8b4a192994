"""Write a whole list sheet (a DataFrame or a raw grid) as worksheet XML, built column by column.

Each column becomes aligned arrays of cell pieces in one go (see cell_parts); a block of rows is then laid
out as one grid of pieces and joined once, so a million-row table is a few dozen numpy/pandas passes, not
a million Python calls per column."""
from __future__ import annotations

from typing import Any, Iterator, Sequence

import numpy as np
import pandas as pd

from addin.errors import ExitCode, KehuError
from addin.write.cell_parts import column_parts, row_cells_grid
from addin.write.cells import StyleFor, column_letter, header_fragment
from addin.write.page_setup import PageSetup, sheet_pr_xml, tail_xml
from addin.write.sheet_layout import Block, header_row_of, layout
from addin.write.specs import TableSheet
from addin.write.styles import StyleBook

MAX_ROWS = 1_048_576
MAX_COLS = 16_384
BATCH = 100_000
#: rows per block of a list sheet's XML: small enough that deflating block k (on the writer's thread) overlaps
#: making block k+1, large enough that the per-block costs do not count
ROWS_PER_BLOCK = 20_000
_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
         'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">')


def cell_column(frags: np.ndarray, letter: str, row_texts: np.ndarray) -> np.ndarray:
    """`<c r="B7` + fragment for each non-blank fragment; "" for blanks."""
    out = np.full(len(frags), "", dtype=object)
    filled = frags != ""
    if filled.any():
        out[filled] = ('<c r="' + letter) + row_texts[filled] + frags[filled]
    return out


def rows_xml(columns: list[tuple[Any, StyleFor]], first_row: int, *, date1904: bool = False) -> Iterator[str]:
    """<row> elements for columns of values (column i is sheet column i+1), built a batch of rows at a time.

    Fragments are made per batch so memory stays bounded for a million-row sheet; each batch's cells are laid
    side by side as pieces (cell_parts) and joined once, so a cell's text is copied once, into the output.
    """
    n = len(columns[0][0]) if columns else 0
    letters = [column_letter(j + 1) for j in range(len(columns))]
    for start in range(0, n, ROWS_PER_BLOCK):
        stop = min(start + ROWS_PER_BLOCK, n)
        rows = np.arange(first_row + start, first_row + stop)
        parts = [column_parts(values.iloc[start:stop] if isinstance(values, pd.Series) else values[start:stop],
                              style_for, date1904=date1904) for values, style_for in columns]
        grid = row_cells_grid(rows, letters, parts, lead=1, trail=1)
        grid[:, 0] = ('<row r="' + rows.astype(str).astype(object)) + '">'
        grid[:, -1] = "</row>"
        yield "".join(grid.ravel().tolist())


def _worksheet(columns: list[tuple[Any, StyleFor]], first_data_row: int, head_rows: list[str], widths: list[float],
               freeze_at: int | None, date1904: bool = False, after_data: str = "",
               page: PageSetup | None = None) -> Iterator[bytes]:
    n_rows = first_data_row - 1 + (len(columns[0][0]) if columns else 0)
    last = column_letter(max(len(columns), 1))
    page = page or PageSetup()
    # printed lists fit the page width, however many pages long they run (page_setup.py)
    parts = [_HEAD, sheet_pr_xml(page), f'<dimension ref="A1:{last}{max(n_rows, 1)}"/>',
             '<sheetViews><sheetView workbookViewId="0">']
    if freeze_at:
        parts.append(f'<pane ySplit="{freeze_at}" topLeftCell="A{freeze_at + 1}" activePane="bottomLeft" state="frozen"/>'
                     f'<selection pane="bottomLeft" activeCell="A{freeze_at + 1}" sqref="A{freeze_at + 1}"/>')
    parts.append('</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>')
    if widths:
        parts.append("<cols>" + "".join(f'<col min="{i}" max="{i}" width="{w:.2f}" customWidth="1"/>'
                                        for i, w in enumerate(widths, start=1)) + "</cols>")
    parts.append("<sheetData>")
    parts.extend(head_rows)
    yield "".join(parts).encode("utf-8")
    for block in rows_xml(columns, first_data_row, date1904=date1904):
        yield block.encode("utf-8")
    yield ('</sheetData>' + after_data + tail_xml(page) + '</worksheet>').encode("utf-8")


def check_size(n_rows: int, n_cols: int, name: str) -> None:
    if n_rows > MAX_ROWS or n_cols > MAX_COLS:
        raise KehuError(f"工作表“{name}”有 {n_rows} 行 × {n_cols} 列，超过 Excel 的上限（1048576 行 × 16384 列）。",
                        f"Sheet '{name}' would have {n_rows} rows x {n_cols} columns, more than Excel allows "
                        "(1,048,576 x 16,384).", ExitCode.OUTPUT)


def quote_sheet(name: str) -> str:
    """A sheet name as a formula reference needs it: 'My sheet'!A1."""
    return "'" + name.replace("'", "''") + "'"


def table_sheet_xml(sheet: TableSheet, styles: StyleBook, *, date1904: bool = False) -> Iterator[bytes]:
    """Worksheet XML for a TableSheet, rendered from its layout: optional title, bold headers, typed cells."""
    check_size(header_row_of(sheet) + len(sheet.data), len(sheet.data.columns), sheet.name)
    lay = layout(sheet)
    head_rows = []
    if lay.title:
        head_rows.append(f'<row r="1"><c r="A1{header_fragment(lay.title, styles.xf(role="title"))}</row>')
    header_style = styles.xf(role="header")
    for block in lay.blocks:
        # a header that wraps onto two lines gets a row tall enough to show both (no clipped header)
        height = (f' ht="{lay.header_height:g}" customHeight="1"' if lay.header_height and block is lay.table
                  else "")
        head_rows.append(f'<row r="{block.header_row}"{height}>' + "".join(
            f'<c r="{column_letter(j)}{block.header_row}{header_fragment(h, header_style)}'
            for j, h in enumerate(block.headers, 1) if h is not None) + "</row>")
        if block is not lay.table:
            head_rows.extend(rows_xml(_styled(block, styles), block.header_row + 1, date1904=date1904))
    linked = {column for _row, column, _target in lay.links}
    yield from _worksheet(_styled(lay.table, styles, linked), lay.table.header_row + 1, head_rows, lay.widths,
                          lay.freeze_at, date1904,
                          after_data_xml(sheet, lay.table.header_row) + hyperlinks_xml(lay.links), lay.page)


def _styled(block: Block, styles: StyleBook, linked: set[int] = frozenset()) -> list[tuple[Any, StyleFor]]:
    return [(values, styles.style_for(fmt, "link" if j in linked else "plain"))
            for j, (values, fmt) in enumerate(zip(block.columns, block.formats), start=1)]


def hyperlinks_xml(links: Sequence[tuple[int, int, str]]) -> str:
    """<hyperlinks> of internal links: a `location` needs no relationship (it follows <dataValidations>)."""
    if not links:
        return ""
    from xml.sax.saxutils import quoteattr

    letters = {c: column_letter(c) for c in {c for _r, c, _t in links}}
    targets = [t for _r, _c, t in links]
    # quoteattr of a target with nothing to escape is the target in double quotes: checked once, on all of them
    plain = not any(ch in "".join(targets) for ch in '&<>"\n\r\t')
    quoted = ['"' + t + '"' for t in targets] if plain and all(type(t) is str for t in targets) else [
        quoteattr(t) for t in targets]
    return "<hyperlinks>" + "".join([f'<hyperlink ref="{letters[c]}{r}" location={q}/>'
                                     for (r, c, _t), q in zip(links, quoted)]) + "</hyperlinks>"


def after_data_xml(sheet: TableSheet, header_row: int) -> str:
    """<autoFilter> and <dataValidations> of a TableSheet (they follow <sheetData>, in this order, in CT_Worksheet)."""
    from xml.sax.saxutils import quoteattr

    columns = [str(c) for c in sheet.data.columns]
    n = len(sheet.data)
    last_row = header_row + n
    parts = []
    if sheet.autofilter and columns:
        parts.append(f'<autoFilter ref="A{header_row}:{column_letter(len(columns))}{last_row}"/>')
    lists = [(columns.index(str(c)), d) for c, d in (sheet.drop_downs or {}).items() if str(c) in columns]
    if lists and n:
        parts.append(f'<dataValidations count="{len(lists)}">')
        for j, d in lists:
            letter = column_letter(j + 1)
            # a list written inline: its items joined by commas, the whole at most 255 characters (Excel's limit)
            items = ",".join(str(c).replace('"', '""') for c in d.choices)
            attrs = ' type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1"'
            if d.prompt:
                attrs += f" promptTitle={quoteattr(columns[j][:32])} prompt={quoteattr(d.prompt[:255])}"
            if d.error:
                attrs += f" errorTitle={quoteattr(columns[j][:32])} error={quoteattr(d.error[:255])}"
            formula = ('"' + items + '"').replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            parts.append(f'<dataValidation{attrs} sqref="{letter}{header_row + 1}:{letter}{last_row}">'
                         f'<formula1>{formula}</formula1></dataValidation>')
        parts.append("</dataValidations>")
    return "".join(parts)


def grid_sheet_xml(grid: Sequence[Sequence[Any]], styles: StyleBook, name: str) -> Iterator[bytes]:
    """Worksheet XML holding a raw grid (rows of cell values as read), every value typed as it was."""
    n_cols = max((len(r) for r in grid), default=0)
    check_size(len(grid), n_cols, name)
    style_for = styles.style_for(None)
    columns = []
    for j in range(n_cols):
        # Why a loop: grid rows are ragged Python lists; this builds one column from them
        values = np.empty(len(grid), dtype=object)
        values[:] = [row[j] if j < len(row) else None for row in grid]
        columns.append((values, style_for))
    yield from _worksheet(columns, 1, [], [], None)


