"""A stand-in for the slice of the xlwings object model that `addin.book.live.XlwingsBook` uses.

Excel is not available here; this fake keeps cells in a dict with xlwings' 1-based (row, column)
addressing, so the live door's arithmetic (where added columns land, how sheets are filled) is tested.
It records what a user would see besides the values: number formats, bold and font size, fills (as
"#RRGGBB"), column widths, hidden sheets, and the freeze/print setup set through `sheet.api`.

`FakeBook(..., lite=True)` is the xlwings Lite subset: no `app.alert`, no `books.open`, no `.api`, no
`autofit`, and colours only as hex strings (Lite raises ValueError on RGB tuples).
"""
from __future__ import annotations

from types import SimpleNamespace

import math


def _saved_width(characters: float) -> float:
    """ECMA-376 Part 1, 18.3.1.13: width = Truncate([chars * max digit width + 5 px padding] / mdw * 256) / 256,
    with Calibri 11's maximum digit width of 7 pixels; Excel snaps a column to whole pixels first
    (written from the standard, not from kehu's converter)."""
    pixels = math.floor(characters * 7 + 0.5) + 5
    return math.trunc(pixels / 7 * 256) / 256


def _hex(color) -> str | None:
    if color is None:
        return None
    if isinstance(color, tuple):
        return "#%02X%02X%02X" % color
    return "#" + str(color).lstrip("#").upper()[-6:]


class FakeFont:
    def __init__(self, rng):
        object.__setattr__(self, "_rng", rng)

    def __getattr__(self, name):
        return self._rng.sheet.fonts.get(self._rng.first, {}).get(name)

    def __setattr__(self, name, value):
        for cell in self._rng.cells():
            self._rng.sheet.fonts.setdefault(cell, {})[name] = value


class FakeRange:
    def __init__(self, sheet, first, last=None):
        self.sheet, self.first, self.last = sheet, first, last or first
        self.font = FakeFont(self)

    def cells(self):
        return [(r, c) for r in range(self.first[0], self.last[0] + 1) for c in range(self.first[1], self.last[1] + 1)]

    @property
    def number_format(self):
        return self.sheet.formats.get(self.first)

    @number_format.setter
    def number_format(self, fmt):
        for cell in self.cells():
            self.sheet.formats[cell] = fmt

    @property
    def color(self):
        return self.sheet.fills.get(self.first)

    @color.setter
    def color(self, color):
        if self.sheet.book.lite and not isinstance(color, str):
            raise ValueError("xlwings Lite takes colours as hex strings")
        for cell in self.cells():
            self.sheet.fills[cell] = _hex(color)

    @property
    def column_width(self):
        stored = self.sheet.widths.get(self.first[1])
        return None if stored is None else (stored * 7 - 5) / 7

    @column_width.setter
    def column_width(self, width):
        """Excel's ColumnWidth counts characters; the sheet keeps what Excel would save (`<col width>`)."""
        for c in range(self.first[1], self.last[1] + 1):
            self.sheet.widths[c] = _saved_width(width)

    @property
    def api(self):
        if self.sheet.book.lite:
            raise AttributeError("xlwings Lite has no .api")
        return SimpleNamespace()

    def clear_contents(self):
        for cell in self.cells():
            self.sheet.cells.pop(cell, None)

    def add_hyperlink(self, address, text_to_display=None, screen_tip=None):
        """Excel's Hyperlinks.Add on one cell: the link, and the display text written into the cell."""
        self.sheet.links[self.first] = address
        self.value = text_to_display if text_to_display is not None else address

    @property
    def value(self):
        return self.sheet.cells.get(self.first)

    @value.setter
    def value(self, v):
        r0, c0 = self.first
        rows = v if isinstance(v, list) and v and isinstance(v[0], list) else [v] if isinstance(v, list) else [[v]]
        for i, row in enumerate(rows):
            for j, x in enumerate(row):
                if x not in (None, ""):   # Excel keeps "" written by xlwings as an empty cell
                    self.sheet.cells[(r0 + i, c0 + j)] = x


class FakeName:
    def __init__(self, sheet, name, refers_to):
        self.sheet, self.name, self.refers_to = sheet, name, refers_to

    @property
    def refers_to_range(self):
        """'=$W:$AB' or "='客户档案'!$W:$AB": whole columns, as kehu's names are."""
        from openpyxl.utils import column_index_from_string

        first, last = self.refers_to.rsplit("!", 1)[-1].lstrip("=").replace("$", "").split(":")
        first = "".join(ch for ch in first if ch.isalpha())
        last = "".join(ch for ch in last if ch.isalpha())
        a, b = column_index_from_string(first), column_index_from_string(last)
        rng = FakeRange(self.sheet, (1, a), (1, b))
        rng.column, rng.columns = a, SimpleNamespace(count=b - a + 1)
        return rng


class FakeNames(list):
    """Sheet-scoped names (xlwings' sheet.names): add() replaces a name of the same spelling."""

    def __init__(self, sheet):
        super().__init__()
        self.sheet = sheet

    def add(self, name, refers_to):
        self[:] = [n for n in self if n.name != name]
        self.append(FakeName(self.sheet, name, refers_to))
        return self[-1]


class UsedRange:
    def __init__(self, sheet):
        keys = sheet.cells.keys() or [(1, 1)]
        self.sheet = sheet
        self.row, self.column = min(k[0] for k in keys), min(k[1] for k in keys)
        self.last_row, self.last_col = max(k[0] for k in keys), max(k[1] for k in keys)
        self.columns = SimpleNamespace(count=self.last_col - self.column + 1)
        self.rows = SimpleNamespace(count=self.last_row - self.row + 1)

    def options(self, **_kw):
        return self

    @property
    def value(self):
        return [[self.sheet.cells.get((r, c)) for c in range(self.column, self.last_col + 1)]
                for r in range(self.row, self.last_row + 1)]


class FakeSheet:
    def __init__(self, book, name, rows=()):
        self.book, self.name = book, name
        self.cells, self.formats, self.fonts, self.fills, self.widths = {}, {}, {}, {}, {}
        self.links = {}                    # (row, column) → address ("#'Sheet'!A1")
        self.visible = True
        self.page = SimpleNamespace()      # what was set on sheet.api.PageSetup
        self.freeze_at = None
        self.names = FakeNames(self)
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if v not in (None, ""):
                    self.cells[(i + 1, j + 1)] = v

    @property
    def api(self):
        if self.book.lite:
            raise AttributeError("xlwings Lite has no .api")
        return SimpleNamespace(PageSetup=self.page)

    @property
    def used_range(self):
        return UsedRange(self)

    def range(self, first, last=None):
        return FakeRange(self, first, last)

    def clear_contents(self):
        self.cells.clear()

    def delete(self):
        self.book.sheet_list.remove(self)

    def activate(self):
        self.book.active_name = self.name

    def copy(self, after=None, name=None):
        clone = FakeSheet(after.book, name or self.name)
        for part in ("cells", "formats", "fonts", "fills", "widths", "links"):
            setattr(clone, part, {k: (dict(v) if isinstance(v, dict) else v) for k, v in getattr(self, part).items()})
        clone.visible, clone.freeze_at, clone.page = self.visible, self.freeze_at, SimpleNamespace(**vars(self.page))
        after.book.sheet_list.insert(after.book.sheet_list.index(after) + 1, clone)
        return clone


class FakeSheets:
    def __init__(self, book):
        self.book = book

    @property
    def active(self):
        return self[self.book.active_name]

    def __getitem__(self, key):
        if isinstance(key, int):
            return self.book.sheet_list[key]
        return next(s for s in self.book.sheet_list if s.name == key)

    def __iter__(self):
        return iter(list(self.book.sheet_list))

    def __len__(self):
        return len(self.book.sheet_list)

    def add(self, name, after=None):
        sheet = FakeSheet(self.book, name)
        where = self.book.sheet_list.index(after) + 1 if after is not None else 0
        self.book.sheet_list.insert(where, sheet)
        return sheet


class _Window:
    """Excel's ActiveWindow: FreezePanes = True freezes the active sheet at SplitRow."""

    def __init__(self, book):
        object.__setattr__(self, "book", book)
        object.__setattr__(self, "SplitRow", 0)
        object.__setattr__(self, "SplitColumn", 0)

    def __setattr__(self, name, value):
        object.__setattr__(self, name, value)
        if name == "FreezePanes":
            self.book.sheets.active.freeze_at = self.SplitRow if value else None


class FakeBook:
    def __init__(self, fullname, sheets: dict[str, list[list]], active: str, lite: bool = False):
        self.fullname, self.name = fullname, fullname.rsplit("/", 1)[-1]
        self.lite = lite
        self.sheet_list = [FakeSheet(self, n, rows) for n, rows in sheets.items()]
        self.active_name = active
        self.sheets = FakeSheets(self)
        self.alerts: list[str] = []
        if not lite:
            self.app = SimpleNamespace(alert=lambda text, title=None: self.alerts.append(text),
                                       books=SimpleNamespace(open=self._open),
                                       api=SimpleNamespace(ActiveWindow=_Window(self)))

    def _open(self, path):
        """Excel opening a workbook kehu built: values, number formats, bold, fills, widths and hidden state."""
        import openpyxl

        wb = openpyxl.load_workbook(str(path))
        other = FakeBook(str(path), {}, wb.sheetnames[0])
        for ws in wb.worksheets:
            sheet = FakeSheet(other, ws.title)
            other.sheet_list.append(sheet)
            sheet.visible = ws.sheet_state == "visible"
            if ws.freeze_panes:
                sheet.freeze_at = ws[ws.freeze_panes].row - 1
            if ws.print_title_rows:
                sheet.page.PrintTitleRows = ws.print_title_rows
            if ws.page_setup.orientation:
                sheet.page.Orientation = 2 if ws.page_setup.orientation == "landscape" else 1
            # the rest of the print setup, as Excel's Sheet.copy carries it
            if ws.print_title_cols:
                sheet.page.PrintTitleColumns = ws.print_title_cols
            if ws.print_area:
                sheet.page.PrintArea = ws.print_area.split("!")[-1]
            if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage:
                sheet.page.FitToPagesWide = int(ws.page_setup.fitToWidth or 1)
            if ws.page_setup.paperSize:
                sheet.page.PaperSize = int(ws.page_setup.paperSize)
            footer = ws.oddFooter
            if footer.left.text or footer.center.text or footer.right.text:
                sheet.page.LeftFooter, sheet.page.CenterFooter, sheet.page.RightFooter = (
                    footer.left.text or "", footer.center.text or "", footer.right.text or "")
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value not in (None, ""):
                        sheet.cells[(cell.row, cell.column)] = getattr(cell.value, "text", cell.value)
                        if cell.number_format != "General":
                            sheet.formats[(cell.row, cell.column)] = cell.number_format
                    if cell.hyperlink is not None and cell.hyperlink.location:
                        sheet.links[(cell.row, cell.column)] = "#" + cell.hyperlink.location
                    if cell.font is not None and cell.font.b:
                        sheet.fonts.setdefault((cell.row, cell.column), {})["bold"] = True
                    if cell.fill is not None and cell.fill.fill_type == "solid":
                        sheet.fills[(cell.row, cell.column)] = "#" + str(cell.fill.fgColor.rgb)[-6:].upper()
            for letter, dim in ws.column_dimensions.items():
                if dim.width and dim.customWidth:
                    from openpyxl.utils import column_index_from_string

                    for c in range(column_index_from_string(letter) if not dim.min else dim.min,
                                   (dim.max or column_index_from_string(letter)) + 1):
                        sheet.widths[c] = dim.width
        other.close = lambda: None
        return other
