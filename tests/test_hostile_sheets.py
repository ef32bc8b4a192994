"""Sheets kehu must not lose: a user's own sheet named like one of kehu's; the other sheets of .ods/.xls input."""
from __future__ import annotations

import openpyxl

from addin.commands.clean import run_clean
from addin.write.workbook_parts import KEHU_MARK
from tests.hostile import HEADER, ROWS, ods, register


def test_users_own_sheet_named_like_kehus_is_kept(tmp_path, capsys):
    mine = [["我的问题", "负责人"], ["发票没寄", "小王"]]
    src = register(tmp_path / "a.xlsx", {"问题清单": mine})
    out = tmp_path / "out.xlsx"
    run_clean(src, out)
    wb = openpyxl.load_workbook(out)
    assert [[c.value for c in r] for r in wb["问题清单"].iter_rows()] == mine        # untouched
    assert "问题清单 (2)" in wb.sheetnames                                           # kehu's went here
    assert "问题清单 (2)" in capsys.readouterr().err                                 # and the user is told


def test_kehus_own_sheet_is_replaced_on_a_second_run(tmp_path):
    src = register(tmp_path / "a.xlsx")
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    run_clean(src, first)
    wb = openpyxl.load_workbook(first)
    marks = [n for n in wb["问题清单"].defined_names] if hasattr(wb["问题清单"], "defined_names") else []
    assert KEHU_MARK in marks
    run_clean(first, second, sheet="客户档案")
    names = openpyxl.load_workbook(second).sheetnames
    assert names.count("问题清单") == 1 and "问题清单 (2)" not in names


def test_ods_input_keeps_every_sheet(tmp_path, capsys):
    notes = [["备注"], ["第二季度名单"]]
    src = ods(tmp_path / "名单.ods", {"说明页": notes, "客户档案": [HEADER] + ROWS, "其他": [["x", "y"]]})
    out = tmp_path / "out.xlsx"
    run_clean(src, out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:3] == ["说明页", "客户档案", "其他"]
    assert [[c.value for c in r] for r in wb["说明页"].iter_rows()] == notes
    assert [[c.value for c in r][:3] for r in wb["客户档案"].iter_rows()] == [HEADER] + ROWS
    assert "说明页" in capsys.readouterr().err


def test_kehus_renamed_sheet_is_not_taken_for_data(tmp_path):
    # kehu's own 问题清单 (2) is known by its marker, not its name: a rerun still reads the register
    src = register(tmp_path / "a.xlsx", {"问题清单": [["我的问题"], ["发票没寄"]]})
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    run_clean(src, first)
    from addin.read import read_table

    assert read_table(first).sheet == "客户档案"
    run_clean(first, second)
    import openpyxl

    names = openpyxl.load_workbook(second).sheetnames
    assert names.count("问题清单 (2)") == 1 and "问题清单 (3)" not in names
