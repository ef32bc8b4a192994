"""Orders → one row per register customer: first/last order, orders, purchase days, revenue, cost, profit."""
from __future__ import annotations

import numpy as np
import pandas as pd


def link_codes(register_ids: list, order_ids: list, order_codes: np.ndarray) -> np.ndarray:
    """Orders' customer codes → register customer codes (-1 when the id is not in the register)."""
    where = pd.Index(register_ids, dtype=object).get_indexer(pd.Index(order_ids, dtype=object))
    return np.where(order_codes >= 0, np.append(where, -1)[order_codes], -1)


def per_customer(codes: np.ndarray, dates: np.ndarray, amount: np.ndarray, n_customers: int,
                 cost: np.ndarray | None = None) -> pd.DataFrame:
    """Usable orders (codes ≥ 0) → aggregates by customer code 0..n_customers-1."""
    frame = pd.DataFrame({"c": codes, "d": dates.astype("datetime64[ns]"), "m": amount})
    g = frame.groupby("c", sort=True)
    out = pd.DataFrame({"首次下单": g["d"].min(), "最近下单": g["d"].max(), "订单数": g.size(),
                        "购买天数": frame.assign(day=frame["d"].dt.normalize()).groupby("c")["day"].nunique(),
                        "收入": g["m"].sum()})
    if cost is not None:
        out["成本"] = pd.Series(cost).groupby(codes).sum()
        out["毛利"] = out["收入"] - out["成本"]
    out = out.reindex(np.arange(n_customers))
    out["订单数"] = out["订单数"].fillna(0).astype("int64")
    out["购买天数"] = out["购买天数"].fillna(0).astype("int64")
    out["收入"] = out["收入"].fillna(0.0).round(6)
    return out
