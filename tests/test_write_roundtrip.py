"""Round trip: write results into a feature-rich .xlsm and prove nothing else changed (issue 2, item 5)."""
from __future__ import annotations

import datetime as dt
import importlib.util
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from lxml import etree
from python_calamine import CalamineWorkbook

from addin.write import AddedColumn, BuiltSheet, TableSheet, write_results

_spec = importlib.util.spec_from_file_location(
    "build_roundtrip_fixture", Path(__file__).parent / "fixtures" / "build_roundtrip_fixture.py")
fixture = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixture)

# openpyxl (used here only to read) warns that it would drop data bars and sparklines: that is the point
pytestmark = pytest.mark.filterwarnings("ignore:.*extension is not supported:UserWarning")
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ROWS = list(range(fixture.FIRST_DATA_ROW, fixture.FIRST_DATA_ROW + len(fixture.CUSTOMERS)))
MOBILES = ["+86 138 0013 8000", "=SUM(1,2)", "-5", "@home"] + [f"1390000{i:04d}" for i in range(6)]
SCORES = [i / 8 for i in range(10)]
DATES = [dt.date(2024, 3, 5) + dt.timedelta(days=i) for i in range(10)]
PROBLEMS = pd.DataFrame({"行号": [3, 4, 5], "问题": ["手机号码位数不对", "=A1 开头的文本", "邮箱格式错误"],
                         "发现日期": pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04"])})
# Columns F.. are the added ones: the fixture's table and data end at column E.
ADDED_HEADERS = ["规范手机号", "得分", "首次接触日期", "备注说明"]
INTENTIONALLY_CHANGED = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                         "xl/worksheets/sheet1.xml", "xl/tables/table1.xml"}


def _report_sheet(book, sheet):
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "num_format": "@"})
    sheet.write_row(0, 0, ["城市", "客户数"], header)
    sheet.write_column(1, 0, ["北京", "上海", "广州"])
    sheet.write_column(1, 1, [4, 3, 3])
    chart = book.add_chart({"type": "pie"})
    chart.add_series({"name": "客户数", "categories": "='报告'!$A$2:$A$4", "values": "='报告'!$B$2:$B$4"})
    sheet.insert_chart("D2", chart)


@pytest.fixture(scope="module")
def roundtrip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("roundtrip")
    source = fixture.build_fixture(folder / "客户.xlsm")
    report = write_results(
        source, None, sheet=fixture.DATA_SHEET, header_row=fixture.HEADER_ROW, rows=ROWS,
        columns=[AddedColumn(ADDED_HEADERS[0], MOBILES),
                 AddedColumn(ADDED_HEADERS[1], SCORES, number_format="0.0%"),
                 AddedColumn(ADDED_HEADERS[2], DATES),
                 AddedColumn(ADDED_HEADERS[3], [None] * 9 + ["最后一位"], width=30)],
        sheets=[TableSheet("问题清单", PROBLEMS, title="问题清单 Problems"), BuiltSheet("报告", _report_sheet)])
    return source, report


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_output_is_named_beside_the_input_and_keeps_xlsm(roundtrip):
    source, report = roundtrip
    assert report.output == source.with_name("客户.kehu.xlsm")
    assert report.first_added_column == "F"
    assert report.added_sheets == ["问题清单", "报告"]


def test_every_untouched_member_is_byte_identical(roundtrip):
    source, report = roundtrip
    before, after = _members(source), _members(report.output)
    untouched = set(before) - INTENTIONALLY_CHANGED
    assert untouched, "the fixture should have many parts"
    differing = sorted(n for n in untouched if after.get(n) != before[n])
    assert differing == []
    for name in INTENTIONALLY_CHANGED:        # each of these really was edited
        assert after[name] != before[name], name
    # nothing of the original disappeared; the VBA project, pivot parts and media are among the copies
    assert set(before) <= set(after)
    for name in ("xl/vbaProject.bin", "xl/pivotCache/pivotCacheRecords1.xml", "xl/media/image1.png",
                 "xl/drawings/vmlDrawing1.vml", "xl/comments1.xml"):
        assert after[name] == before[name]
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(report.output) as b:   # compressed bytes copied, not redone
        for name in untouched:
            assert a.getinfo(name).CRC == b.getinfo(name).CRC
            assert a.getinfo(name).compress_size == b.getinfo(name).compress_size


def test_macro_content_type_kept(roundtrip):
    _, report = roundtrip
    types = _members(report.output)["[Content_Types].xml"].decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
    assert 'Extension="bin"' in types


def _calamine(path: Path) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(path))
    return {n: book.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in book.sheet_names}


def test_original_cells_unchanged_calamine(roundtrip):
    source, report = roundtrip
    before, after = _calamine(source), _calamine(report.output)
    for name, grid in before.items():
        width = max(len(r) for r in grid)
        out = after[name]
        for i, row in enumerate(grid):
            assert out[i][:width] == row + [""] * (width - len(row)), (name, i)
    # the added area was empty in the source: everything right of column E is new
    assert all(len(r) <= 5 for r in before[fixture.DATA_SHEET])


@pytest.mark.parametrize("data_only", [False, True])
def test_original_cells_unchanged_openpyxl(roundtrip, data_only):
    source, report = roundtrip
    a = openpyxl.load_workbook(source, data_only=data_only)
    b = openpyxl.load_workbook(report.output, data_only=data_only)
    checked = 0
    for ws in a.worksheets:
        other = b[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                assert other[cell.coordinate].value == cell.value, (ws.title, cell.coordinate)
                assert other[cell.coordinate].number_format == cell.number_format
                checked += 1
    assert checked > 60
    if data_only:   # cached formula values survived (openpyxl's own save would drop them)
        tax = b[fixture.DATA_SHEET]["E3"].value
        assert tax == pytest.approx(fixture.CUSTOMERS[0][2] * fixture.TAX)


def test_added_columns_read_back_with_calamine(roundtrip):
    _, report = roundtrip
    grid = _calamine(report.output)[fixture.DATA_SHEET]
    header = grid[fixture.HEADER_ROW - 1]
    assert header[5:9] == ADDED_HEADERS
    for i, row_number in enumerate(ROWS):
        row = grid[row_number - 1]
        assert row[5] == MOBILES[i]                  # text, including the formula-looking ones
        assert row[6] == pytest.approx(SCORES[i])
        assert row[7] == DATES[i]
    assert grid[ROWS[-1] - 1][8] == "最后一位"
    assert grid[ROWS[0] - 1][8] == ""


def test_added_columns_read_back_with_openpyxl(roundtrip):
    _, report = roundtrip
    ws = openpyxl.load_workbook(report.output)[fixture.DATA_SHEET]
    assert [ws.cell(fixture.HEADER_ROW, c).value for c in range(6, 10)] == ADDED_HEADERS
    head = ws.cell(fixture.HEADER_ROW, 6)
    assert head.font.b and head.fill.fgColor.rgb == "FFC6EFCE"
    for i, r in enumerate(ROWS):
        mobile = ws.cell(r, 6)
        assert mobile.value == MOBILES[i] and mobile.data_type == "s"    # never a formula
        assert ws.cell(r, 7).value == pytest.approx(SCORES[i])
        assert ws.cell(r, 7).number_format == "0.0%"
        assert ws.cell(r, 8).value == dt.datetime.combine(DATES[i], dt.time())
        assert ws.cell(r, 8).number_format == "yyyy-mm-dd"
    assert ws.column_dimensions["I"].width == pytest.approx(30)
    # the untouched style of an original cell is still the original one
    assert ws["C3"].number_format == "#,##0.00"


def test_no_formula_element_in_added_cells(roundtrip):
    _, report = roundtrip
    sheet = _members(report.output)["xl/worksheets/sheet1.xml"].decode()
    for ref in ("F3", "F4", "F5", "F6"):
        cell = re.search(rf'<c r="{ref}"[^>]*>.*?</c>', sheet).group(0)
        assert "<f>" not in cell and 'inlineStr' in cell


def test_table_grew_over_added_columns(roundtrip):
    source, report = roundtrip
    before = etree.fromstring(_members(source)["xl/tables/table1.xml"])
    after = etree.fromstring(_members(report.output)["xl/tables/table1.xml"])
    assert before.get("ref") == "A2:E12" and after.get("ref") == "A2:I12"
    assert after.find(MAIN + "autoFilter").get("ref") == "A2:I12"
    names = [c.get("name") for c in after.iter(MAIN + "tableColumn")]
    assert names == fixture.HEADERS + ADDED_HEADERS
    ids = [c.get("id") for c in after.iter(MAIN + "tableColumn")]
    assert len(set(ids)) == len(ids)
    assert openpyxl.load_workbook(report.output)[fixture.DATA_SHEET].tables[fixture.TABLE_NAME].ref == "A2:I12"


def test_new_sheets_read_back(roundtrip):
    _, report = roundtrip
    grids = _calamine(report.output)
    problems = grids["问题清单"]
    assert problems[0][0] == "问题清单 Problems"
    assert problems[1] == list(PROBLEMS.columns)
    for i, rec in enumerate(PROBLEMS.itertuples(index=False)):
        assert problems[2 + i][0] == rec[0] and problems[2 + i][1] == rec[1]
        assert problems[2 + i][2] == rec[2].date()
    assert grids["报告"][:4] == [["城市", "客户数"], ["北京", 4.0], ["上海", 3.0], ["广州", 3.0]]
    book = openpyxl.load_workbook(report.output)
    assert book.sheetnames == [fixture.DATA_SHEET, "汇总", "透视", "问题清单", "报告"]
    assert book["问题清单"]["B4"].value == "=A1 开头的文本" and book["问题清单"]["B4"].data_type == "s"
    assert book["问题清单"].freeze_panes == "A3"
    assert book["报告"]["A1"].fill.fgColor.rgb == "FFDDEBF7" and book["报告"]["A1"].font.b
    assert len(book["报告"]._charts) == 1
    assert book["透视"]._pivots, "the pivot table is still a pivot table"


def test_built_sheet_chart_points_at_its_sheet(roundtrip):
    _, report = roundtrip
    members = _members(report.output)
    charts = sorted(n for n in members if n.startswith("xl/charts/chart"))
    assert charts == ["xl/charts/chart1.xml", "xl/charts/chart2.xml"]
    assert "'报告'!$B$2:$B$4" in members["xl/charts/chart2.xml"].decode()
    types = members["[Content_Types].xml"].decode()
    assert "/xl/charts/chart2.xml" in types and "/xl/drawings/drawing2.xml" in types


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed: cannot check that the output opens")
def test_output_opens_in_libreoffice(roundtrip, tmp_path):
    soffice = shutil.which("soffice")
    _, report = roundtrip
    copy = tmp_path / "out.xlsm"
    shutil.copy(report.output, copy)
    profile = f"-env:UserInstallation=file://{tmp_path}/lo-profile"
    csv_filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    result = subprocess.run([soffice, profile, "--headless", "--convert-to", csv_filter, "--outdir", str(tmp_path),
                             str(copy)], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    data_csv = tmp_path / f"out-{fixture.DATA_SHEET}.csv"
    text = data_csv.read_text(encoding="utf-8")
    assert "规范手机号" in text and "=SUM(1,2)" in text and "2024-03-05" in text
    report_csv = (tmp_path / "out-报告.csv").read_text(encoding="utf-8")
    assert "北京,4" in report_csv


def test_built_sheet_parts_that_clash_are_renamed(tmp_path):
    """A BuiltSheet with its own table, comment, image and formats lands beside the fixture's own."""
    source = fixture.build_fixture(tmp_path / "b.xlsm")

    def build(book, sheet):
        red = book.add_format({"bold": True, "font_color": "#FF0000"})
        sheet.add_table(0, 0, 3, 1, {"name": fixture.TABLE_NAME, "data": [["a", 1], ["b", 2], ["c", 3]],
                                     "columns": [{"header": "名称"}, {"header": "数量"}]})
        sheet.write_comment("A2", "批注")
        sheet.insert_image("D2", "x.png", {"image_data": __import__("io").BytesIO(fixture.png_bytes())})
        sheet.conditional_format("B2:B4", {"type": "cell", "criteria": ">", "value": 1, "format": red})

    report = write_results(source, None, sheet=fixture.DATA_SHEET, header_row=2, rows=[3],
                           sheets=[BuiltSheet("报告", build)])
    before, after = _members(source), _members(report.output)
    for part in ("xl/tables/table2.xml", "xl/comments2.xml", "xl/drawings/vmlDrawing2.vml", "xl/media/image2.png"):
        assert part not in before and part in after
    assert after["xl/media/image2.png"] == fixture.png_bytes()
    new_table = etree.fromstring(after["xl/tables/table2.xml"])
    assert new_table.get("id") == "2" and new_table.get("displayName") == fixture.TABLE_NAME + "_2"
    ws = openpyxl.load_workbook(report.output)["报告"]
    assert ws["A2"].comment.text == "批注"
    rule = next(r for cf in ws.conditional_formatting for r in cf.rules)
    assert rule.dxf.font.color.rgb == "FFFF0000" and rule.dxf.font.b   # dxfId points at the transplanted format
    assert ws["A1"].value == "名称" and ws["B4"].value == 3
