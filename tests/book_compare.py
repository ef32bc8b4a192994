"""What a user sees in a sheet, read the same way from a saved file (openpyxl) and from the fake xlwings book.

A "view" maps (row, column) to (value, number format, bold, fill) for every cell with a value, plus the
column widths, the hidden state, the frozen rows and the print setup. Two books agree when their views of
the sheets kehu added (and of the columns it added beside the data) are equal.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.utils import column_index_from_string, coordinate_to_tuple


@dataclass
class SheetView:
    cells: dict[tuple[int, int], tuple] = field(default_factory=dict)   # (value, format, bold, fill)
    widths: dict[int, float] = field(default_factory=dict)
    visible: bool = True
    freeze_at: int | None = None
    print_titles: str | None = None
    landscape: bool | None = None
    links: dict[tuple[int, int], str] = field(default_factory=dict)   # (row, column) → "#'Sheet'!A1"
    printing: tuple | None = None   # (print area, title columns, pages wide, paper, footer left/centre/right)


def comparable(v):
    """Values as both readers can give them: whole floats as int, dates without time as date."""
    if isinstance(v, bool):
        return v
    if hasattr(v, "text") and hasattr(v, "ref"):   # openpyxl's ArrayFormula (a spilled KEHU_… formula)
        return str(v.text)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, float):
        return round(v, 9)
    if isinstance(v, dt.datetime) and (v.hour, v.minute, v.second, v.microsecond) == (0, 0, 0, 0):
        return v.date()
    return v


def _fill(cell) -> str | None:
    if cell.fill is None or cell.fill.fill_type != "solid":
        return None
    return "#" + str(cell.fill.fgColor.rgb)[-6:].upper()


def file_views(path: Path) -> dict[str, SheetView]:
    wb = openpyxl.load_workbook(str(path))
    views = {}
    for ws in wb.worksheets:
        view = SheetView(visible=ws.sheet_state == "visible")
        for row in ws.iter_rows():
            for c in row:
                if c.hyperlink is not None and c.hyperlink.location:
                    view.links[(c.row, c.column)] = "#" + c.hyperlink.location
                if c.value not in (None, ""):
                    fmt = None if c.number_format == "General" else c.number_format
                    view.cells[(c.row, c.column)] = (comparable(c.value), fmt, bool(c.font and c.font.b), _fill(c))
        for letter, dim in ws.column_dimensions.items():
            if dim.customWidth and dim.width:
                for col in range(dim.min or column_index_from_string(letter),
                                 (dim.max or column_index_from_string(letter)) + 1):
                    view.widths[col] = round(float(dim.width), 2)
        if ws.freeze_panes:
            view.freeze_at = coordinate_to_tuple(ws.freeze_panes)[0] - 1
        view.print_titles = ws.print_title_rows
        view.landscape = ws.page_setup.orientation == "landscape" if ws.page_setup.orientation else None
        fit = ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
        footer = ws.oddFooter
        view.printing = (ws.print_area.split("!")[-1] if ws.print_area else None, ws.print_title_cols or None,
                         int(ws.page_setup.fitToWidth or 1) if fit else None,
                         int(ws.page_setup.paperSize) if ws.page_setup.paperSize else None,
                         footer.left.text or "", footer.center.text or "", footer.right.text or "")
        views[ws.title] = view
    return views


def fake_views(book) -> dict[str, SheetView]:
    views = {}
    for sheet in book.sheets:
        view = SheetView(visible=sheet.visible, freeze_at=sheet.freeze_at, links=dict(getattr(sheet, "links", {})))
        for key, v in sheet.cells.items():
            font = sheet.fonts.get(key, {})
            view.cells[key] = (comparable(v), sheet.formats.get(key), bool(font.get("bold")), sheet.fills.get(key))
        view.widths = {c: round(float(w), 2) for c, w in sheet.widths.items() if w}
        title_rows = getattr(sheet.page, "PrintTitleRows", None)
        view.print_titles = title_rows
        orientation = getattr(sheet.page, "Orientation", None)
        view.landscape = None if orientation is None else orientation == 2
        page = sheet.page
        view.printing = (getattr(page, "PrintArea", None) or None, getattr(page, "PrintTitleColumns", None) or None,
                         getattr(page, "FitToPagesWide", None) or None, getattr(page, "PaperSize", None),
                         getattr(page, "LeftFooter", ""), getattr(page, "CenterFooter", ""),
                         getattr(page, "RightFooter", ""))
        views[sheet.name] = view
    return views


def differences(want: SheetView, got: SheetView, *, columns: range | None = None, layout_only: bool = False,
                limit: int = 8) -> list[str]:
    """Where two views of one sheet disagree; `columns` restricts the cell and width check to those columns."""
    keep = (lambda c: c in columns) if columns is not None else (lambda c: True)
    out = []
    for key in sorted(set(want.cells) | set(got.cells)):
        if keep(key[1]) and want.cells.get(key) != got.cells.get(key):
            out.append(f"cell {key}: file {want.cells.get(key)!r} ≠ book {got.cells.get(key)!r}")
    for key in sorted(k for k in set(want.links) | set(got.links) if keep(k[1])):
        if want.links.get(key) != got.links.get(key):
            out.append(f"link at {key}: file {want.links.get(key)!r} ≠ book {got.links.get(key)!r}")
    for col in sorted(c for c in set(want.widths) | set(got.widths) if keep(c)):
        if want.widths.get(col) != got.widths.get(col):
            out.append(f"width of column {col}: file {want.widths.get(col)} ≠ book {got.widths.get(col)}")
    if not columns:
        for name in ("visible",) + (("freeze_at", "print_titles", "landscape", "printing") if layout_only else ()):
            if getattr(want, name) != getattr(got, name):
                out.append(f"{name}: file {getattr(want, name)!r} ≠ book {getattr(got, name)!r}")
    return out[:limit]
