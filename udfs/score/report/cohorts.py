"""Cohort retention and churn per period from an order list (one row per order)."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def _period_numbers(dates: np.ndarray, freq: str) -> np.ndarray:
    """Months (or quarters) since year 0, as integers: differences are 'periods since'."""
    months = dates.astype("datetime64[M]").astype("int64")
    return months // 3 if freq == "Q" else months


def _label(period: int, freq: str) -> str:
    if freq == "Q":
        year, q = divmod(int(period), 4)
        return f"{1970 + year}Q{q + 1}"
    year, m = divmod(int(period), 12)
    return f"{1970 + year}-{m + 1:02d}"


def cohort_retention(customer_codes: Any, order_dates: Any, *, freq: str = "M", as_of: Any = None,
                     max_periods: int = 12) -> pd.DataFrame:
    """Cohort (first-purchase month or quarter) × periods since → share of the cohort who ordered in that period.

    Column 0 is 1.0 by definition. Periods after `as_of` are blank, not zero: they have not happened yet.
    Returns 首购期, 客户数, then 第0期 … 第{max_periods}期.
    """
    codes = np.asarray(customer_codes, dtype="int64")
    dates = pd.to_datetime(pd.Series(order_dates)).to_numpy(dtype="datetime64[ns]")
    ok = (codes >= 0) & ~np.isnat(dates)
    codes, periods = codes[ok], _period_numbers(dates[ok], freq)
    first = pd.Series(periods).groupby(codes).transform("min").to_numpy()
    since = periods - first
    active = pd.DataFrame({"c": codes, "cohort": first, "since": since}).drop_duplicates()
    active = active[active["since"] <= max_periods]
    size = active[active["since"] == 0].groupby("cohort").size()
    counts = active.groupby(["cohort", "since"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=range(max_periods + 1), fill_value=0)
    share = counts.div(size, axis=0)
    if as_of is not None:
        last = int(_period_numbers(np.array([np.datetime64(pd.Timestamp(as_of), "ns")]), freq)[0])
        horizon = last - share.index.to_numpy()[:, None]
        share = share.where(np.arange(max_periods + 1)[None, :] <= horizon)
    out = share.copy()
    out.columns = [f"第{k}期" for k in out.columns]
    out.insert(0, "客户数", size.reindex(out.index).astype(int).to_numpy())
    out.insert(0, "首购期", [_label(p, freq) for p in out.index])
    return out.reset_index(drop=True)


def churn_by_period(customer_codes: Any, order_dates: Any, *, freq: str = "M", as_of: Any = None) -> pd.DataFrame:
    """Per calendar period: customers active (≥ 1 order), of them how many ordered again in the next period, churn rate.

    Churn rate of period p = share of p's active customers with no order in p + 1. The last complete
    period before `as_of` has no next period yet and is left out.
    """
    codes = np.asarray(customer_codes, dtype="int64")
    dates = pd.to_datetime(pd.Series(order_dates)).to_numpy(dtype="datetime64[ns]")
    ok = (codes >= 0) & ~np.isnat(dates)
    pairs = pd.DataFrame({"c": codes[ok], "p": _period_numbers(dates[ok], freq)}).drop_duplicates()
    n_codes = int(pairs["c"].max()) + 1 if len(pairs) else 1
    key = pairs["p"].to_numpy() * n_codes + pairs["c"].to_numpy()
    again = np.isin(key + n_codes, key)  # the same customer in the following period
    grouped = pd.DataFrame({"p": pairs["p"].to_numpy(), "again": again}).groupby("p")["again"].agg(["size", "sum"])
    if as_of is not None:
        last = int(_period_numbers(np.array([np.datetime64(pd.Timestamp(as_of), "ns")]), freq)[0])
        grouped = grouped[grouped.index + 1 < last]  # p + 1 must be over before the as-of period
    out = pd.DataFrame({"期间": [_label(p, freq) for p in grouped.index], "活跃客户": grouped["size"].to_numpy(),
                        "下期仍购买": grouped["sum"].to_numpy().astype(int)})
    out["流失率"] = 1 - out["下期仍购买"] / out["活跃客户"]
    return out
