"""Intervals that match their statistic, checked by seeded Monte Carlo coverage (≥ 2,000 samples each)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from udfs.score.survey.intervals import (bootstrap_mean_interval, mean_interval, nps_interval, proportion_interval,
                                         share_interval)
from udfs.score.survey.stats import wilson_interval

SAMPLES = 2000
TARGET, SLACK = 0.95, 0.015


def _covered(lo, hi, truth) -> float:
    lo, hi = np.asarray(lo), np.asarray(hi)
    return float(((lo <= truth) & (truth <= hi)).mean())


def test_csat_from_an_overall_item_wilson_and_adjusted_wald_cover():
    rng = np.random.default_rng(20240601)
    p, n = 0.73, 150                                    # 73% answer 4 or 5 on the overall item
    k = rng.binomial(n, p, SAMPLES)
    for method in ("wilson", "adjusted-wald"):
        lo, hi = proportion_interval(k, np.full(SAMPLES, n), 0.95, method)
        assert abs(_covered(lo, hi, p) - TARGET) <= SLACK, method


def _battery(rng, respondents: int, items: int = 8) -> np.ndarray:
    """1–5 answers that move together within a respondent (a shared attitude plus item noise)."""
    theta = rng.normal(0, 1, (respondents, 1))
    return np.clip(np.rint(3.6 + 0.9 * theta + rng.normal(0, 0.7, (respondents, items))), 1, 5)


def test_csat_without_overall_item_is_cluster_correct():
    rng = np.random.default_rng(77)
    truth = (_battery(rng, 1_000_000) >= 4).mean()      # population top-2 share (every respondent answers all items)
    n = 120
    lo_r, hi_r, lo_p, hi_p = [], [], [], []
    for _ in range(SAMPLES):
        share = (_battery(rng, n) >= 4).mean(axis=1)    # each respondent's top-2 share
        lo, hi = share_interval(share, 0.95, "wilson")
        lo_r.append(lo), hi_r.append(hi)
        pooled = wilson_interval(share.sum() * 8, n * 8)  # the old way: 960 answers as if independent
        lo_p.append(pooled[0]), hi_p.append(pooled[1])
    assert abs(_covered(lo_r, hi_r, truth) - TARGET) <= SLACK
    assert _covered(lo_p, hi_p, truth) < 0.85          # pooling the answers is far too narrow


@pytest.mark.parametrize("method", ["adjusted-wald", "wald"])
def test_nps_interval_covers(method):
    rng = np.random.default_rng(99 if method == "wald" else 2016)
    probs = np.array([0.22, 0.33, 0.45])               # detractors, passives, promoters
    truth = (probs[2] - probs[0]) * 100
    n = 200
    counts = rng.multinomial(n, probs, SAMPLES)
    bounds = np.array([nps_interval(int(c[2]), int(c[0]), n, 0.95, method) for c in counts])
    assert abs(_covered(bounds[:, 0], bounds[:, 1], truth) - TARGET) <= SLACK


def test_nps_bootstrap_covers():
    rng = np.random.default_rng(31)
    probs = np.array([0.2, 0.3, 0.5])
    truth = (probs[2] - probs[0])
    n = 150
    lo, hi = [], []
    for s in range(SAMPLES):
        v = rng.choice([-1.0, 0.0, 1.0], n, p=probs)
        a, b = bootstrap_mean_interval(v, 0.95, draws=999, seed=s)
        lo.append(a), hi.append(b)
    assert abs(_covered(lo, hi, truth) - TARGET) <= SLACK


def test_index_interval_from_respondent_composites_covers():
    rng = np.random.default_rng(4242)
    weights = np.array([0.3, 0.2, 0.2, 0.1, 0.1, 0.1])
    population = (_battery(rng, 1_000_000, 6) - 1) / 4 * 100
    truth = float(population.mean(axis=0) @ weights / weights.sum())
    n = 100
    lo, hi = [], []
    for _ in range(SAMPLES):
        comp = ((_battery(rng, n, 6) - 1) / 4 * 100) @ weights / weights.sum()
        a, b = mean_interval(comp, 0.95, bounds=(0.0, 100.0))
        lo.append(a), hi.append(b)
    assert abs(_covered(lo, hi, truth) - TARGET) <= SLACK


def test_one_respondent_gives_a_wide_interval_not_a_point():
    from udfs.score.survey import analyse_survey, nps

    lo, hi = nps_interval(1, 0, 1)                     # one promoter
    assert lo < 0 and hi > 90
    r = nps([10], method="adjusted-wald")
    assert r["value"] == 100 and r["high"] - r["low"] > 100
    lo, hi = share_interval([1.0])
    assert (lo, hi) == pytest.approx(tuple(float(v) for v in wilson_interval(1, 1)))
    assert hi - lo > 0.7
    df = pd.DataFrame({"Q1 服务": [5, 3], "Q2 价格": [4, 2], "Q3 送货": [5, 1], "总体满意度": [4, 2],
                       "推荐意愿": [10, 3]}).astype(object)
    from udfs.score.survey import recognise_survey

    res = analyse_survey(df.iloc[:1], recognise_survey(df))   # the second row only teaches the layout
    ind = res.indices.set_index("index")
    for name in ("综合满意度（加权）", "CSAT 满意率", "NPS 净推荐值"):
        assert ind.loc[name, "high"] > ind.loc[name, "low"], name
    assert (ind.loc["综合满意度（加权）", "low"], ind.loc["综合满意度（加权）", "high"]) == (0.0, 100.0)


def test_every_interval_names_its_method():
    from workbook_templates.samples.build_survey import build_answers, build_items

    from udfs.score.survey import analyse_survey

    df, items = build_answers(), build_items()
    for interval, words in (("default", ("Wilson", "调整 Wald")), ("bootstrap", ("自助法",)),
                            ("adjusted-wald", ("调整 Wald",))):
        res = analyse_survey(df, items_sheet=items, interval=interval, bootstrap=0)
        notes = " ".join(res.indices["note"])
        assert all(w in notes for w in words), (interval, notes)
        ind = res.indices.set_index("index")
        for name in ("综合满意度（加权）", "CSAT 满意率", "NPS 净推荐值"):
            assert any(w in ind.loc[name, "note"] for w in ("区间",)), name


def test_adjusted_wald_and_wald_against_hand_formulas():
    z = 1.959963984540054
    k, n = 7, 20
    nt = n + z * z
    pt = (k + z * z / 2) / nt
    lo, hi = proportion_interval(k, n, 0.95, "adjusted-wald")
    assert (float(lo), float(hi)) == pytest.approx((pt - z * np.sqrt(pt * (1 - pt) / nt), pt + z * np.sqrt(pt * (1 - pt) / nt)))
    # Rocks (2016): n + 3, ¾ promoter and ¾ detractor added
    p, d = (12 + 0.75) / 33, (5 + 0.75) / 33
    se = np.sqrt((p + d - (p - d) ** 2) / 33)
    assert nps_interval(12, 5, 30) == pytest.approx(((p - d - z * se) * 100, (p - d + z * se) * 100))
