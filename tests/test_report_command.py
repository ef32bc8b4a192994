"""`kehu report`: the workbook it writes, sections skipped cleanly, data problems, bad input (issue 21)."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from make_company import make_company  # noqa: E402

from addin.cli import app  # noqa: E402
from addin.commands.report import run_report  # noqa: E402
from addin.errors import KehuError  # noqa: E402

AS_OF = "2024-06-30"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("report")
    c = make_company(1500, 30_000, seed=77)
    c.register.to_excel(d / "客户档案.xlsx", index=False)
    c.orders.to_csv(d / "订单.csv", index=False)
    rng = np.random.default_rng(5)
    surveyed = c.register.sample(400, random_state=5)
    pd.DataFrame({"客户编号": surveyed["客户编号"].to_numpy(), "总体满意度": rng.integers(1, 6, 400)}).to_excel(
        d / "满意度.xlsx", index=False)
    return d, c


def _sheet(path: Path, name: str) -> list[tuple]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    return [tuple(r) for r in wb[name].iter_rows(values_only=True)]


def test_report_workbook_has_every_section_and_the_data_problems(files):
    d, c = files
    s = run_report(d / "客户档案.xlsx", d / "out.xlsx", orders=d / "订单.csv", survey=d / "满意度.xlsx",
                   as_of=AS_OF, quiet=True)
    names = openpyxl.load_workbook(d / "out.xlsx", read_only=True).sheetnames
    for sheet in ("总览", "基本资料", "业务状况", "交易状况", "客户类型", "留存与流失", "交叉销售", "客户盈利", "满意度",
                  "流失风险", "交叉销售建议", "追加销售", "数据问题"):
        assert sheet in names, sheet
    assert all(v == "ok" for v in s["sections"].values())
    # 数据问题: the counts table lists each planted kind with its number.
    rows = _sheet(d / "out.xlsx", "数据问题")
    header = rows[1]   # under the title: the list's header, an empty column, the counts table's header
    g = header.index(None)
    counts = {r[g + 1]: r[g + 3] for r in rows[2:] if len(r) > g + 3 and isinstance(r[g + 3], (int, float)) and r[g + 1]}
    from udfs.score.report.order_checks import ORDER_PROBLEMS
    for code, n in c.planted["bad"].items():
        assert counts[ORDER_PROBLEMS[code][0]] == n
    assert s["data_problems"][ORDER_PROBLEMS["UNLINKED"][0]] == c.planted["bad"]["UNLINKED"]


def test_customer_types_and_revenue_in_the_register_columns_match_pandas(files):
    d, c = files
    run_report(d / "客户档案.xlsx", d / "out2.xlsx", orders=d / "订单.csv", as_of=AS_OF, quiet=True)
    rows = _sheet(d / "out2.xlsx", "Sheet1")
    head = list(rows[0])
    frame = pd.DataFrame(rows[1:], columns=head)
    o = c.orders
    ok = (o["客户编号"].isin(c.register["客户编号"]) & (o["金额"] > 0) & (o["订单类型"] != "退货")
          & (o["下单日期"] <= pd.Timestamp(AS_OF)) & ~o["订单编号"].duplicated())
    per = o[ok].groupby("客户编号").agg(n=("金额", "size"), m=("金额", "sum"))
    got = frame.set_index("客户编号")
    assert np.allclose(got.loc[per.index, "收入"].astype(float), per["m"])
    assert (got.loc[per.index, "订单数"].astype(int) == per["n"]).all()
    assert set(frame["客户类型"].dropna()) <= {"忠诚客户", "潜在客户", "边缘客户", "流失客户"}


def test_satisfaction_by_type_matches_a_pandas_merge(files):
    d, c = files
    from addin.read import read_table
    from addin.commands.report import analyse_report
    table = read_table(d / "客户档案.xlsx", kind="register")
    res = analyse_report(table, orders=d / "订单.csv", survey=d / "满意度.xlsx", as_of=AS_OF)
    build = next(s for s in res.sheets if s.name == "满意度").build
    sec = build.keywords["sec"]
    by_type = next(b for b in sec.blocks if b.title == "按客户类型的满意度").table.set_index("客户类型")
    survey = pd.read_excel(d / "满意度.xlsx", engine="openpyxl")
    types = pd.DataFrame({"客户编号": c.register["客户编号"], "t": [col.values for col in res.columns
                                                                if col.header == "客户类型"][0]})
    expect = survey.merge(types, on="客户编号").groupby("t")["总体满意度"].mean()
    assert np.allclose(by_type.loc[expect.index, "平均满意度"], expect)


def test_without_orders_or_purchases_the_sections_say_why(files, tmp_path):
    d, c = files
    c.register.head(50).to_excel(tmp_path / "only.xlsx", index=False)
    s = run_report(tmp_path / "only.xlsx", tmp_path / "o.xlsx", as_of=AS_OF, quiet=True)
    assert s["sections"]["基本资料"] == "ok"
    assert "订单" in s["sections"]["留存与流失"] and "满意度" in s["sections"]["满意度"]


def test_register_without_customer_id_is_a_two_line_error_not_a_traceback(tmp_path):
    pd.DataFrame({"姓名": ["张伟"], "区域": ["华东"]}).to_excel(tmp_path / "x.xlsx", index=False)
    with pytest.raises(KehuError):
        run_report(tmp_path / "x.xlsx", tmp_path / "y.xlsx", quiet=True)
    r = CliRunner().invoke(app, ["report", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 4 and "Traceback" not in r.output


def test_report_on_an_order_list_says_to_give_it_as_orders(tmp_path):
    """The sample order list given where the register belongs: exit 4 and the command to run instead."""
    from typer.testing import CliRunner

    from addin.cli import app

    orders = Path(__file__).resolve().parents[1] / "workbook_templates" / "samples" / "sample_orders.xlsx"
    result = CliRunner().invoke(app, ["report", str(orders), "-o", str(tmp_path / "o.xlsx")])
    assert result.exit_code == 4
    assert "kehu report 客户档案.xlsx --orders sample_orders.xlsx" in result.output
    assert "kehu report REGISTER.xlsx --orders sample_orders.xlsx" in result.output
    assert not (tmp_path / "o.xlsx").exists()


def test_a_register_with_last_purchase_but_no_count_or_spend_is_segmented():
    """Missing 购买次数 / 累计金额 columns mean unknown for every customer, never a length error."""
    import pandas as pd

    from udfs.score.segment.pipeline import segment_customers

    last = pd.Series(["2024-01-05", "2023-03-01", None, "2024-06-01"])
    run = segment_customers(last, None, None, as_of="2024-06-30")
    t = run.table
    assert len(t) == 4 and t["购买次数"].isna().all() and t["累计金额"].isna().all()
    assert t["距今天数"].tolist()[:2] == [(pd.Timestamp("2024-06-30") - pd.Timestamp(d)).days
                                      for d in ("2024-01-05", "2023-03-01")]
