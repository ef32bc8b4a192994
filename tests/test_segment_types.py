"""The four customer types: churn window boundary, no-purchase customers, the segment mapping and reasons."""
from __future__ import annotations

import numpy as np
import pandas as pd

from udfs.score.segment import customer_types, segment_customers


def test_churn_window_boundary_exactly_365_days_is_not_lost():
    out = customer_types(["冠军客户"] * 3, [364, 365, 366])
    assert out["客户类型"].tolist() == ["忠诚客户", "忠诚客户", "流失客户"]
    assert "366 天前" in out["分类原因"][2] and "365" in out["分类原因"][2]


def test_churn_window_is_configurable_and_checked_before_the_segment():
    out = customer_types(["Champions", "Lost"], [100, 100], churn_days=90)
    assert out["客户类型"].tolist() == ["流失客户", "流失客户"]


def test_churn_boundary_through_dates_in_the_pipeline():
    # as_of 2024-12-31: 2024-01-01 is 365 days earlier (2024 is a leap year), 2023-12-31 is 366
    run = segment_customers(["2024-01-01", "2023-12-31", "2024-12-01"], [3, 3, 3], [100, 100, 100],
                            as_of="2024-12-31")
    assert run.table["距今天数"].tolist() == [365, 366, 30]
    assert run.table["客户类型"][0] != "流失客户" and run.table["客户类型"][1] == "流失客户"


def test_segment_to_type_mapping_of_the_issue():
    segments = ["Champions", "Loyal Customers", "Potential Loyalist", "New Customers", "Promising",
                "Need Attention", "About To Sleep", "At Risk", "Can't Lose Them", "Hibernating", "Lost"]
    out = customer_types(segments, [10] * 11)
    assert out["客户类型"].tolist() == ["忠诚客户"] * 2 + ["潜在客户"] * 3 + ["边缘客户"] * 6
    assert out["重点挽回"].tolist() == [False] * 7 + [True, True] + [False] * 2
    assert "高价值" in out["分类原因"][8] and "不能失去" in out["分类原因"][8]


def test_lost_high_value_customer_is_lost_not_flagged():
    out = customer_types(["Can't Lose Them"], [400])
    assert out["客户类型"][0] == "流失客户" and not out["重点挽回"][0]


def test_no_purchase_is_potential_and_incomplete_data_has_no_type():
    out = customer_types([None, None], [np.nan, np.nan], has_purchase=[False, True])
    assert out["客户类型"][0] == "潜在客户" and out["分类原因"][0] == "尚无购买记录"
    assert pd.isna(out["客户类型"][1]) and "数据不全" in out["分类原因"][1]
