"""Re-runs replace kehu's own columns and sheets (known by the markers it writes, not by their names).

`clean --in-place` twice gives the same workbook as once, part by part; cleaning a cleaned copy adds nothing;
columns the user added after kehu's are kept.
"""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl

from addin.commands.clean import run_clean

SAMPLE = Path(__file__).resolve().parents[1] / "workbook_templates" / "samples" / "sample_register.xlsx"


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _values(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


def test_in_place_twice_is_the_same_workbook_as_once(tmp_path):
    book = tmp_path / "客户.xlsx"
    shutil.copy(SAMPLE, book)
    run_clean(book, in_place=True, today="2024-06-30")
    once = _parts(book)
    run_clean(book, in_place=True, today="2024-06-30")
    twice = _parts(book)
    assert sorted(once) == sorted(twice)
    changed = [name for name in once if once[name] != twice[name]]
    assert changed == []


def test_cleaning_a_cleaned_copy_adds_no_columns(tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    run_clean(SAMPLE, first, today="2024-06-30")
    run_clean(first, second, today="2024-06-30")
    original = openpyxl.load_workbook(SAMPLE).worksheets[0].max_column
    a, b = _values(first), _values(second)
    assert a == b
    assert len(a["客户档案"][0]) > original


def test_renamed_added_headers_are_still_known_by_the_marker(tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    run_clean(SAMPLE, first, today="2024-06-30")
    wb = openpyxl.load_workbook(first)
    ws = wb["客户档案"]
    width = ws.max_column
    header_row = next(r for r in range(1, 6) if any(ws.cell(r, c).value == "问题" for c in range(1, width + 1)))
    for c in range(1, width + 1):
        v = ws.cell(header_row, c).value
        if isinstance(v, str) and v.endswith("(规范)"):
            ws.cell(header_row, c).value = "整理后" + v[:-4]   # the user renamed kehu's headers
    wb.save(first)
    run_clean(first, second, today="2024-06-30")
    assert openpyxl.load_workbook(second)["客户档案"].max_column == width


def test_a_column_the_user_added_after_kehus_is_kept(tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    run_clean(SAMPLE, first, today="2024-06-30")
    wb = openpyxl.load_workbook(first)
    ws = wb["客户档案"]
    mine = ws.max_column + 1
    rows = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value is not None]
    for r in rows:
        ws.cell(r, mine).value = f"我的备注{r}"
    wb.save(first)
    run_clean(first, second, today="2024-06-30")
    out = openpyxl.load_workbook(second)["客户档案"]
    assert [out.cell(r, mine).value for r in rows] == [f"我的备注{r}" for r in rows]
