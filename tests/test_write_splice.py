"""Streaming sheet splice: bulk and row-by-row paths give the same XML; column bounds; part naming."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl.utils import get_column_letter

from addin.write import sheet_splice
from addin.write.sheet_splice import ColumnsOverlap, Splice, columns_from, splice_sheet
from addin.write.transplant import free_name

HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:B{n}"/><sheetData>')


def _sheet(n: int) -> bytes:
    rows = "".join(f'<row r="{r}" spans="1:2"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="inlineStr"><is><t>行{r}</t>'
                   f"</is></c></row>" for r in range(1, n + 1))
    return (HEAD.format(n=n) + rows + "</sheetData></worksheet>").encode()


def _zip(xml: bytes) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("sheet.xml", xml)
    return zipfile.ZipFile(buffer)


def _splice(xml: bytes, rows: list[int], block: int | None = None, monkeypatch=None) -> str:
    if block is not None:
        monkeypatch.setattr(sheet_splice, "BLOCK", block)
    cells = {r: f'<c r="C{r}"><v>{r * 10}</v></c>' for r in rows}
    return b"".join(splice_sheet(_zip(xml), "sheet.xml", Splice(3, 3, cells))).decode()


def _expected(n: int, rows: list[int]) -> str:
    """The spliced XML written out directly (not through the splicer)."""
    wanted = set(rows)
    out = []
    for r in sorted(set(range(1, n + 1)) | wanted):
        add = f'<c r="C{r}"><v>{r * 10}</v></c>' if r in wanted else ""
        if r <= n:
            out.append(f'<row r="{r}" spans="1:3"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="inlineStr"><is><t>行{r}</t>'
                       f"</is></c>{add}</row>")
        else:
            out.append(f'<row r="{r}">{add}</row>')
    last = max([n] + rows)
    return HEAD.format(n=n).replace(f'ref="A1:B{n}"', f'ref="A1:C{last}"') + "".join(out) + "</sheetData></worksheet>"


@pytest.mark.parametrize("rows", [[2, 3, 5], list(range(1, 41)), [4, 45, 47]])
@pytest.mark.parametrize("block", [None, 97, 1000])
@pytest.mark.parametrize("bulk_path", [True, False])
def test_splice_matches_directly_written_xml(rows, block, bulk_path, monkeypatch):
    if not bulk_path:   # force the row-by-row path everywhere: both must write the same XML
        monkeypatch.setattr(sheet_splice._RowSplicer, "_process_regular", lambda self, text: None)
    assert _splice(_sheet(40), rows, block, monkeypatch) == _expected(40, rows)


def test_small_blocks_cannot_split_a_multibyte_character(monkeypatch):
    # 7-byte blocks cut the three-byte UTF-8 of 行 in every possible place
    assert _splice(_sheet(12), [3, 9], 7, monkeypatch) == _expected(12, [3, 9])


def test_a_cell_in_the_added_columns_is_detected_on_either_path(monkeypatch):
    xml = _sheet(30).replace(b'<c r="B20"', b'<c r="D20"><v>1</v></c><c r="B20"')   # out of order on purpose
    xml = xml.replace(b'<c r="B20"', b'<c r="C20"')
    with pytest.raises(ColumnsOverlap):
        _splice(xml, [2, 3])
    # a cell whose r= is not its first attribute sends the block down the row-by-row path
    odd = _sheet(30).replace(b'<c r="A25">', b'<c s="0" r="A25">').replace(
        "行25</t></is></c></row>".encode(), '行25</t></is></c><c s="0" r="E25"><v>1</v></c></row>'.encode())
    with pytest.raises(ColumnsOverlap):
        _splice(odd, [2, 3])


@pytest.mark.parametrize("first", [1, 3, 16, 26, 27, 52, 100, 703, 800, 16383])
def test_columns_from_matches_exactly_the_columns_at_or_right_of_first(first):
    pattern = columns_from(first)
    for col in sorted({1, 2, 25, 26, 27, 51, 52, 53, 99, 100, 101, 701, 702, 703, 704, 799, 800, 801, 16384,
                       max(first - 1, 1), first, first + 1}):
        hit = bool(pattern.search(f'<c r="{get_column_letter(col)}12">'))
        assert hit == (col >= first), (first, col)


def test_free_part_names():
    taken = {"xl/drawings/drawing1.xml", "xl/drawings/drawing2.xml", "xl/charts/chart1.xml"}
    assert free_name("xl/drawings/drawing1.xml", taken) == "xl/drawings/drawing3.xml"
    assert free_name("xl/charts/chart2.xml", taken) == "xl/charts/chart2.xml"
    assert free_name("xl/charts/chart1.xml", taken) == "xl/charts/chart2.xml"
    assert re.fullmatch(r"xl/media/image\d+\.png", free_name("xl/media/image1.png", {"xl/media/image1.png"}))


def test_widened_spans_are_the_regex_substitution():
    """Each row's spans reach the last added column, exactly as the one-regex substitution writes them; spans
    outside a row tag (text in a cell) are left alone."""
    text = ('<row r="1" spans="1:2" ht="15"><c r="A1" t="inlineStr"><is><t>spans="1:2"</t></is></c></row>'
            '<row r="2" spans="3:14"/><row r="3"><c r="A3"/></row><row r="4" x14ac:dyDescent="0.25" spans="1:9">'
            '</row>').encode()
    splicer = sheet_splice._RowSplicer(Splice(15, 18, {}), __import__("numpy").array([], dtype="int64"))
    assert splicer._widen_spans(text) == sheet_splice._ROW_SPANS.sub(rb'\g<1>:18"', text)
    assert splicer._widen_spans(text).count(b':18"') == 3 and b'<t>spans="1:2"</t>' in splicer._widen_spans(text)
