"""The faster reader (issue 19) returns what the previous one did.

Three steps of read_table were rewritten for speed: the records frame (built column by column instead of
from a list of row slices), the sheet scan's per-block tests (cheaper checks that decide the same way) and
its inflation (ISA-L / zlib-ng when installed). Each is compared here with a plain re-implementation of the
step it replaced, and whole workbooks are read against values written out by hand.
"""
from __future__ import annotations

import datetime as dt
import gc
import random
import re
import zipfile
import zlib

import numpy as np
import pandas as pd
import pytest
import xlsxwriter

from addin.read import frame as frame_module
from addin.read import limits, read_table, sheet_scan
from addin.read.frame import gc_paused, records_frame
from udfs.recognise.header_rows import _NOTE, Extent, _filled, _is_total_row, blank, find_extent


# ---------------------------------------------------------------- the previous steps, as they were

def old_records_frame(rows, data_rows, first_col, last_col, headers) -> pd.DataFrame:
    width = last_col - first_col + 1
    body = [_old_pad(rows[i][first_col:last_col + 1], width) for i in data_rows]
    df = pd.DataFrame(body, columns=headers, dtype=object)
    return df.where(df.ne(""), None) if len(df) else df


def _old_pad(cells, width):
    return cells + [None] * (width - len(cells)) if len(cells) < width else cells


def old_find_extent(rows, header_row):
    """find_extent as it was (with a header row): every row sliced to the table's columns."""
    filled = [j for j, v in enumerate(rows[header_row]) if not blank(v)]
    first_col, last_col = filled[0], filled[-1]
    width = last_col - first_col + 1
    need = 1 if width == 1 else 2
    data, notes = [], []
    for i in range(header_row + 1, len(rows)):
        cells = rows[i][first_col:last_col + 1]
        present = len(cells) - cells.count("") - cells.count(None)
        if present == 0:
            continue
        if present == 1:
            value = next(v for v in cells if not blank(v)) if any(not blank(v) for v in cells) else None
            if value is None:
                continue
            if width > 1 and isinstance(value, str) and (_NOTE.match(value) or len(value.strip()) > 30):
                notes.append(i)
                continue
        data.append(i)
    while data and width > 1 and _filled(rows[data[-1]][first_col:last_col + 1]) < need:
        notes.append(data.pop())
    totals = []
    while data and _is_total_row(rows[data[-1]][first_col:last_col + 1]):
        totals.append(data.pop())
    return Extent(header_row, first_col, last_col, data, sorted(notes), totals)


OLD_IMPLICIT = re.compile(rb'<(?:c|row)(?! r=")[\s/>]')


class OldState(sheet_scan._State):
    """The sheet scan's per-block decision and column search as they were."""

    def feed(self, data: bytes) -> None:
        regular = (b":c " not in data and b":row " not in data and not OLD_IMPLICIT.search(data)
                   and not (self.want_errors and b"t=\"e\"" in data))
        if regular:
            self._fast_old(data)
        else:
            self._slow(data)

    def _fast_old(self, data: bytes) -> None:
        scan = self.scan
        rows = sheet_scan._ROW_REF.findall(data)
        if rows:
            scan.max_row = max(scan.max_row, max(map(int, rows)))
        scan.max_col = old_max_column(data, scan.max_col)
        tail = data[max(0, data.rfind(b"<row")):]
        if rows and sheet_scan._ROW_REF.match(tail):
            self.row, self.col = int(sheet_scan._ROW_REF.match(tail).group(1)), 0
        cells = sheet_scan._LAST_CELL.match(tail)
        if cells:
            self.row, self.col = int(cells.group(2)), sheet_scan.column_number(cells.group(1))


def old_max_column(data: bytes, known: int) -> int:
    if sheet_scan._WIDE.search(data):
        width = 3 if sheet_scan._CELL_REFS[3].search(data) else 2
        refs = {c for c, _ in sheet_scan._CELL_REFS[width].findall(data)}
        return max(known, max(sheet_scan.column_number(c) for c in refs))
    if known >= 26:
        return known
    above = re.compile(rb'<c r="[%s-Z]\d' % bytes([65 + known]))
    if not above.search(data):
        return known
    return max(known, max(sheet_scan.column_number(c) for c in set(sheet_scan._ONE_LETTER.findall(data))))


# ---------------------------------------------------------------- the records frame

CELLS = ["", "", None, "张伟", " ", "C001", "13800138000", 0.0, 12.5, float("nan"), 7, True, False,
         dt.datetime(2024, 3, 5, 9, 30), dt.date(2023, 1, 2), dt.time(8, 15), "#N/A", "x" * 40]


def _grid(rng: random.Random, n_rows: int, width: int, ragged: bool) -> list[list[object]]:
    rows = []
    for _ in range(n_rows):
        w = rng.randint(0, width + 2) if ragged else width
        rows.append([rng.choice(CELLS) for _ in range(w)])
    return rows


def assert_same_frame(new: pd.DataFrame, old: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(new, old, check_exact=True)
    assert list(new.columns) == list(old.columns) and new.columns.dtype == old.columns.dtype
    assert list(new.dtypes) == list(old.dtypes)
    assert new.index.equals(old.index) and type(new.index) is type(old.index)
    # the very same cell objects (types included: 0.0 is not 0, True is not 1)
    for j in range(new.shape[1]):
        for a, b in zip(new.iloc[:, j].tolist(), old.iloc[:, j].tolist()):
            assert type(a) is type(b) and (a is b or a == b or (a != a and b != b)), (j, a, b)
    # the same storage: one object block, column after column
    new_blocks, old_blocks = new._mgr.blocks, old._mgr.blocks
    assert [b.values.shape for b in new_blocks] == [b.values.shape for b in old_blocks]
    assert [b.values.flags["C_CONTIGUOUS"] for b in new_blocks] == [b.values.flags["C_CONTIGUOUS"]
                                                                    for b in old_blocks]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("ragged", [False, True])
def test_records_frame_equals_the_row_wise_build(seed, ragged, monkeypatch):
    monkeypatch.setattr(frame_module, "CHUNK_ROWS", 7)   # many chunks, and a last one cut short
    rng = random.Random(seed)
    width = rng.randint(1, 9)
    rows = _grid(rng, rng.randint(1, 60), width, ragged)
    first_col = rng.randint(0, width - 1)
    last_col = rng.randint(first_col, width - 1)
    data_rows = sorted(rng.sample(range(len(rows)), rng.randint(1, len(rows))))
    headers = [f"列{j}" for j in range(first_col, last_col + 1)]
    assert_same_frame(records_frame(rows, data_rows, first_col, last_col, headers),
                      old_records_frame(rows, data_rows, first_col, last_col, headers))


def test_records_frame_keeps_duplicate_headers_and_numeric_names():
    rows = [["a", "", 1.0], ["", "b", None]]
    headers = ["2024", "2024", "金额"]
    assert_same_frame(records_frame(rows, [0, 1], 0, 2, headers), old_records_frame(rows, [0, 1], 0, 2, headers))


def test_records_frame_turns_only_empty_text_into_none():
    rows = [["", " ", 0.0, False, None, "0"]]
    df = records_frame(rows, [0], 0, 5, list("abcdef"))
    assert df.iloc[0].tolist() == [None, " ", 0.0, False, None, "0"]
    assert type(df.iloc[0, 2]) is float and df.iloc[0, 3] is False


@pytest.mark.parametrize("header", [["客户编号", "姓名", "手机", "备注"], ["", "姓名", "手机", "", "备注"],
                                    ["姓名"], ["客户编号", "", "手机"]])
def test_find_extent_equals_the_sliced_loop(header):
    rng = random.Random(len(header))
    cells = CELLS + ["备注：以上为样例", "合计", "y" * 35]
    for _ in range(30):
        rows = [list(header)] + [[rng.choice(cells) for _ in range(rng.randint(0, len(header) + 2))]
                                 for _ in range(40)]
        assert find_extent(rows, 0) == old_find_extent(rows, 0)


# ---------------------------------------------------------------- the sheet scan

def _cells(row: int, cols: str, *, refs: bool = True, error_at: str | None = None) -> bytes:
    out = []
    for col in cols.split():
        r = f' r="{col}{row}"' if refs else ""
        if col == error_at:
            out.append(f'<c{r} t="e"><v>#N/A</v></c>')
        else:
            out.append(f'<c{r} t="inlineStr"><is><t>v{col}{row}</t></is></c>')
    return ("".join(out)).encode()


BLOCKS = {
    "excel": [b'<row r="%d">' % r + _cells(r, "A B C D E O") + b"</row>" for r in range(1, 6)],
    "colon in text": [b'<row r="7"><c r="A7" t="inlineStr"><is><t>10:30 :c</t></is></c></row>',
                      b'<row r="8"><c r="B8" t="inlineStr"><is><t>http://x</t></is></c></row>'],
    "prefixed": [b'<x:row r="3"><x:c r="C3"><x:v>1</x:v></x:c></x:row>'],
    "no refs": [b"<row>" + _cells(0, "A B C", refs=False) + b"</row>"],
    "wide": [b'<row r="2">' + _cells(2, "A Z AA AB") + b"</row>", b'<row r="3">' + _cells(3, "ZZ AAA") + b"</row>"],
    "beyond": [b'<row r="4">' + _cells(4, "A B") + b"</row>", b'<row r="5">' + _cells(5, "P Q") + b"</row>",
               b'<row r="6">' + _cells(6, "Z") + b"</row>"],
    "errors": [b'<row r="9">' + _cells(9, "A B C", error_at="B") + b"</row>"],
    "row without r": [b"<row>" + _cells(20, "A B") + b"</row>", b'<row r="22">' + _cells(22, "A") + b"</row>"],
    "cell without r": [b'<row r="21">' + _cells(21, "A B", refs=False) + b"</row>"],
    "odd row tags": [b'<row r="">' + _cells(23, "A") + b'</row><rowBreaks count="1"/>'],
    "empty rows": [b'<row r="12"/><row r="13" spans="1:3"/>', b'<row r="14">' + _cells(14, "C") + b"</row>"],
}


@pytest.mark.parametrize("want_errors", [True, False])
@pytest.mark.parametrize("order", range(8))
def test_scan_blocks_decide_as_before(order, want_errors):
    rng = random.Random(order)
    names = list(BLOCKS)
    rng.shuffle(names)
    new, old = sheet_scan._State(want_errors), OldState(want_errors)
    for name in names:
        for block in BLOCKS[name]:
            new.feed(block)
            old.feed(block)
            assert (new.scan, new.row, new.col) == (old.scan, old.row, old.col), name


@pytest.mark.parametrize("known", [0, 1, 14, 15, 16, 25, 26, 27, 52, 53, 702, 703])
def test_max_column_equals_the_two_searches(known):
    letters = ["A", "O", "P", "Q", "Y", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]
    for a in letters:
        for b in letters:
            block = b'<row r="1">' + _cells(1, f"{a} {b}") + b"</row>"
            assert sheet_scan._max_column(block, known) == old_max_column(block, known), (known, a, b)
    plain = b'<row r="1"><c r="B1"><v>1</v></c></row>'
    assert sheet_scan._max_column(plain, known) == old_max_column(plain, known)


def _register(path, rows: int = 3000):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("客户档案")
    ws.write_row(0, 0, ["客户编号", "姓名", "手机", "累计金额"])
    for i in range(1, rows + 1):
        ws.write_row(i, 0, [f"C{i:05d}", "张伟", f"138{i:08d}", i * 1.5])
    ws.write_formula(rows // 2, 3, "=1/0", None, "#DIV/0!")
    wb.close()
    return path


def test_scan_with_the_fast_codec_equals_zlib(tmp_path, monkeypatch):
    path = _register(tmp_path / "big.xlsx")
    monkeypatch.setattr(sheet_scan, "BLOCK", 1 << 14)   # many blocks
    with zipfile.ZipFile(path) as zf:
        fast = sheet_scan._scan(zf, "xl/worksheets/sheet1.xml", True, fast_inflate=True)
        plain = sheet_scan._scan(zf, "xl/worksheets/sheet1.xml", True, fast_inflate=False)
    assert fast == plain
    assert (plain.max_row, plain.max_col, plain.errors) == (3001, 4, {(1500, 3): "#DIV/0!"})


def test_a_damaged_sheet_fails_with_zlibs_error_as_before(tmp_path):
    path = _register(tmp_path / "big.xlsx")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(200, 800):
        data[start + k] ^= 0x5A
    (tmp_path / "bad.xlsx").write_bytes(data)
    with zipfile.ZipFile(tmp_path / "bad.xlsx") as zf, pytest.raises((zlib.error, zipfile.BadZipFile)):
        sheet_scan.scan_sheet(zf, "xl/worksheets/sheet1.xml")


def _damage(path, member, out):
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(40, min(400, info.compress_size - 8)):
        data[start + k] ^= 0x5A
    out.write_bytes(data)
    return out


def _failure(fn):
    try:
        fn()
    except Exception as exc:   # the error itself is what is compared
        return type(exc), str(exc)
    return None


def test_a_damaged_shared_strings_part_fails_as_with_zlib(tmp_path):
    path = tmp_path / "shared.xlsx"
    wb = xlsxwriter.Workbook(str(path))   # shared strings, as Excel writes them
    ws = wb.add_worksheet("客户档案")
    for i in range(2000):
        ws.write_row(i, 0, [f"客户{i}", f"地址{i * 7}号", f"备注{i % 13}"])
    wb.close()
    with zipfile.ZipFile(path) as zf:
        limits.verify_members(zf, path.name, ["xl/sharedStrings.xml"])   # a sound part passes
    bad = _damage(path, "xl/sharedStrings.xml", tmp_path / "bad.xlsx")
    with zipfile.ZipFile(bad) as zf:
        fast = _failure(lambda: limits.verify_members(zf, bad.name, ["xl/sharedStrings.xml"]))
        plain = _failure(lambda: limits._drain(zf, "xl/sharedStrings.xml", False))
    assert fast is not None and fast == plain


# ---------------------------------------------------------------- whole workbooks, against values by hand

def _untidy_register(path):
    """A title over a blank row, the header on row 3, a merged 区域, an error cell, a blank row, a total row,
    and two columns an earlier kehu run added (known by its marker)."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = wb.add_worksheet("客户档案")
    ws.merge_range("A1:F1", "2024年客户档案")
    ws.write_row("A3", ["客户编号", "姓名", "手机", "区域", "累计金额", "备注", "手机(规范)", "问题"])
    ws.write_row("A4", ["C001", "张伟", "13800138000"])
    ws.merge_range("D4:D5", "华东")
    ws.write_number("E4", 100.5)
    ws.write_row("G4", ["13800138000", "ok"])
    ws.write_row("A5", ["C002", "李娜", "13912345678"])
    ws.write_formula("E5", "=NA()", None, "#N/A")
    ws.write_string("F5", "VIP")
    ws.write_row("A7", ["C003", "王芳", "13700001111", "华南", 0, ""])
    ws.write_row("A8", ["合计", None, None, None, 100.5])
    wb.define_name("客户档案!_kehu_columns", "=客户档案!$G:$H")
    wb.close()
    return path


def test_untidy_register_reads_as_written(tmp_path):
    t = read_table(_untidy_register(tmp_path / "untidy.xlsx"))
    assert t.header_row == 3 and t.skipped_rows == [1]
    assert list(t.df.columns) == ["客户编号", "姓名", "手机", "区域", "累计金额", "备注"]
    assert t.rows.tolist() == [4, 5, 7] and t.rows.dtype == np.int64
    assert t.df.values.tolist() == [["C001", "张伟", "13800138000", "华东", 100.5, None],
                                    ["C002", "李娜", "13912345678", "华东", "#N/A", "VIP"],
                                    ["C003", "王芳", "13700001111", "华南", 0.0, None]]
    assert all(t.df[c].dtype == object for c in t.df.columns)
    assert t.error_cells == [(5, "累计金额", "#N/A")]
    assert t.sheet_extent == (8, 8)
    notes = " ".join(en for _zh, en in t.notes)
    assert "Filled 1 merged cell" in notes and "Skipped total row(s) 8" in notes and "row(s) 1" in notes


def test_many_error_cells_on_a_long_sheet(tmp_path):
    path = tmp_path / "errors.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("客户档案")
    ws.write_row(0, 0, ["客户编号", "姓名", "手机"])
    for i in range(1, 5001):
        ws.write_row(i, 0, [f"C{i:05d}", "张伟"])
        if i % 3:
            ws.write_string(i, 2, f"138{i:08d}")
        else:
            ws.write_formula(i, 2, "=NA()", None, "#N/A")
    wb.close()
    t = read_table(path)
    assert len(t.df) == 5000
    assert t.error_cells == [(i + 1, "手机", "#N/A") for i in range(3, 5001, 3)]
    assert t.df["手机"].tolist() == [f"138{i:08d}" if i % 3 else "#N/A" for i in range(1, 5001)]


def test_ragged_csv_rows_are_padded(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("客户编号,姓名,手机,备注\nC001,张伟,13800138000\nC002,李娜,13912345678,VIP,extra\n\nC003,王芳,,\n",
                    encoding="utf-8")
    t = read_table(path)
    assert t.rows.tolist() == [2, 3, 5]
    assert t.df.values.tolist() == [["C001", "张伟", "13800138000", None], ["C002", "李娜", "13912345678", "VIP"],
                                    ["C003", "王芳", None, None]]


# ---------------------------------------------------------------- the collector pause

def test_gc_paused_restores_the_collector():
    assert gc.isenabled()
    with pytest.raises(ValueError):
        with gc_paused():
            assert not gc.isenabled()
            raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()   # it was off before: left off
    finally:
        gc.enable()


def test_read_table_leaves_the_collector_on(tmp_path):
    read_table(_untidy_register(tmp_path / "u.xlsx"))
    assert gc.isenabled()
