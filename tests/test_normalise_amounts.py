"""Amounts: ¥, 元, 万, thousands separators, accounting brackets → floats; foreign and unreadable reported."""
import math

import pandas as pd
import pytest

from udfs.normalise.amounts import amount_problems, parse_amounts


@pytest.mark.parametrize("text, expected", [
    ("¥2,288.38", 2288.38), ("6636元", 6636.0), ("1.2万", 12000.0), ("RMB 300", 300.0), ("￥１２３", 123.0),
    ("(100)", -100.0), ("-¥50", -50.0), ("¥-50", -50.0), ("1.2万元", 12000.0), ("人民币 1,000,000.00 元", 1e6),
    ("5k", 5000.0), ("3W", 30000.0), ("1.5亿", 1.5e8), ("1,234.5元整", 1234.5), ("３，０００元", 3000.0),
    ("  88  ", 88.0), (".5", 0.5), ("CNY 99.9", 99.9), ("300块", 300.0),
])
def test_written_amounts(text, expected):
    got = parse_amounts([text]).iloc[0]
    assert math.isclose(got, expected, rel_tol=0, abs_tol=1e-9)
    assert amount_problems([text]).iloc[0] is None


def test_real_numbers_pass_through():
    assert list(parse_amounts([3.5, 7, 0])) == [3.5, 7.0, 0.0]
    assert list(parse_amounts(pd.Series([1.0, 2.5]))) == [1.0, 2.5]


@pytest.mark.parametrize("text, code", [
    ("USD 100", "AMOUNT_FOREIGN_CURRENCY"), ("$5", "AMOUNT_FOREIGN_CURRENCY"), ("HK$20", "AMOUNT_FOREIGN_CURRENCY"),
    ("100-200", "AMOUNT_UNPARSEABLE"), ("15%", "AMOUNT_UNPARSEABLE"), ("1,5", "AMOUNT_UNPARSEABLE"),
    ("两千", "AMOUNT_UNPARSEABLE"), ("#N/A", "CELL_ERROR"), (True, "AMOUNT_UNPARSEABLE"),
])
def test_not_guessed(text, code):
    assert math.isnan(parse_amounts([text]).iloc[0])
    assert amount_problems([text]).iloc[0] == code


def test_approximate_is_read_and_reported():
    assert list(parse_amounts(["约300元", "300左右"])) == [300.0, 300.0]
    assert list(amount_problems(["约300元", "300左右"])) == ["AMOUNT_APPROXIMATE"] * 2


def test_blank():
    cells = [None, float("nan"), "", " "]
    assert parse_amounts(cells).isna().all()
    assert amount_problems(cells).isna().all()


def test_sum_matches_hand_total():
    # 2288.38 + 6636 + 12000 + 300 + 123 - 100, added by hand: 21247.38
    total = parse_amounts(["¥2,288.38", "6636元", "1.2万", "RMB 300", "￥１２３", "(100)"]).sum()
    assert math.isclose(total, 21247.38, abs_tol=1e-6)
