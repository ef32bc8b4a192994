"""Repeatable runs: the settings and measured u-probabilities saved beside the output and in the hidden 查重设置."""
from __future__ import annotations

import json

import openpyxl

from addin.commands.dedupe import run_dedupe, settings_path_for
from benchmarks.chinese_register import generate_register


def _groups(path):
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    col = list(rows[0]).index("重复组")
    return [r[col] for r in rows[1:]]


def test_settings_round_trip_through_json_file_and_workbook(tmp_path):
    register, _ = generate_register(500, seed=31, written_typos=True)
    src = tmp_path / "客户档案.xlsx"
    register.to_excel(src, index=False)
    first = run_dedupe(src, tmp_path / "run1.xlsx", quiet=True)
    saved = settings_path_for(tmp_path / "run1.xlsx")
    assert first["settings_file"] == str(saved) and saved.name == "run1.kehu.settings.json"
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["comparisons"] and data["u"]["name"]["exact"] > 0  # authored settings and measured u, one file
    # the same JSON sits whole in A1 of the hidden 查重设置, and not on the printed 查重说明
    book = openpyxl.load_workbook(tmp_path / "run1.xlsx", read_only=True)
    cells = [v for r in book["查重说明"].iter_rows(values_only=True) for v in r if isinstance(v, str) and "{" in v]
    assert cells == []
    assert book["查重设置"].sheet_state == "hidden"
    assert json.loads(book["查重设置"]["A1"].value)["blocking"] == data["blocking"]
    run_dedupe(src, tmp_path / "run2.xlsx", settings_path=saved, quiet=True)
    run_dedupe(src, tmp_path / "run3.xlsx", settings_path=tmp_path / "run1.xlsx", quiet=True)
    groups = _groups(tmp_path / "run1.xlsx")
    assert any(g is not None for g in groups)
    assert _groups(tmp_path / "run2.xlsx") == groups == _groups(tmp_path / "run3.xlsx")


def test_edited_settings_file_changes_the_run(tmp_path):
    register, _ = generate_register(300, seed=37)
    src = tmp_path / "客户档案.xlsx"
    register.to_excel(src, index=False)
    run_dedupe(src, tmp_path / "a.xlsx", quiet=True)
    saved = settings_path_for(tmp_path / "a.xlsx")
    data = json.loads(saved.read_text(encoding="utf-8"))
    data["duplicate_probability"] = 0.999999999
    data["possible_probability"] = 0.999999999
    edited = tmp_path / "strict.json"
    edited.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    strict = run_dedupe(src, tmp_path / "b.xlsx", settings_path=edited, quiet=True)
    assert strict["threshold"] == 0.999999999
    assert strict["groups"] < run_dedupe(src, tmp_path / "c.xlsx", quiet=True)["groups"]
