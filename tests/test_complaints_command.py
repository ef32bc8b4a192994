"""`kehu complaints`: register linking against the generator's truth, the register's added columns, the written
sheets, headers in three writing styles, and bad input (a register handed over as a log, broken rows)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from benchmarks.make_complaint_log import make_log, make_register
from udfs.recognise import recognise_columns
from udfs.score.complaints.analysis import analyse_log
from udfs.score.complaints.link import link_contacts

AS_OF = "2025-01-15"


@pytest.fixture(scope="module")
def linked():
    register = make_register(3_000, 77)
    log, truth = make_log(20_000, 78, register)
    lr, rr = recognise_columns(log, "complaints"), recognise_columns(register, "register")
    res = analyse_log(log, lr, as_of=AS_OF)
    return register, log, truth, link_contacts(log, lr, register, rr, res.contacts)


def test_register_linking_finds_the_linkable_contacts_and_none_wrongly(linked):
    register, log, truth, link = linked
    want = truth["register_row"].to_numpy()
    linkable = want >= 0
    assert (link.register_row[linkable] == want[linkable]).mean() >= 0.98
    assert ((link.register_row >= 0) & (link.register_row != want)).sum() == 0
    # walk-in customers (not in the register) stay unmatched, with a reason
    assert (link.register_row[~linkable] == -1).all()
    assert link.reason[~linkable].notna().all()
    # the e-mail-only and mobile-only contacts were linked through those keys
    assert {"客户编号", "手机", "邮箱"} <= set(link.how.dropna())


def test_the_register_gains_contact_and_complaint_counts(linked):
    register, log, truth, link = linked
    t = truth[truth["register_row"] >= 0]
    contacts = t.groupby("register_row").size().reindex(range(len(register)), fill_value=0)
    complaints = (t["type"] == "投诉").groupby(t["register_row"]).sum().reindex(range(len(register)), fill_value=0)
    open_c = ((t["type"] == "投诉") & t["status"].isin({"处理中", "未处理"})).groupby(t["register_row"]).sum() \
        .reindex(range(len(register)), fill_value=0)
    last = t.groupby("register_row")["at"].max().reindex(range(len(register)))
    rc = link.register_columns
    assert rc["联系次数"].tolist() == contacts.tolist()
    assert rc["投诉次数"].tolist() == complaints.tolist()
    assert rc["未结投诉"].tolist() == open_c.tolist()
    got, exp = rc["最近联系"].astype("datetime64[ns]"), last.reset_index(drop=True).astype("datetime64[ns]")
    assert ((got == exp) | (got.isna() & exp.isna())).all()


def test_complaints_per_hundred_customers_by_region(linked):
    register, log, truth, link = linked
    t = truth[(truth["register_row"] >= 0) & (truth["type"] == "投诉")]
    region = register["区域"]
    want = 100 * region.iloc[t["register_row"]].value_counts() / region.value_counts()
    got = link.complaint_rate.set_index("区域")["每百位客户投诉"]
    assert got.to_dict() == pytest.approx(want.to_dict())


def test_headers_in_traditional_and_english_are_recognised():
    trad = pd.DataFrame(columns=["受理日期", "客戶編號", "聯絡電話", "渠道", "類型", "門店", "處理人", "狀態", "結案日期",
                                 "問題描述"])
    eng = pd.DataFrame(columns=["Date", "Customer ID", "Phone", "Channel", "Type", "Store", "Agent", "Status",
                                "Resolved Date", "Description"])
    want = ["contacted_at", "customer_id", "phone", "channel", "contact_type", "store", "handler", "status",
            "resolved_at", "text"]
    for df in (trad, eng):
        roles = recognise_columns(df.astype(object), "complaints")
        assert [roles.get(c) for c in df.columns] == want, roles


def test_status_and_type_columns_without_known_headers_are_found_by_content():
    df = pd.DataFrame({"日期": ["2024-05-01", "2024-05-02", "2024-05-03"] * 10,
                       "栏目A": ["已解决", "处理中", "已关闭"] * 10, "栏目B": ["投诉", "咨询", "报修"] * 10})
    res = analyse_log(df, recognise_columns(df, "complaints"), as_of=AS_OF)
    assert res.headline["resolution_rate"] == pytest.approx(20 / 30)
    assert res.headline["complaints"] == 10


def _write(tmp: Path, n: int = 1500) -> tuple[Path, Path, pd.DataFrame, pd.DataFrame]:
    register = make_register(300, 5)
    log, truth = make_log(n, 6, register, repeaters=5, bad_rows=3)
    lp, rp = tmp / "客服工单.xlsx", tmp / "客户档案.xlsx"
    log.to_excel(lp, sheet_name="工单", index=False)
    register.to_excel(rp, sheet_name="客户档案", index=False)
    return lp, rp, log, truth


def test_cli_writes_the_report_sheets_and_a_register_copy(tmp_path):
    from addin.cli import app

    lp, rp, log, truth = _write(tmp_path)
    before = lp.read_bytes(), rp.read_bytes()
    r = CliRunner().invoke(app, ["complaints", str(lp), "--register", str(rp), "--as-of", AS_OF, "-q",
                                 "-o", str(tmp_path / "out.xlsx")])
    assert r.exit_code == 0, r.output
    assert (lp.read_bytes(), rp.read_bytes()) == before          # the user's files are not touched
    wb = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)
    assert {"工单", "投诉分析", "逾期未结", "重复投诉", "联系问题", "未关联联系", "主题词典"} <= set(wb.sheetnames)
    reg = pd.read_excel(tmp_path / "客户档案.kehu.xlsx", engine="openpyxl")
    want = truth[truth["register_row"] >= 0].groupby("register_row").size().reindex(range(len(reg)), fill_value=0)
    assert reg["联系次数"].tolist() == want.tolist()
    added = pd.read_excel(tmp_path / "out.xlsx", sheet_name="工单", engine="openpyxl")
    assert added["关联方式"].notna().sum() == (truth["register_row"] >= 0).sum()


def test_an_edited_theme_sheet_is_used_on_the_next_run(tmp_path):
    from addin.cli import app

    lp, rp, log, truth = _write(tmp_path, 400)
    themes = tmp_path / "主题.csv"
    pd.DataFrame({"主题": ["异味"], "关键词": ["异味、味道"]}).to_csv(themes, index=False, encoding="utf-8-sig")
    r = CliRunner().invoke(app, ["complaints", str(lp), "--themes", str(themes), "--as-of", AS_OF, "--json",
                                 "-o", str(tmp_path / "out.xlsx")])
    assert r.exit_code == 0, r.output
    import json

    s = json.loads(r.stdout)
    smell = log["客户原话"].str.contains("异味") & (log["类型"] == "投诉")
    assert s["themes"] == {"异味": int(smell.sum())}


def test_a_register_given_as_the_log_is_refused_in_two_languages(tmp_path):
    from addin.cli import app

    lp, rp, _, _ = _write(tmp_path, 200)
    r = CliRunner().invoke(app, ["complaints", str(rp), "-o", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 4
    assert "不是联系 / 投诉记录" in r.output and "does not look like a contact" in r.output
    assert "Traceback" not in r.output


def test_broken_rows_are_listed_not_dropped():
    df = pd.DataFrame({
        "受理时间": ["2024-06-01 09:00", None, "2024-06-03", "2031-01-01", "2024-06-05", "2024-06-06"],
        "类型": ["投诉", "投诉", "咨询", "投诉", "报修", "外星人"],
        "状态": ["已解决", "处理中", "已解决", "处理中", "搁置", "已关闭"],
        "解决时间": ["2024-06-02", None, "2024-06-01", None, None, "2024-06-07"],
    })
    res = analyse_log(df, recognise_columns(df, "complaints"), as_of="2024-07-01")
    p = res.prepared.problems
    assert set(zip(p["行号"], p["问题代码"])) == {(3, "DATE_MISSING"), (4, "RESOLVED_BEFORE_OPEN"),
                                              (5, "DATE_FUTURE"), (6, "STATUS_UNKNOWN")}
    assert res.headline["contacts"] == 6
    assert res.by["类型"].set_index("类型")["联系数"].sum() == 6
    assert any("外星人" in n for n in res.notes)          # a type word of the team's own is kept and reported
    assert res.times.iloc[0]["已解决（有日期）"] == 2       # resolved-before-opened has no resolution time
