"""One streaming pass over a worksheet's XML: the extent of the cells really present, and the error cells.

Cells and rows may omit `r=` (legal OOXML: a cell without it sits right of the previous cell, a row
without it below the previous row), so positions are counted, never taken only from attributes, and
never from `<dimension>`, which can claim the whole sheet. The part is read in blocks; memory stays
at one block whatever the part holds (a zip bomb of whitespace, a giant string).
"""
from __future__ import annotations

import functools
import re
import zipfile
from dataclasses import dataclass, field

from addin.read.limits import bounded_open, inflate_fast_or_as_before

BLOCK = 1 << 23                      # 8 MiB of inflated XML per step
CARRY_LIMIT = 1 << 24                # a row longer than this is cut inside (at a tag), so memory stays bounded
_TOKEN = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*?)(/?)>|</(?:[A-Za-z_][\w.-]*:)?row>')
_R_ATTR = re.compile(rb'\br="\$?([A-Z]{0,3})\$?(\d*)"')
_ERROR_ATTR = re.compile(rb'\bt="e"')
_VALUE = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?v>([^<]*)</(?:[A-Za-z_][\w.-]*:)?v>')
_NEXT_CELL_OR_ROW = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?(?:c|row)[\s/>]|</(?:[A-Za-z_][\w.-]*:)?row>')
# fast path: a block whose every cell and row starts with r= (what Excel writes) needs no per-cell work;
# anything but exactly <c r=" or <row r=" takes the slow path
_CELL_WITHOUT_REF = re.compile(rb'<c(?! r=")[\s/>]')
_ROW_TAGS = re.compile(rb'<row(?! r=")[\s/>]|<row r="(\d+)"')   # findall: b"" for a row without r=
_ROW_REF = re.compile(rb'<row r="(\d+)"')
_CELL_REFS = {n: re.compile(rb'<c r="([A-Z]{%d})(\d+)"' % n) for n in (1, 2, 3)}
_LAST_CELL = re.compile(rb'.*<c r="([A-Z]{1,3})(\d+)"', re.S)


def column_number(letters: bytes | str) -> int:
    """A → 1, Z → 26, AA → 27 (1-based)."""
    n = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        n = n * 26 + (ch - 64)
    return n


@dataclass
class SheetScan:
    max_row: int = 0                 # 1-based; 0 when the sheet holds no cell
    max_col: int = 0                 # 1-based
    cells: int = 0                   # cells seen on the slow path only (0 when every cell has r=)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)   # (row0, col0) → "#N/A"

    @property
    def area(self) -> int:
        return self.max_row * self.max_col


class _State:
    """Where the scan is: the current row and the column of the last cell seen in it."""

    def __init__(self, want_errors: bool):
        self.row = 0
        self.col = 0
        self.want_errors = want_errors
        self.scan = SheetScan()

    def feed(self, data: bytes) -> None:
        # cheapest test first; the row tags' search also gives the fast path its row numbers
        irregular = (_prefixed_tag(data) or (self.want_errors and b"t=\"e\"" in data)
                     or _CELL_WITHOUT_REF.search(data))
        rows = None if irregular else _ROW_TAGS.findall(data)
        if rows is None or b"" in rows:   # b"": a row without r=
            self._slow(data)
        else:
            self._fast(data, rows)

    def _fast(self, data: bytes, rows: list[bytes]) -> None:
        """Every cell and row carries r= and no error cell is wanted: a few C-speed searches per block."""
        scan = self.scan
        if rows:
            scan.max_row = max(scan.max_row, max(map(int, rows)))
        scan.max_col = _max_column(data, scan.max_col)
        # carry the position into the next block (which may hold cells without r=)
        tail = data[max(0, data.rfind(b"<row")):]
        if rows and _ROW_REF.match(tail):
            self.row, self.col = int(_ROW_REF.match(tail).group(1)), 0
        cells = _LAST_CELL.match(tail)
        if cells:
            self.row, self.col = int(cells.group(2)), column_number(cells.group(1))

    def _slow(self, data: bytes) -> None:
        scan = self.scan
        for m in _TOKEN.finditer(data):
            tag = m.group(1)
            if tag is None:          # </row>
                continue
            ref = _R_ATTR.search(m.group(2))
            if tag == b"row":
                self.row = int(ref.group(2)) if ref and ref.group(2) else self.row + 1
                self.col = 0
                if not m.group(3):
                    scan.max_row = max(scan.max_row, self.row)
                continue
            if ref and ref.group(1):
                self.col = column_number(ref.group(1))
                if ref.group(2):
                    self.row = int(ref.group(2))
            else:
                self.col += 1
            row = max(self.row, 1)
            scan.cells += 1
            scan.max_row = max(scan.max_row, row)
            scan.max_col = max(scan.max_col, self.col)
            if self.want_errors and _ERROR_ATTR.search(m.group(2)) and not m.group(3):
                stop = _NEXT_CELL_OR_ROW.search(data, m.end())
                v = _VALUE.search(data, m.end(), stop.start() if stop else len(data))
                if v:
                    scan.errors[(row - 1, self.col - 1)] = v.group(1).decode("utf-8", "replace")


def _prefixed_tag(data: bytes) -> bool:
    """A `:c ` or `:row ` anywhere (a prefixed cell or row: <x:c …>); a colon-free block, the rule, is ruled
    out by one memchr instead of two substring searches."""
    return b":" in data and (b":c " in data or b":row " in data)


_WIDE = re.compile(rb'<c r="[A-Z][A-Z]')
_ONE_LETTER = re.compile(rb'<c r="([A-Z])\d')


@functools.lru_cache(maxsize=32)
def _beyond(known: int) -> re.Pattern:
    """A cell reference that may lie right of column `known`: two or three letters, or one letter after it."""
    if known >= 26:
        return _WIDE
    return re.compile(rb'<c r="(?:[A-Z][A-Z]|[%s-Z]\d)' % bytes([65 + known]))


def _max_column(data: bytes, known: int) -> int:
    """The rightmost column referenced by `<c r="…">` in a block where every cell has r= (at least `known`)."""
    if not _beyond(known).search(data):   # the rule after the first block: one search says nothing is further
        return known
    if _WIDE.search(data):   # two or three letters: rare, so one search rules them out
        width = 3 if _CELL_REFS[3].search(data) else 2
        return max(known, max(column_number(c) for c in {c for c, _ in _CELL_REFS[width].findall(data)}))
    if known >= 26:
        return known
    above = re.compile(rb'<c r="[%s-Z]\d' % bytes([65 + known]))   # only a letter right of the known one matters
    if not above.search(data):
        return known
    return max(known, max(column_number(c) for c in set(_ONE_LETTER.findall(data))))


def _cut(data: bytes) -> int:
    """Where to end a block: after the last complete cell or row, else after the last tag."""
    for end_tag in (b"</row>", b"</c>", b"/>"):
        at = data.rfind(end_tag)
        if at >= 0:
            return at + len(end_tag)
    return max(0, len(data) - 1024)  # inside one long text: no tag can start here


def scan_sheet(zf: zipfile.ZipFile, member: str, *, want_errors: bool = True) -> SheetScan:
    """Extent and error cells of one worksheet part, in one bounded streaming pass."""
    return inflate_fast_or_as_before(lambda fast: _scan(zf, member, want_errors, fast_inflate=fast))


def _scan(zf: zipfile.ZipFile, member: str, want_errors: bool, fast_inflate: bool) -> SheetScan:
    state = _State(want_errors)
    carry = b""
    with bounded_open(zf, member, fast=fast_inflate) as fh:
        while True:
            block = fh.read(BLOCK)
            data = carry + block
            if not block:
                if data:
                    state.feed(data)
                break
            cut = _cut(data)
            if len(data) - cut > CARRY_LIMIT:   # no complete cell in sight: never let the carry grow (quadratic)
                cut = max(data.rfind(b">") + 1, len(data) - 1024)
            state.feed(data[:cut])
            carry = data[cut:]
    return state.scan
