"""Contact, value and cross-field validators."""
import pandas as pd
import pytest

from udfs.validate.consistency import (age_on, check_age, check_birth_age, check_city, check_id_birth,
                                       check_id_gender, check_province)
from udfs.validate.contact import check_email, check_landline, check_mobile
from udfs.validate.values import (check_amounts, check_any_present, check_counts, check_date_order, check_dates,
                                  check_required)


def test_check_mobile():
    cells = ["13800138000", "1380013800", "12812345678", "13333333333", "010-12345678", "1.38001E+10", None,
             "+852 9123 4567"]
    assert check_mobile(cells).tolist() == [None, "MOBILE_LENGTH", "MOBILE_PREFIX", "MOBILE_FAKE",
                                            "MOBILE_IS_LANDLINE", "MOBILE_ROUNDED", None, None]


def test_check_landline():
    cells = ["010-12345678", "0640-1234567", "010-1234567", "13800138000", "1234567"]
    assert check_landline(cells).tolist() == [None, "LANDLINE_AREA_CODE", "LANDLINE_LENGTH", None,
                                              "LANDLINE_NO_AREA_CODE"]


@pytest.mark.parametrize("cell, problem", [
    ("zhangsan@qq.com", None), (" ZhangSan＠QQ.COM ", None), ("张三@例子.中国", None), ("a@qq.con", "EMAIL_DOMAIN_TYPO"),
    ("abc", "EMAIL_SYNTAX"), ("a@b", "EMAIL_SYNTAX"), ("a..b@qq.com", "EMAIL_SYNTAX"), ("@qq.com", "EMAIL_SYNTAX"),
    ("a@@qq.com", "EMAIL_SYNTAX"), (None, None),
])
def test_check_email(cell, problem):
    assert check_email([cell]).iloc[0] == problem


def test_check_dates():
    cells = ["2024-3-5", "2099-01-01", "1899-05-05", "abc", None, "2024-02-30"]
    assert check_dates(cells, today="2025-01-01").tolist() == [None, "DATE_FUTURE", "DATE_BEFORE_1900",
                                                               "DATE_UNPARSEABLE", None, "DATE_INVALID"]
    assert check_dates(["2099-01-01"], today="2025-01-01", allow_future=True).iloc[0] is None
    assert check_dates(["2025-01-01 18:00"], today="2025-01-01").iloc[0] is None  # later today is not future


def test_date_order():
    got = check_date_order(["2024-01-01", "2024-05-01", None, "2024-05-01"],
                           ["2024-02-01", "2024-04-01", "2024-01-01", "2024-05-01"])
    assert got.tolist() == [None, "DATE_ORDER", None, None]


def test_amounts_and_counts():
    assert check_amounts(["¥100", "-5", "(3)", "abc", None, "USD 3"]).tolist() == [
        None, "AMOUNT_NEGATIVE", "AMOUNT_NEGATIVE", "AMOUNT_UNPARSEABLE", None, "AMOUNT_FOREIGN_CURRENCY"]
    assert check_counts(["3", "3次", 2.5, -1, "abc", None, 4.0, "12笔"]).tolist() == [
        None, None, "COUNT_NOT_WHOLE", "COUNT_NEGATIVE", "COUNT_UNPARSEABLE", None, None, None]


def test_required_and_any_present():
    assert check_required(["a", " ", None, float("nan"), "\u3000"]).tolist() == [
        None, "REQUIRED_MISSING", "REQUIRED_MISSING", "REQUIRED_MISSING", "REQUIRED_MISSING"]
    got = check_any_present([pd.Series([None, "138", None]), pd.Series([None, None, "a@b.cn"])])
    assert got.tolist() == ["CONTACT_MISSING", None, None]


def test_id_gender_and_birth():
    ids = ["11010519491231002X", "11010519491231002X", "110105194912310021", None]
    assert check_id_gender(ids, ["女", "男", "男", "男"]).tolist() == [None, "GENDER_ID_MISMATCH", None, None]
    assert check_id_birth(ids, ["1949-12-31", "1950-01-01", "1950-01-01", "1950-01-01"]).tolist() == [
        None, "BIRTH_ID_MISMATCH", None, None]


def test_age_on_against_hand_counts():
    # Born 1949-12-31: on 2025-06-01 75 (birthday not yet reached in 2025 → 2025-1949-1); on 2025-12-31, 76.
    assert age_on(pd.Series(pd.to_datetime(["1949-12-31"])), "2025-06-01").iloc[0] == 75
    assert age_on(pd.Series(pd.to_datetime(["1949-12-31"])), "2025-12-31").iloc[0] == 76


def test_birth_age_and_age_validity():
    got = check_birth_age(["1949-12-31", "1990-06-01", "1990-06-01", None], [75, 20, 34, 30], today="2025-06-01")
    assert got.tolist() == [None, "AGE_BIRTH_MISMATCH", None, None]
    assert check_age([30, "abc", 150, 2.5, None, "35岁".replace("岁", "")]).tolist() == [
        None, "AGE_INVALID", "AGE_INVALID", "AGE_INVALID", None, None]


def test_province_and_city():
    assert check_province(["广东", "廣東省", "火星", None]).tolist() == [None, None, "PROVINCE_UNKNOWN", None]
    got = check_city(["广州", "昆山", "某某", "广州市", "朝阳", "朝阳"], ["广东省", "江苏省", "广东", "浙江省", "北京", "辽宁"])
    assert got.tolist() == [None, None, "CITY_UNKNOWN", "CITY_PROVINCE_MISMATCH", None, None]


def test_email_fast_path_agrees_with_email_validator():
    # Independent reference: email-validator itself, on addresses the fast path accepts or rejects.
    from email_validator import EmailNotValidError, validate_email

    from udfs.validate.contact import _PLAIN_EMAIL

    samples = ["a@qq.com", "a.b-c+d@mail.example.cn", "x@sub.domain.co", "first.last@163.com", "a@b.test",
               "a@localhost", "a.@qq.com", ".a@qq.com", "a@-qq.com", "a@qq-.com", "a@q_q.com", "a@123.456",
               "o'neil@x.org", "a" * 65 + "@qq.com", "a@" + "b" * 64 + ".com", "a@b.c"]
    for address in samples:
        try:
            validate_email(address, check_deliverability=False)
            accepted = True
        except EmailNotValidError:
            accepted = False
        if _PLAIN_EMAIL.match(address):
            assert accepted, address  # the fast path never accepts what the validator rejects
        assert (check_email([address]).iloc[0] is None) == accepted, address
