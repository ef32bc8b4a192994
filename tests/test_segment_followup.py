"""Follow-up: next call-back date from status and last contact, calendar months, overdue against the as-of date."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from udfs.score.segment import FollowupPolicy, add_months, next_followup, status_kind


def test_status_words():
    kinds = status_kind(["意向客户", "签单客户", "无效客户", "丢单客户", "无意向", "未签单", "电话无法联系", "拒绝",
                         "", None, "其他"]).tolist()
    assert kinds == ["意向", "签单", "回访", "回访", "回访", "回访", "回访", "回访", None, None, None]


def test_calendar_months_clip_to_month_end():
    got = add_months(["2024-01-31", "2023-01-31", "2024-11-30", "2024-03-15", None], [1, 1, 3, 0, 1])
    assert got.dt.date.tolist()[:4] == [dt.date(2024, 2, 29), dt.date(2023, 2, 28), dt.date(2025, 2, 28),
                                        dt.date(2024, 3, 15)]
    assert pd.isna(got[4])


def test_default_intervals_and_overdue():
    out = next_followup(["意向客户", "无效客户", "签单客户", "丢单客户"],
                        ["2024-05-10", "2024-03-01", "2024-02-01", "2024-06-01"], as_of="2024-06-10")
    assert out["下次跟进"].dt.date.tolist() == [dt.date(2024, 6, 10), dt.date(2024, 6, 1), dt.date(2024, 5, 1),
                                            dt.date(2024, 9, 1)]
    # due on the as-of date is not overdue; one day before is
    assert out["逾期"].tolist() == [False, True, True, False]
    assert "每 1 个月" in out["跟进说明"][0] and "每 3 个月" in out["跟进说明"][1]


def test_intervals_are_configurable():
    policy = FollowupPolicy(intention_months=2, recall_months=2, signed_months=6)
    out = next_followup(["意向", "无效", "签单"], ["2024-01-15"] * 3, as_of="2024-01-20", policy=policy)
    assert out["下次跟进"].dt.month.tolist() == [3, 3, 7]


def test_missing_contact_is_due_now_and_unknown_status_has_no_date():
    out = next_followup(["意向客户", "随便写的"], [None, "2024-01-01"], as_of="2024-06-10")
    assert out["下次跟进"][0] == pd.Timestamp("2024-06-10") and out["逾期"][0] is False
    assert "请尽快联系" in out["跟进说明"][0]
    assert pd.isna(out["下次跟进"][1]) and out["逾期"][1] is None


def test_planned_date_in_the_register_wins_unless_older_than_the_last_contact():
    out = next_followup(["意向客户", "意向客户"], ["2024-01-01", "2024-05-20"], as_of="2024-06-10",
                        planned=["2024-07-01", "2024-03-01"])
    assert out["下次跟进"][0] == pd.Timestamp("2024-07-01") and out["逾期"][0] is False
    assert out["跟进说明"][0] == "按登记的下次跟进日期"
    assert out["下次跟进"][1] == pd.Timestamp("2024-06-20")  # the March plan predates the May contact


def test_other_statuses_get_the_configured_interval():
    """other_months writes into the interval array (a pandas 3 copy-on-write trap once)."""
    import pandas as pd

    from udfs.score.segment.followup import FollowupPolicy, next_followup

    r = next_followup(pd.Series(["意向客户", "老朋友"]), pd.Series(pd.to_datetime(["2024-01-01", "2024-02-01"])),
                      as_of="2024-06-30", policy=FollowupPolicy(other_months=2))
    assert r["下次跟进"].dt.strftime("%Y-%m-%d").tolist() == ["2024-02-01", "2024-04-01"]
    assert r["跟进说明"].tolist()[1] == "每 2 个月跟进一次"
