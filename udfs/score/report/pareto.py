"""Pareto curve and ABC tiers on revenue per customer."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def pareto_share(revenue: Any, top: float = 0.20) -> float:
    """Share of total revenue from the top `top` share of customers (ceil(n × top) customers, by revenue)."""
    v = np.sort(np.nan_to_num(np.asarray(revenue, dtype="float64")).clip(min=0))[::-1]
    total = v.sum()
    if len(v) == 0 or total <= 0:
        return float("nan")
    k = int(np.ceil(len(v) * top))
    return float(v[:k].sum() / total)


def pareto_curve(revenue: Any, points: int = 20) -> pd.DataFrame:
    """Cumulative revenue share at every 1/points of customers (sorted by revenue, largest first)."""
    v = np.sort(np.nan_to_num(np.asarray(revenue, dtype="float64")).clip(min=0))[::-1]
    total = v.sum()
    cum = np.concatenate([[0.0], np.cumsum(v)]) / (total if total > 0 else 1.0)
    shares = np.linspace(0, 1, points + 1)
    idx = np.ceil(shares * len(v)).astype(int)
    return pd.DataFrame({"客户占比": shares, "累计收入占比": cum[idx]})
