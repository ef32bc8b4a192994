"""ABC value tiers by cumulative spend (Pareto: 80 / 15 / 5 % of revenue) and each customer's share of revenue."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

from ._values import to_amounts

DEFAULT_SHARES = (0.80, 0.15, 0.05)
TIER_NAMES = ("A", "B", "C")


def value_tiers(spend: Any, shares: Sequence[float] = DEFAULT_SHARES) -> pd.DataFrame:
    """Spend per customer → 价值等级 (A/B/C), 收入占比 (share of total revenue), 累计占比.

    Customers are ranked by spend, largest first, and placed by the share of revenue that comes
    from customers who spent *strictly more* than them:
    below 80 % → A, below 80 + 15 = 95 % → B, otherwise C.
    So the customer who crosses a boundary (whose own spend carries the running total past 80 %)
    still belongs to the higher tier: tier A always holds at least 80 % of revenue, and customers
    with equal spend always share a tier. Zero or negative spend is C; missing spend has no tier.
    Revenue is the sum of positive spend. 累计占比 is the running share including the customer
    (equal spenders share the value reached after the last of them).
    """
    if abs(sum(shares) - 1) > 1e-9 or len(shares) != 3 or min(shares) < 0:
        raise ValueError("shares must be three non-negative fractions adding up to 1")
    x = to_amounts(spend).to_numpy(dtype="float64", na_value=np.nan)
    known = ~np.isnan(x)
    positive = np.where(known & (x > 0), x, 0.0)
    total = positive.sum()
    # Group equal spends: revenue from strictly larger spenders = sum over larger distinct values.
    values, inverse, counts = np.unique(-positive, return_inverse=True, return_counts=True)
    group_total = -values * counts  # distinct spends sorted from largest
    before = np.cumsum(group_total) - group_total
    through = np.cumsum(group_total)
    with np.errstate(invalid="ignore", divide="ignore"):
        above_share = before[inverse] / total if total > 0 else np.ones(len(x))
        cum_share = through[inverse] / total if total > 0 else np.full(len(x), np.nan)
        own_share = x / total if total > 0 else np.full(len(x), np.nan)
    cut_a, cut_b = shares[0], shares[0] + shares[1]
    eps = 1e-12  # running sums of floats: 0.8 computed as 0.7999999999 must still count as 80 %
    tier = np.where(above_share < cut_a - eps, "A", np.where(above_share < cut_b - eps, "B", "C")).astype(object)
    tier[known & (x <= 0)] = "C"
    tier[~known] = None
    own_share[~known] = np.nan
    cum_share = np.where(known & (x > 0), cum_share, np.where(known, 1.0, np.nan))
    return pd.DataFrame({"价值等级": tier, "收入占比": own_share, "累计占比": cum_share})
