"""Column roles from simplified, traditional, English and home-made headers, and from content alone."""
from __future__ import annotations

import pandas as pd
import pytest

from udfs.recognise import parse_role, recognise, recognise_columns, role_from_header


@pytest.mark.parametrize("header,role", [
    ("客户编号", "customer_id"), ("客戶編號", "customer_id"), ("Customer ID", "customer_id"),
    ("姓名", "name"), ("聯絡人", "name"), ("Name", "name"),
    ("手机号码", "mobile"), ("手機號碼", "mobile"), ("Mobile", "mobile"), ("手机 号码：", "mobile"),
    ("电话", "landline"), ("電話", "landline"), ("Tel.", "landline"), ("固定电话", "landline"),
    ("联系电话", "phone"), ("聯繫電話", "phone"),
    ("E-mail地址", "email"), ("电子邮箱", "email"), ("電子郵件", "email"), ("Email", "email"),
    ("公司名称", "company"), ("公司名稱", "company"), ("Company", "company"),
    ("统一社会信用代码", "uscc"), ("統一社會信用代碼", "uscc"),
    ("身份证号", "id_number"), ("身份證號碼", "id_number"),
    ("最近购买日期", "last_purchase"), ("最近購買日期", "last_purchase"), ("Last Purchase Date", "last_purchase"),
    ("累计金额（元）", "total_spend"), ("累計金額", "total_spend"),
    ("购买次数", "purchase_count"), ("下次跟进日期", "next_followup"), ("备注", "remarks"), ("備註", "remarks"),
    ("省份", "province"), ("城市", "city"), ("地址", "address"), ("地址 ", "address"), ("状态", "status"),
])
def test_header_aliases(header, role):
    assert role_from_header(header)[0] == role


def test_survey_headers():
    assert role_from_header("门店", "survey")[0] == "group"
    assert role_from_header("推荐意愿(0-10)", "survey")[0] == "recommend"
    assert role_from_header("總體滿意度", "survey")[0] == "overall"


def test_unknown_headers_are_recognised_from_content():
    df = pd.DataFrame({
        "A": ["13800138000", "139 1234 5678", "+86 13700137000", "15000000001"],
        "B": ["a@163.com", "b@qq.com", "c@x.cn", "d@y.com"],
        "C": ["11010519491231002X", "440106198001010016", "110105196403288038", "310115199001011234"],
        "D": ["010-12345678", "(021)87654321", "0755 8765 4321", "020-87654321"],
        "E": ["甲", "乙", "丙", "丁"],
    })
    roles = recognise_columns(df)
    assert roles == {"A": "mobile", "B": "email", "C": "id_number", "D": "landline"}


def test_phone_header_settled_by_content():
    df = pd.DataFrame({"联系电话": ["13800138000", "13912345678", "13700137000"]})
    assert recognise(df)[0].role == "mobile" and recognise(df)[0].how == "content"


def test_user_override_wins_and_role_labels_parse():
    df = pd.DataFrame({"联系电话": ["010-12345678", "021-87654321"], "X": [1, 2]})
    cols = recognise(df, overrides={"联系电话": "mobile", "X": "ignore"})
    assert [(c.role, c.how) for c in cols] == [("mobile", "user"), (None, "user")]
    assert parse_role("手机") == "mobile" and parse_role("mobile") == "mobile" and parse_role("???") is None


def test_second_name_column_with_company_names_becomes_company():
    df = pd.DataFrame({"客户名称": ["北京华信科技有限公司", "上海宏达贸易有限公司"], "联系人": ["张三", "李四"]})
    roles = recognise_columns(df)
    assert roles == {"客户名称": "company", "联系人": "name"}


def test_survey_items_by_content():
    df = pd.DataFrame({"Q1": [1, 2, 5, 4, 3], "Q2": ["5", "4", "4", "3", "2"], "备注": ["a", "b", "c", "d", "e"]})
    roles = recognise_columns(df, kind="survey")
    assert roles["Q1"] == "item" and roles["Q2"] == "item" and "备注" not in roles


def test_kehu_output_columns_are_not_inputs_again():
    df = pd.DataFrame({"手机": ["13800138000"], "手机(规范)": ["13800138000"], "fx 手机(规范)": ["13800138000"],
                       "问题": ["x"], "重复组": [1]})
    cols = recognise(df)
    assert [(c.role, c.how) for c in cols] == [("mobile", "header"), (None, "kehu"), (None, "kehu"), (None, "kehu"),
                                               (None, "kehu")]


@pytest.mark.parametrize("header,role", [("Total Spend (RMB)", "total_spend"), ("Purchase Count", "purchase_count"),
                                         ("Last Order Date", "last_purchase"), ("Next Follow-up", "next_followup")])
def test_english_headers_with_units_and_suffixes(header, role):
    assert role_from_header(header)[0] == role
