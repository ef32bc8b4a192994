"""The layout of a list sheet (TableSheet) and of added columns, as data: every book renders this one object.

The file writer (`table_sheet.py`) turns it into worksheet XML; the open-workbook book (`addin.book.live`)
and the xlwings Lite book (`addin.book.lite`) into Range calls. Widths are in the units of the `<col width>`
attribute (what openpyxl reads back); Excel's `ColumnWidth`, which the live books set, counts characters
without the cell padding: `characters_for` and `stored_width` convert (ECMA-376 Part 1, 18.3.1.13).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd

from addin.write.cells import DATE, DATETIME, DEFAULT_FORMATS, DURATION, TIME, display_width
from addin.write.page_setup import LINE_POINTS, PageSetup, for_sheet, header_width, wrapped_lines
from addin.write.specs import AddedColumn, TableSheet

HEADER_FILL_HEX = "#C6EFCE"   # Excel's light green ("good" cell style); styles.HEADER_FILL_RGB in the file
TITLE_FONT_SIZE = 14


@dataclass
class Block:
    """A bold, filled header row and the columns of values under it."""

    header_row: int                      # sheet row (1-based) of the header; values start on the next row
    headers: list[str | None]            # None: no header cell (the gap before a summary beside the table)
    columns: list[pd.Series]             # one per header, index 0..n-1
    formats: list[str | None]            # the column's own number format; None: General (dates get a default)


@dataclass
class SheetLayout:
    name: str
    title: str | None                    # bold 14-point text in A1
    blocks: list[Block]                  # the preamble (if any), then the table
    widths: list[float]                  # column 1, 2, …
    freeze_at: int | None                # rows above the split (the table's header row), None: no split
    print_title_row: int                 # repeated on every printed page
    hidden: bool = False
    landscape: bool = True               # printed lists fit the page width, however many pages long
    fit_to_width: bool = True
    margins: dict[str, float] = field(default_factory=lambda: {"left": 0.5, "right": 0.5, "top": 0.6,
                                                               "bottom": 0.6, "header": 0.3, "footer": 0.3})
    links: list[tuple[int, int, str]] = field(default_factory=list)   # (row, column, 'Sheet'!A1) internal links
    page: PageSetup = field(default_factory=PageSetup)   # what the printed sheet looks like (page_setup.py)
    header_height: float | None = None   # points of the table's header row when a header wraps onto two lines

    @property
    def table(self) -> Block:
        return self.blocks[-1]


def _preamble(sheet: TableSheet) -> pd.DataFrame | None:
    return sheet.preamble if sheet.preamble is not None and len(sheet.preamble.columns) else None


def header_row_of(sheet: TableSheet) -> int:
    """Sheet row (1-based) of the table's header: right after the title row, if any (a preamble sits beside
    the table, so the frozen rows are the title and the list header however many problem types there are)."""
    return 2 if sheet.title else 1


PREAMBLE_GAP = 1   # empty columns between the table and the summary beside it


def preamble_first_column(sheet: TableSheet) -> int:
    """1-based sheet column of the preamble's first column (right of the table and a gap)."""
    return len(sheet.data.columns) + PREAMBLE_GAP + 1


def layout(sheet: TableSheet) -> SheetLayout:
    """Where every cell of a TableSheet goes, with its widths, formats, split, print setup and links."""
    data = sheet.data
    headers = [str(c) for c in data.columns]
    preamble = _preamble(sheet)
    header_row = header_row_of(sheet)
    columns, formats, widths = [], [], []
    for key, header in zip(data.columns, headers):
        values = data[key].reset_index(drop=True)
        columns.append(values)
        formats.append(sheet.number_formats.get(key, sheet.number_formats.get(header)))
        width = sheet.widths.get(key, sheet.widths.get(header))
        widths.append(float(width) if width else column_width(values, header))
    table_headers = list(headers)
    links = [(header_row + 1 + i, j + 1, target) for j, targets in sorted((sheet.links or {}).items())
             if j < len(headers) for i, target in enumerate(targets) if target]
    n = len(data)
    if preamble is not None:   # the summary beside the table: its columns appended after a blank gap
        n = max(len(data), len(preamble))
        first = preamble_first_column(sheet)
        empty = pd.Series([None] * n, dtype=object)
        columns = [c.reindex(range(n)) for c in columns] + [empty] * PREAMBLE_GAP
        headers = headers + [None] * PREAMBLE_GAP   # no header cell over the gap
        formats = formats + [None] * PREAMBLE_GAP
        widths = widths + [2.0] * PREAMBLE_GAP
        for c in preamble.columns:
            values = preamble[c].reset_index(drop=True).reindex(range(n))
            columns.append(values)
            headers.append(str(c))
            formats.append(sheet.number_formats.get(c))
            widths.append(float(sheet.widths.get(c) or column_width(preamble[c], str(c))))
        own = "'" + sheet.name.replace("'", "''") + "'"
        links += [(header_row + 1 + i, first + j, f"{own}!A{header_row + 1 + int(target)}")
                  for j, targets in sorted((sheet.preamble_links or {}).items())
                  for i, target in enumerate(targets) if target is not None and target == target]
    blocks = [Block(header_row, headers, columns, formats)]
    page = for_sheet(widths, header_row, header_row + n, headers=table_headers,
                     repeat=getattr(sheet, "print_repeat_columns", None))
    lines = max((wrapped_lines(h, w) for h, w in zip(headers, widths) if h is not None), default=1)
    return SheetLayout(sheet.name, sheet.title, blocks, widths, header_row if sheet.freeze_header else None,
                       header_row, hidden=getattr(sheet, "hidden", False), landscape=page.landscape,
                       margins=page.margins, page=page, header_height=LINE_POINTS * lines + 3 if lines > 1 else None,
                       links=links)



def column_width(values, header: str) -> float:
    """A list column's width: its values on one line (East-Asian width counted two), its header on at most two
    lines (the header row wraps), 8 to 60 units."""
    of_values = display_width(values, "")
    return float(min(max(of_values, header_width(header, lines=2), 8), 60))


MAX_DIGIT_WIDTH, CELL_PADDING = 7, 5   # pixels, Calibri 11 (Excel's default font), as xlsxwriter assumes


def stored_width(characters: float) -> float:
    """The `<col width>` Excel (and xlsxwriter) store for a ColumnWidth of `characters`."""
    if characters <= 0:
        return 0.0
    pixels = (int(characters * (MAX_DIGIT_WIDTH + CELL_PADDING) + 0.5) if characters < 1
              else int(characters * MAX_DIGIT_WIDTH + 0.5) + CELL_PADDING)
    return (pixels * 256 // MAX_DIGIT_WIDTH) / 256


def characters_for(width: float) -> float:
    """The ColumnWidth (characters) whose stored `<col width>` is `width`."""
    pixels = round(width * MAX_DIGIT_WIDTH)
    if pixels >= MAX_DIGIT_WIDTH + CELL_PADDING:
        return (pixels - CELL_PADDING) / MAX_DIGIT_WIDTH
    return pixels / (MAX_DIGIT_WIDTH + CELL_PADDING)


def added_column_widths(columns: Sequence[AddedColumn]) -> list[float]:
    """The widths the file writer gives columns added beside a table."""
    return [added_width(c) for c in columns]


def added_width(column: AddedColumn) -> float:
    """An added column's width: the job's, or one that fits its values; never narrower than its header on one line
    (the user's header row keeps its height, so the header cannot wrap there)."""
    width = float(column.width) if column.width else display_width(column.values, str(column.header))
    return max(width, header_width(str(column.header), lines=1))


def _kind(v: Any) -> str | None:
    """The value kind that needs a default number format (as `cells.value_fragment` decides), else None."""
    if isinstance(v, np.datetime64):
        v = pd.Timestamp(v)
    if isinstance(v, np.timedelta64):
        v = pd.Timedelta(v)
    if v is pd.NaT or v is None:
        return None
    if isinstance(v, dt.datetime):
        return DATE if (v.hour, v.minute, v.second, v.microsecond) == (0, 0, 0, 0) else DATETIME
    if isinstance(v, dt.date):
        return DATE
    if isinstance(v, dt.time):
        return TIME
    if isinstance(v, dt.timedelta):
        return DURATION
    return None


def cell_formats(values: Sequence[Any], number_format: str | None) -> list[str | None]:
    """The number format each cell of a column gets: the column's own, or a date default; None for General."""
    if number_format:
        return [number_format] * len(values)
    return [DEFAULT_FORMATS.get(_kind(v)) for v in values]


def format_runs(formats: Sequence[str | None]) -> list[tuple[int, int, str]]:
    """(first, last, format) for each run of one format (0-based, inclusive), General runs left out."""
    runs, start = [], 0
    for i in range(1, len(formats) + 1):
        if i == len(formats) or formats[i] != formats[start]:
            if formats[start]:
                runs.append((start, i - 1, formats[start]))
            start = i
    return runs
