"""Sheet facts kept in workbook.xml survive the writer: hidden state, print titles, print area.

The dedupe run's settings also sit in one cell of a hidden sheet (查重设置), which `--settings WORKBOOK`
reads even when 查重说明 has been deleted.
"""
from __future__ import annotations

import json

import openpyxl
import pandas as pd

from addin.commands.dedupe import run_dedupe, settings_path_for
from addin.write import BuiltSheet, TableSheet, write_results
from benchmarks.chinese_register import generate_register


def _build_hidden(wb, ws):
    ws.write(0, 0, "secret")
    ws.hide()


def _build_printed(wb, ws):
    for r in range(60):
        ws.write_row(r, 0, [f"r{r}", r, r * 2])
    ws.repeat_rows(0, 1)
    ws.print_area(0, 0, 59, 2)


def test_transplant_keeps_hidden_state_print_titles_and_print_area(tmp_path):
    src = tmp_path / "in.xlsx"
    pd.DataFrame({"姓名": ["张伟", "李娜"], "手机": ["13800138000", "13900139000"]}).to_excel(src, index=False)
    table = TableSheet("清单", pd.DataFrame({"a": range(5), "b": list("abcde")}), title="标题")
    write_results(src, tmp_path / "out.xlsx", sheet="Sheet1", header_row=1, rows=[2, 3], columns=[],
                  sheets=[BuiltSheet("隐藏", _build_hidden), BuiltSheet("打印", _build_printed), table])
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert book["隐藏"].sheet_state == "hidden"
    assert book["打印"].sheet_state == "visible" and book["Sheet1"].sheet_state == "visible"
    assert book["打印"].print_title_rows == "$1:$2"
    assert book["打印"].print_area == ["$A$1:$C$60"] or "$A$1:$C$60" in str(book["打印"].print_area)
    assert book["清单"].print_title_rows == "$2:$2"  # the header row under the title
    assert book["Sheet1"].print_title_rows is None  # the user's sheet is left alone


def test_dedupe_sheets_repeat_their_header_and_settings_sit_in_a_hidden_sheet(tmp_path):
    register, _ = generate_register(400, seed=41, written_typos=True)
    src = tmp_path / "客户档案.xlsx"
    register.to_excel(src, index=False)
    run_dedupe(src, tmp_path / "run1.xlsx", quiet=True)
    book = openpyxl.load_workbook(tmp_path / "run1.xlsx")
    assert book["去重结果"].print_title_rows == "$2:$2" and book["去重结果"]["A2"].value == "行号"
    assert book["重复对"].print_title_rows is not None
    header = book["重复对"].print_title_rows.split(":")[0].strip("$")
    assert "行A" in [c.value for c in book["重复对"][int(header)]]
    hidden = book["查重设置"]
    assert hidden.sheet_state == "hidden"
    saved = json.loads(settings_path_for(tmp_path / "run1.xlsx").read_text(encoding="utf-8"))
    assert json.loads(hidden["A1"].value) == saved
    # without 查重说明, the hidden cell alone reproduces the run
    del book["查重说明"]
    book.save(tmp_path / "only_hidden.xlsx")
    run_dedupe(src, tmp_path / "run2.xlsx", settings_path=tmp_path / "only_hidden.xlsx", quiet=True)

    def groups(path):
        rows = list(openpyxl.load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
        col = list(rows[0]).index("重复组")
        return [r[col] for r in rows[1:]]
    assert groups(tmp_path / "run2.xlsx") == groups(tmp_path / "run1.xlsx")
    assert any(g is not None for g in groups(tmp_path / "run1.xlsx"))
