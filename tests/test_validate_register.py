"""check_register: every applicable check from column roles, long form; row_messages for the 问题 column."""
import pandas as pd

from udfs.validate.problems import PROBLEMS, describe
from udfs.validate.register import ROLES, check_register, row_messages

REGISTER = pd.DataFrame({
    "客户编号": ["C1", "C2", "C2", "C4", None],
    "姓名": ["张伟", None, "李娜", "王芳", None],
    "性别": ["女", "男", "x", "女", None],
    "手机": ["13800138000", None, "1.38001E+10", "12812345678", None],
    "邮箱": [None, None, "a@qq.con", "x@163.com", None],
    "身份证号": ["11010519491231002X", None, "110105194912310021", None, None],
    "年龄": [30, None, None, 40, None],
    "首次接触": ["2024-05-01", None, "2024-01-01", "abc", None],
    "最近购买": ["2024-04-01", None, None, None, None],
    "累计金额": ["¥100", "-5", None, "1.2万", None],
    "备注": ["ok", None, "x", "y", None],
})
ROLE_MAP = {"客户编号": "customer_id", "姓名": "name", "性别": "gender", "手机": "mobile", "邮箱": "email",
            "身份证号": "id_number", "年龄": "age", "首次接触": "first_contact", "最近购买": "last_purchase",
            "累计金额": "total_spend", "备注": "remarks"}

# Planted by hand, row by row (row 4 is entirely blank and must produce nothing).
EXPECTED = [
    (0, "年龄", "AGE_BIRTH_MISMATCH"),          # ID born 1949-12-31 → 75 on 2025-01-01, not 30
    (0, "首次接触", "DATE_ORDER"),             # 2024-05-01 after 2024-04-01
    (1, "客户编号", "CUSTOMER_ID_DUPLICATE"),
    (1, "姓名", "NAME_MISSING"),
    (1, "手机", "CONTACT_MISSING"),
    (1, "累计金额", "AMOUNT_NEGATIVE"),
    (1, "备注", "REMARKS_MISSING"),
    (2, "客户编号", "CUSTOMER_ID_DUPLICATE"),
    (2, "性别", "GENDER_UNKNOWN"),
    (2, "手机", "MOBILE_ROUNDED"),
    (2, "邮箱", "EMAIL_DOMAIN_TYPO"),
    (2, "身份证号", "ID_CHECKSUM"),
    (3, "手机", "MOBILE_PREFIX"),
    (3, "首次接触", "DATE_UNPARSEABLE"),
]


def test_planted_problems_and_no_others():
    got = check_register(REGISTER, ROLE_MAP, today="2025-01-01")
    assert list(got.columns) == ["row_position", "column", "value", "code"]
    assert list(zip(got["row_position"], got["column"], got["code"])) == EXPECTED


def test_values_are_the_original_cells():
    got = check_register(REGISTER, ROLE_MAP, today="2025-01-01")
    for row, col, value in zip(got["row_position"], got["column"], got["value"]):
        original = REGISTER.at[row, col]
        assert (value is None and pd.isna(original)) or value == original


def test_gender_id_mismatch_reported_on_gender_column():
    df = pd.DataFrame({"姓名": ["张伟"], "性别": ["男"], "身份证号": ["11010519491231002X"], "手机": ["13800138000"]})
    got = check_register(df, {"姓名": "name", "性别": "gender", "身份证号": "id_number", "手机": "mobile"})
    assert got[["column", "code"]].values.tolist() == [["性别", "GENDER_ID_MISMATCH"]]


def test_clean_register_has_no_problems_and_unknown_roles_are_ignored():
    df = pd.DataFrame({"姓名": ["张伟"], "手机": ["13800138000"], "其他": ["x"]})
    got = check_register(df, {"姓名": "name", "手机": "mobile", "其他": "not_a_role"})
    assert got.empty and list(got.columns) == ["row_position", "column", "value", "code"]


def test_every_emitted_code_is_in_the_catalogue():
    got = check_register(REGISTER, ROLE_MAP, today="2025-01-01")
    assert set(got["code"]) <= set(PROBLEMS)
    for p in PROBLEMS.values():
        assert p.zh and p.en and p.suggestion_zh and p.code.isupper()


def test_row_messages():
    got = check_register(REGISTER, ROLE_MAP, today="2025-01-01")
    msgs = row_messages(got, len(REGISTER))
    assert len(msgs) == 5 and msgs.iloc[4] is None
    assert msgs.iloc[3] == f"手机：{describe('MOBILE_PREFIX').zh}；首次接触：{describe('DATE_UNPARSEABLE').zh}"
    assert "（" in row_messages(got, 5, english=True).iloc[3]


def test_role_names_match_the_brief():
    assert len(ROLES) == 25 and "next_followup" in ROLES and "phone" in ROLES
