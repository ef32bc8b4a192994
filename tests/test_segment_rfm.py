"""RFM scoring on the R package rfm's sample orders, checked against the package's published output
and an independent pandas computation; ties, one-purchase and no-purchase customers."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from udfs.score.segment import aggregate_orders, recency_days, rfm_scores, score_by_breaks, segment_customers

DATA = Path(__file__).resolve().parent / "data" / "rfm_data_orders.csv"
AS_OF = "2006-12-31"  # the analysis date of the package's examples


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return pd.read_csv(DATA)


@pytest.fixture(scope="module")
def scored(orders):
    per = aggregate_orders(orders["customer_id"], orders["order_date"], orders["revenue"])
    days = recency_days(per["最近购买日期"].reset_index(drop=True), AS_OF)
    table, method = rfm_scores(days, per["购买次数"], per["累计金额"])
    table.index = per.index
    return per, days, table, method


def test_sample_has_the_documented_size(orders):
    assert len(orders) == 4906
    assert orders["customer_id"].nunique() == 995


# rfm's vignette "RFM - Transaction Level Data" prints these rows of rfm_table_order(rfm_data_orders, …,
# analysis_date = 2006-12-31) (customer names carried titles such as "Mr." / "DVM" in that release).
PUBLISHED = [
    ("Abbey O'Reilly", 205, 6, 472, 343), ("Add Senger", 140, 3, 340, 412), ("Aden Lesch", 194, 4, 405, 323),
    ("Admiral Senger", 132, 5, 448, 433), ("Agness O'Keefe", 90, 9, 843, 555), ("Aileen Barton", 84, 9, 763, 555),
    ("Ailene Hermann", 281, 8, 699, 355), ("Aiyanna Bruen", 246, 4, 157, 321), ("Ala Schmidt", 349, 3, 363, 212),
    ("Alannah Borer", 619, 4, 196, 121),
]


@pytest.mark.parametrize("name,days,count,amount,rfm", PUBLISHED)
def test_published_rows_of_the_r_package(scored, name, days, count, amount, rfm):
    per, recency, table, _ = scored
    i = per.index.get_loc(name)
    assert recency.iloc[i] == days
    assert per["购买次数"].iloc[i] == count
    assert per["累计金额"].iloc[i] == amount
    assert table["RFM"].iloc[i] == rfm


def test_breaks_match_the_packages_documented_thresholds(scored):
    # The package's example of custom thresholds uses the default breaks, rounded:
    # recency_bins = c(115, 181, 297, 482), frequency_bins = c(4, 5, 6, 8), monetary_bins = c(256, 382, 506, 666)
    method = scored[3]
    assert np.round(method.breaks["R"]).tolist() == [115, 181, 297, 482]
    assert list(method.breaks["F"]) == [4, 5, 6, 8]
    assert np.round(method.breaks["M"]).tolist() == [256, 382, 506, 666]
    assert "rfm" in method.describe() and "分位数" in method.describe()


def _independent_scores(orders: pd.DataFrame, plus_one: bool, right: bool) -> pd.DataFrame:
    """Written differently on purpose: groupby aggregation, Series.quantile, and pd.cut for the bins."""
    o = orders.assign(order_date=pd.to_datetime(orders["order_date"]))
    g = o.groupby("customer_id").agg(last=("order_date", "max"), n=("order_date", "size"), amount=("revenue", "sum"))
    g["days"] = (pd.Timestamp(AS_OF) - g["last"]).dt.days
    out = {}
    for col, name in (("days", "R"), ("n", "F"), ("amount", "M")):
        q = g[col].quantile([0.2, 0.4, 0.6, 0.8]).to_numpy() + (1 if plus_one else 0)
        assert len(set(q)) == 4  # distinct edges on this data, so pd.cut's numbering is R's numbering
        score = pd.cut(g[col], np.r_[-np.inf, q, np.inf], right=right, labels=[1, 2, 3, 4, 5]).astype(int)
        out[name] = 6 - score if name == "R" else score
    return pd.DataFrame(out, index=g.index)


def test_counts_per_score_match_independent_pandas(orders, scored):
    table = scored[2]
    expected = _independent_scores(orders, plus_one=True, right=False)
    for name in ("R", "F", "M"):
        ours = table[name].value_counts().sort_index()
        theirs = expected[name].value_counts().sort_index()
        assert ours.to_dict() == theirs.to_dict(), name
    # and customer by customer
    joined = table.join(expected.add_suffix("_x"))
    for name in ("R", "F", "M"):
        assert (joined[name] == joined[name + "_x"]).all()


def test_quantile_method_matches_independent_pandas(orders):
    per = aggregate_orders(orders["customer_id"], orders["order_date"], orders["revenue"])
    days = recency_days(per["最近购买日期"].reset_index(drop=True), AS_OF)
    table, method = rfm_scores(days, per["购买次数"], per["累计金额"], method="quantile")
    table.index = per.index
    expected = _independent_scores(orders, plus_one=False, right=True)
    assert method.method == "quantile"
    for name in ("R", "F", "M"):
        assert table[name].value_counts().to_dict() == expected[name].value_counts().to_dict()


def test_each_score_holds_about_a_fifth_and_recent_is_five(scored):
    per, days, table, _ = scored
    shares = table["R"].value_counts(normalize=True)
    assert shares.between(0.12, 0.28).all()
    assert table.loc[per.index[days.to_numpy().argmin()], "R"] == 5
    assert table.loc[per.index[days.to_numpy().argmax()], "R"] == 1


def test_ties_share_a_score():
    spend = [100, 100, 100, 100, 200, 300, 300, 400, 500, 500]
    table, _ = rfm_scores(np.arange(10), [1] * 10, spend)
    by_value = pd.DataFrame({"v": spend, "M": table["M"]}).groupby("v")["M"].nunique()
    assert (by_value == 1).all()


def test_value_on_a_break_follows_the_interval_rule():
    # breaks [2, 4]: [min,2) → 1, [2,4) → 2, [4,max] → 3 for closed="left"; (.,2] → 1 for closed="right"
    assert score_by_breaks([1, 2, 3, 4, 5], [2, 4]).tolist() == [1, 2, 2, 3, 3]
    assert score_by_breaks([1, 2, 3, 4, 5], [2, 4], closed="right").tolist() == [1, 1, 2, 2, 3]
    assert score_by_breaks([1, 2, 3, 4, 5], [2, 4], reverse=True).tolist() == [3, 2, 2, 1, 1]


def test_one_purchase_customers_get_the_lowest_frequency():
    # most customers bought once: every quantile of the counts is 1, R's +1 rule keeps them all at F = 1
    counts = [1] * 70 + [2] * 20 + [5] * 10
    table, method = rfm_scores(np.arange(100), counts, np.arange(100) + 1.0)
    assert set(table["F"][:70]) == {1}
    assert table["F"][70:90].eq(table["F"][70]).all() and table["F"][70] > 1
    assert table["F"][99] == 5


def test_no_purchase_customers_get_no_score_and_do_not_move_the_breaks():
    rng = np.random.default_rng(3)
    days = rng.integers(0, 700, 200).astype(float)
    count = rng.integers(1, 12, 200)
    spend = rng.integers(10, 1000, 200).astype(float)
    base, base_method = rfm_scores(days, count, spend)
    with_empty, method = rfm_scores(np.r_[days, [np.nan] * 50], np.r_[count, [0] * 50], np.r_[spend, [0] * 50])
    assert with_empty.iloc[200:].isna().all().all()
    assert dict(method.breaks) == dict(base_method.breaks)
    pd.testing.assert_frame_equal(with_empty.iloc[:200].reset_index(drop=True), base)


def test_pipeline_register_with_a_customer_who_never_bought():
    run = segment_customers(["2024-05-01", "2023-01-01", None, "2024-04-01"], [5, 2, 0, 1], [5000, 300, 0, 80],
                            as_of="2024-06-01")
    t = run.table
    assert t["已购买"].tolist() == [True, True, False, True]
    assert np.isnan(t.loc[2, "R"]) and pd.isna(t.loc[2, "细分"])
    assert t.loc[2, "客户类型"] == "潜在客户" and t.loc[2, "价值等级"] == "C"
    assert t.loc[1, "客户类型"] == "流失客户"  # 517 days
    assert t.loc[0, "距今天数"] == 31
