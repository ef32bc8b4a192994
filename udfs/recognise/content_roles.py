"""What a register column holds, from its values alone, with a confidence (the share of values that fit).

Used when the header says nothing (blank, 列3, Column3, or no header row). Each role has a test on one value;
a column's confidence for a role is the share of its non-blank sample values passing that test. The role with
the highest share wins if it reaches THRESHOLD; ties go to the role listed first in ROLE_ORDER (the more
specific test first: an 18-digit ID before a plain number). Date columns are told apart afterwards by where
their dates fall (see `date_roles`).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pandas as pd

from udfs.normalise.dates import parse_dates
from udfs.normalise.gender import gender_one
from udfs.normalise.region import city_one, province_one

from .surnames import surname_tables

THRESHOLD = 0.6
_CJK = re.compile(r"^[\u3400-\u9fff]+$")
_MINORITY = re.compile(r"^[\u3400-\u9fff]{1,8}(?:·[\u3400-\u9fff]{1,8}){1,3}$")
_LATIN_NAME = re.compile(r"^[A-Z][a-z]+(?:[-'][A-Za-z]+)?(?:\s+[A-Z][a-z]*\.?(?:[-'][A-Za-z]+)?){1,3}$")
_COMPANY_END = ("公司", "集团", "厂", "店", "中心", "事务所", "研究院", "银行", "学校", "医院", "商行", "工作室", "合作社",
                "有限", "LTD", "LTD.", "INC", "INC.", "CO.", "CORP", "CORP.", "LIMITED", "LLC", "GMBH")
_DISTRICT = re.compile(r"^[\u3400-\u9fff]{1,6}(?:区|區|县|縣|旗|自治县|自治縣)$")
_ADDRESS = re.compile(r"(路|街|道|巷|弄|号|號|大厦|大廈|小区|小區|村|镇|鎮|室|楼|樓)")
_SALES_REGION = {"华东", "华南", "华北", "华中", "西南", "西北", "东北", "華東", "華南", "華北", "華中", "東北",
                 "华东区", "华南区", "华北区", "华中区", "西南区", "西北区", "东北区", "港澳台", "海外"}
STATUS_WORDS = {"正常", "活跃", "活躍", "休眠", "沉睡", "流失", "潜在", "潛在", "意向", "有意向", "已成交", "未成交",
                "跟进中", "跟進中", "已签约", "已簽約", "新客户", "新客戶", "老客户", "老客戶", "有效", "无效", "無效",
                "冻结", "凍結", "注销", "註銷", "暂停", "暫停", "待跟进", "待跟進", "已流失", "active", "inactive",
                "dormant", "lost", "prospect", "churned", "new", "vip", "vip客户", "vip客戶"}
_CUSTOMER_ID = re.compile(r"^[A-Z]{1,4}[-_]?\d{3,10}$")
_MONEY = re.compile(r"^(?:NT\$|HK\$|US\$|RMB|HKD|MOP|CNY|USD|TWD|[¥￥$])?\s*-?[\d,]+(?:\.\d+)?\s*(?:元|圓|块)?$", re.I)


def _person_cjk(t: str) -> bool:
    single, compound = surname_tables()
    if _MINORITY.match(t):
        return True
    if not _CJK.match(t) or not 2 <= len(t) <= 4:
        return False
    if any(t.startswith(c) for c in compound):
        return len(t) >= 3
    return t[0] in single and len(t) <= 3


def _is_person(t: str) -> bool:
    return _person_cjk(t) or bool(_LATIN_NAME.match(t)) or _bilingual(t)


def _bilingual(t: str) -> bool:
    """陳大文 Chan Tai Man: a Chinese name followed by its romanisation (Hong Kong and Macau registers)."""
    parts = t.split(None, 1)
    return len(parts) == 2 and _person_cjk(parts[0]) and bool(re.match(r"^[A-Za-z][A-Za-z\s\-']+$", parts[1]))


def _is_company(t: str) -> bool:
    return t.upper().rstrip(")）").endswith(_COMPANY_END) and len(t) >= 4


def _number(v) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v) if v == v else None
    if isinstance(v, str) and _MONEY.match(v.strip()):
        digits = re.sub(r"[^\d.\-]", "", v)
        try:
            return float(digits)
        except ValueError:
            return None
    return None


def _text(v) -> str | None:
    if not isinstance(v, str):
        return None
    t = unicodedata.normalize("NFKC", v).strip()
    return t or None


def text_shares(vals: list) -> dict[str, float]:
    """role → share of values fitting it, for the roles told by text."""
    texts = [_text(v) for v in vals]
    n = len(vals)
    tests = {
        "name": lambda t: _is_person(t) and not _is_company(t),
        "company": _is_company,
        "province": lambda t: province_one(t) is not None and not t.endswith("市"),
        "city": lambda t: city_one(t) is not None,
        "district": lambda t: bool(_DISTRICT.match(t)),
        "sales_region": lambda t: t in _SALES_REGION,
        "status": lambda t: t.lower() in STATUS_WORDS,
        "gender": lambda t: gender_one(t) is not None and not t.isdigit(),
        "customer_id": lambda t: bool(_CUSTOMER_ID.match(t.upper())),
        "address": lambda t: len(t) >= 6 and bool(_ADDRESS.search(t)) and not _is_company(t),
    }
    shares = {role: sum(1 for t in texts if t and test(t)) / n for role, test in tests.items()}
    if shares["customer_id"] and len(set(texts)) < 0.9 * n:
        shares["customer_id"] = 0.0      # identifiers do not repeat
    if shares["status"] and len(set(texts)) > 12:
        shares["status"] = 0.0           # a handful of words, not free text
    return shares


def number_shares(vals: list) -> dict[str, float]:
    """amount / count / age from numbers (and money text such as NT$1,200)."""
    nums = [x for x in (_number(v) for v in vals) if x is not None]
    if len(nums) < THRESHOLD * len(vals):
        return {}
    share = len(nums) / len(vals)
    s = pd.Series(nums)
    integral = bool((s == s.round()).all())
    if integral and s.min() >= 12 and s.max() <= 100 and 20 <= s.median() <= 65 and s.nunique() > 5:
        return {"age": share}
    if integral and s.min() >= 0 and s.max() <= 500 and s.median() <= 60:
        return {"purchase_count": share}
    return {"total_spend": share}


ROLE_ORDER = ("id_number", "uscc", "email", "mobile", "landline", "phone", "date", "customer_id", "gender", "status",
              "sales_region", "province", "city", "district", "company", "name", "address", "age", "purchase_count",
              "total_spend")


def best_role(shares: dict[str, float]) -> tuple[str | None, float]:
    """Highest share wins; a tie goes to the role earlier in ROLE_ORDER."""
    ranked = sorted(((s, -ROLE_ORDER.index(r), r) for r, s in shares.items() if s >= THRESHOLD and r in ROLE_ORDER),
                    reverse=True)
    if not ranked:
        return None, 0.0
    share, _order, role = ranked[0]
    return role, round(share, 2)


def date_roles(columns: dict[str, list], today: dt.date | None = None) -> dict[str, str]:
    """Date columns → register date roles by where their dates fall (a clear rule, stated in the README).

    Median at least 16 years before today: birth_date. Median after today: next_followup. Of the others,
    the one with the latest median is last_purchase and an earlier one first_contact.
    """
    today = today or dt.date.today()
    medians = {}
    for col, dates in columns.items():
        ds = parse_dates(pd.Series(dates, dtype=object)).dropna()   # kehu's own reading: ROC, 年月日 …
        if len(ds):
            medians[col] = ds.median().date()
    out: dict[str, str] = {}
    rest = []
    for col, m in medians.items():
        if m <= today.replace(year=today.year - 16):
            out[col] = "birth_date"
        elif m > today:
            out[col] = "next_followup"
        else:
            rest.append(col)
    rest.sort(key=lambda c: medians[c], reverse=True)
    for i, col in enumerate(rest):
        out[col] = "last_purchase" if i == 0 else "first_contact"
    return out
