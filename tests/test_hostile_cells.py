"""Cell positions kehu must work out itself: cells/rows without r=, a lying <dimension>, a far-away cell."""
from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest

from addin.commands.clean import run_clean
from addin.errors import KehuError
from addin.read import read_table
from addin.read.sheet_scan import scan_sheet
from tests.hostile import HEADER, ROWS, SHEET, edit_sheet, register, rewrite, without_refs


def _values(path, sheet="客户档案"):
    ws = openpyxl.load_workbook(path)[sheet]
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_cells_without_r_are_not_overwritten(tmp_path):
    src = rewrite(register(tmp_path / "a.xlsx"), tmp_path / "noref.xlsx", edit_sheet(without_refs))
    assert b' r="A' not in zipfile.ZipFile(src).read(SHEET)          # the case really has no references
    out = tmp_path / "out.xlsx"
    run_clean(src, out)
    got = _values(out)                                                 # openpyxl counts implicit positions itself
    assert [r[:3] for r in got[:4]] == [HEADER] + ROWS
    assert got[0][3] is not None and got[0][3] not in HEADER            # added columns start at D
    refs = re.findall(rb'<c r="([A-Z]+\d+)"', zipfile.ZipFile(out).read(SHEET))
    assert len(refs) == len(set(refs))                                 # no duplicate cell references


def test_error_cells_found_without_r(tmp_path):
    def errors(xml):
        xml = xml.replace(b'<c r="C3" t="s"><v>', b'<c r="C3" t="e"><f>NA()</f><v>#N/A</v></c><c r="Z99" t="s"><v>', 1)
        return without_refs(xml)
    src = rewrite(register(tmp_path / "a.xlsx"), tmp_path / "e.xlsx", edit_sheet(errors))
    assert b"#N/A" in zipfile.ZipFile(src).read(SHEET)
    t = read_table(src)
    assert t.error_cells == [(3, "手机", "#N/A")]   # row 3, third cell of its row


def test_dimension_claiming_whole_sheet_is_ignored(tmp_path):
    lie = edit_sheet(lambda x: re.sub(rb"<dimension[^>]*/>", b'<dimension ref="A1:XFD1048576"/>', x))
    src = rewrite(register(tmp_path / "a.xlsx"), tmp_path / "dim.xlsx", lie)
    out = tmp_path / "out.xlsx"
    run_clean(src, out)
    ws = openpyxl.load_workbook(out)["客户档案"]
    assert ws.cell(1, 4).value is not None and ws.max_column < 10


def test_dimension_under_reporting_is_ignored(tmp_path):
    lie = edit_sheet(lambda x: re.sub(rb"<dimension[^>]*/>", b'<dimension ref="A1"/>', x))
    src = rewrite(register(tmp_path / "a.xlsx"), tmp_path / "dim.xlsx", lie)
    out = tmp_path / "out.xlsx"
    run_clean(src, out)
    assert [r[:3] for r in _values(out)[:4]] == [HEADER] + ROWS


def test_far_away_cell_is_refused_not_allocated(tmp_path):
    far = edit_sheet(lambda x: x.replace(b"</sheetData>",
                                         b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'))
    src = rewrite(register(tmp_path / "a.xlsx"), tmp_path / "far.xlsx", far)
    with pytest.raises(KehuError) as caught:
        read_table(src)
    assert caught.value.code == 3 and "--max-cells" in caught.value.en and "XFD1048576" in caught.value.zh


def test_max_cells_raises_the_ceiling(tmp_path, monkeypatch):
    src = register(tmp_path / "a.xlsx")
    monkeypatch.setenv("KEHU_MAX_CELLS", "5")
    with pytest.raises(KehuError):
        read_table(src)
    monkeypatch.setenv("KEHU_MAX_CELLS", "12")   # 4 rows × 3 columns
    assert len(read_table(src).df) == 3


@pytest.mark.parametrize("block", [5, 17, 64, 1 << 20])
def test_scan_counts_implicit_positions_across_blocks(tmp_path, monkeypatch, block):
    from addin.read import sheet_scan

    xml = (b'<worksheet><sheetData><row r="2"><c r="B2"><v>1</v></c><c><v>2</v></c></row>'
           b'<row><c/><c/><c/><c/><c t="e"><v>#REF!</v></c></row><row r="9"><c r="C9"/></row></sheetData></worksheet>')
    path = tmp_path / "s.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("s.xml", xml)
    monkeypatch.setattr(sheet_scan, "BLOCK", block)
    scan = scan_sheet(zipfile.ZipFile(path), "s.xml")
    # by hand: B2, C2; row 3 = A3..E3 (E3 the error); C9
    assert (scan.max_row, scan.max_col) == (9, 5)
    assert scan.errors == {(2, 4): "#REF!"}


def test_max_cells_option_before_or_after_the_command(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    src = register(tmp_path / "a.xlsx")

    def kehu(*args):
        return subprocess.run([sys.executable, "-m", "addin", *map(str, args)], capture_output=True, text=True,
                              timeout=120, cwd=root, env={"PYTHONPATH": str(root)})
    refused = kehu("inspect", src, "--max-cells", "5")
    assert refused.returncode == 3 and "--max-cells 12" in refused.stderr   # 4 rows × 3 columns
    assert kehu("--max-cells", "12", "inspect", src).returncode == 0
    assert kehu("inspect", src, "--max-cells=12").returncode == 0


def test_far_away_cell_in_ods_is_a_clear_refusal(tmp_path):
    from tests.hostile import ods

    src = ods(tmp_path / "far.ods", {"客户档案": [HEADER] + ROWS})
    content = zipfile.ZipFile(src).read("content.xml")
    # a last row far down and a cell far right, as ODF writes them (repeated empty rows/cells)
    far = (b'<table:table-row table:number-rows-repeated="1048570"><table:table-cell/></table:table-row>'
           b'<table:table-row><table:table-cell table:number-columns-repeated="16383"/>'
           b'<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
           b'</table:table-row></table:table>')
    rewrite(src, tmp_path / "far2.ods", lambda n, d: d.replace(b"</table:table>", far) if n == "content.xml" else d)
    with pytest.raises(KehuError) as caught:
        read_table(tmp_path / "far2.ods")
    assert caught.value.code == 3 and "far" in caught.value.en and "damaged" not in caught.value.en
    assert content  # the base file was a real ODS
