"""Competitor comparison on hand-made surveys: our score vs each competitor's per market, and the
better / on par / worse answers, checked against pandas and scipy."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from udfs.score.survey import analyse_survey


def _market_survey(seed: int = 4) -> pd.DataFrame:
    """Two markets; in 华南 we are clearly better than 永辉, in 华东 on par; 华润万家 rated in both."""
    rng = np.random.default_rng(seed)
    n = 80
    market = np.repeat(["华东", "华南"], n)
    theta = rng.normal(0, 1, 2 * n)
    df = pd.DataFrame({"答卷编号": [f"M{i:03d}" for i in range(2 * n)], "市场": market})
    for j, name in enumerate(["商品质量", "价格", "服务态度", "购物环境"], start=1):
        df[f"Q{j} {name}"] = np.clip(np.rint(3.5 + 0.8 * theta + rng.normal(0, 0.7, 2 * n)), 1, 5)
    df["总体满意度"] = np.clip(np.rint(3.6 + 0.9 * theta + rng.normal(0, 0.5, 2 * n)), 1, 5)
    yonghui = 3.6 + 0.9 * theta - np.where(market == "华南", 1.0, 0.0)
    df["竞品评分：永辉"] = np.clip(np.rint(yonghui + rng.normal(0, 0.6, 2 * n)), 1, 5)
    df["竞品评分：华润万家"] = np.clip(np.rint(3.4 + rng.normal(0, 0.8, 2 * n)), 1, 5)
    better = np.where((market == "华南")[:, None], [0.6, 0.3, 0.1], [0.3, 0.4, 0.3])
    u = rng.random(2 * n)
    df["与永辉相比"] = np.where(u < better[:, 0], "更好", np.where(u < better[:, 0] + better[:, 1], "差不多", "更差"))
    return df.astype(object)


@pytest.fixture(scope="module")
def res():
    return analyse_survey(_market_survey(), bootstrap=0)


def test_competitor_columns_are_recognised_and_not_scored_as_items(res):
    s = res.spec
    assert [name for _, name in s.competitors] == ["永辉", "华润万家"]
    assert s.versus == [("与永辉相比", "永辉")]
    assert all(not q.code.startswith(("竞品", "与")) for q in s.items) and len(s.items) == 4


def test_rating_table_against_pandas_and_scipy(res):
    df = _market_survey()
    t = res.competition.set_index(["market", "competitor"])
    for market in ("华东", "华南"):
        part = df[df["市场"] == market]
        ours = (part["总体满意度"].astype(float) - 1) / 4 * 100
        for col, rival in (("竞品评分：永辉", "永辉"), ("竞品评分：华润万家", "华润万家")):
            theirs = (part[col].astype(float) - 1) / 4 * 100
            row = t.loc[(market, rival)]
            assert (row["ours"], row["theirs"], row["gap"]) == pytest.approx((ours.mean(), theirs.mean(),
                                                                             (ours - theirs).mean()))
            assert row["p"] == pytest.approx(stats.ttest_rel(ours, theirs).pvalue, rel=1e-9)
    assert t.loc[("华南", "永辉"), "verdict"] == "我们更好" and t.loc[("华东", "永辉"), "verdict"] == "相当"


def test_better_on_par_worse_shares_and_sign_test(res):
    df = _market_survey()
    v = res.versus.set_index(["market", "competitor"])
    for market in ("华东", "华南", "全部"):
        part = df if market == "全部" else df[df["市场"] == market]
        shares = part["与永辉相比"].value_counts(normalize=True)
        row = v.loc[(market, "永辉")]
        assert (row["better"], row["par"], row["worse"]) == pytest.approx(
            (shares.get("更好", 0), shares.get("差不多", 0), shares.get("更差", 0)))
        b, w = int((part["与永辉相比"] == "更好").sum()), int((part["与永辉相比"] == "更差").sum())
        assert row["p"] == pytest.approx(stats.binomtest(b, b + w).pvalue, rel=1e-9)
    assert v.loc[("华南", "永辉"), "verdict"] == "更好" and v.loc[("华东", "永辉"), "verdict"] == "相当"
    assert any("与永辉相比" in f for f in res.findings)


def test_report_has_the_competition_table_and_chart(res, tmp_path):
    import re
    import zipfile

    import openpyxl
    import xlsxwriter

    from addin.report.survey_sheet import build_survey_sheet

    path = tmp_path / "r.xlsx"
    wb = xlsxwriter.Workbook(path)
    build_survey_sheet(wb, wb.add_worksheet("满意度报告"), res)
    wb.close()
    ws = openpyxl.load_workbook(path)["满意度报告"]
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "八、竞争对比" in values and "★我们更好" in values and "★更好" in values and "相当" in values
    with zipfile.ZipFile(path) as z:
        titles = {t for n in z.namelist() if n.startswith("xl/charts/chart")
                  for t in re.findall(r"<a:t>([^<]+)</a:t>", z.read(n).decode())}
    assert "各市场：我们与竞品的评分" in titles and "与竞品相比的评价" in titles
