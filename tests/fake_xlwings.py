"""A stand-in for the slice of the xlwings object model that `addin.book.live.XlwingsBook` uses.

Excel is not available here; this fake keeps cells in a dict with xlwings' 1-based (row, column)
addressing, so the live door's arithmetic (where added columns land, how sheets are filled) is tested.
"""
from __future__ import annotations

from types import SimpleNamespace


class FakeRange:
    def __init__(self, sheet, first, last=None):
        self.sheet, self.first, self.last = sheet, first, last or first
        self.font = SimpleNamespace(bold=False)
        self.color = None
        self._format = None

    @property
    def number_format(self):
        return self._format

    @number_format.setter
    def number_format(self, fmt):
        self._format = fmt
        for r in range(self.first[0], self.last[0] + 1):
            for c in range(self.first[1], self.last[1] + 1):
                self.sheet.formats[(r, c)] = fmt

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


class UsedRange:
    def __init__(self, sheet):
        keys = sheet.cells.keys() or [(1, 1)]
        self.sheet = sheet
        self.row, self.column = min(k[0] for k in keys), min(k[1] for k in keys)
        self.last_row, self.last_col = max(k[0] for k in keys), max(k[1] for k in keys)
        self.columns = SimpleNamespace(count=self.last_col - self.column + 1)

    def options(self, **_kw):
        return self

    @property
    def value(self):
        return [[self.sheet.cells.get((r, c)) for c in range(self.column, self.last_col + 1)]
                for r in range(self.row, self.last_row + 1)]


class FakeSheet:
    def __init__(self, book, name, rows=()):
        self.book, self.name = book, name
        self.cells, self.formats = {}, {}
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if v not in (None, ""):
                    self.cells[(i + 1, j + 1)] = v

    @property
    def used_range(self):
        return UsedRange(self)

    def range(self, first, last=None):
        return FakeRange(self, first, last)

    def delete(self):
        self.book.sheet_list.remove(self)

    def activate(self):
        self.book.active_name = self.name

    def copy(self, after=None, name=None):
        clone = FakeSheet(after.book, name or self.name)
        clone.cells, clone.formats = dict(self.cells), dict(self.formats)
        after.book.sheet_list.append(clone)


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

    def add(self, name, after=None):
        sheet = FakeSheet(self.book, name)
        self.book.sheet_list.append(sheet)
        return sheet


class FakeBook:
    def __init__(self, fullname, sheets: dict[str, list[list]], active: str):
        self.fullname, self.name = fullname, fullname.rsplit("/", 1)[-1]
        self.sheet_list = [FakeSheet(self, n, rows) for n, rows in sheets.items()]
        self.active_name = active
        self.sheets = FakeSheets(self)
        self.alerts: list[str] = []
        self.app = SimpleNamespace(alert=lambda text, title=None: self.alerts.append(text),
                                   books=SimpleNamespace(open=self._open))

    def _open(self, path):
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_path(str(path))
        other = FakeBook(str(path), {n: wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names},
                         wb.sheet_names[0])
        other.close = lambda: None
        return other
