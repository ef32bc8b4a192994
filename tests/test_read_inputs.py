"""Reading every input kind: xlsx with title rows, csv in UTF-8 / BOM / GBK, xls, merged cells, error cells."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlsxwriter

from addin.read import read_table
from addin.read.csv_file import decode, read_csv_grid

from .corpus.build_corpus import HEADER, ROWS, build


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    return build(tmp_path_factory.mktemp("corpus"))


def test_sample_register_header_and_extent(sample_register):
    t = read_table(sample_register)
    assert t.sheet == "客户档案"
    assert t.header_row == 4                     # two title lines and a blank line above
    assert len(t.df) == 60                       # 60 customers; blank rows and the note row are not records
    assert t.df["客户编号"].tolist() == [f"C{i:04d}" for i in range(1, 61)]
    # records skip the two blank lines left in the list: rows 5..66 minus 2
    assert t.rows[0] == 5 and t.rows[-1] == 66 and len(set(t.rows)) == 60
    assert any("备注" in zh for zh, _ in t.notes)
    assert t.roles["手机"] == "mobile" and t.roles["统一社会信用代码"] == "uscc"


@pytest.mark.parametrize("name,encoding", [("utf8.csv", "utf-8"), ("utf8_bom.csv", "utf-8-sig"),
                                           ("gbk.csv", "gb18030")])
def test_csv_encodings_read_the_same(corpus, name, encoding):
    t = read_table(corpus[name])
    assert t.encoding == encoding
    assert list(t.df.columns) == HEADER
    assert t.df.values.tolist() == ROWS           # every cell as text, exactly as written
    assert t.rows.tolist() == [2, 3]


def test_gbk_bytes_are_not_mistaken_for_utf8():
    text = "客户编号,姓名\nC1,張偉\n"
    assert decode(text.encode("gbk")) == (text, "gb18030")
    assert decode(text.encode("utf-8")) == (text, "utf-8")


def test_csv_semicolon_and_excel_sep_line(tmp_path):
    p = tmp_path / "semi.csv"
    p.write_text("sep=;\n客户编号;姓名;手机\nC1;张三;13800138000\n", encoding="utf-8")
    grid, _ = read_csv_grid(p)
    assert grid == [["客户编号", "姓名", "手机"], ["C1", "张三", "13800138000"]]


def test_formula_looking_csv_text_stays_text(corpus):
    t = read_table(corpus["formula_injection.csv"])
    assert t.df.iloc[0]["姓名"] == '=HYPERLINK("http://x","点我")'
    assert t.df.iloc[0]["邮箱"] == "@SUM(A1)"


def test_xls_is_read(corpus):
    t = read_table(corpus["old_format.xls"])
    assert t.source_kind == "xls"
    assert t.df["姓名"].tolist() == ["张伟", "李娜"]
    assert t.grid is not None                    # kept so results can be written to a new .xlsx


def test_title_rows_and_note_row_are_skipped(corpus):
    t = read_table(corpus["title_rows.xlsx"])
    assert t.header_row == 4
    assert t.df["客户编号"].tolist() == ["C001", "C002"]


def test_vertical_merged_cells_are_filled_down(corpus):
    t = read_table(corpus["merged_cells.xlsx"])
    assert t.df["区域"].tolist() == ["华东", "华东", "华东"]
    assert any("合并单元格" in zh for zh, _ in t.notes)


def test_error_cells_are_reported_not_blank(corpus):
    t = read_table(corpus["error_cells.xlsx"])
    assert t.df.iloc[1]["累计金额"] == "#N/A"
    assert t.error_cells == [(3, "累计金额", "#N/A")]


def test_dates_and_numbers_keep_their_types(tmp_path):
    p = tmp_path / "types.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("客户")
    ws.write_row(0, 0, ["客户编号", "最近购买日期", "购买次数"])
    ws.write_string(1, 0, "C1")
    ws.write_datetime(1, 1, dt.datetime(2024, 3, 5), wb.add_format({"num_format": "yyyy-mm-dd"}))
    ws.write_number(1, 2, 7)
    wb.close()
    row = read_table(p).df.iloc[0]
    assert row["最近购买日期"] == dt.date(2024, 3, 5)
    assert row["购买次数"] == 7


def test_sheet_chosen_by_content_and_by_name(tmp_path):
    p = tmp_path / "two.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    wb.add_worksheet("封面").write(0, 0, "2024 年度报告")
    ws = wb.add_worksheet("Sheet2")
    ws.write_row(0, 0, ["姓名", "手机", "邮箱"])
    ws.write_row(1, 0, ["张三", "13800138000", "a@b.cn"])
    wb.close()
    assert read_table(p).sheet == "Sheet2"
    assert read_table(p, "sheet2").sheet == "Sheet2"   # case-insensitive
    assert read_table(p, "2").sheet == "Sheet2"        # by position


def test_header_row_option_overrides_detection(corpus):
    t = read_table(corpus["title_rows.xlsx"], header_row=4)
    assert t.header_row == 4 and len(t.df) == 2


def test_two_row_header_with_merged_group_and_traditional_total(tmp_path):
    """联繫方式 merged over 手機 | 電話; a traditional 合計 row at the bottom; a merged 地區 cell."""
    p = tmp_path / "two.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("客戶名單")
    ws.merge_range(0, 0, 0, 4, "2024 客戶資料")
    ws.merge_range(1, 0, 2, 0, "客戶編號")
    ws.merge_range(1, 1, 1, 2, "聯繫方式")
    ws.write_row(2, 1, ["手機", "電話"])
    ws.merge_range(1, 3, 2, 3, "累計金額")
    ws.merge_range(1, 4, 2, 4, "地區")
    ws.write_row(3, 0, ["K1", "13800138000", "010-12345678", 1200])
    ws.write_row(4, 0, ["K2", "13912345678", None, 3000])
    ws.merge_range(3, 4, 4, 4, "华东")
    ws.write_row(6, 0, ["合計", None, None, 4200])
    wb.close()
    t = read_table(p)
    assert t.header_row == 3 and list(t.df.columns) == ["客戶編號", "手機", "電話", "累計金額", "地區"]
    assert t.df["客戶編號"].tolist() == ["K1", "K2"]          # the 合計 row is not a customer
    assert t.df["地區"].tolist() == ["华东", "华东"]
    assert t.roles == {"客戶編號": "customer_id", "手機": "mobile", "電話": "landline", "累計金額": "total_spend",
                       "地區": "sales_region"}
