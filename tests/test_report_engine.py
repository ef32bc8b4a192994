"""Report engine figures against independent computations: published CDNOW parameters, mlxtend, plain pandas."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from udfs.score.report.baskets import cross_sell, pair_rules
from udfs.score.report.bgnbd import expected_purchases, fit_bgnbd, probability_alive
from udfs.score.report.breakdown import share_table
from udfs.score.report.cohorts import churn_by_period, cohort_retention
from udfs.score.report.order_checks import order_problems, problem_counts
from udfs.score.report.pareto import pareto_share

DATA = Path(__file__).parent / "data"


def test_bgnbd_fit_matches_fader_hardie_lee_2005_cdnow():
    d = pd.read_csv(DATA / "cdnow_customers_summary.csv")
    assert len(d) == 2357
    m = fit_bgnbd(d["frequency"], d["recency"], d["T"])
    # Published: r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4 (FHL 2005, §5).
    assert (round(m.r, 3), round(m.alpha, 3), round(m.a, 3), round(m.b, 3)) == (0.243, 4.414, 0.793, 2.426)
    assert round(m.log_likelihood, 1) == -9582.4
    # FHL 2005 §5: a customer with x=2, t_x=30.43, T=38.86 is expected to make 1.226 purchases in 39 weeks.
    assert round(float(expected_purchases(m, 39, [2], [30.43], [38.86])[0]), 3) == 1.226


def test_bgnbd_probability_alive_against_direct_formula():
    from scipy.special import beta
    d = pd.read_csv(DATA / "cdnow_customers_summary.csv").sample(200, random_state=3)
    m = fit_bgnbd(*(pd.read_csv(DATA / "cdnow_customers_summary.csv")[c] for c in ("frequency", "recency", "T")))
    x, t, T = d["frequency"].to_numpy(), d["recency"].to_numpy(), d["T"].to_numpy()
    p = probability_alive(m, x, t, T)
    direct = [1.0 if xi == 0 else 1 / (1 + m.a / (m.b + xi - 1) * ((m.alpha + Ti) / (m.alpha + ti)) ** (m.r + xi))
              for xi, ti, Ti in zip(x, t, T)]
    assert np.allclose(p, direct, rtol=1e-10)
    assert beta(1, 1) == 1  # scipy is the reference library here


def _baskets(seed: int):
    rng = np.random.default_rng(seed)
    products = list("ABCDEFGH")
    rows = []
    for c in range(400):
        owned = set(rng.choice(products, size=rng.integers(1, 5), replace=False))
        if "A" in owned and rng.random() < 0.7:
            owned.add("B")
        rows += [(c, p) for p in owned for _ in range(rng.integers(1, 3))]  # repeat purchases of one product
    return pd.DataFrame(rows, columns=["c", "p"])


def test_pair_rules_match_mlxtend():
    mlx = pytest.importorskip("mlxtend.frequent_patterns")
    df = _baskets(41)
    ours = pair_rules(df["c"], df["p"], min_support=0.02)
    onehot = pd.crosstab(df["c"], df["p"]).astype(bool)
    freq = mlx.apriori(onehot, min_support=0.02, use_colnames=True, max_len=2)
    theirs = mlx.association_rules(freq, metric="confidence", min_threshold=0.0)
    theirs = theirs[(theirs["antecedents"].map(len) == 1) & (theirs["consequents"].map(len) == 1)]
    theirs = pd.DataFrame({"前项": theirs["antecedents"].map(lambda s: next(iter(s))),
                           "后项": theirs["consequents"].map(lambda s: next(iter(s))),
                           "s": theirs["support"], "c": theirs["confidence"], "l": theirs["lift"]})
    merged = ours.merge(theirs, on=["前项", "后项"], how="outer", indicator=True)
    assert (merged["_merge"] == "both").all()
    assert len(merged) == len(theirs) > 20
    assert np.allclose(merged["支持度"], merged["s"]) and np.allclose(merged["置信度"], merged["c"])
    assert np.allclose(merged["提升度"], merged["l"])
    top = ours.iloc[0]
    assert {top["前项"], top["后项"]} == {"A", "B"}


def test_cross_sell_suggests_only_unbought_products_with_the_rule_evidence():
    df = _baskets(42)
    rules = pair_rules(df["c"], df["p"], min_support=0.02)
    sug = cross_sell(df["c"], df["p"], rules, min_lift=1.2)
    owned = set(zip(df["c"], df["p"]))
    assert len(sug) > 0
    assert not any((c, p) in owned for c, p in zip(sug["客户代码"], sug["推荐产品"]))
    assert all((c, a) in owned for c, a in zip(sug["客户代码"], sug["依据产品"]))
    # A buyer of A without B gets B first (the planted pair has the largest lift).
    a_only = sorted({c for c, p in owned if p == "A"} - {c for c, p in owned if p == "B"})
    firsts = sug[(sug["排名"] == 1) & sug["客户代码"].isin(a_only)]
    assert (firsts["推荐产品"] == "B").mean() > 0.9


def _orders(seed: int, n_customers: int = 300):
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(n_customers):
        start = pd.Timestamp("2023-01-01") + pd.Timedelta(days=int(rng.integers(0, 365)))
        for _ in range(rng.integers(1, 8)):
            rows.append((c, start + pd.Timedelta(days=int(rng.exponential(120)))))
    return pd.DataFrame(rows, columns=["c", "d"])


def test_cohort_retention_against_pandas():
    df = _orders(5)
    as_of = pd.Timestamp("2024-06-30")
    ours = cohort_retention(df["c"], df["d"], freq="M", as_of=as_of, max_periods=6)
    p = df["d"].dt.to_period("M")
    first = p.groupby(df["c"]).transform("min")
    since = (p - first).map(lambda off: off.n)
    for _, row in ours.iterrows():
        members = df.loc[first.astype(str) == row["首购期"], "c"].unique()
        assert row["客户数"] == len(members)
        for k in range(7):
            cohort_period = pd.Period(row["首购期"], "M") + k
            if cohort_period > as_of.to_period("M"):
                assert pd.isna(row[f"第{k}期"])
                continue
            active = df.loc[(first.astype(str) == row["首购期"]) & (since == k), "c"].nunique()
            assert row[f"第{k}期"] == pytest.approx(active / len(members))


def test_churn_rate_against_pandas():
    df = _orders(6)
    ours = churn_by_period(df["c"], df["d"], freq="Q", as_of=pd.Timestamp("2024-06-30"))
    q = df.assign(q=df["d"].dt.to_period("Q"))[["c", "q"]].drop_duplicates()
    sets = q.groupby("q")["c"].apply(set)
    for _, row in ours.iterrows():
        period = pd.Period(row["期间"].replace("Q", "Q"), "Q")
        now, nxt = sets.get(period, set()), sets.get(period + 1, set())
        assert row["活跃客户"] == len(now)
        assert row["流失率"] == pytest.approx(1 - len(now & nxt) / len(now))
    assert pd.Period(ours["期间"].iloc[-1], "Q") + 1 < pd.Period("2024Q2", "Q") + 1


def test_pareto_share_against_sorting_by_hand():
    rng = np.random.default_rng(8)
    revenue = rng.lognormal(8, 1.5, 1001)
    top = sorted(revenue, reverse=True)[:201]  # ceil(1001 × 0.2) = 201 customers
    assert pareto_share(revenue) == pytest.approx(sum(top) / sum(revenue))


def test_share_table_counts_blanks_and_adds_to_one():
    t = share_table(["华东", "华南", None, "华东", " ", "华北"], "区域")
    assert dict(zip(t["区域"], t["客户数"])) == {"华东": 2, "（空白）": 2, "华南": 1, "华北": 1}
    assert t["占比"].sum() == pytest.approx(1)


def test_order_problems_each_kind_counted():
    flags = order_problems(linked=[True, False, True, True, True, True, True],
                           has_customer=[True, True, True, True, True, True, False],
                           amount=[10, 10, -5, 0, 10, 10, 10],
                           dates=["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2025-01-01", "2024-01-05",
                                  "2024-01-06"],
                           as_of="2024-06-30", order_id=["o1", "o2", "o3", "o4", "o5", "o1", "o7"])
    counts = dict(zip(problem_counts(flags)["问题"].str[:6], problem_counts(flags)["订单数"]))
    assert flags["可用"].tolist() == [True, False, False, False, False, False, False]
    assert sum(counts.values()) == 6


def test_bgnbd_gradient_matches_finite_differences():
    from scipy.optimize import approx_fprime
    from udfs.score.report.bgnbd import log_likelihood_gradient, log_likelihood_terms
    d = pd.read_csv(DATA / "cdnow_customers_summary.csv")
    x, t, T = (d[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    w = np.ones(len(x))
    p0 = np.array([0.4, 3.0, 1.1, 2.0])
    value, grad = log_likelihood_gradient(p0, x, t, T, w)
    assert value == pytest.approx(log_likelihood_terms(p0, x, t, T).sum())
    numeric = approx_fprime(p0, lambda p: log_likelihood_terms(p, x, t, T).sum(), 1e-7)
    assert np.allclose(grad, numeric, rtol=1e-4)
