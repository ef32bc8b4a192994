"""ABC value tiers: the customer who crosses 80 % / 95 % stays in the higher tier; ties share a tier."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from udfs.score.segment import value_tiers


def test_customer_crossing_80_percent_is_in_tier_a():
    # total 100: 50 (0→50 %), 25 (50→75 %), 10 (75→85 %: crosses 80 %), 8 (85→93 %), 4 (93→97 %: crosses 95 %), 3
    out = value_tiers([50, 25, 10, 8, 4, 3])
    assert out["价值等级"].tolist() == ["A", "A", "A", "B", "B", "C"]
    assert out["收入占比"].tolist() == pytest.approx([0.5, 0.25, 0.10, 0.08, 0.04, 0.03])
    assert out["累计占比"].tolist() == pytest.approx([0.5, 0.75, 0.85, 0.93, 0.97, 1.0])


def test_customer_starting_exactly_at_80_percent_is_b():
    # after 40 + 40 the running total is exactly 80 %: the next customer adds nothing to the first 80 %
    out = value_tiers([40, 40, 15, 5])
    assert out["价值等级"].tolist() == ["A", "A", "B", "C"]


def test_ties_share_the_tier_of_the_first_of_them():
    out = value_tiers([70, 10, 10, 10])  # 70 % before the tied group: all three are A
    assert out["价值等级"].tolist() == ["A", "A", "A", "A"]


def test_zero_negative_and_missing_spend():
    out = value_tiers([100, 0, -20, None, "¥1,000"])
    assert out["价值等级"].tolist()[:3] == ["B", "C", "C"] and out["价值等级"][4] == "A"
    assert pd.isna(out["价值等级"][3])
    assert out["收入占比"][4] == pytest.approx(1000 / 1100)
    assert np.isnan(out["收入占比"][3])


def test_random_registers_against_a_plain_loop():
    rng = np.random.default_rng(7)
    for _ in range(20):
        spend = np.round(rng.pareto(1.2, 300) * 100, 0)
        ours = value_tiers(spend)["价值等级"].to_numpy()
        total = spend.sum()
        expected = []
        for v in spend:  # the definition, one customer at a time
            above = spend[spend > v].sum() / total
            expected.append("A" if above < 0.8 else "B" if above < 0.95 else "C")
        assert (ours == np.array(expected)).all()
        a_share = spend[ours == "A"].sum() / total
        assert a_share >= 0.8


def test_custom_shares():
    out = value_tiers([60, 30, 10], shares=(0.5, 0.3, 0.2))
    assert out["价值等级"].tolist() == ["A", "B", "C"]
    with pytest.raises(ValueError):
        value_tiers([1], shares=(0.5, 0.3, 0.3))
