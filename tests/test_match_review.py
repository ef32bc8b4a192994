"""The review loop: 疑似 rows show a group, 重复对 has a 复核 list, --reviewed applies the decisions by customer id."""
from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd

from addin.commands.dedupe import run_dedupe
from addin.report.pairs_sheet import read_review_decisions
from benchmarks.chinese_register import generate_register
from udfs.match.review import constraints_from_ids, possible_group_labels


def test_possible_rows_show_the_group_they_might_belong_to():
    groups = np.array([1, 1, 0, 0, 0, 0])
    possible = np.array([False, False, True, True, True, False])
    partner = np.array([1, 0, 0, 4, 3, -1])
    shown = possible_group_labels(groups, possible, partner).tolist()
    assert shown == [1, 1, "疑似 1", "疑似 2", "疑似 2", None]


def test_decisions_become_constraints_by_customer_id_whatever_the_row_order():
    ids = pd.Series(["KH3", "KH1", "KH2", "KH9"])
    decisions = pd.DataFrame({"id_a": ["KH1", "KH2", "KH7"], "id_b": ["KH2", "KH3", "KH1"],
                              "decision": ["是同一客户", "不是同一客户", "是同一客户"]})
    must, cannot = constraints_from_ids(ids, decisions)
    assert must.tolist() == [[1, 2]] and cannot.tolist() == [[0, 2]]  # KH7 is gone from the register: skipped


def _sheet_rows(path, name):
    book = openpyxl.load_workbook(path)
    return book, book[name]


def test_reviewed_pairs_are_merged_or_kept_apart_on_a_grown_register(tmp_path):
    register, truth = generate_register(800, seed=43, written_typos=True)
    src = tmp_path / "客户档案.xlsx"
    register.to_excel(src, index=False)
    run_dedupe(src, tmp_path / "run1.xlsx", possible=0.01, quiet=True)  # more pairs to review
    book, ws = _sheet_rows(tmp_path / "run1.xlsx", "重复对")
    header = [c.value for c in ws[2]]
    review_col = header.index("复核") + 1
    assert any(dv.formula1 and "是同一客户" in dv.formula1 for dv in ws.data_validations.dataValidation)
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    verdict, id_a, id_b = header.index("判定"), header.index("客户编号A"), header.index("客户编号B")
    split = next(i for i, r in enumerate(rows) if r[verdict] == "重复")
    join = next((i for i, r in enumerate(rows) if r[verdict] == "疑似重复"), None)
    assert join is not None  # a register with typos always leaves something to review
    ws.cell(row=3 + split, column=review_col, value="不是同一客户")
    if join is not None:
        ws.cell(row=3 + join, column=review_col, value="是同一客户")
    book.save(tmp_path / "reviewed.xlsx")
    decided = read_review_decisions(tmp_path / "reviewed.xlsx")
    assert len(decided) == (2 if join is not None else 1)

    # the register grows and is re-sorted before the next run: decisions follow the customer ids
    extra = generate_register(80, seed=44)[0].assign(客户编号=lambda t: "NEW" + t["客户编号"])
    grown = pd.concat([register, extra], ignore_index=True).sample(frac=1.0, random_state=1).reset_index(drop=True)
    src2 = tmp_path / "客户档案_新.xlsx"
    grown.to_excel(src2, index=False)
    run_dedupe(src2, tmp_path / "run2.xlsx", reviewed_path=tmp_path / "reviewed.xlsx", possible=0.01, quiet=True)
    out = pd.read_excel(tmp_path / "run2.xlsx", sheet_name=0, dtype=object, engine="openpyxl")
    group_of = dict(zip(out["客户编号"], out["重复组"]))
    a, b = rows[split][id_a], rows[split][id_b]
    assert pd.isna(group_of[a]) or group_of[a] != group_of[b]
    if join is not None:
        a, b = rows[join][id_a], rows[join][id_b]
        assert not pd.isna(group_of[a]) and group_of[a] == group_of[b] and not str(group_of[a]).startswith("疑似")
    # the decisions are carried into the new 重复对 sheet
    pairs = pd.read_excel(tmp_path / "run2.xlsx", sheet_name="重复对", header=1, dtype=object, engine="openpyxl")
    assert (pairs["复核"] == "不是同一客户").sum() >= 1


def test_ribbon_merge_by_review_uses_the_workbooks_own_pairs_sheet(tmp_path):
    from addin.ribbon import FileBook, run_button

    register, _ = generate_register(500, seed=47, written_typos=True)
    src = tmp_path / "客户档案.xlsx"
    register.to_excel(src, index=False)
    run_dedupe(src, tmp_path / "run1.xlsx", quiet=True)
    book = openpyxl.load_workbook(tmp_path / "run1.xlsx")
    ws = book["重复对"]
    header = [c.value for c in ws[2]]
    ids = ws.cell(row=3, column=header.index("客户编号A") + 1).value, ws.cell(row=3, column=header.index("客户编号B") + 1).value
    ws.cell(row=3, column=header.index("复核") + 1, value="不是同一客户")
    book.save(tmp_path / "reviewed.xlsx")
    port = FileBook(tmp_path / "reviewed.xlsx", tmp_path / "ribbon.xlsx")
    code, text = run_button("kehu_merge_reviewed", port)
    assert code == 0, text
    out = pd.read_excel(port.written, sheet_name=0, dtype=object, engine="openpyxl")
    newest = [c for c in out.columns if str(c).startswith("重复组")][-1]  # the writer adds this run's columns last
    group_of = dict(zip(out["客户编号"], out[newest]))
    assert pd.isna(group_of[ids[0]]) or group_of[ids[0]] != group_of[ids[1]]


def test_bad_reviewed_file_gives_two_lines_and_a_usage_exit(tmp_path, cli):
    register, _ = generate_register(60, seed=3)
    src = tmp_path / "客户档案.xlsx"
    register.to_excel(src, index=False)
    (tmp_path / "pairs.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    for reviewed in (tmp_path / "pairs.csv", src):  # not a workbook; a workbook without 重复对
        code, stdout, stderr = cli("dedupe", src, "-o", tmp_path / "out.xlsx", "--reviewed", reviewed)
        text = stdout + stderr
        assert code == 2 and "复核" in text and "Traceback" not in text
