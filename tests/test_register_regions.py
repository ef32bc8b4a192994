"""Taiwan, Hong Kong, Macau and cross-border numbers; ROC and day-first dates (DOMAIN.md §2b).

Numbers are generated the way each region writes them; the expected verdict and canonical form come from
phonenumbers' own `is_valid_number` and E.164 formatting, called here independently of kehu. Dates are
checked against datetime built from the ROC rule (ROC year + 1911) and the day-first reading.
"""
from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import phonenumbers
import pytest

from udfs.cleaning import clean_register
from udfs.normalise.dates import parse_dates
from udfs.normalise.phone_region import phone_region


def _tw(rng) -> str:
    if rng.random() < 0.5:
        return f"09{rng.randrange(100):02d}-{rng.randrange(1000):03d}-{rng.randrange(1000):03d}"
    area, n = rng.choice([("02", 8), ("03", 7), ("04", 7), ("06", 7), ("07", 7)])
    local = str(rng.randrange(2, 9)) + "".join(str(rng.randrange(10)) for _ in range(n - 1 + rng.choice((0, 0, 0, 1))))
    return f"({area}){local[:-4]}-{local[-4:]}"


def _hk(rng) -> str:
    first = rng.choice("5679" if rng.random() < 0.6 else "23")
    digits = first + "".join(str(rng.randrange(10)) for _ in range(7 + rng.choice((0, 0, 0, 0, 1))))
    return f"{digits[:4]} {digits[4:]}"


def _mo(rng) -> str:
    digits = (rng.choice(["6", "28"]) + "".join(str(rng.randrange(10)) for _ in range(7)))[:8]
    return f"{digits[:4]}-{digits[4:]}"


def _expected(raw: str, region: str) -> tuple[bool, str | None]:
    n = phonenumbers.parse(raw, region)
    ok = phonenumbers.is_valid_number(n)
    return ok, phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164) if ok else None


@pytest.mark.parametrize("region,make,seed", [("TW", _tw, 1), ("HK", _hk, 2), ("MO", _mo, 3), ("TW", _tw, 41),
                                              ("HK", _hk, 42)])
def test_a_regional_register_is_read_by_its_own_metadata(region, make, seed):
    rng = random.Random(seed)
    raw = [make(rng) for _ in range(150)]
    df = pd.DataFrame({"電話": raw})
    # Macau numbers are mostly valid in Hong Kong too: the register alone cannot tell them apart, --region can
    result = clean_register(df, {"電話": "phone"}, region=region if region == "MO" else None)
    assert result.region == region and result.region_how == ("option" if region == "MO" else "register")
    flagged = set(result.problems.loc[result.problems["column"] == "電話", "row_position"])
    got = result.normalised["電話(规范)"].tolist()
    for i, cell in enumerate(raw):
        ok, e164 = _expected(cell, region)
        assert (i not in flagged) == ok, cell
        if ok:
            assert got[i] == e164, cell


def test_cross_border_customers_in_a_mainland_register():
    rng = random.Random(7)
    mainland = [f"1{rng.choice('3589')}{rng.randrange(10**9):09d}" for _ in range(60)]
    abroad = ["+852 9123 4567", "00853 6612 3456", "+886 912 345 678", "+1 415 555 2671", "0912-345-678",
              "(02)2345-6789", "+852 1234 5678"]
    df = pd.DataFrame({"手机": mainland + abroad})
    result = clean_register(df, {"手机": "phone"})
    assert result.region == "CN"
    flagged = set(result.problems.loc[result.problems["column"] == "手机", "row_position"])
    got = result.normalised["手机(规范)"].tolist()
    for k, cell in enumerate(abroad):
        i = len(mainland) + k
        region = "TW" if cell.startswith("0") and not cell.startswith("00") or cell.startswith("(") else None
        text = "+" + cell[2:] if cell.startswith("00") else cell
        n = phonenumbers.parse(text, region)
        ok = phonenumbers.is_valid_number(n)
        assert (i not in flagged) == ok, cell
        if ok:
            assert got[i] == phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)


def test_region_option_is_used_only_when_the_register_does_not_say():
    df = pd.DataFrame({"tel": ["2345 6789", "3456 7890", None]})   # valid in HK and MO alike
    result = clean_register(df, {"tel": "phone"}, region="MO")
    assert result.region in ("HK", "MO")
    ambiguous = pd.DataFrame({"tel": ["12345"]})
    assert clean_register(ambiguous, {"tel": "phone"}, region="MO").region_how == "option"


@pytest.mark.parametrize("text,roc", [("民國113年3月5日", (113, 3, 5)), ("113/4/18", (113, 4, 18)),
                                      ("113.03.05", (113, 3, 5)), ("民国99年12月31日", (99, 12, 31))])
def test_roc_dates(text, roc):
    y, m, d = roc
    assert parse_dates([text]).iloc[0] == pd.Timestamp(dt.date(y + 1911, m, d))


def test_two_digit_roc_year_only_in_a_taiwan_register():
    assert pd.isna(parse_dates(["99/3/5"]).iloc[0])
    with phone_region("TW"):
        assert parse_dates(["99/3/5"]).iloc[0] == pd.Timestamp(2010, 3, 5)


@pytest.mark.parametrize("seed", [5, 6])
def test_day_first_in_hong_kong_and_macau(seed):
    rng = random.Random(seed)
    days = [dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(1500)) for _ in range(50)]
    texts = [f"{d.day:02d}/{d.month:02d}/{d.year}" for d in days]
    for region in ("HK", "MO"):
        with phone_region(region):
            got = parse_dates(texts)
        assert [t.date() for t in got] == days
    mainland = parse_dates(texts)     # outside HK/MO a day ≤ 12 leaves the order ambiguous
    assert all(pd.isna(g) == (d.day <= 12 and d.day != d.month) for g, d in zip(mainland, days))


def _money_cases(rng):
    """(text, amount, currency written) as registers in each region write money."""
    cases = []
    for _ in range(40):
        x = round(rng.uniform(1, 99999), rng.choice((0, 2)))
        shown = f"{x:,.2f}" if x != int(x) else f"{int(x):,}"
        cases += [(f"NT${shown}", x, "TWD"), (f"HK$ {shown}", x, "HKD"), (f"{shown} HKD", x, "HKD"),
                  (f"MOP {shown}", x, "MOP"), (f"US${shown}", x, "USD"), (f"¥{shown}", x, "CNY"),
                  (f"RMB {shown}", x, "CNY")]
    return cases


@pytest.mark.parametrize("region,home", [("CN", "CNY"), ("TW", "TWD"), ("HK", "HKD"), ("MO", "MOP")])
def test_currency_amounts_keep_their_currency(region, home):
    from udfs.normalise.money import parse_money

    cases = _money_cases(random.Random(9)) + [("1,500元", 1500.0, home), ("300圓", 300.0, home)]
    with phone_region(region):
        got = parse_money([c[0] for c in cases])
    assert got["amount"].tolist() == pytest.approx([c[1] for c in cases])
    assert got["currency"].tolist() == [c[2] for c in cases]
    foreign = [c[2] != home for c in cases]
    assert got["problem"].eq("AMOUNT_FOREIGN_CURRENCY").tolist() == foreign


def test_clean_adds_a_currency_column_and_keeps_the_amounts():
    df = pd.DataFrame({"手機": ["0912-345-678", "0933-111-222", "0988-765-432"],
                       "消費金額": ["NT$1,200", "1,500元", "US$30"]})
    result = clean_register(df, {"手機": "mobile", "消費金額": "total_spend"})
    assert result.region == "TW"
    assert result.normalised["消費金額(数值)"].tolist() == [1200.0, 1500.0, 30.0]
    assert result.normalised["消費金額(币种)"].tolist() == ["TWD", "TWD", "USD"]
    codes = result.problems.loc[result.problems["column"] == "消費金額", ["row_position", "code"]].values.tolist()
    assert codes == [[2, "AMOUNT_FOREIGN_CURRENCY"]]
