"""重复对 through kehu's list writer (TableSheet): the 复核 drop-down, formats, widths, print setup, and the
decisions read back — checked with openpyxl, an independent reader, on pairs made here by hand."""
from __future__ import annotations

import openpyxl
import pandas as pd

from addin.report.pairs_sheet import (ID_A, ID_B, PAIRS_SHEET, REVIEW, build_pairs_sheet, pairs_table_sheet,
                                      read_review_decisions)
from addin.write import BuiltSheet, write_results
from udfs.match.review import REVIEW_CHOICES


def _pairs(n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "行A": [2 + i for i in range(n)], "行B": [300 + i for i in range(n)],
        ID_A: [f"KH{i:05d}" for i in range(n)], ID_B: [f"KH{i + 500:05d}" for i in range(n)],
        "重复组": [i + 1 if i % 3 else None for i in range(n)],
        "相似度": [0.5 + (i % 50) / 100 for i in range(n)],
        "判定": ["重复" if i % 3 else "疑似重复" for i in range(n)],
        "匹配依据": ["手机一致; 姓名一字之差（白琪云/白凤云）" for _ in range(n)],
        "得分": [12.25] * n,
        REVIEW: ["是同一客户" if i == 0 else "不是同一客户" if i == 1 else None for i in range(n)],
    }, dtype=object)


def _write(tmp_path, sheet, name="out.xlsx"):
    src = tmp_path / "in.xlsx"
    pd.DataFrame({"姓名": ["张伟", "李娜"]}).to_excel(src, index=False)
    out = tmp_path / name
    write_results(src, out, sheet="Sheet1", header_row=1, rows=[2, 3], columns=[], sheets=[sheet])
    return out


def test_review_column_is_a_drop_down_over_every_pair_row(tmp_path):
    pairs = _pairs(40)
    book = openpyxl.load_workbook(_write(tmp_path, pairs_table_sheet(pairs)))
    ws = book[PAIRS_SHEET]
    header = [c.value for c in ws[2]]
    assert header == list(pairs.columns)
    col = header.index(REVIEW) + 1
    letter = openpyxl.utils.get_column_letter(col)
    rules = ws.data_validations.dataValidation
    assert len(rules) == 1
    rule = rules[0]
    assert rule.type == "list" and rule.allow_blank
    assert rule.formula1 == '"' + ",".join(REVIEW_CHOICES) + '"'
    assert str(rule.sqref) == f"{letter}3:{letter}{2 + len(pairs)}"
    assert rule.prompt and rule.error  # the user is told what to pick
    # formats, widths, print setup and the header repeated on every printed page
    sim = header.index("相似度") + 1
    assert ws.cell(3, sim).number_format == "0.0000" and ws.cell(3, sim).value == 0.5
    assert ws.column_dimensions["H"].width == 50 and ws.column_dimensions[letter].width == 13
    assert ws.print_title_rows == "$2:$2"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == f"A2:{openpyxl.utils.get_column_letter(len(header))}{2 + len(pairs)}"
    assert ws.cell(1, 1).value.startswith("重复对")


def test_same_cells_as_the_xlsxwriter_sheet(tmp_path):
    """The fast sheet holds what the xlsxwriter-drawn sheet held, cell for cell."""
    pairs = _pairs(25)
    fast = openpyxl.load_workbook(_write(tmp_path, pairs_table_sheet(pairs), "fast.xlsx"))[PAIRS_SHEET]
    slow = openpyxl.load_workbook(_write(tmp_path, BuiltSheet(PAIRS_SHEET, lambda wb, ws: build_pairs_sheet(
        wb, ws, pairs)), "slow.xlsx"))[PAIRS_SHEET]
    assert [[c.value for c in r] for r in fast.iter_rows()] == [[c.value for c in r] for r in slow.iter_rows()]


def test_decisions_typed_into_the_fast_sheet_are_read_back(tmp_path):
    pairs = _pairs(6)
    path = _write(tmp_path, pairs_table_sheet(pairs))
    book = openpyxl.load_workbook(path)
    ws = book[PAIRS_SHEET]
    col = [c.value for c in ws[2]].index(REVIEW) + 1
    ws.cell(5, col).value = "是同一客户"   # a person reviews the pair of row 5 (the third pair)
    book.save(path)
    got = read_review_decisions(path)
    assert got.attrs["by"] == "customer_id"
    assert list(zip(got["id_a"], got["id_b"], got["decision"])) == [
        ("KH00000", "KH00500", "是同一客户"), ("KH00001", "KH00501", "不是同一客户"), ("KH00002", "KH00502", "是同一客户")]


def test_no_pairs_gives_a_header_and_no_validation(tmp_path):
    ws = openpyxl.load_workbook(_write(tmp_path, pairs_table_sheet(_pairs(0))))[PAIRS_SHEET]
    assert [c.value for c in ws[2]][-1] == REVIEW
    assert not ws.data_validations.dataValidation
