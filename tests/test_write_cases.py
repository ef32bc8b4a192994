"""write_results beyond the round trip: CSV grids, in-place backups, locks, atomicity, re-runs, odd sheets."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from addin.errors import ExitCode, KehuError
from addin.write import AddedColumn, BuiltSheet, TableSheet, default_output_path, write_results


def _register(path: Path, rows: int = 5, sheet: str = "客户") -> Path:
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet(sheet)
    ws.write_row(0, 0, ["姓名", "手机"])
    for i in range(rows):
        ws.write_row(i + 1, 0, [f"客户{i}", f"1380013800{i}"])
    book.close()
    return path


def _grid(path: Path, sheet: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".~kehu"))


# -- names -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, expected", [("客户.xlsx", "客户.kehu.xlsx"), ("a.XLSM", "a.kehu.xlsm"),
                                            ("list.csv", "list.kehu.xlsx"), ("old.xls", "old.kehu.xlsx")])
def test_default_output_path(name, expected):
    assert default_output_path(Path("/data") / name) == Path("/data") / expected


# -- CSV / .xls grids ---------------------------------------------------------------------------------------
def test_csv_grid_becomes_a_workbook_with_text_kept_as_text(tmp_path):
    source = tmp_path / "名单.csv"
    source.write_text("ignored: the caller passes the grid", encoding="utf-8")
    grid = [["姓名", "备注", "金额", "日期"],
            ["张伟", "=HYPERLINK(\"http://x\")", 12.5, dt.datetime(2024, 3, 5)],
            ["王芳", "+86 13800138000", 7, None],
            ["李娜", "-5", True, "2024-03-05"],
            ["赵敏", "@SUM(A1)", None, "0123"]]
    report = write_results(source, None, sheet="名单", header_row=1, rows=[2, 3, 4, 5], grid=grid,
                           columns=[AddedColumn("状态", ["有效", "=1/0", None, "无效"])])
    assert report.output == tmp_path / "名单.kehu.xlsx"
    got = _grid(report.output, "名单")
    assert got[0] == ["姓名", "备注", "金额", "日期", "状态"]
    # a midnight datetime is shown as a date (yyyy-mm-dd), so calamine reads it back as one
    assert got[1][:4] == ["张伟", "=HYPERLINK(\"http://x\")", 12.5, dt.date(2024, 3, 5)]
    assert got[2][1] == "+86 13800138000" and got[2][2] == 7
    assert got[3][1] == "-5" and got[3][2] is True and got[3][3] == "2024-03-05"
    assert got[4][1] == "@SUM(A1)" and got[4][3] == "0123"
    assert [r[4] for r in got[1:]] == ["有效", "=1/0", "", "无效"]
    ws = openpyxl.load_workbook(report.output)["名单"]
    for ref in ("B2", "B3", "B4", "B5", "E3"):
        assert ws[ref].data_type == "s", ref
    with zipfile.ZipFile(report.output) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    assert _leftovers(tmp_path) == []


def test_grid_source_cannot_be_written_in_place(tmp_path):
    source = tmp_path / "a.csv"
    source.write_text("x\n1\n")
    with pytest.raises(KehuError) as err:
        write_results(source, None, sheet="a", header_row=1, rows=[2], grid=[["x"], [1]], in_place=True)
    assert err.value.code == ExitCode.USAGE


# -- in place ------------------------------------------------------------------------------------------------
def test_in_place_makes_a_timestamped_backup_first(tmp_path):
    source = _register(tmp_path / "客户.xlsx")
    original = _sha(source)
    report = write_results(source, None, sheet="客户", header_row=1, rows=[2, 3], in_place=True,
                           columns=[AddedColumn("检查", ["好", "坏"])])
    assert report.output == source
    assert re.fullmatch(r"客户\.backup-\d{8}-\d{6}\.xlsx", report.backup.name)
    assert _sha(report.backup) == original
    assert _grid(source, "客户")[1] == ["客户0", "13800138000", "好"]
    assert _leftovers(tmp_path) == []


def test_refuses_to_overwrite_the_input_unless_in_place(tmp_path):
    source = _register(tmp_path / "a.xlsx")
    with pytest.raises(KehuError) as err:
        write_results(source, source, sheet="客户", header_row=1, rows=[2], columns=[AddedColumn("x", [1])])
    assert err.value.code == ExitCode.USAGE


def test_output_must_keep_the_macro_extension(tmp_path):
    source = _register(tmp_path / "a.xlsx")
    macro = source.rename(tmp_path / "a.xlsm")   # content does not matter: refused before reading
    with pytest.raises(KehuError) as err:
        write_results(macro, tmp_path / "out.xlsx", sheet="客户", header_row=1, rows=[2])
    assert err.value.code == ExitCode.USAGE


# -- locks and atomicity -------------------------------------------------------------------------------------
def test_refuses_when_excel_owner_file_exists(tmp_path):
    source = _register(tmp_path / "a.xlsx")
    output = tmp_path / "a.kehu.xlsx"
    (tmp_path / "~$a.kehu.xlsx").write_bytes(b"owner")
    with pytest.raises(KehuError) as err:
        write_results(source, output, sheet="客户", header_row=1, rows=[2], columns=[AddedColumn("x", [1])])
    assert err.value.code == ExitCode.OUTPUT
    assert "Excel" in err.value.en and "关闭" in err.value.zh
    assert not output.exists() and _leftovers(tmp_path) == []


def test_refuses_when_replace_is_denied(tmp_path, monkeypatch):
    source = _register(tmp_path / "a.xlsx")
    output = tmp_path / "a.kehu.xlsx"

    def denied(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", denied)
    with pytest.raises(KehuError) as err:
        write_results(source, output, sheet="客户", header_row=1, rows=[2], columns=[AddedColumn("x", [1])])
    assert err.value.code == ExitCode.OUTPUT
    assert not output.exists() and _leftovers(tmp_path) == []


class _Exploding:
    def __str__(self):
        raise RuntimeError("boom while streaming")


def test_exception_mid_write_leaves_no_output_and_no_temp_file(tmp_path):
    source = _register(tmp_path / "a.xlsx")
    output = tmp_path / "out.xlsx"
    output.write_bytes(b"previous result")       # an earlier result must survive a failed run
    bad = pd.DataFrame({"值": ["ok"] * 5 + [_Exploding()]})
    with pytest.raises(RuntimeError, match="boom"):
        write_results(source, output, sheet="客户", header_row=1, rows=[2, 3],
                      columns=[AddedColumn("x", [1, 2])], sheets=[TableSheet("问题清单", bad)])
    assert output.read_bytes() == b"previous result"
    assert _leftovers(tmp_path) == []
    fresh = tmp_path / "never.xlsx"
    with pytest.raises(RuntimeError):
        write_results(source, fresh, sheet="客户", header_row=1, rows=[2], sheets=[TableSheet("问题清单", bad)])
    assert not fresh.exists() and _leftovers(tmp_path) == []


# -- re-runs --------------------------------------------------------------------------------------------------
def _chart_sheet(values):
    def build(book, sheet):
        sheet.write_column(0, 0, values)
        chart = book.add_chart({"type": "line"})
        chart.add_series({"values": f"='报告'!$A$1:$A${len(values)}"})
        sheet.insert_chart("C2", chart)
    return build


def test_rerun_replaces_kehu_sheets_and_their_parts(tmp_path):
    source = _register(tmp_path / "a.xlsx")
    first = write_results(source, tmp_path / "run1.xlsx", sheet="客户", header_row=1, rows=[2],
                          sheets=[TableSheet("问题清单", pd.DataFrame({"问题": ["旧的"]})),
                                  BuiltSheet("报告", _chart_sheet([1, 2, 3]))])
    second = write_results(first.output, tmp_path / "run2.xlsx", sheet="客户", header_row=1, rows=[2],
                           sheets=[TableSheet("问题清单", pd.DataFrame({"问题": ["新的", "第二条"]})),
                                   BuiltSheet("报告", _chart_sheet([7, 8, 9, 10]))])
    book = CalamineWorkbook.from_path(str(second.output))
    assert book.sheet_names == ["客户", "问题清单", "报告"]
    assert book.get_sheet_by_name("问题清单").to_python() == [["问题"], ["新的"], ["第二条"]]
    assert book.get_sheet_by_name("报告").to_python() == [[7.0], [8.0], [9.0], [10.0]]
    with zipfile.ZipFile(second.output) as z:
        names = z.namelist()
        charts = [n for n in names if n.startswith("xl/charts/")]
        drawings = [n for n in names if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n)]
        sheets = [n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
        assert len(charts) == 1 and len(drawings) == 1 and len(sheets) == 3
        assert "$A$1:$A$4" in z.read(charts[0]).decode()
        types = z.read("[Content_Types].xml").decode()
        for part in re.findall(r'PartName="/([^"]+)"', types):
            assert part in names, f"content type for a removed part: {part}"
        workbook = z.read("xl/workbook.xml").decode()
        assert len(re.findall(r"<sheet ", workbook)) == 3
    assert len(openpyxl.load_workbook(second.output)["报告"]._charts) == 1


def test_result_sheet_cannot_take_the_data_sheet_name(tmp_path):
    source = _register(tmp_path / "a.xlsx")
    with pytest.raises(KehuError):
        write_results(source, None, sheet="客户", header_row=1, rows=[2],
                      sheets=[TableSheet("客户", pd.DataFrame({"a": [1]}))])


# -- odd sheets -----------------------------------------------------------------------------------------------
def _rewrite_member(path: Path, member: str, edit) -> None:
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            z.writestr(info.filename, edit(data.decode()).encode() if info.filename == member else data)


def test_columns_go_right_of_cells_the_dimension_missed(tmp_path):
    source = _register(tmp_path / "a.xlsx", rows=3)
    # understate the used range and put a note far right on a non-data row, as hand-made files do
    _rewrite_member(source, "xl/worksheets/sheet1.xml", lambda x: x.replace(
        '<dimension ref="A1:B4"/>', '<dimension ref="A1:B2"/>').replace(
        "</sheetData>", '<row r="9"><c r="E9" t="inlineStr"><is><t>备注</t></is></c></row></sheetData>'))
    report = write_results(source, None, sheet="客户", header_row=1, rows=[2, 3, 4],
                           columns=[AddedColumn("结果", ["a", "b", "c"])])
    assert report.first_added_column == "F"
    grid = _grid(report.output, "客户")
    assert [r[5] for r in grid[:4]] == ["结果", "a", "b", "c"]
    assert grid[8][4] == "备注"


def test_missing_rows_are_inserted_in_order_and_self_closing_rows_filled(tmp_path):
    source = _register(tmp_path / "a.xlsx", rows=2)
    _rewrite_member(source, "xl/worksheets/sheet1.xml", lambda x: x.replace(
        "</sheetData>", '<row r="5" spans="1:2"/><row r="8"><c r="A8" t="inlineStr"><is><t>尾</t></is></c></row>'
                        "</sheetData>"))
    report = write_results(source, None, sheet="客户", header_row=1, rows=[2, 4, 5, 7, 10],
                           columns=[AddedColumn("n", [2, 4, 5, 7, 10])])
    with zipfile.ZipFile(report.output) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert [int(r) for r in re.findall(r'<row r="(\d+)"', xml)] == [1, 2, 3, 4, 5, 7, 8, 10]
    assert '<dimension ref="A1:C10"/>' in xml
    ws = openpyxl.load_workbook(report.output)["客户"]
    assert [ws.cell(r, 3).value for r in (2, 4, 5, 7, 10)] == [2, 4, 5, 7, 10]
    assert ws["A8"].value == "尾" and ws["A3"].value == "客户1"


def test_existing_cols_overlapping_the_new_columns_are_split(tmp_path):
    source = _register(tmp_path / "a.xlsx", rows=2)
    _rewrite_member(source, "xl/worksheets/sheet1.xml", lambda x: x.replace(
        "<sheetData>", '<cols><col min="1" max="1" width="20" customWidth="1"/>'
                       '<col min="2" max="10" width="5" customWidth="1"/></cols><sheetData>'))
    report = write_results(source, None, sheet="客户", header_row=1, rows=[2, 3],
                           columns=[AddedColumn("x", [1, 2], width=12), AddedColumn("y", [3, 4], width=13)])
    with zipfile.ZipFile(report.output) as z:
        cols = re.findall(r"<col [^>]*/>", z.read("xl/worksheets/sheet1.xml").decode())
    spans = [tuple(int(v) for v in re.search(r'min="(\d+)" max="(\d+)"', c).groups()) for c in cols]
    assert spans == [(1, 1), (2, 2), (3, 3), (4, 4), (5, 10)]
    ws = openpyxl.load_workbook(report.output)["客户"]
    assert ws.column_dimensions["C"].width == pytest.approx(12)
    assert ws.column_dimensions["D"].width == pytest.approx(13)


def test_unknown_sheet_is_a_user_error(tmp_path):
    source = _register(tmp_path / "a.xlsx")
    with pytest.raises(KehuError) as err:
        write_results(source, None, sheet="没有这个表", header_row=1, rows=[2], columns=[AddedColumn("x", [1])])
    assert err.value.code == ExitCode.INPUT_CONTENT


def test_values_must_align_with_rows(tmp_path):
    source = _register(tmp_path / "a.xlsx")
    with pytest.raises(ValueError):
        write_results(source, None, sheet="客户", header_row=1, rows=[2, 3], columns=[AddedColumn("x", [1])])


def test_output_permissions_are_not_the_temp_files(tmp_path):
    source = _register(tmp_path / "a.xlsx")
    os.chmod(source, 0o640)
    write_results(source, None, sheet="客户", header_row=1, rows=[2], in_place=True, columns=[AddedColumn("x", [1])])
    assert source.stat().st_mode & 0o777 == 0o640        # in place: the workbook keeps its own mode
    mask = os.umask(0o022)
    os.umask(mask)
    fresh = write_results(source, tmp_path / "new.xlsx", sheet="客户", header_row=1, rows=[2]).output
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~mask  # new file: as if created normally, not 0600
