"""Dates: every register form → datetime64[ns]; unreadable, ambiguous and error cells reported, never guessed."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from udfs.normalise.dates import date_problems, parse_dates


def excel_serial(d: dt.date) -> int:
    """Excel 1900-system serial computed independently: days since 1900-01-01 plus 1, plus Excel's
    fictitious 1900-02-29 for every date after February 1900."""
    n = (d - dt.date(1900, 1, 1)).days + 1
    return n + 1 if d >= dt.date(1900, 3, 1) else n


@pytest.mark.parametrize("text", [
    "2024-3-5", "2024/03/05", "20240305", "2024年3月5日", "2024.3.5", "２０２４年３月５日", "2024年03月05号",
    " 2024-03-05 ", "2024 - 3 - 5", "二〇二四年三月五日", "5 Mar 2024", "Mar 5, 2024", "2024/3/5 00:00",
])
def test_text_forms_give_the_same_day(text):
    assert parse_dates([text]).iloc[0] == pd.Timestamp("2024-03-05")
    assert date_problems([text]).iloc[0] is None


def test_excel_serials_match_an_independent_calendar_count():
    days = [dt.date(1900, 1, 1), dt.date(1900, 2, 28), dt.date(1900, 3, 1), dt.date(1999, 12, 31),
            dt.date(2024, 3, 5), dt.date(2262, 4, 1)]
    serials = [excel_serial(d) for d in days]
    assert serials[4] == 45356  # published: Excel shows 45356 as 2024-03-05
    got = parse_dates(serials)
    assert list(got.dt.date) == days
    assert list(parse_dates([str(s) for s in serials]).dt.date) == days  # numeric text too


def test_serial_fraction_is_time_of_day():
    got = parse_dates([45356.5, 45356 + 14.5 / 24])
    assert got.iloc[0] == pd.Timestamp("2024-03-05 12:00")
    assert got.iloc[1] == pd.Timestamp("2024-03-05 14:30")


def test_datetime_objects_and_numbers_pass_through():
    got = parse_dates([dt.date(2024, 3, 5), dt.datetime(2024, 3, 5, 9, 30), pd.Timestamp("2024-03-05"),
                       np.datetime64("2024-03-05"), 20240305])
    assert got.dtype == "datetime64[ns]"
    assert list(got.dt.date) == [dt.date(2024, 3, 5)] * 5
    assert got.iloc[1].hour == 9


def test_year_month_only_is_the_first_of_the_month():
    assert list(parse_dates(["2024年3月", "2024-03", "2024.3"])) == [pd.Timestamp("2024-03-01")] * 3


def test_day_month_order_only_when_unambiguous():
    got = parse_dates(["25/12/2024", "12/25/2024", "03/05/2024"])
    assert got.iloc[0] == got.iloc[1] == pd.Timestamp("2024-12-25")
    assert pd.isna(got.iloc[2])
    assert list(date_problems(["03/05/2024", "24/3/5"])) == ["DATE_AMBIGUOUS", "DATE_AMBIGUOUS"]


def test_two_digit_year_with_nian_uses_as_of():
    assert parse_dates(["24年3月5日"], as_of="2025-01-01").iloc[0] == pd.Timestamp("2024-03-05")
    assert parse_dates(["30年3月5日"], as_of="2025-01-01").iloc[0] == pd.Timestamp("1930-03-05")


def test_problems_are_reported_not_guessed():
    cells = ["#N/A", "#VALUE!", "2024-02-30", "明天", 60, 0, 3_000_000, "1.38001E+10", True]
    got = parse_dates(cells)
    assert got.isna().all()
    assert list(date_problems(cells)) == ["CELL_ERROR", "CELL_ERROR", "DATE_INVALID", "DATE_UNPARSEABLE",
                                          "DATE_INVALID", "DATE_OUT_OF_RANGE", "DATE_OUT_OF_RANGE",
                                          "DATE_UNPARSEABLE", "DATE_UNPARSEABLE"]


def test_blanks_are_nat_without_problem():
    cells = [None, float("nan"), "", "   ", pd.NaT]
    assert parse_dates(cells).isna().all()
    assert date_problems(cells).isna().all()


def test_series_index_is_kept():
    s = pd.Series(["2024-3-5", None], index=[10, 20])
    assert list(parse_dates(s).index) == [10, 20]
    assert list(date_problems(s).index) == [10, 20]


def test_datetime_column_passes_through():
    s = pd.Series(pd.to_datetime(["2024-03-05", None]))
    got = parse_dates(s)
    assert got.iloc[0] == pd.Timestamp("2024-03-05") and pd.isna(got.iloc[1])
