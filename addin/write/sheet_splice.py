"""Stream a worksheet part and splice new cells onto the ends of given rows, without building a DOM.

The sheet XML of a full register is hundreds of megabytes. It is read in blocks, cut at
`</row>` boundaries, and each row is copied through untouched except for the rows that get
new cells (appended before `</row>`, so cells stay in column order because the new columns
lie right of every used column). Rows that do not exist yet are inserted in row order.
"""
from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass, field
from typing import Callable, Iterator

import numpy as np

from addin.read.sheet_scan import scan_sheet
from addin.write.cells import column_index, column_letter
from addin.write.deflate import use_fast_decompressor
from addin.write.page_setup import PageSetup, add_missing_head, add_missing_tail

BLOCK = 1 << 23   # 8 MiB of decompressed XML per step
_SNIFF = 1 << 12  # bytes of the part's start that show a prefixed root element
_ROW_OPEN = re.compile(r"<row\b([^>]*?)(/?)>")
_ROW_NUMBER = re.compile(r'\br="(\d+)"')
_SPANS = re.compile(r'\bspans="(\d+)[^"]*"')
_CELL_COLUMN = re.compile(r'<c\b[^>]*?\br="([A-Z]+)')
_DIMENSION = re.compile(r'<dimension\b[^>]*?\bref="([^"]*)"[^>]*/>')
_COLS = re.compile(r"<cols>(.*?)</cols>", re.S)
_COL = re.compile(r"<col\b[^>]*/>")
_SHEET_DATA = re.compile(r"<sheetData\s*(/?)>")
_SHEET_DATA_BYTES = re.compile(rb"<sheetData\s*(/?)>")
_REF = re.compile(r"([A-Z]+)(\d+)")
_ROW_STARTS = re.compile(rb'<row\b(?: r="(\d+)")?')
_ROW_SPANS = re.compile(rb'(<row\b[^>]*?\bspans="\d+):[^"]*"')
_CELL_WITHOUT_LEADING_REF = re.compile(r'<c(?!\s+r=")[\s/>]')


def columns_from(first_col: int) -> re.Pattern:
    """A pattern for a cell reference in column `first_col` or further right (`<c r="P7`, `<c r="AA7`)."""
    letters = column_letter(first_col)
    longer = [f"[A-Z]{{{len(letters) + 1},3}}"] if len(letters) < 3 else []
    same_length = [letters[:i] + f"[{chr(ord(ch) + 1)}-Z]" + "[A-Z]" * (len(letters) - i - 1)
                   for i, ch in enumerate(letters) if ch < "Z"]
    return re.compile('<c r="(?:' + "|".join(longer + same_length + [letters]) + r")\d")


def _odd_or_overlapping_cell(first_col: int) -> re.Pattern:
    """One bytes pattern for both things the bulk path must not meet: a cell whose first attribute is not
    r= (group 1 matches), or a cell in column `first_col` or further right (group 1 is None)."""
    references = columns_from(first_col).pattern[len('<c r="'):]
    return re.compile(('<c(?:((?!\\s+r=")[\\s/>])| r="' + references + ")").encode())


def columns_before(first_col: int) -> str:
    """A pattern (text) for the letters of a column left of `first_col` (`O` or `AA`, for first_col P or AB)."""
    letters = column_letter(first_col)
    shorter = [f"[A-Z]{{1,{len(letters) - 1}}}"] if len(letters) > 1 else []
    same_length = [letters[:i] + f"[A-{chr(ord(ch) - 1)}]" + "[A-Z]" * (len(letters) - i - 1)
                   for i, ch in enumerate(letters) if ch > "A"]
    return "(?:" + "|".join(shorter + same_length or ["(?!)"]) + ")"


def _unusual_cell(first_col: int) -> re.Pattern:
    """A cell that is not `<c r="` and a column left of `first_col`: wherever _odd_or_overlapping_cell
    matches, this does too, and it is tried twice as fast; the bulk path looks for the other from its match."""
    return re.compile(('<c(?! r="' + columns_before(first_col) + r'\d)(?=[\s/>])').encode())


class ColumnsOverlap(Exception):
    """A row holds cells at or right of the first added column (the dimension was wrong)."""


@dataclass
class Splice:
    first_col: int                                   # 1-based index of the first added column
    last_col: int                                    # 1-based index of the last added column
    cells: dict[int, str]                            # row number → cell XML to append
    widths: dict[int, float] = field(default_factory=dict)   # column index → width
    sheet_max_row: int = 0                           # last row holding a cell, as scanned (not <dimension>)
    replace: tuple[int, int] | None = None           # 1-based columns of an earlier run's cells, dropped first
    tail: Callable[[str], str] | None = None         # an edit of the XML after </sheetData> (marks: formats, notes)
    page: PageSetup | None = None                    # print setup to add where the sheet has none of its own


def read_head(src: zipfile.ZipFile, member: str) -> str:
    """The sheet XML up to (not including) <sheetData."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    text = ""
    with src.open(member) as stream:
        while True:
            block = stream.read(1 << 16)
            text += decoder.decode(block, final=not block)
            text = _unprefix(text, _prefix_of(text))
            at = text.find("<sheetData")
            if at >= 0:
                return text[:at]
            if not block:
                raise ValueError("no <sheetData> in %s" % member)


def dimension_bounds(head: str) -> tuple[int, int] | None:
    """(max column, max row) declared by <dimension>, or None when absent."""
    m = _DIMENSION.search(head)
    if not m:
        return None
    refs = _REF.findall(m.group(1).replace("$", ""))
    if not refs:
        return None
    return max(column_index(c) for c, _ in refs), max(int(r) for _, r in refs)


def scan_max_column(src: zipfile.ZipFile, member: str) -> int:
    """The rightmost column holding a cell, counting cells without r= (never trusting <dimension>)."""
    return scan_sheet(src, member, want_errors=False).max_col


_PREFIXED_ROOT = re.compile(r'<([A-Za-z_][\w.-]*):worksheet\b[^>]*\bxmlns:\1="http://schemas\.openxmlformats\.org/'
                            r'spreadsheetml/2006/main"')


def _prefix_of(text: str) -> str | None:
    """The prefix of a sheet written as <x:worksheet xmlns:x=…> (OpenXML SDK style), else None."""
    m = _PREFIXED_ROOT.search(text[:4096])
    if not m:
        return None
    root_tag = text[m.start():text.find(">", m.start()) + 1]
    return None if 'xmlns="' in root_tag else m.group(1)


def _unprefix(text: str, prefix: str | None) -> str:
    """The same elements in the default namespace, so the splice (and the cells it adds) need no prefix."""
    if not prefix:
        return text
    text = re.sub(rf"<(/?){re.escape(prefix)}:", r"<\1", text)
    return text.replace(f'xmlns:{prefix}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
                        f'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                        f'xmlns:{prefix}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"', 1)


def _blocks(src: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    """The part's UTF-8 bytes in blocks that each end at a `>` (so no tag, and no character, is split:
    `>` is one byte that never occurs inside a multi-byte character).

    A sheet whose elements carry a prefix (<x:row>) comes out in the default namespace (<row>).
    """
    carry = b""
    prefix: bytes | None = None
    first = True
    with src.open(member) as stream:
        use_fast_decompressor(stream)
        while True:
            block = stream.read(BLOCK)
            text = carry + block
            if first and block and len(text) < _SNIFF:   # enough of the start to see the root element
                carry = text
                continue
            if first:
                start = text[:text.rfind(b">") + 1] if block else text
                found = _prefix_of(start.decode("utf-8"))
                prefix, first = found.encode() if found else None, False
                text = _unprefix(start.decode("utf-8"), found).encode("utf-8") + text[len(start):]
            elif prefix:
                text = re.sub(rb"<(/?)" + re.escape(prefix) + rb":", rb"<\1", text)
            if not block:
                if text:
                    yield text
                return
            cut = text.rfind(b">") + 1
            carry = text[cut:]
            yield text[:cut]


def _new_head(head: str, splice: Splice, max_row: int) -> str:
    m = _DIMENSION.search(head)
    if m:
        refs = _REF.findall(m.group(1).replace("$", ""))
        first = refs[0] if refs else ("A", "1")
        ref = f"{first[0]}{first[1]}:{column_letter(splice.last_col)}{max_row}"
        head = head[:m.start(1)] + ref + head[m.end(1):]
    if splice.widths:
        new_cols = [f'<col min="{c}" max="{c}" width="{w:.2f}" customWidth="1"/>' for c, w in sorted(splice.widths.items())]
        m = _COLS.search(head)
        if m:
            kept = _split_cols(_COL.findall(m.group(1)), splice.first_col, splice.last_col)
            ordered = sorted(kept + new_cols, key=lambda col: int(re.search(r'\bmin="(\d+)"', col).group(1)))
            head = head[:m.start(1)] + "".join(ordered) + head[m.end(1):]
        else:   # <cols> sits right before <sheetData> (CT_Worksheet order)
            head = head + "<cols>" + "".join(new_cols) + "</cols>"
    return head


def _split_cols(cols: list[str], first: int, last: int) -> list[str]:
    """Existing <col> ranges with [first, last] cut out (col ranges must not overlap)."""
    kept = []
    for col in cols:
        lo = int(re.search(r'\bmin="(\d+)"', col).group(1))
        hi = int(re.search(r'\bmax="(\d+)"', col).group(1))
        if hi < first or lo > last:
            kept.append(col)
            continue
        for a, b in ((lo, first - 1), (last + 1, hi)):
            if a <= b:
                kept.append(re.sub(r'\bmax="\d+"', f'max="{b}"', re.sub(r'\bmin="\d+"', f'min="{a}"', col)))
    return kept


def splice_sheet(src: zipfile.ZipFile, member: str, splice: Splice) -> Iterator[bytes]:
    """Yield the edited sheet XML as UTF-8 blocks. Raises ColumnsOverlap if a cell sits in the added columns.

    The rows stay UTF-8 bytes from the zip to the output: only the head and unusual blocks are decoded.
    """
    targets = np.array(sorted(splice.cells), dtype=np.int64)
    max_row = int(targets[-1]) if len(targets) else 1
    head_done = False
    rows = _RowSplicer(splice, targets)
    buffer = b""
    tail: list[bytes] = []   # past </sheetData>, kept (a few kilobytes) when marks or a print setup edit it
    edit_tail = splice.tail is not None or splice.page is not None
    for text in _blocks(src, member):
        if rows.closed and edit_tail:
            tail.append(buffer + text)
            buffer = b""
            continue
        if rows.closed:   # past </sheetData>: the rest of the part goes through as it is
            yield buffer + text
            buffer = b""
            continue
        buffer += text
        if not head_done:
            m = _SHEET_DATA_BYTES.search(buffer)
            if not m:
                continue
            head = buffer[:m.start()].decode("utf-8")
            # the scanned last row when the caller has it; <dimension> only as a fallback
            bounds = dimension_bounds(head) if not splice.sheet_max_row else None
            head = _new_head(head, splice, max(max_row, splice.sheet_max_row, bounds[1] if bounds else 0))
            if splice.page is not None:
                head = add_missing_head(head, splice.page)
            head_done = True
            if m.group(1):   # <sheetData/>: an empty sheet
                yield (head + "<sheetData>" + rows.finish() + "</sheetData>").encode("utf-8")
                buffer = buffer[m.end():]
                rows.closed = True
                continue
            yield head.encode("utf-8") + buffer[m.start():m.end()]
            buffer = buffer[m.end():]
        end = buffer.find(b"</sheetData>")
        if end >= 0:
            yield rows.process(buffer[:end]) + rows.finish().encode("utf-8")
            buffer = buffer[end:]
            rows.closed = True
            continue
        cut = buffer.rfind(b"</row>")
        if cut >= 0:
            cut += len(b"</row>")
            yield rows.process(buffer[:cut])
            buffer = buffer[cut:]
    if not head_done:
        raise ValueError("no <sheetData> in %s" % member)
    if edit_tail:
        rest = (b"".join(tail) + buffer).decode("utf-8")
        if splice.tail is not None:
            rest = splice.tail(rest)
        if splice.page is not None:
            rest = add_missing_tail(rest, splice.page)
        yield rest.encode("utf-8")
    elif buffer:
        yield buffer


def sheet_tail(src: zipfile.ZipFile, member: str) -> str:
    """The sheet XML after </sheetData> (its print setup among it), read by streaming the part once."""
    kept, found = b"", False
    for text in _blocks(src, member):
        if found:
            kept += text
            continue
        at = (kept[-16:] + text).find(b"</sheetData>")
        if at >= 0:
            kept, found = (kept[-16:] + text)[at:], True
        else:
            kept = text[-16:]
    return kept.decode("utf-8") if found else ""


_ANY_CELL = re.compile(rb'<c r="([A-Z]{1,3})\d+"(?:[^>]*?/>|[^>]*>.*?</c>)', re.S)
_CELL_OPEN = re.compile(r"<c(?=[\s/>])([^>]*)>")
_CELL_REF_ATTR = re.compile(r'\br="([A-Z]+)')


def _last_column_counted(text: str, start: int, end: int) -> int:
    """1-based column of a row's last cell, where a cell without r= follows the one before it."""
    col = 0
    for m in _CELL_OPEN.finditer(text, start, end):
        ref = _CELL_REF_ATTR.search(m.group(1))
        col = column_index(ref.group(1)) if ref else col + 1
    return col


_JOIN_RUN = 8192   # pieces joined at a time


def _join_in_runs(pieces: list[bytes]) -> bytes:
    """b"".join(pieces), done in runs: bytes.join keeps an 80-byte buffer record per piece, which for the half
    million pieces of a block is 40 MB that leaves the cache; runs of a few thousand stay in it (2x faster)."""
    join = b"".join
    return join([join(pieces[at:at + _JOIN_RUN]) for at in range(0, len(pieces), _JOIN_RUN)])


class _RowSplicer:
    """Copies rows through, appending cells to target rows and inserting missing target rows."""

    def __init__(self, splice: Splice, targets: np.ndarray):
        self.cells = splice.cells
        self.first_col = splice.first_col
        self.spans = f":{splice.last_col}"
        self.targets = targets.tolist()
        self.target_array = targets
        self._odd_cell = _CELL_WITHOUT_LEADING_REF
        self._odd_or_overlap = _odd_or_overlapping_cell(splice.first_col)
        self._unusual = _unusual_cell(splice.first_col)
        self._spans_end = f':{splice.last_col}"'.encode()
        self.next_target = 0          # index into targets of the first target row not yet written
        self.previous_row = 0
        self.closed = False
        self._letters: dict[str, int] = {}
        self._letters_bytes: dict[bytes, int] = {}
        self.replace = splice.replace

    def _drop_replaced(self, text: bytes) -> bytes:
        """The cells an earlier kehu run wrote (columns self.replace) removed; the rest untouched."""
        first, last = self.replace
        letters = self._letters_bytes

        def keep(m: re.Match) -> bytes:
            col = letters.get(m.group(1))
            if col is None:
                col = letters[m.group(1)] = column_index(m.group(1).decode("ascii"))
            return b"" if first <= col <= last else m.group(0)
        return _ANY_CELL.sub(keep, text)

    def _missing_rows_before(self, row: int, out: list[str]) -> None:
        targets, i = self.targets, self.next_target
        while i < len(targets) and targets[i] < row:
            out.append(f'<row r="{targets[i]}">{self.cells[targets[i]]}</row>')
            i += 1
        if i < len(targets) and targets[i] == row:
            i += 1
        self.next_target = i

    def process(self, text: bytes) -> bytes:
        """Rows in `text` (UTF-8, whole rows only) with cells spliced in."""
        if self.replace:
            text = self._drop_replaced(text)
        spliced = self._process_regular(text)
        return spliced if spliced is not None else self._process_any(text.decode("utf-8")).encode("utf-8")

    def _widen_spans(self, text: bytes) -> bytes:
        """Every row's spans="first:last" made to reach the last added column: what
        `_ROW_SPANS.sub(rb'\\g<1>:LAST"', text)` gives, without a template expanded in Python for each row."""
        pieces = _ROW_SPANS.split(text)   # text, row head up to spans="first, text, row head, …
        pieces[1::2] = [head + self._spans_end for head in pieces[1::2]]
        return b"".join(pieces)

    def _process_regular(self, text: bytes) -> bytes | None:
        """The bulk path, for blocks of well-formed rows as Excel writes them; None if the block is unusual.

        Usual means: every row has r= and a closing tag, rows ascend, every cell starts with r=,
        and no target row is missing from the block. Then the block is split at </row> and the
        new cells appended to each piece, with no per-row regex work.
        """
        numbers = _ROW_STARTS.findall(text)   # b"" for a row whose first attribute is not r=
        n = len(numbers)
        if n == 0 or not all(numbers):
            return None
        rows = np.fromiter(map(int, numbers), dtype=np.int64, count=n)
        if rows[0] <= self.previous_row or (n > 1 and not (np.diff(rows) > 0).all()):
            return None
        stop = int(np.searchsorted(self.target_array, rows[-1], side="right"))
        wanted = self.target_array[self.next_target:stop]
        if len(wanted) and not np.isin(wanted, rows).all():
            return None
        unusual = self._unusual.search(text)
        odd = self._odd_or_overlap.search(text, unusual.start()) if unusual else None
        if odd and odd.group(1) is not None:   # a cell without a leading r=: the row-by-row path counts it
            return None
        if odd:
            raise ColumnsOverlap(int(rows[0]))
        spliced = self._widen_spans(text) if b"spans=" in text else text  # as _process_any
        pieces = spliced.split(b"</row>")
        if len(pieces) != n + 1:   # a self-closing row, or a row that is not closed
            return None
        self.next_target, self.previous_row = stop, int(rows[-1])
        if len(wanted) == 0:
            return spliced
        row_pieces = getattr(self.cells, "row_pieces", None)
        if row_pieces is not None:   # one join for the block: each row's content, then its cells and </row>
            joined, starts = row_pieces(rows)
            joined[starts] = pieces[:n]
            return _join_in_runs(joined.tolist() + [pieces[-1]])
        get = self.cells.get   # a plain mapping of row → cells
        added = [get(row, "").encode("utf-8") for row in rows.tolist()]
        lines = np.empty((n, 3), dtype=object)
        lines[:, 0] = pieces[:n]
        lines[:, 1] = added
        lines[:, 2] = b"</row>"
        return b"".join(lines.ravel().tolist()) + pieces[-1]

    def _process_any(self, text: str) -> str:
        """Row by row: rows without r=, self-closing rows, missing rows to insert."""
        out: list[str] = []
        pos = 0
        cells, letters = self.cells, self._letters
        for m in _ROW_OPEN.finditer(text):
            attrs = m.group(1)
            number = _ROW_NUMBER.search(attrs)
            row = int(number.group(1)) if number else self.previous_row + 1
            self.previous_row = row
            if m.group(2):
                content_end = end = m.end()
            else:
                content_end = text.find("</row>", m.end())
                end = content_end + 6
                if self._odd_cell.search(text, m.end(), content_end):   # cells without r=: count them
                    if _last_column_counted(text, m.end(), content_end) >= self.first_col:
                        raise ColumnsOverlap(row)
                else:
                    last = text.rfind("<c ", m.end(), content_end)
                    ref = _CELL_COLUMN.match(text, last) if last >= 0 else None
                    if ref:
                        col = letters.get(ref.group(1))
                        if col is None:
                            col = letters[ref.group(1)] = column_index(ref.group(1))
                        if col >= self.first_col:
                            raise ColumnsOverlap(row)
            if self.next_target < len(self.targets) and self.targets[self.next_target] <= row:
                out.append(text[pos:m.start()])
                pos = m.start()
                self._missing_rows_before(row, out)
            added = cells.get(row)
            if added is None and "spans=" not in attrs:
                continue
            out.append(text[pos:m.start()])
            if "spans=" in attrs:   # spans is a hint for a block of rows and may be wider than a row's own cells
                attrs = _SPANS.sub(lambda s: f'spans="{s.group(1)}{self.spans}"', attrs)
            if added is None:
                out.append(f"<row{attrs}{m.group(2)}>")
                pos = m.end()
                continue
            out.append(f"<row{attrs}>")
            out.append(text[m.end():content_end])
            out.append(added)
            out.append("</row>")
            pos = end
        out.append(text[pos:])
        return "".join(out)

    def finish(self) -> str:
        out: list[str] = []
        self._missing_rows_before(1 << 62, out)
        return "".join(out)
