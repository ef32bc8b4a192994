"""Every complaint-log figure against an independent computation on a generated 20,000-contact log.

The log comes from benchmarks/make_complaint_log.py (written from DOMAIN.md §2c, untidy the way real logs are);
the expected figures are computed here from the generator's truth (canonical values) with plain pandas /
Python loops and chinese_calendar called directly, never through kehu's own helpers.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

import chinese_calendar
import numpy as np
import pandas as pd
import pytest

from benchmarks.make_complaint_log import REOPEN_HANDLER, SLOW_STORE, make_log, make_register
from udfs.recognise import recognise_columns
from udfs.score.complaints.analysis import analyse_log

AS_OF = pd.Timestamp("2025-01-15")
SEED = 20250115   # not a seed the code was tuned on
N = 20_000
DONE = {"已解决", "已关闭"}
SLA = {"投诉": 3, "报修": 5, "退换货": 7, "咨询": 2, "建议": 7, "回访": 3}


@pytest.fixture(scope="module")
def run():
    register = make_register(3_000, SEED)
    log, truth = make_log(N, SEED + 1, register)
    roles = recognise_columns(log, "complaints")
    res = analyse_log(log, roles, as_of=AS_OF)
    return log, truth, res


def _key(log: pd.DataFrame) -> pd.Series:
    """Who made the contact, as the issue defines it: customer id, else mobile, else e-mail."""
    def one(cid, mob, mail):
        if isinstance(cid, str) and cid.strip():
            return "id:" + unicodedata.normalize("NFKC", cid).strip().lower()
        if isinstance(mob, str) and mob.strip():
            digits = re.sub(r"\D", "", mob)
            return "m:" + (digits[2:] if len(digits) == 13 and digits.startswith("86") else digits)
        if isinstance(mail, str) and mail.strip():
            return "e:" + mail.strip().lower()
        return None
    return pd.Series([one(*t) for t in zip(log["客户编号"], log["联系电话"], log["邮箱"])], index=log.index)


def _valid_days(truth: pd.DataFrame) -> pd.Series:
    ok = truth["status"].isin(DONE) & truth["resolved"].notna() & truth["at"].notna() & \
        (truth["resolved"] >= truth["at"]) & (truth["resolved"] <= AS_OF + pd.Timedelta(days=1))
    return ((truth["resolved"] - truth["at"]).dt.total_seconds() / 86400)[ok]


def test_columns_of_the_log_are_recognised(run):
    log, _, res = run
    roles = recognise_columns(log, "complaints")
    assert roles == {"受理时间": "contacted_at", "客户编号": "customer_id", "客户姓名": "name", "联系电话": "mobile",
                     "邮箱": "email", "渠道": "channel", "类型": "contact_type", "产品": "product", "门店": "store",
                     "处理人": "handler", "状态": "status", "解决时间": "resolved_at",
                     "处理满意度": "handling_satisfaction", "客户原话": "text"}


def test_counts_and_shares_by_type_channel_store_and_handler(run):
    _, truth, res = run
    for label, col in (("类型", "type"), ("渠道", "channel"), ("门店", "store"), ("处理人", "handler"),
                       ("产品", "product")):
        got = res.by[label].set_index(label)
        want = truth[col].value_counts()
        assert got["联系数"].to_dict() == want.to_dict(), label
        assert got["占比"].to_dict() == pytest.approx((want / len(truth)).to_dict()), label
    per_store = truth.assign(done=truth["status"].isin(DONE), known=truth["status"].notna()).groupby("store")
    rate = per_store["done"].sum() / per_store["known"].sum()
    got = res.by["门店"].set_index("门店")["解决率"]
    assert got.to_dict() == pytest.approx(rate.to_dict())


def test_monthly_counts(run):
    _, truth, res = run
    t = truth[truth["at"].notna() & (truth["at"] <= AS_OF + pd.Timedelta(days=1))]
    want = t.groupby(t["at"].dt.strftime("%Y-%m")).size()
    got = res.trend.set_index("月份")["合计"]
    assert got.to_dict() == want.to_dict()


def test_resolution_rate_and_time(run):
    _, truth, res = run
    known = truth["status"].notna()
    assert res.headline["resolution_rate"] == pytest.approx(truth["status"].isin(DONE).sum() / known.sum())
    days = _valid_days(truth).to_numpy()
    row = res.times.iloc[0]
    assert row["已解决（有日期）"] == len(days)
    assert row["中位数（天）"] == pytest.approx(np.median(days))
    assert row["平均（天）"] == pytest.approx(np.mean(days))
    assert row["90%分位（天）"] == pytest.approx(np.percentile(days, 90))
    complaint = _valid_days(truth[truth["type"] == "投诉"]).to_numpy()
    per_type = res.times.set_index("类型").loc["投诉"]
    assert per_type["中位数（天）"] == pytest.approx(np.median(complaint))


def test_working_days_follow_the_chinese_holiday_calendar(run):
    _, truth, res = run
    days = _valid_days(truth)
    idx = days.index[:400]

    def workdays(a: pd.Timestamp, b: pd.Timestamp) -> int:
        start, end = a.date() + dt.timedelta(days=1), b.date()
        return len(chinese_calendar.get_workdays(start, end)) if end >= start else 0

    want = np.array([workdays(truth.at[i, "at"], truth.at[i, "resolved"]) for i in idx], dtype=float)
    from udfs.score.complaints.workdays import working_days_between

    got, known = working_days_between(truth.loc[idx, "at"], truth.loc[idx, "resolved"])
    assert known and np.array_equal(got.to_numpy(), want)
    # National Day week: a case opened on 30 Sep 2024 and fixed on 8 Oct took 1 working day (8 Oct itself)
    one, _ = working_days_between([pd.Timestamp("2024-09-30")], [pd.Timestamp("2024-10-08")])
    assert one.iloc[0] == 1


def test_the_slow_store_and_the_reopening_handler_stand_out(run):
    _, truth, res = run
    stores = res.by["门店"].set_index("门店")["处理天数中位数"]
    assert stores.idxmax() == SLOW_STORE
    assert stores[SLOW_STORE] > 2 * stores.drop(SLOW_STORE).max()
    assert res.reopenings.iloc[0]["处理人"] == REOPEN_HANDLER


def test_reopenings_match_a_plain_loop(run):
    log, truth, res = run
    key = _key(log)
    end = truth["resolved"].where(_valid_days(truth).reindex(truth.index).notna())
    end = end.fillna(truth["at"])
    by_customer: dict[str, list[int]] = {}
    for i in truth.index[(truth["type"] != "回访") & truth["at"].notna() & key.notna()]:
        by_customer.setdefault(key[i], []).append(i)
    came_back = set()
    for rows in by_customer.values():
        rows.sort(key=lambda i: (truth.at[i, "at"], i))
        for a, b in zip(rows, rows[1:]):
            if truth.at[a, "status"] in DONE and truth.at[b, "at"] <= end[a] + pd.Timedelta(days=7):
                came_back.add(a)
    want = pd.Series([truth.at[i, "handler"] for i in came_back]).value_counts()
    got = res.reopenings.set_index("处理人")["重开"]
    assert got[got > 0].to_dict() == want.to_dict()


def test_repeat_complainers_match_a_brute_force_window(run):
    log, truth, res = run
    key = _key(log)
    found = set()
    c = truth[(truth["type"] == "投诉") & truth["at"].notna() & key.notna()]
    for k, part in c.groupby(key[c.index]):
        times = sorted(part["at"])
        if any(times[j + 2] - times[j] <= pd.Timedelta(days=90) for j in range(len(times) - 2)):
            found.add(k)
    assert {k.lower() for k in res.repeaters["客户"]} == found
    # the planted repeat complainers (four complaints within sixty days, by register id) are all there
    planted = {"id:" + c.lower() for c in truth.loc[truth["planted_repeat"], "customer"]}
    assert len(planted) >= 35 and planted <= found   # two planted ones may share a customer


def test_overdue_list_matches_sla_in_working_days_and_is_oldest_first(run):
    _, truth, res = run
    open_ = truth["status"].isin({"处理中", "未处理"}) & truth["at"].notna() & (truth["at"] <= AS_OF + pd.Timedelta(days=1))
    want = set()
    for i in truth.index[open_]:
        start = truth.at[i, "at"].date() + dt.timedelta(days=1)
        age = len(chinese_calendar.get_workdays(start, AS_OF.date())) if AS_OF.date() >= start else 0
        if age > SLA[truth.at[i, "type"]]:
            want.add(i + 2)  # Excel row: header on row 1
    assert set(res.overdue["行号"]) == want
    assert res.overdue["联系时间"].is_monotonic_increasing


def test_every_planted_bad_row_is_listed_with_its_problem(run):
    _, truth, res = run
    problems = res.prepared.problems
    for code in ("DATE_MISSING", "RESOLVED_BEFORE_OPEN", "STATUS_UNKNOWN", "DATE_FUTURE"):
        planted = set(truth.index[truth["bad"] == code] + 2)
        listed = set(problems.loc[problems["问题代码"] == code, "行号"])
        assert planted <= listed, code
    assert set(problems.loc[problems["问题代码"] == "STATUS_UNKNOWN", "原值"]) == {"搁置"}
    # nothing is dropped: every contact is still counted
    assert res.headline["contacts"] == N
