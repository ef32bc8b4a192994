"""Golden-record rules: latest purchase, earliest first contact, status of the newest row, optional sums,
a source row for every field, and typed values in 去重结果 (hand-made rows, expected values worked out by hand)."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd

from addin.commands.dedupe import run_dedupe
from udfs.match.merge import merge_duplicates

ROLES = {"客户编号": "customer_id", "姓名": "name", "手机": "mobile", "首次接触日期": "first_contact",
         "最近购买日期": "last_purchase", "状态": "status", "购买次数": "purchase_count", "累计金额": "total_spend"}


def _group():
    df = pd.DataFrame({
        "客户编号": ["KH1", "KH2", "KH3"],
        "姓名": ["张伟", "张伟", "張偉"],
        "手机": ["13800138000", "138-0013-8000", None],
        "首次接触日期": ["2021-03-01", "2019年5月6日", "2020/01/02"],
        "最近购买日期": ["2022-01-05", "2024-03-09", "2023-07-01"],
        "状态": ["意向客户", "签单客户", None],
        "购买次数": ["2", "3", "1"],
        "累计金额": ["¥1,000.50", "2,000元", "500"],
    }, index=[5, 6, 7])
    return df, pd.Series([1, 1, 1], index=df.index)


def test_dates_status_and_sources_follow_the_field_rules():
    df, groups = _group()
    m = merge_duplicates(df, ROLES, groups)
    gold = m.golden.iloc[0]
    assert gold["最近购买日期"] == "2024-03-09"     # the latest purchase (row 6)
    assert gold["首次接触日期"] == "2019年5月6日"     # the earliest first contact (row 6, written as text)
    assert gold["状态"] == "签单客户"                 # the status on the row with the latest purchase
    assert gold["购买次数"] == "2" and gold["累计金额"] == "¥1,000.50"  # not summed by default: one row's totals
    sources = m.log["字段来源"].iloc[0]
    for col in df.columns:
        assert col in sources
    assert "最近购买日期←行6" in sources and "状态←行6" in sources


def test_amounts_are_summed_when_rows_are_separate_purchases():
    df, groups = _group()
    gold = merge_duplicates(df, ROLES, groups, sum_amounts=True).golden.iloc[0]
    assert float(gold["购买次数"]) == 6 and abs(float(gold["累计金额"]) - 3500.50) < 1e-9
    log = merge_duplicates(df, ROLES, groups, sum_amounts=True).log
    assert not log["冲突"].fillna("").str.contains("累计金额").any()  # a sum has nothing to conflict with
    assert "累计金额=合计" in log["字段来源"].iloc[0]


def test_golden_sheet_holds_typed_cleaned_values(tmp_path):
    df, _ = _group()
    df = df.assign(邮箱=["zw@qq.com", "zw@qq.com", "zw@qq.com"])
    src = tmp_path / "客户档案.xlsx"
    df.to_excel(src, index=False)
    summary = run_dedupe(src, tmp_path / "out.xlsx", quiet=True, sum_amounts=True)
    assert summary["customers_after_merge"] == 1 and summary["sum_amounts"] is True
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)["去重结果"]
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[1])
    gold = dict(zip(header, rows[2]))
    assert gold["最近购买日期"] == dt.datetime(2024, 3, 9)   # a date, not text
    assert gold["首次接触日期"] == dt.datetime(2019, 5, 6)
    assert gold["累计金额"] == 3500.5 and gold["购买次数"] == 6  # numbers, summed
    assert gold["手机"] == "13800138000"                       # canonical
