"""待跟进 on the bundled sample register is a call list: exactly the customers due on --as-of, as an independent
selection by due date computed here with plain pandas and the standard library from the sample's own columns,
most overdue first, with a number one can dial and a reason; 分类原因 says which R/F/M made the segment."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from addin.commands.segment import run_segment

SAMPLE = Path(__file__).resolve().parents[1] / "workbook_templates" / "samples" / "sample_register.xlsx"
AS_OF = "2024-06-30"
MONTHS = {"意向客户": 1, "签单客户": 3, "无效客户": 3, "丢单客户": 3}   # DOMAIN.md §1 cadences, kehu's defaults


def _day(v) -> pd.Timestamp | None:
    """The sample's date spellings, read without kehu: datetimes, Excel serials, 2023-11-5, 20230603,
    2020.8.18, 2021/02/19, 2020年12月17日."""
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return None
    if isinstance(v, dt.datetime):
        return pd.Timestamp(v).normalize()
    if isinstance(v, (int, float)):
        return pd.Timestamp("1899-12-30") + pd.Timedelta(days=int(v))
    t = str(v).strip()
    if re.fullmatch(r"\d{8}", t):
        return pd.Timestamp(dt.datetime.strptime(t, "%Y%m%d"))
    y, m, d = (int(x) for x in re.split(r"[-./年月日]", t)[:3])
    return pd.Timestamp(y, m, d)


def _phone(v) -> str | None:
    t = re.sub(r"\D", "", unicodedata.normalize("NFKC", str(v))) if v is not None else ""
    if "E" in str(v).upper() and "." in str(v):
        return None   # rounded by Excel: the digits are gone
    t = re.sub(r"^(0086|86)(?=1\d{10}$)", "", t)
    return t if re.fullmatch(r"1\d{10}", t) else None


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("call") / "sample.xlsx"
    summary = run_segment(SAMPLE, out, as_of=AS_OF, quiet=True)
    return out, summary


def _expected() -> pd.DataFrame:
    ws = openpyxl.load_workbook(SAMPLE, read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r and "客户编号" in r)
    df = pd.DataFrame([r for r in rows[head + 1:] if r and r[0]], columns=rows[head])
    day0 = pd.Timestamp(AS_OF)
    due = []
    for _, r in df.iterrows():
        months = MONTHS.get(r["状态"])
        if months is None:
            due.append(None)
            continue
        contacts = [d for d in (_day(r["最近购买日期"]), _day(r["首次接触日期"])) if d is not None]
        last = max(contacts) if contacts else None
        plan = _day(r["下次跟进日期"])
        if plan is not None and (last is None or plan >= last):
            due.append(plan)
        elif last is None:
            due.append(day0)
        else:
            due.append(last + pd.DateOffset(months=months))
    df["due"] = due
    picked = df[df["due"].notna() & (df["due"] <= day0)].copy()
    picked["phone"] = picked["手机"].map(_phone)
    return picked.sort_values("due", kind="stable")


def _listed(path: Path) -> pd.DataFrame:
    rows = list(openpyxl.load_workbook(path, read_only=True)["待跟进"].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r and "客户编号" in r)
    return pd.DataFrame([r for r in rows[head + 1:] if r and r[0] is not None], columns=rows[head])


def test_the_list_is_an_independent_selection_by_due_date(sample_run):
    got, want = _listed(sample_run[0]), _expected()
    assert len(want) > 0 and len(want) < 60   # a call list, not the whole register
    assert set(got["客户编号"]) == set(want["客户编号"])
    assert sample_run[1]["followup"]["due"] == len(want)
    by_id = want.set_index("客户编号")["due"]
    assert [pd.Timestamp(d) for d in got["下次跟进"]] == [by_id[c] for c in got["客户编号"]]
    assert list(got["逾期天数"]) == sorted(got["逾期天数"], reverse=True)   # most overdue first
    assert list(got["逾期天数"]) == [(pd.Timestamp(AS_OF) - by_id[c]).days for c in got["客户编号"]]


def test_phones_are_normalised_and_reasons_given(sample_run):
    got, want = _listed(sample_run[0]), _expected().set_index("客户编号")
    for cid, phone in zip(got["客户编号"], got["联系电话"]):
        assert phone is None or re.fullmatch(r"1\d{10}|0\d{2,3}-\d{7,8}", phone), phone
        if pd.notna(want.loc[cid, "phone"]):
            assert phone == want.loc[cid, "phone"]
    assert got["跟进原因"].isin(["到期回访", "未结投诉", "挽回流失客户"]).all()
    lost = got["客户类型"] == "流失客户"
    assert (got.loc[lost, "跟进原因"] == "挽回流失客户").all()
    assert got["最近联系"].notna().all()


def test_full_width_and_rounded_phones_never_reach_the_list(tmp_path):
    frame = pd.DataFrame({"客户编号": ["A1", "A2", "A3"], "手机": ["１８０６８２３７１０８", "1.38001E+10", "0086-18265545209"],
                          "最近购买日期": ["2024-01-02"] * 3, "购买次数": [3, 4, 5], "累计金额": [100, 200, 300],
                          "状态": ["意向客户"] * 3})
    src = tmp_path / "r.xlsx"
    frame.to_excel(src, index=False)
    run_segment(src, tmp_path / "o.xlsx", as_of=AS_OF, quiet=True)
    got = _listed(tmp_path / "o.xlsx").set_index("客户编号")["联系电话"].astype(object)
    got = got.where(got.notna(), None)
    assert got.to_dict() == {"A1": "18068237108", "A2": None, "A3": "18265545209"}


def test_type_reason_names_the_scores_not_the_segment(sample_run):
    df = pd.read_excel(sample_run[0], sheet_name=0, header=3, engine="openpyxl")
    scored = df[df["R"].notna() & (df["客户类型"] != "流失客户")]
    assert len(scored) > 10
    for _, r in scored.iterrows():
        why = r["分类原因"]
        assert f"（R={int(r['R'])}）" in why and f"（F={int(r['F'])}）" in why and f"（M={int(r['M'])}）" in why
        assert r["细分"] not in why
        assert f"共 {int(r['购买次数'])} 次" in why


def test_the_rfm_note_has_no_interval_jargon(sample_run):
    text = sample_run[1]["method_text"]
    assert "[" not in text and "bins" not in text and "lower" not in text
    assert "5 分" in text and "天" in text and "次" in text and "¥" in text
