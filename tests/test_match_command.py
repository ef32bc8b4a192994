"""`kehu dedupe`: added columns and sheets, the original cells untouched, and --against MASTER."""
from __future__ import annotations

import json

import openpyxl

from benchmarks.chinese_register import generate_register
from addin.commands.dedupe import run_dedupe


def test_dedupe_writes_flags_golden_records_and_log(tmp_path):
    register, truth = generate_register(400, seed=23)
    path = tmp_path / "客户档案.xlsx"
    register.to_excel(path, index=False)
    summary = run_dedupe(path, tmp_path / "out.xlsx", quiet=True)
    book = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)
    assert {"去重结果", "合并记录", "重复对", "查重说明"} <= set(book.sheetnames)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header = list(rows[0])
    assert header[-4:] == ["重复组", "重复标记", "相似度", "匹配依据"]
    original = [list(r[: len(register.columns)]) for r in rows[1:]]
    expected = register.astype(object).where(register.notna(), None).values.tolist()
    assert original == expected  # the user's cells are not altered
    golden = list(book["去重结果"].iter_rows(values_only=True))
    assert summary["customers_after_merge"] == summary["records"] - summary["rows_to_remove"]
    data_rows = [r for r in golden if r and isinstance(r[0], int)]
    assert len(data_rows) == summary["customers_after_merge"]
    # the truth: distinct customers in the register, within a few of what was merged
    assert abs(summary["customers_after_merge"] - truth["实体"].nunique()) <= 3


def test_against_master_flags_existing_customers(tmp_path, cli):
    register, truth = generate_register(400, seed=29)
    master, incoming = register.iloc[:250], register.iloc[200:]
    master.to_excel(tmp_path / "master.xlsx", index=False)
    incoming.to_excel(tmp_path / "new.xlsx", index=False)
    code, stdout, _ = cli("dedupe", tmp_path / "new.xlsx", "--against", tmp_path / "master.xlsx",
                          "-o", tmp_path / "out.xlsx", "--json")
    assert code == 0
    s = json.loads(stdout)
    in_master = set(truth["实体"].iloc[:250])
    expected = int(truth["实体"].iloc[200:].isin(in_master).sum())
    assert s["records"] == 200 and abs(s["existing"] - expected) <= 3
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][-4:] == ("主档状态", "主档行", "相似度", "匹配依据")
    # the first 50 incoming rows are also master rows 202–251 (Excel rows, header in row 1): each must be
    # matched to a master row of the same customer (itself, or a copy of it that the master also holds)
    entity_of_master_row = {i + 2: e for i, e in enumerate(truth["实体"].iloc[:250])}
    named = [entity_of_master_row[r[-3]] for r in rows[1:51]]
    assert named == truth["实体"].iloc[200:250].tolist()


def test_bad_threshold_is_a_usage_error(tmp_path, cli):
    register, _ = generate_register(50, seed=1)
    register.to_excel(tmp_path / "a.xlsx", index=False)
    code, _, err = cli("dedupe", tmp_path / "a.xlsx", "--threshold", "1.5")
    assert code == 2
