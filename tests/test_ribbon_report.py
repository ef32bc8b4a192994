"""The 客户分析报告 ribbon handler on a saved workbook (FileBook port): register and 订单 in one workbook."""
from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
import pandas as pd

from addin.book.file import FileBook
from addin.ribbon.handlers import ANALYSES
from addin.xlam.buttons import BUTTON_IDS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from make_company import make_company  # noqa: E402


def test_the_report_button_uses_the_orders_sheet_of_the_same_workbook(tmp_path):
    c = make_company(300, 5000, seed=12)
    book = tmp_path / "客户.xlsx"
    with pd.ExcelWriter(book) as w:
        c.register.to_excel(w, sheet_name="客户档案", index=False)
        c.orders.to_excel(w, sheet_name="订单", index=False)
    port = FileBook(book, tmp_path / "out.xlsx", sheet="客户档案")
    text = ANALYSES["kehu_report"].run(port)
    assert "kehu_report" in BUTTON_IDS   # the button the add-in shows
    assert "留存与流失：完成" in text
    names = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True).sheetnames
    assert {"总览", "留存与流失", "数据问题", "订单"} <= set(names)
