"""Find the header row (often below a title or two) and where the data ends (before notes and totals)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from udfs.recognise import role_from_header

#: how many rows from the top may hold titles before the header
SCAN_ROWS = 30
_NOTE = re.compile(r"^\s*(注|备注|備註|说明|說明|附注|附註|制表|製表|填表|审核|審核|数据来源|數據來源|统计日期|統計日期|"
                   r"note|notes|source|prepared)", re.I)
_TOTAL = re.compile(r"^\s*(合\s*[计計]|[总總]\s*[计計]|小\s*[计計]|共[计計]|total|subtotal|sum)\b", re.I)


@dataclass
class Extent:
    header_row: int          # 0-based grid row of the header
    first_col: int           # 0-based first and last column of the table
    last_col: int
    data_rows: list[int]     # 0-based grid rows holding records
    skipped_notes: list[int]
    skipped_totals: list[int]


def blank(v: object) -> bool:
    return v is None or v == "" or (isinstance(v, str) and not v.strip())


def _is_label(v: object) -> bool:
    return isinstance(v, str) and bool(v.strip()) and not _numberish(v)


def _numberish(v: str) -> bool:
    try:
        float(v.replace(",", ""))
        return True
    except ValueError:
        return False


def header_score(row: list[object], kind: str) -> tuple[int, int, int]:
    """(alias hits, label cells, -non-label cells): compared as a tuple, bigger is more header-like."""
    hits = labels = others = 0
    for v in row:
        if blank(v):
            continue
        if _is_label(v):
            labels += 1
            if role_from_header(v, kind)[0]:
                hits += 1
        else:
            others += 1
    return hits, labels, -others


def find_header(rows: list[list[object]], kind: str = "register") -> int | None:
    """0-based index of the header row, or None when no row looks like one."""
    best, best_key = None, None
    for i, row in enumerate(rows[:SCAN_ROWS]):
        filled = sum(not blank(v) for v in row)
        if filled < 2 and not (filled == 1 and _only_column(rows, i)):
            continue  # a title ("2024年客户档案") fills one merged cell
        hits, labels, neg_others = header_score(row, kind)
        if labels < 2 and not (labels == 1 and filled == 1):
            continue
        if labels < filled * 0.6:
            continue  # mostly numbers or dates: a data row
        key = (hits, labels, neg_others)
        if best_key is None or key > best_key:
            best, best_key = i, key
    if best is None:
        return None
    if best_key[0] == 0:
        # nothing we know: take the first label row that has data below it
        for i, row in enumerate(rows[:SCAN_ROWS]):
            hits, labels, neg_others = header_score(row, kind)
            if labels >= 2 and labels >= 0.6 * (labels - neg_others) and _has_data_below(rows, i):
                return i
        return None
    return best


def _only_column(rows, i) -> bool:
    return all(sum(not blank(v) for v in r) <= 1 for r in rows[i: i + 20])


def _has_data_below(rows, i) -> bool:
    return any(sum(not blank(v) for v in r) >= 2 for r in rows[i + 1: i + 30])


def find_extent(rows: list[list[object]], header_row: int | None, first_data: int | None = None) -> Extent:
    """Data rows below the header; with header_row None (a sheet without one) from first_data on."""
    start = header_row + 1 if header_row is not None else first_data
    if header_row is not None:
        filled = [j for j, v in enumerate(rows[header_row]) if not blank(v)]
    else:  # no header: the table spans every column the first rows of data use
        filled = sorted({j for r in rows[start:start + 200] for j, v in enumerate(r) if not blank(v)})
    first_col, last_col = filled[0], filled[-1]
    width = last_col - first_col + 1
    need = 1 if width == 1 else 2
    data, notes = [], []
    whole_row = first_col == 0   # a row exactly the table's width is looked at as it is, not copied
    for i in range(start, len(rows)):
        row = rows[i]
        cells = row if whole_row and len(row) == last_col + 1 else row[first_col:last_col + 1]
        # list.count runs in C: this loop visits a million rows in well under a second
        present = len(cells) - cells.count("") - cells.count(None)
        if present == 0:
            continue
        if present == 1:
            value = next(v for v in cells if not blank(v)) if any(not blank(v) for v in cells) else None
            if value is None:
                continue  # only whitespace
            if width > 1 and isinstance(value, str) and (_NOTE.match(value) or len(value.strip()) > 30):
                notes.append(i)
                continue
        data.append(i)
    # rows after the last substantive row are notes, not customers
    while data and width > 1 and _filled(rows[data[-1]][first_col:last_col + 1]) < need:
        notes.append(data.pop())
    totals = []
    while data and _is_total_row(rows[data[-1]][first_col:last_col + 1]):
        totals.append(data.pop())
    return Extent(header_row, first_col, last_col, data, sorted(notes), totals)


def _filled(cells: list[object]) -> int:
    return sum(not blank(v) for v in cells)


def _is_total_row(cells: list[object]) -> bool:
    texts = [v for v in cells[:4] if isinstance(v, str) and v.strip()]
    return any(_TOTAL.match(t) for t in texts)


def combine_two_row_header(rows: list[list[object]], header_row: int,
                           merged: list[tuple[int, int, int, int]]) -> int:
    """A header written on two rows (联系方式 merged over 手机 | 电话) becomes one row; returns its index.

    Only when the header row has merged cells reaching down or across and the row below holds labels
    and nothing else. The lower row then gets every column's name (its own label, else the one above),
    and the data starts below it. Otherwise nothing changes.
    """
    below_index = header_row + 1
    if below_index >= len(rows):
        return header_row
    top, below = rows[header_row], rows[below_index]
    below_cells = [v for v in below if not blank(v)]
    spans = [(c0, c1) for r0, c0, r1, c1 in merged if r0 == header_row and (r1 > r0 or c1 > c0)]
    if not spans or not below_cells or not all(_is_label(v) for v in below_cells):
        return header_row
    width = max(len(top), len(below))
    names: list[object] = [None] * width
    for j in range(width):
        own = below[j] if j < len(below) and not blank(below[j]) else None
        above = top[j] if j < len(top) and not blank(top[j]) else None
        if above is None:  # inside a merge across columns: the merge's text sits in its first column
            above = next((top[c0] for c0, c1 in spans if c0 <= j <= c1 and c0 < len(top)), None)
        names[j] = own if own is not None else above
    rows[below_index] = names
    return below_index
