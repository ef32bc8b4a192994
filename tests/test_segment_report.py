"""The 客户分析 sheet built on its own with xlsxwriter: tables hold the summary's numbers, six native charts."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from addin.report.segment_sheet import build_segment_sheet
from udfs.score.segment import aggregate_orders, segment_customers, summarise

DATA = Path(__file__).resolve().parent / "data" / "rfm_data_orders.csv"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    o = pd.read_csv(DATA)
    per = aggregate_orders(o["customer_id"], o["order_date"], o["revenue"])
    last = [pd.NaT] * 3 + list(per["最近购买日期"])        # three registered customers who never bought
    count = [0] * 3 + list(per["购买次数"])
    spend = [0.0] * 3 + list(per["累计金额"])
    status = (["意向客户", "无效客户"] * 500)[:len(last)]
    run = segment_customers(last, count, spend, as_of="2006-12-31", status=status)
    summary = summarise(run, identity=pd.DataFrame({"客户编号": ["新1", "新2", "新3"] + list(per.index)}))
    path = tmp_path_factory.mktemp("report") / "report.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    build_segment_sheet(wb, wb.add_worksheet("客户分析"), summary)
    wb.close()
    return path, run, summary


def _find_table(ws, header: str):
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == header and ws.cell(cell.row, cell.column + 1).value == "客户数":
                out, r = {}, cell.row + 1
                while ws.cell(r, 1).value not in (None, "合计"):
                    out[ws.cell(r, 1).value] = (ws.cell(r, 2).value, ws.cell(r, 4).value)
                    r += 1
                return out, ws.cell(r, 2).value
    raise AssertionError(header)


def test_tables_hold_counts_and_revenue_recomputed_independently(built):
    path, run, _ = built
    ws = openpyxl.load_workbook(path)["客户分析"]
    t = run.table
    seg, total = _find_table(ws, "细分")
    expected = t["细分"].fillna("尚无购买").value_counts()
    assert {k: v[0] for k, v in seg.items()} == expected.to_dict()
    money = t.groupby(t["细分"].fillna("尚无购买"))["累计金额"].sum()
    assert {k: v[1] for k, v in seg.items()} == pytest.approx(money.to_dict())
    assert total == len(t) == 998
    types, _ = _find_table(ws, "客户类型")
    assert {k: v[0] for k, v in types.items()} == t["客户类型"].value_counts().to_dict()
    assert types["潜在客户"][0] >= 3
    tiers, _ = _find_table(ws, "价值等级")
    assert [v[0] for v in tiers.values()] == [int((t["价值等级"] == x).sum()) for x in "ABC"]
    assert sum(v[1] for v in tiers.values()) == pytest.approx(t["累计金额"].sum())


def test_six_native_charts_with_chinese_titles(built):
    path = built[0]
    with zipfile.ZipFile(path) as z:
        charts = sorted(n for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml", n))
        xml = [z.read(n).decode("utf-8") for n in charts]
    assert len(charts) == 6
    kinds = [re.search(r"<c:(barChart|pieChart)>", x).group(1) for x in xml]
    assert kinds.count("pieChart") == 2 and kinds.count("barChart") == 4
    titles = " ".join(xml)
    for title in ("细分：客户数", "细分：累计金额", "客户类型：客户数", "价值等级：累计金额"):
        assert title in titles
    assert all("客户分析!$A$" in x for x in xml)  # every series points at the sheet's own tables


def test_header_lines_state_date_method_and_followup(built):
    path, run, summary = built
    ws = openpyxl.load_workbook(path)["客户分析"]
    assert ws["A1"].value.startswith("客户分析")
    assert "2006-12-31" in ws["A2"].value and f"待跟进：{len(summary.followup):,} 位" in ws["A2"].value
    assert "R 语言 rfm 包" in ws["A3"].value
