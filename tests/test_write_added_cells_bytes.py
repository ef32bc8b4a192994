"""The added columns' cells, laid out as UTF-8 pieces a block of rows at a time (BatchedCells.row_pieces),
are byte for byte what the row-by-row formulation writes (cells.fragments per cell, one string per row),
on values chosen to break it: text needing escaping, control characters, lone surrogates, very long text,
formulas (kept as text), ints past 2**53, -0.0, 1e20, nan, inf, dates with and without a time, booleans,
None, and columns that mix them; and the splicer's cheaper screens give what the patterns they replace give.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.write import sheet_splice
from addin.write.cells import column_letter
from addin.write.lazy_cells import BatchedCells
from addin.write.sheet_splice import Splice, _odd_or_overlapping_cell, _unusual_cell, columns_before, splice_sheet
from addin.write.writeback import _repeats

TRICKY_TEXT = ["", "  ", "a&b<c>\"d\"'e", "_x0041_ literal", "bad\x01\x0b\x1fchars\x00", "\ud800 lone", "emoji 😀",
               "行" * 40_000, "=SUM(A1:A2)", "+86 138", "-3", "@home", "100%", "%d %s", "\x01", "tab\tand\nline",
               "Ａ公司（北京）", "\ufffe\uffff"]
TRICKY_NUMBERS = [0.0, -0.0, 1e20, 1e15, 1e15 - 1, 5e-324, 1.7976931348623157e308, 0.1 + 0.2, float("nan"),
                  float("inf"), float("-inf"), 2.5e-8, -123456.78]

texts = st.one_of(st.sampled_from(TRICKY_TEXT), st.text(max_size=30))
floats = st.one_of(st.sampled_from(TRICKY_NUMBERS), st.floats())
ints = st.one_of(st.integers(-2**63, 2**63 - 1), st.integers(-1000, 1000))
stamps = st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2200, 1, 1)).map(
    lambda d: d.replace(microsecond=0) if d.second % 2 else d.replace(hour=0, minute=0, second=0, microsecond=0))
anything = st.one_of(st.none(), texts, floats, ints, st.booleans(), stamps, stamps.map(pd.Timestamp),
                     stamps.map(lambda d: d.date()), st.just(np.nan), st.just(pd.NaT),
                     st.just(pd.Timestamp("2024-01-01 08:00", tz="Asia/Shanghai")), st.just(np.float32(0.1)),
                     st.just(np.int16(-7)), st.just(dt.time(8, 30)), st.just(dt.timedelta(hours=30)))


def _object_array(items: list) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _column(kind: str, n: int) -> st.SearchStrategy:
    """Values of one added column, typed the way the engine hands them over."""
    if kind == "text":
        return st.lists(st.one_of(st.none(), texts), min_size=n, max_size=n).map(_object_array)
    if kind == "float":
        return st.lists(floats, min_size=n, max_size=n).map(lambda v: np.array(v, dtype=float))
    if kind == "int":
        return st.lists(ints, min_size=n, max_size=n).map(lambda v: np.array(v, dtype=np.int64))
    if kind == "date":
        return st.lists(st.one_of(st.none(), stamps), min_size=n, max_size=n).map(
            lambda v: pd.Series(pd.to_datetime(pd.Series(v, dtype=object))))
    if kind == "bool":
        return st.lists(st.booleans(), min_size=n, max_size=n).map(lambda v: pd.Series(v, dtype=bool))
    return st.lists(anything, min_size=n, max_size=n).map(_object_array)


@st.composite
def added_columns(draw, max_rows: int = 40):
    """(data rows, [(values, style_for)], first column): rows with gaps, several columns of any kind."""
    rows = sorted(draw(st.sets(st.integers(2, max_rows + 2), min_size=1, max_size=max_rows)))
    kinds = draw(st.lists(st.sampled_from(["text", "float", "int", "date", "bool", "mixed"]), min_size=1, max_size=5))
    styles = {"number": 0, "text": 0, "bool": 0, "date": 3, "datetime": 4, "time": 5, "duration": 6}
    style_for = draw(st.sampled_from([lambda kind: styles[kind], lambda kind: 0]))
    columns = [(draw(_column(kind, len(rows))), style_for) for kind in kinds]
    first_col = draw(st.sampled_from([3, 16, 26, 27, 702, 703]))
    return rows, columns, first_col


def _batched(rows, columns, first_col) -> BatchedCells:
    header = "".join(f'<c r="{column_letter(first_col + j)}1" t="inlineStr"><is><t>列&amp;{j}</t></is></c>'
                     for j in range(len(columns)))
    # one batch: the row-by-row cells see each column whole, as row_pieces sees the block (a text of only
    # characters XML forbids is an empty cell in a column of mixed types, none in a column of text)
    return BatchedCells(rows, columns, first_col, 1, header)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(added_columns())
def test_row_pieces_are_the_row_by_row_cells(case):
    rows, columns, first_col = case
    cells = _batched(rows, columns, first_col)
    block = np.arange(1, rows[-1] + 3)   # the header, data rows, gaps and rows past the last record
    pieces, starts = cells.row_pieces(block)
    pieces[starts] = [b'<row r="%d">' % r for r in block.tolist()]
    expected = "".join(f'<row r="{r}">{cells.get(r, "")}</row>' for r in block.tolist())   # via cells.fragments
    assert b"".join(pieces.tolist()) == expected.encode("utf-8")


def _sheet_zip(last_row: int) -> zipfile.ZipFile:
    rows = "".join(f'<row r="{r}" spans="1:2"><c r="A{r}" t="inlineStr"><is><t>客户{r}</t></is></c>'
                   f'<c r="B{r}"><v>{r}</v></c></row>' for r in range(1, last_row + 1))
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxml'
           f'formats.org/spreadsheetml/2006/main"><dimension ref="A1:B{last_row}"/><sheetData>{rows}</sheetData>'
           '</worksheet>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("sheet.xml", xml.encode("utf-8"))
    return zipfile.ZipFile(buffer)


def _spliced(case, last_row: int) -> bytes:
    rows, columns, first_col = case
    cells = _batched(rows, columns, max(first_col, 3))
    splice = Splice(first_col=max(first_col, 3), last_col=max(first_col, 3) + len(columns) - 1, cells=cells,
                    sheet_max_row=last_row)
    return b"".join(splice_sheet(_sheet_zip(last_row), "sheet.xml", splice))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(added_columns(max_rows=30), st.integers(0, 10), st.sampled_from([200, 1000, 1 << 20]))
def test_the_spliced_sheet_is_the_one_the_row_by_row_cells_give(case, rows_after, block):
    """Whole sheet XML in blocks of several sizes: the bulk layout and the plain row → cells mapping (what
    the splicer used before row_pieces) write the same bytes."""
    last_row = case[0][-1] + rows_after
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sheet_splice, "BLOCK", block)
        bulk = _spliced(case, last_row)
        patch.delattr(BatchedCells, "row_pieces")
        row_by_row = _spliced(case, last_row)
    assert bulk == row_by_row


@pytest.mark.parametrize("first", [1, 2, 16, 26, 27, 28, 52, 53, 702, 703, 704, 800, 16384])
def test_columns_before_matches_exactly_the_columns_left_of_first(first):
    pattern = re.compile(columns_before(first))
    for col in sorted({1, 2, 25, 26, 27, 28, 51, 52, 53, 54, 701, 702, 703, 704, 705, 799, 800, 801, 16384,
                       max(first - 1, 1), first, min(first + 1, 16384)}):
        assert bool(pattern.fullmatch(column_letter(col))) == (col < first), (first, col)


cell_texts = st.lists(st.one_of(
    st.builds(lambda c, r: f'<c r="{column_letter(c)}{r}"', st.integers(1, 800), st.integers(1, 99)),
    st.sampled_from(['<c s="1" r="A3"', "<c>", "<c/>", "<c\tr=\"B2\"", '<c  r="A1"', "<col ", "<color ", "<c",
                     '<c r="a1"', '<c r="P"', '<c r="AAAA1"', "</c>", "<v>1</v>", "x"])), max_size=12).map("".join)


@settings(max_examples=500, deadline=None)
@given(cell_texts, st.sampled_from([3, 15, 16, 27, 703]))
def test_the_screened_search_finds_what_the_full_pattern_finds(text, first):
    """The splicer looks for odd or overlapping cells from the cheap screen's first match only."""
    full, screen = _odd_or_overlapping_cell(first), _unusual_cell(first)
    data = text.encode()
    found = screen.search(data)
    screened = full.search(data, found.start()) if found else None
    expected = full.search(data)
    assert (screened and (screened.span(), screened.group(1))) == (expected and (expected.span(), expected.group(1)))


@given(st.lists(st.integers(1, 50), max_size=30), st.booleans())
def test_repeated_rows_are_found_as_np_unique_finds_them(rows, ascending):
    arr = np.array(sorted(rows) if ascending else rows, dtype=np.int64)
    assert _repeats(arr) == (len(np.unique(arr)) != len(arr))


def test_join_in_runs_is_one_join():
    pieces = [bytes([65 + i % 26]) * (i % 7) for i in range(3 * sheet_splice._JOIN_RUN + 5)]
    assert sheet_splice._join_in_runs(pieces) == b"".join(pieces)


def _deflated_member(data: bytes) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("sheet.xml", data)
    return buffer


@pytest.mark.parametrize("damaged", [False, True])
def test_a_sheet_read_with_the_fast_crc_is_still_checked(damaged):
    data = _sheet_zip(300).read("sheet.xml")
    with zipfile.ZipFile(_deflated_member(data)) as z:
        if damaged:   # the checksum the zip claims no longer fits the bytes
            z.getinfo("sheet.xml").CRC ^= 1
            with pytest.raises(zipfile.BadZipFile, match="CRC"):
                list(sheet_splice._blocks(z, "sheet.xml"))
        else:
            assert b"".join(sheet_splice._blocks(z, "sheet.xml")) == data


def test_a_part_written_with_the_fast_crc_is_the_same_zip(monkeypatch):
    from addin.write import package

    chunks = [("<row>" + "客户" * i + "</row>").encode() * 50 for i in range(200)]

    def written() -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            package.write_stream(z, "sheet.xml", iter(chunks), fast=True)
        return buffer.getvalue()
    fast = written()
    monkeypatch.setattr(package, "fast_write", lambda member: member.write)   # zipfile's own write and CRC
    assert fast == written()
    with zipfile.ZipFile(io.BytesIO(fast)) as z:
        assert z.testzip() is None and z.read("sheet.xml") == b"".join(chunks)
