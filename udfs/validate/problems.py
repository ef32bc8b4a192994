"""The problem catalogue: every problem code kehu reports, with its Chinese and English message and a suggestion."""
from __future__ import annotations

from typing import NamedTuple


class Problem(NamedTuple):
    code: str
    zh: str
    en: str
    suggestion_zh: str

    def text(self) -> str:
        """One line for a cell: Chinese message, then English in brackets."""
        return f"{self.zh}（{self.en}）"


_ROWS = [
    # code, 中文, English, 建议
    ("CELL_ERROR", "单元格是错误值", "cell holds an Excel error value", "检查产生该错误值的公式或数据来源"),
    # dates
    ("DATE_UNPARSEABLE", "日期无法识别", "date not recognised", "改写为 2024-03-05 形式的日期"),
    ("DATE_INVALID", "日期不存在", "impossible calendar date", "核对年月日（如 2 月没有 30 日）"),
    ("DATE_AMBIGUOUS", "日期有歧义（日/月顺序或两位年份）", "ambiguous date (day/month order or two-digit year)",
     "写明四位年份并用 年-月-日 顺序"),
    ("DATE_OUT_OF_RANGE", "日期超出合理范围", "date out of range", "核对日期数值是否录错"),
    ("DATE_FUTURE", "日期在未来", "date is in the future", "核对日期，未发生的日期不应填在此列"),
    ("DATE_BEFORE_1900", "日期早于 1900 年", "date before 1900", "核对年份"),
    ("DATE_ORDER", "首次接触日期晚于最近购买日期", "first contact is after the last purchase", "核对两个日期"),
    # amounts and counts
    ("AMOUNT_UNPARSEABLE", "金额无法识别", "amount not recognised", "只填数字，如 2288.38"),
    ("AMOUNT_FOREIGN_CURRENCY", "金额为外币", "amount in a foreign currency", "换算为人民币后填写，或单列币种"),
    ("AMOUNT_APPROXIMATE", "金额为约数", "approximate amount", "填写准确金额"),
    ("AMOUNT_NEGATIVE", "金额为负数", "negative amount", "核对是否为退款；累计金额不应为负"),
    ("COUNT_UNPARSEABLE", "次数无法识别", "count not recognised", "只填整数"),
    ("COUNT_NOT_WHOLE", "次数不是整数", "count is not a whole number", "只填整数"),
    ("COUNT_NEGATIVE", "次数为负数", "negative count", "核对次数"),
    # phones
    ("PHONE_UNPARSEABLE", "电话号码无法识别", "phone number not recognised", "填写 11 位手机号或 区号-号码"),
    ("PHONE_MULTIPLE", "一格中有多个电话号码", "several phone numbers in one cell", "每格只填一个号码，其余移到备用电话列"),
    ("MOBILE_ROUNDED", "手机号被科学计数法截断，末尾数字已丢失", "mobile number lost digits to scientific notation",
     "从原始资料重新录入，并把该列设为文本格式"),
    ("MOBILE_LENGTH", "手机号位数不对（应为 11 位）", "mobile number does not have 11 digits", "核对号码位数"),
    ("MOBILE_PREFIX", "手机号号段无效（应以 13–19 开头）", "mobile number prefix is not 13–19", "核对号码前三位"),
    ("MOBILE_FAKE", "手机号疑似占位号码", "mobile number looks like a placeholder", "向客户核实真实号码"),
    ("MOBILE_IS_LANDLINE", "手机号列中填的是固定电话", "landline number in the mobile column", "移到固定电话列"),
    ("LANDLINE_AREA_CODE", "固定电话区号无效", "invalid landline area code", "核对区号（如 010、0755）"),
    ("LANDLINE_LENGTH", "固定电话号码位数不对", "landline number has the wrong length", "区号后应为 7–8 位号码"),
    ("LANDLINE_NO_AREA_CODE", "固定电话缺少区号", "landline number without area code", "补上区号，如 010-12345678"),
    ("PHONE_FOREIGN_INVALID", "境外号码无效", "invalid foreign phone number", "核对国家或地区代码和号码"),
    ("PHONE_REGION_INVALID", "号码不符合本表所在地区（台湾/香港/澳门等）的号码规则", "number is not valid for the "
     "register's region (Taiwan / Hong Kong / Macau …)", "核对位数和开头；如果是别处的号码，写上国家或地区代码，如 +852"),
    # e-mail
    ("EMAIL_SYNTAX", "邮箱格式不正确", "e-mail address is not valid", "核对 @ 和域名，如 name@qq.com"),
    ("EMAIL_DOMAIN_TYPO", "邮箱域名疑似拼写错误", "e-mail domain looks misspelt", "核对域名（如 qq.con 应为 qq.com）"),
    # identity
    ("ID_LENGTH", "身份证号位数不对（应为 18 位或旧版 15 位）", "resident ID must have 18 (or old 15) characters",
     "核对身份证号"),
    ("ID_CHARS", "身份证号含非法字符", "resident ID has invalid characters", "只能是数字，最后一位可为 X"),
    ("ID_ROUNDED", "身份证号以数字格式保存，末尾数字已丢失", "resident ID stored as a number lost digits",
     "从原始资料重新录入，并把该列设为文本格式"),
    ("ID_REGION", "身份证号地区码无效", "resident ID region code is invalid", "核对前六位"),
    ("ID_BIRTH_DATE", "身份证号中的出生日期无效", "resident ID holds an invalid birth date", "核对第 7–14 位"),
    ("ID_CHECKSUM", "身份证号校验码不符", "resident ID check character does not match", "核对身份证号，可能有录错的数字"),
    ("ID_OLD_FORMAT", "身份证号为旧版 15 位，已换算为 18 位", "old 15-digit resident ID (converted to 18 digits)",
     "请客户提供 18 位身份证号"),
    ("USCC_LENGTH", "统一社会信用代码位数不对（应为 18 位）", "credit code must have 18 characters",
     "核对代码；旧的注册号需换成统一社会信用代码"),
    ("USCC_CHARS", "统一社会信用代码含非法字符（不含 I、O、Z、S、V）", "credit code has invalid characters",
     "核对代码，注意 0/O、1/I、2/Z、5/S、U/V"),
    ("USCC_CHECKSUM", "统一社会信用代码校验码不符", "credit code check character does not match", "核对代码，可能有录错的字符"),
    # required and consistency
    ("REQUIRED_MISSING", "必填项为空", "required field is empty", "补填该项"),
    ("NAME_MISSING", "缺少客户姓名或公司名称", "customer has no name", "补填姓名或公司名称"),
    ("CONTACT_MISSING", "没有任何联系方式", "customer has no contact details", "补填手机、电话、邮箱或地址"),
    ("REMARKS_MISSING", "备注为空", "remarks are empty", "每位客户都应有备注"),
    ("CUSTOMER_ID_DUPLICATE", "客户编号重复", "duplicate customer ID", "为每位客户分配唯一编号"),
    ("GENDER_UNKNOWN", "性别无法识别", "gender not recognised", "填写 男 或 女"),
    ("GENDER_ID_MISMATCH", "性别与身份证号不符", "gender does not match the resident ID", "核对性别或身份证号"),
    ("BIRTH_ID_MISMATCH", "出生日期与身份证号不符", "birth date does not match the resident ID", "核对出生日期或身份证号"),
    ("AGE_INVALID", "年龄无效（应为 0–120 的整数）", "age is not a whole number from 0 to 120", "核对年龄"),
    ("AGE_BIRTH_MISMATCH", "年龄与出生日期不符", "age does not match the birth date", "核对年龄或出生日期"),
    ("PROVINCE_UNKNOWN", "省份无法识别", "province not recognised", "填写省份全称，如 广东省"),
    ("CITY_UNKNOWN", "城市无法识别", "city not recognised", "填写城市全称，如 广州市"),
    ("CITY_PROVINCE_MISMATCH", "城市不属于所填省份", "city is not in the given province", "核对省份和城市"),
]

#: Every problem code → its Problem.
PROBLEMS: dict[str, Problem] = {row[0]: Problem(*row) for row in _ROWS}


def describe(code: str) -> Problem:
    """The Problem for `code`; an unknown code gets a generic entry rather than an error."""
    if code in PROBLEMS:
        return PROBLEMS[code]
    return Problem(code, f"问题 {code}", f"problem {code}", "请检查该单元格")


def describe_many(codes) -> list[str]:
    """Codes → one-line messages (Chinese with English), keeping order, skipping None."""
    return [describe(c).text() for c in codes if c]


#: How serious a problem is, for the marks on the user's cells (`kehu … --mark`) and the 问题清单 级别 column:
#: "error" — the value is wrong or unusable as it stands; "check" — it may be right, a person should look;
#: "hint" — the value is usable, the way it is written could be better.
SEVERITY_LABELS = {"error": "错误", "check": "需核对", "hint": "提示"}
_CHECK = {"DATE_AMBIGUOUS", "DATE_OUT_OF_RANGE", "DATE_FUTURE", "DATE_BEFORE_1900", "DATE_ORDER", "AMOUNT_NEGATIVE",
          "MOBILE_FAKE", "EMAIL_DOMAIN_TYPO", "CUSTOMER_ID_DUPLICATE", "GENDER_ID_MISMATCH", "BIRTH_ID_MISMATCH",
          "AGE_BIRTH_MISMATCH", "CITY_PROVINCE_MISMATCH", "PROVINCE_UNKNOWN", "CITY_UNKNOWN", "GENDER_UNKNOWN"}
_HINT = {"AMOUNT_FOREIGN_CURRENCY", "AMOUNT_APPROXIMATE", "PHONE_MULTIPLE", "MOBILE_IS_LANDLINE",
         "LANDLINE_NO_AREA_CODE", "ID_OLD_FORMAT", "REMARKS_MISSING"}


def severity(code: str) -> str:
    """"error", "check" or "hint" for a problem code (an unknown code counts as an error)."""
    return "check" if code in _CHECK else "hint" if code in _HINT else "error"
