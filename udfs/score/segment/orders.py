"""Aggregate an orders list (one row per purchase) into one row per customer: first/last date, count, spend."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._values import customer_keys, to_amounts, to_dates


def aggregate_orders(customer: Any, order_date: Any, amount: Any) -> pd.DataFrame:
    """Orders → DataFrame indexed by 客户编号 with 首次购买日期, 最近购买日期, 购买次数, 累计金额.

    Rows with a blank customer id are ignored. A row without a readable date still counts as a
    purchase and adds its amount (the date may be the only bad cell); a blank amount counts as 0.
    Customers come out in order of first appearance, as in the orders sheet.
    """
    codes, ids = customer_keys(customer)
    dates = to_dates(order_date)
    money = to_amounts(amount).to_numpy(dtype="float64", na_value=np.nan)
    if not (len(codes) == len(dates) == len(money)):
        raise ValueError("customer, order_date and amount must have the same length")
    keep = codes >= 0
    codes = codes[keep]
    n = len(ids)
    count = np.bincount(codes, minlength=n)
    # Rounded to 6 decimals: sums of cent amounts in binary floats show up as 6133.219999999999 otherwise.
    spend = np.round(np.bincount(codes, weights=np.nan_to_num(money[keep]), minlength=n), 6)
    # pandas' grouped min/max run in C and skip NaT; ufunc.at would be ~10x slower on millions of rows.
    span = pd.Series(dates.to_numpy(dtype="datetime64[ns]")[keep]).groupby(codes, sort=True).agg(["min", "max"])
    span = span.reindex(np.arange(n))
    return pd.DataFrame({
        "首次购买日期": span["min"].to_numpy(dtype="datetime64[ns]"),
        "最近购买日期": span["max"].to_numpy(dtype="datetime64[ns]"),
        "购买次数": count.astype("int64"),
        "累计金额": spend,
    }, index=pd.Index(ids, name="客户编号"))


def join_orders(register_ids: Any, per_customer: pd.DataFrame) -> pd.DataFrame:
    """Line the per-customer aggregate up with the register's 客户编号 column (same length, same order).

    Register rows whose id has no orders get 购买次数 0, 累计金额 0 and no dates: customers with no
    purchase at all.
    """
    codes, ids = customer_keys(register_ids)
    pos = per_customer.index.get_indexer(pd.Index(ids, dtype=object)) if ids else np.zeros(0, np.int64)
    row_pos = np.append(pos, -1)[codes]  # code -1 (blank id) picks the appended -1
    found = row_pos >= 0
    picked = per_customer.iloc[np.where(found, row_pos, 0)] if len(per_customer) else None
    out = pd.DataFrame(index=pd.RangeIndex(len(codes)))
    for col, empty in (("首次购买日期", np.datetime64("NaT")), ("最近购买日期", np.datetime64("NaT")),
                       ("购买次数", 0), ("累计金额", 0.0)):
        values = picked[col].to_numpy() if picked is not None else np.full(len(codes), empty)
        out[col] = np.where(found, values, empty)
    out["购买次数"] = out["购买次数"].astype("int64")
    out["累计金额"] = out["累计金额"].astype("float64")
    return out
