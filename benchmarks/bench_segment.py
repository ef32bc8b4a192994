"""Time `kehu segment`'s engine: 1,000,000 customers from register columns, 10,000,000 order rows aggregated.

File reading is excluded: the columns are built in memory the way the reader hands them over
(object columns of datetimes, numbers and text) and, for comparison, as typed numpy columns.
Targets (issue 6, 2 cores): ≤ 5 s for the register, ≤ 30 s for the orders.
Run: python benchmarks/bench_segment.py [--customers N] [--orders N]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from any folder

from udfs.score.segment import aggregate_orders, segment_customers, summarise


def register_columns(n: int, rng: np.random.Generator, as_objects: bool):
    days = rng.integers(0, 1500, n)
    last = pd.Timestamp("2024-06-30") - pd.to_timedelta(days, unit="D")
    last = pd.Series(last).where(rng.random(n) > 0.03)  # 3 % never bought
    count = np.where(last.isna(), 0, rng.integers(1, 40, n)).astype(float)
    spend = np.where(last.isna(), 0, np.round(rng.lognormal(8, 1.2, n), 2))
    status = rng.choice(np.array(["意向客户", "签单客户", "无效客户", "丢单客户", None], dtype=object), n)
    if as_objects:  # what the reader gives: Python datetimes / None, floats, text in object columns
        last = pd.Series(last.dt.to_pydatetime(), dtype=object).where(last.notna(), None)
        count = pd.Series(count, dtype=object)
        spend = pd.Series(spend, dtype=object)
    return last, count, spend, status


def bench_register(n: int) -> None:
    rng = np.random.default_rng(1)
    for as_objects in (False, True):
        last, count, spend, status = register_columns(n, rng, as_objects)
        t0 = time.perf_counter()
        run = segment_customers(last, count, spend, as_of="2024-06-30", status=status)
        t1 = time.perf_counter()
        summarise(run)
        t2 = time.perf_counter()
        kind = "object columns (as read)" if as_objects else "typed columns"
        print(f"register, {n:,} customers, {kind}: scoring + segments + types + tiers + follow-up "
              f"{t1 - t0:.2f} s; report tables {t2 - t1:.2f} s; total {t2 - t0:.2f} s (target ≤ 5 s)")


def bench_orders(n: int, customers: int) -> None:
    rng = np.random.default_rng(2)
    ids = np.array([f"C{i:07d}" for i in range(customers)], dtype=object)[rng.integers(0, customers, n)]
    dates = pd.Series(pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 1277, n), unit="D"))
    amounts = np.round(rng.lognormal(6, 1, n), 2)
    t0 = time.perf_counter()
    per = aggregate_orders(ids, dates, amounts)
    t1 = time.perf_counter()
    run = segment_customers(per["最近购买日期"].reset_index(drop=True), per["购买次数"].to_numpy(),
                            per["累计金额"].to_numpy(), as_of="2024-06-30")
    t2 = time.perf_counter()
    print(f"orders, {n:,} rows → {len(per):,} customers: aggregation {t1 - t0:.2f} s; scoring {t2 - t1:.2f} s; "
          f"total {t2 - t0:.2f} s (target ≤ 30 s)")
    del run


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--customers", type=int, default=1_000_000)
    p.add_argument("--orders", type=int, default=10_000_000)
    a = p.parse_args()
    bench_register(a.customers)
    bench_orders(a.orders, min(a.customers, a.orders))


if __name__ == "__main__":
    main()
