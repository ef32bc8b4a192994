"""`kehu segment` end to end on the bundled samples: added columns, report sheets, and agreement with the formulas."""
from __future__ import annotations

import datetime as dt
import json
import warnings

import openpyxl
import pandas as pd
import pytest

from addin.commands.segment import run_segment
from addin.errors import KehuError
from tests.conftest import SAMPLES
from udfs.formulas.segment import KEHU_CUSTOMER_TYPE, KEHU_RFM, KEHU_SEGMENT, KEHU_TIER
from workbook_templates.samples import build_orders

REGISTER = SAMPLES / "sample_register.xlsx"
ORDERS = SAMPLES / "sample_orders.xlsx"
AS_OF = "2024-06-30"


def _sheet(path, name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ws = openpyxl.load_workbook(path)[name]
    rows = list(ws.iter_rows(values_only=True))
    return rows


def _added(path, header_row=4):
    rows = _sheet(path, "客户档案")
    head = rows[header_row - 1]
    body = [r for r in rows[header_row:] if isinstance(r[0], str) and r[0].startswith("C0")]  # not the notes below
    return pd.DataFrame(body, columns=[h if h is not None else f"_{i}" for i, h in enumerate(head)])


@pytest.fixture(scope="module")
def orders_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("seg") / "out.xlsx"
    summary = run_segment(REGISTER, out, orders=ORDERS, as_of=AS_OF, quiet=True)
    return out, summary


def test_orders_run_adds_the_columns_and_sheets(orders_run):
    out, s = orders_run
    assert s["records"] == 60 and s["source"]["kind"] == "orders"
    assert set(s["added_sheets"]) == {"总览", "客户分析", "待跟进"}
    df = _added(out)
    for col in ("R", "F", "M", "RFM", "细分", "客户类型", "价值等级", "下次跟进", "逾期", "分类原因"):
        assert col in df.columns
    no_orders = df["客户编号"].isin(build_orders.NO_ORDERS)
    assert s["no_purchase"] == len(build_orders.NO_ORDERS) == int(no_orders.sum())
    assert (df.loc[no_orders, "客户类型"] == "潜在客户").all() and df.loc[no_orders, "R"].isna().all()
    churned = df["客户编号"].isin(build_orders.CHURNED)
    assert (df.loc[churned, "客户类型"] == "流失客户").all()
    one = df["客户编号"].isin(build_orders.ONE_ORDER)
    assert (df.loc[one, "订单次数"] == 1).all() and (df.loc[one, "F"] == 1).all()
    json.dumps(s, ensure_ascii=False, default=str)  # the summary is JSON-ready for --json


def test_orders_are_aggregated_like_an_independent_groupby(orders_run):
    out = orders_run[0]
    o = pd.read_excel(ORDERS, engine="calamine")
    o["金额"] = pd.to_numeric(o["金额"].astype(str).str.replace(r"[¥,]", "", regex=True))
    ref = o.groupby("客户编号")["金额"].agg(["size", "sum"])
    df = _added(out).set_index("客户编号")
    has = df.index.isin(ref.index)
    assert (df.loc[has, "订单次数"] == ref.loc[df.index[has], "size"]).all()
    assert df.loc[has, "订单金额"].to_numpy() == pytest.approx(ref.loc[df.index[has], "sum"].to_numpy())


def test_followup_sheet_is_sorted_by_due_date(orders_run):
    rows = _sheet(orders_run[0], "待跟进")
    head = rows[1]
    dates = [r[head.index("下次跟进")] for r in rows[2:] if r[0] is not None]
    assert dates == sorted(dates) and len(dates) == orders_run[1]["followup"]["due"]
    overdue = [r[head.index("逾期")] == "逾期" for r in rows[2:] if r[0] is not None]
    assert overdue == [d < dt.datetime(2024, 6, 30) for d in dates]


def test_formulas_agree_with_the_cli(orders_run):
    df = _added(orders_run[0])
    col = lambda name: tuple((None if pd.isna(v) else v,) for v in df[name])  # noqa: E731
    rfm = KEHU_RFM(col("最近下单日期"), col("订单次数"), col("订单金额"), AS_OF)
    for i, name in enumerate("RFM"):
        got = [r[i] if i < len(r) and r[i] != "" else None for r in rfm]
        got += [None] * (len(df) - len(got))
        assert got == [None if pd.isna(v) else float(v) for v in df[name]], name
    seg = [r[0] or None for r in KEHU_SEGMENT(col("R"), col("F"), col("M"))]
    assert seg == [None if pd.isna(v) else v for v in df["细分"]][:len(seg)]
    kinds = [r[0] for r in KEHU_CUSTOMER_TYPE(col("细分"), col("最近下单日期"), AS_OF)]
    assert kinds == df["客户类型"].tolist()[:len(kinds)]
    tiers = [r[0] for r in KEHU_TIER(col("订单金额"))]
    assert tiers == df["价值等级"].tolist()


def test_register_columns_run_and_survey_join(tmp_path):
    survey = tmp_path / "survey.csv"
    survey.write_text("客户编号,总体满意度\nC0001,5\nC0001,3\nC0002,2\nX9,5\n", encoding="utf-8")
    s = run_segment(REGISTER, tmp_path / "reg.xlsx", as_of=AS_OF, survey=survey, quiet=True)
    assert s["source"]["kind"] == "register"
    assert any("关联到客户表 2 位" in n for n in s["notes"])
    rows = _sheet(tmp_path / "reg.xlsx", "客户分析")
    header = next(r for r in rows if r[0] == "客户类型")
    assert "平均满意度" in header
    assert sum(s["types"].values()) == 60


def test_missing_purchase_columns_is_a_clear_error(tmp_path):
    reg = tmp_path / "r.csv"
    reg.write_text("客户编号,姓名\nC1,张三\n", encoding="utf-8")
    with pytest.raises(KehuError) as e:
        run_segment(reg, tmp_path / "o.xlsx", as_of=AS_OF, quiet=True)
    assert "--orders" in e.value.zh and "--orders" in e.value.en


def test_cli_door(cli, tmp_path):
    code, stdout, _ = cli("segment", REGISTER, "--orders", ORDERS, "--as-of", AS_OF, "-o", tmp_path / "c.xlsx",
                          "--json")
    assert code == 0
    assert json.loads(stdout)["followup"]["due"] > 0
    code, _, stderr = cli("segment", REGISTER, "--as-of", "不是日期", "-o", tmp_path / "d.xlsx")
    assert code == 2 and "--as-of" in stderr


def test_bad_rules_file_is_a_clear_cli_error(cli, tmp_path):
    """Engine InputProblems reach the user as the two-line message and the input exit codes."""
    from pathlib import Path

    sample = Path(__file__).resolve().parents[1] / "workbook_templates" / "samples" / "sample_register.xlsx"
    bad = tmp_path / "rules.csv"
    bad.write_text("segment,r_min,r_max\nx,1,5\n", encoding="utf-8")
    code, _out, err = cli("segment", sample, "--rules", bad, "-o", tmp_path / "o.xlsx")
    assert code == 4 and err.startswith("错误：细分规则缺少列") and "Error: Segment rules" in err
    code, _out, err = cli("segment", sample, "--rules", tmp_path / "none.csv", "-o", tmp_path / "o.xlsx")
    assert code == 3 and "找不到细分规则文件" in err
    assert not (tmp_path / "o.xlsx").exists()
