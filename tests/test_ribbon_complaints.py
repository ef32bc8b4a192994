"""The 投诉分析 ribbon handler on a saved workbook (the FileBook port), log and register in one workbook."""
from __future__ import annotations

import openpyxl
import pandas as pd

from addin.ribbon.handlers import ANALYSES
from addin.xlam.buttons import BUTTON_IDS
from addin.book.file import FileBook
from benchmarks.make_complaint_log import make_log, make_register


def test_the_complaints_button_writes_the_report_and_links_the_register_sheet(tmp_path):
    register = make_register(200, 3)
    log, truth = make_log(800, 4, register, repeaters=4, bad_rows=2)
    book = tmp_path / "客服.xlsx"
    with pd.ExcelWriter(book) as w:
        log.to_excel(w, sheet_name="工单", index=False)
        register.to_excel(w, sheet_name="客户档案", index=False)
    port = FileBook(book, tmp_path / "out.xlsx", sheet="工单")
    text = ANALYSES["kehu_complaints"].run(port)
    assert "kehu_complaints" in BUTTON_IDS   # the button the add-in shows
    assert "关联客户档案" in text
    wb = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)
    assert {"投诉分析", "逾期未结", "未关联联系"} <= set(wb.sheetnames)
    linked = pd.read_excel(tmp_path / "out.xlsx", sheet_name="工单", engine="openpyxl")["关联方式"].notna().sum()
    assert linked == (truth["register_row"] >= 0).sum()
