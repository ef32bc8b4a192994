"""Phones: every mobile form of DOMAIN.md §2, landlines with area codes and extensions, foreign numbers."""
import pandas as pd
import pytest

from udfs.normalise.phone import normalise_landline, normalise_mobile, normalise_phone, parse_phones

MOBILE_FORMS = [
    "13800138000", "+86 138 0013 8000", "+86-138-0013-8000", "0086 13800138000", "0086-138-0013-8000",
    "8613800138000", "138 0013 8000", "138-0013-8000", "１３８００１３８０００", "＋８６ １３８ ００１３ ８０００",
    "手机：13800138000", "Tel. 138.0013.8000", 13800138000, 13800138000.0, 1.3800138e10,
    "1.3800138000E+10", "(+86)13800138000",
]


@pytest.mark.parametrize("form", MOBILE_FORMS)
def test_mobile_forms(form):
    p = parse_phones([form]).iloc[0]
    assert (p["kind"], p["number"], p["e164"], p["problem"]) == ("mobile", "13800138000", "+8613800138000", None)


def test_normalise_mobile_e164():
    assert list(normalise_mobile(["138-0013-8000", "010-12345678", None], e164=True)) == ["+8613800138000", None, None]


def test_rounded_scientific_text_is_never_guessed():
    for text in ["1.38001E+10", "1.3800138E+10", "1.38E+10"]:
        p = parse_phones([text]).iloc[0]
        assert p["number"] is None and p["problem"] == "MOBILE_ROUNDED"


@pytest.mark.parametrize("form, canonical", [
    ("010-12345678", "010-12345678"), ("(010)12345678", "010-12345678"), ("010 1234 5678", "010-12345678"),
    ("（０１０）１２３４５６７８", "010-12345678"), ("+86 10 12345678", "010-12345678"),
    ("+86 (0)10 1234 5678", "010-12345678"), ("0755-1234567-801", "0755-1234567-801"),
    ("0755-12345678转801", "0755-12345678-801"), ("(0755) 8123-4567 分机 12", "0755-81234567-12"),
    ("021-6123 4567 ext 12", "021-61234567-12"), ("0571-8888 8888", "0571-88888888"),
    (75512345678, "0755-12345678"), ("400-123-4567", "400-123-4567"), ("4001234567", "400-123-4567"),
])
def test_landline_forms(form, canonical):
    p = parse_phones([form]).iloc[0]
    assert p["kind"] == "landline" and p["number"] == canonical and p["problem"] is None
    assert normalise_landline([form]).iloc[0] == canonical


def test_landline_e164_drops_trunk_zero_and_extension():
    assert parse_phones(["0755-1234567-801"]).iloc[0]["e164"] == "+867551234567"


@pytest.mark.parametrize("form, e164", [
    ("+852 9123 4567", "+85291234567"), ("00852 91234567", "+85291234567"),
    ("+886 912 345 678", "+886912345678"), ("+1 415 555 2671", "+14155552671"),
    ("+853 6612 3456", "+85366123456"),
])
def test_foreign_numbers_kept_as_e164(form, e164):
    p = parse_phones([form]).iloc[0]
    assert (p["kind"], p["number"], p["e164"], p["problem"]) == ("foreign", e164, e164, None)
    assert normalise_mobile([form]).iloc[0] is None
    assert normalise_phone([form]).iloc[0] == e164


@pytest.mark.parametrize("form, kind, problem", [
    ("1380013800", "mobile", "MOBILE_LENGTH"), ("138001380001", "mobile", "MOBILE_LENGTH"),
    ("12812345678", "mobile", "MOBILE_PREFIX"), ("13333333333", "mobile", "MOBILE_FAKE"),
    ("13000000000", "mobile", "MOBILE_FAKE"), ("010-1234567", "landline", "LANDLINE_LENGTH"),
    ("0001-1234567", None, "PHONE_UNPARSEABLE"), ("12345678", "landline", "LANDLINE_NO_AREA_CODE"),
    ("无", None, "PHONE_UNPARSEABLE"), ("#N/A", None, "CELL_ERROR"), ("13800138000/13900139000", "mobile", "PHONE_MULTIPLE"),
    ("0640-1234567", "landline", "LANDLINE_AREA_CODE"),
])
def test_problem_cases(form, kind, problem):
    p = parse_phones([form]).iloc[0]
    assert p["kind"] == kind and p["problem"] == problem


def test_multiple_keeps_the_first_number():
    assert parse_phones(["13800138000，010-12345678"]).iloc[0]["number"] == "13800138000"


def test_blanks_and_alignment():
    s = pd.Series([None, "", float("nan"), "13800138000"], index=[5, 6, 7, 8])
    p = parse_phones(s)
    assert list(p.index) == [5, 6, 7, 8]
    assert p["problem"].isna().all() and p["kind"].tolist()[:3] == [None, None, None]
