"""Aggregating orders per customer, and lining the result up with a register (customers without orders)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from udfs.score.segment import aggregate_orders, join_orders

DATA = Path(__file__).resolve().parent / "data" / "rfm_data_orders.csv"


def test_aggregate_matches_groupby_on_the_sample_orders():
    o = pd.read_csv(DATA)
    ours = aggregate_orders(o["customer_id"], o["order_date"], o["revenue"])
    dates = pd.to_datetime(o["order_date"])
    ref = pd.DataFrame({"last": dates, "first": dates, "id": o["customer_id"], "rev": o["revenue"]}).groupby("id")
    assert len(ours) == 995
    ours = ours.sort_index()
    assert (ours["最近购买日期"].to_numpy() == ref["last"].max().sort_index().to_numpy()).all()
    assert (ours["首次购买日期"].to_numpy() == ref["first"].min().sort_index().to_numpy()).all()
    assert (ours["购买次数"].to_numpy() == ref.size().sort_index().to_numpy()).all()
    assert np.allclose(ours["累计金额"].to_numpy(), ref["rev"].sum().sort_index().to_numpy())


def test_mixed_id_types_text_amounts_and_bad_cells():
    ours = aggregate_orders([1001, "1001 ", 1001.0, "C2", None, "C2"],
                            ["2024-01-05", "2024/3/1", 45352, "2024年2月1日", "2024-01-01", "不是日期"],
                            ["1,200", 300, "¥50元", 10, 99, None])
    assert ours.index.tolist() == ["1001", "C2"]
    assert ours.loc["1001", "购买次数"] == 3 and ours.loc["1001", "累计金额"] == 1550
    assert ours.loc["1001", "最近购买日期"] == pd.Timestamp("2024-03-01")  # serial 45352 = 2024-03-01 too
    assert ours.loc["C2", "购买次数"] == 2 and ours.loc["C2", "累计金额"] == 10
    assert ours.loc["C2", "最近购买日期"] == pd.Timestamp("2024-02-01")  # the unreadable date is skipped


def test_join_to_register_keeps_order_and_marks_customers_without_orders():
    per = aggregate_orders(["C1", "C3", "C1"], ["2024-01-01", "2024-02-01", "2024-03-01"], [10, 20, 30])
    joined = join_orders(["C3", "C2", None, "C1"], per)
    assert joined["购买次数"].tolist() == [1, 0, 0, 2]
    assert joined["累计金额"].tolist() == [20, 0, 0, 40]
    assert joined["最近购买日期"].isna().tolist() == [False, True, True, False]
    assert joined["最近购买日期"][3] == pd.Timestamp("2024-03-01")
