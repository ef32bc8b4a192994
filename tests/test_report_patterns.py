"""A generated company (50,000 customers, 1,000,000 orders; benchmarks/make_company.py) with planted patterns:
the report must find each. Seed 2026 was never used while writing the report (development used seed 1)."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from make_company import make_company  # noqa: E402

from udfs.score.report.analysis import ReportInput, analyse_customers  # noqa: E402
from udfs.score.report.order_checks import ORDER_PROBLEMS  # noqa: E402

FIELDS = ["区域", "行业", "公司规模", "公司性质", "来源渠道", "状态"]


@pytest.fixture(scope="module")
def company_report():
    c = make_company(50_000, 1_000_000, seed=2026)
    assert len(c.register) >= 50_000 and len(c.orders) >= 1_000_000
    o = c.orders.rename(columns={"客户编号": "customer", "下单日期": "date", "金额": "amount", "订单编号": "order_id",
                                 "产品": "product", "成本": "cost", "订单类型": "kind"})
    r = c.register
    rep = analyse_customers(ReportInput(r["客户编号"], "2024-06-30", fields={k: r[k] for k in FIELDS},
                                        region=r["区域"], status=r["状态"], orders=o))
    return c, rep


def _block(rep, key, title_start):
    sec = next(s for s in rep.sections if s.key == key)
    return next(b for b in sec.blocks if b.title.startswith(title_start)).table


def test_finds_the_product_pair(company_report):
    c, rep = company_report
    rules = _block(rep, "cross", "产品关联规则")
    assert {rules.iloc[0]["前项"], rules.iloc[0]["后项"]} == set(c.planted["pair"])
    # Printer buyers without toner are told to buy toner, first.
    sug = rep.lists["交叉销售"]
    first = sug[(sug["排名"] == 1) & (sug["依据产品"] == "激光打印机")]
    assert len(first) > 0 and (first["推荐产品"] == "硒鼓").all()


def test_finds_the_cohort_that_churns_fast(company_report):
    c, rep = company_report
    ret = _block(rep, "retention", "留存表")
    full = ret.dropna(subset=["第3期"])
    worst = full.sort_values("第3期").iloc[0]["首购期"]
    assert worst == c.planted["fast_churn_cohort"]
    cust = rep.customers
    campaign = c.register["来源渠道"].to_numpy() == "团购活动"
    assert np.nanmedian(cust["仍活跃概率"][campaign]) < 0.5 * np.nanmedian(cust["仍活跃概率"][~campaign])


def test_finds_the_segment_that_under_spends(company_report):
    c, rep = company_report
    region = _block(rep, "business", "按区域")
    assert region.sort_values("单均收入").iloc[0]["区域"] == c.planted["under_spending_region"]
    up = rep.customers[rep.customers["追加销售"]]
    west_share_up = (up["区域"] == "西北").mean()
    west_share_all = (rep.customers["区域"] == "西北").mean()
    assert west_share_up > 2 * west_share_all


def test_counts_every_planted_bad_order(company_report):
    c, rep = company_report
    counts = dict(zip(rep.problem_counts["问题"], rep.problem_counts["订单数"]))
    for code, n in c.planted["bad"].items():
        assert counts[ORDER_PROBLEMS[code][0]] == n, code
    assert len(rep.lists["问题订单"]) == pytest.approx(sum(c.planted["bad"].values()), abs=6)


def test_revenue_equals_an_independent_pandas_sum_of_the_clean_orders(company_report):
    c, rep = company_report
    o = c.orders
    ok = (o["客户编号"].isin(c.register["客户编号"]) & (o["金额"] > 0) & (o["订单类型"] != "退货")
          & (o["下单日期"] <= pd.Timestamp("2024-06-30")) & ~o["订单编号"].duplicated())
    assert rep.customers["收入"].sum() == pytest.approx(o.loc[ok, "金额"].sum(), rel=1e-9)
    per = o[ok].groupby("客户编号")["金额"].sum()
    mine = pd.Series(rep.customers["收入"].to_numpy(), index=rep.customers["客户编号"])
    assert np.allclose(mine.reindex(per.index).to_numpy(), per.to_numpy())
