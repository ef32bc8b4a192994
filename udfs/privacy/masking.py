"""Mask personal values the customary Chinese way, one column at a time.

mobile 13800138000 → 138****8000 · landline (010)27558835 → 010-****8835 (area code and last four kept) ·
resident ID → 110105********002X · Hong Kong A123456(7) → A12****(7) · Macau 1234567(8) → 12*****(8) ·
Taiwan A123456789 → A1******89 · credit code of a sole trader (个体工商户: registration authority 9, category 2,
GB 32100-2015) → 92110105********XX; a company's code is public and stays · e-mail zhangwei@qq.com → z***@qq.com ·
name 张伟 → 张*, 欧阳娜娜 → 欧阳*, John Smith → J* S* · address: the street number and everything after it removed.

Every mask is built only from the characters it keeps, so no masked cell can still hold the whole value. Each
function takes a column (list, array or Series) and returns an object Series; missing cells stay missing.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Callable

import pandas as pd

from udfs.normalise._unique import map_unique
from udfs.recognise.surnames import surname_tables

STAR = "*"
_DIGITS = re.compile(r"[0-9]")
_CN_PREFIX = re.compile(r"^(?:\+?0{0,2}86)(?=1\d{10}$|0\d{9,11}$|[2-9]\d{6,8}$)")
_HK_ID = re.compile(r"^([A-Z]{1,2})(\d{6})\(?([0-9A])\)?$")
_MO_ID = re.compile(r"^([157])(\d{6})\(?(\d)\)?$")
_TW_ID = re.compile(r"^([A-Z])([12]\d{8})$")
_CN_ID = re.compile(r"^(\d{6})(\d{8}|\d{6})(\d{3}[\dX]|\d{3})$")
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
_EMAIL = re.compile(r"^([^@\s]+)@([^@\s]+)$")
#: a house number: digits (or Chinese numerals) followed by the unit that makes them one
_HOUSE_NUMBER = re.compile(r"[\dA-Za-z\-—]*[\d一二三四五六七八九十百千零〇两]+\s*"
                           r"(?:号|號|弄|栋|棟|幢|座|单元|單元|楼|樓|层|層|室|户|戶|门牌|門牌|号楼|號樓)")
_ANY_DIGITS = re.compile(r"[\d]+")


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)   # a mobile typed as a number arrives as 13800138000.0
    return unicodedata.normalize("NFKC", str(value)).strip()


def _stars(n: int) -> str:
    return STAR * max(n, 1)


def _column(values: Any, one: Callable[[str], str]) -> pd.Series:
    return map_unique(values, lambda v: one(_text(v)) if _text(v) else v)


# ------------------------------------------------------------------ phones

def _national_digits(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    digits = "".join(_DIGITS.findall(text.split("转")[0].split("ext")[0].split("#")[0]))
    return _CN_PREFIX.sub("", digits)


def mask_mobile_one(text: str) -> str:
    digits = _national_digits(text)
    if len(digits) >= 11:
        return digits[:3] + _stars(len(digits) - 7) + digits[-4:]
    if len(digits) >= 7:   # a Hong Kong, Macau or Taiwan mobile: first and last digits kept, as for 138****8000
        return digits[:2] + _stars(len(digits) - 4) + digits[-2:]
    return _stars(len(digits) or len(text))


def mask_landline_one(text: str) -> str:
    digits = _national_digits(text)
    if digits.startswith("1") and len(digits) == 11:   # a mobile in the phone column
        return mask_mobile_one(digits)
    area = ""
    if digits.startswith("0") and len(digits) >= 10:
        area = digits[:3] if digits[1] in "12" else digits[:4]   # 010, 02x: three digits; others four
        digits = digits[len(area):]
    if len(digits) < 5:
        return (area + "-" if area else "") + _stars(len(digits))
    return (area + "-" if area else "") + _stars(len(digits) - 4) + digits[-4:]


def mask_phone_one(text: str) -> str:
    digits = _national_digits(text)
    return mask_mobile_one(text) if digits.startswith("1") and len(digits) == 11 else mask_landline_one(text)


# ------------------------------------------------------------------ identity documents

def mask_id_one(text: str) -> str:
    compact = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text)).upper()
    if m := _CN_ID.match(compact):
        kept_tail = m.group(3)[-4:] if len(compact) == 18 else m.group(3)[-3:]
        return m.group(1) + _stars(len(compact) - 6 - len(kept_tail)) + kept_tail
    if m := _HK_ID.match(compact):
        return f"{m.group(1)}{m.group(2)[:2]}{_stars(4)}({m.group(3)})"
    if m := _MO_ID.match(compact):
        return f"{m.group(1)}{m.group(2)[:1]}{_stars(5)}({m.group(3)})"
    if m := _TW_ID.match(compact):
        return f"{m.group(1)}{m.group(2)[:1]}{_stars(6)}{m.group(2)[-2:]}"
    if len(compact) >= 6:   # a passport or an ID kehu cannot read: only the first two and last two kept
        return compact[:2] + _stars(len(compact) - 4) + compact[-2:]
    return _stars(len(compact))


def is_sole_trader_code(text: str) -> bool:
    """统一社会信用代码 of a 个体工商户: registered by industry and commerce (9), category 2 (GB 32100-2015)."""
    compact = re.sub(r"\s", "", unicodedata.normalize("NFKC", text)).upper()
    return bool(_CREDIT_CODE.match(compact)) and compact.startswith("92")


def mask_credit_code_one(text: str) -> str:
    compact = re.sub(r"\s", "", unicodedata.normalize("NFKC", text)).upper()
    if not is_sole_trader_code(compact):
        return text   # a company's code is public
    return compact[:8] + _stars(8) + compact[-2:]


# ------------------------------------------------------------------ e-mail, names, addresses

def mask_email_one(text: str) -> str:
    m = _EMAIL.match(unicodedata.normalize("NFKC", text).replace(" ", ""))
    if not m:
        return _stars(3)
    return f"{m.group(1)[0]}***@{m.group(2)}"


def mask_name_one(text: str) -> str:
    name = text.strip()
    if not name:
        return name
    if re.search(r"[\u3400-\u9fff]", name):
        _, compound = surname_tables()
        surname = next((c for c in compound if name.startswith(c) and len(name) > len(c)), name[0])
        return surname + STAR
    words = [w for w in re.split(r"\s+", name) if w]
    return " ".join(w[0] + STAR for w in words)


def mask_address_one(text: str) -> str:
    m = _HOUSE_NUMBER.search(text)
    kept = text[:m.start()] if m else text
    kept = _ANY_DIGITS.sub("", kept).rstrip(" ,，-—")
    return kept + "**" if kept != text else kept


# ------------------------------------------------------------------ columns

def columnwise(one: Callable[[str], str]) -> Callable[[Any], pd.Series]:
    """A whole-column mask from a one-value mask: each distinct text masked once, blanks kept."""
    def mask(values: Any) -> pd.Series:
        return _column(values, one)
    mask.__doc__ = f"{one.__name__} on every value of a column."
    return mask


mask_mobiles, mask_landlines, mask_phones = (columnwise(mask_mobile_one), columnwise(mask_landline_one),
                                             columnwise(mask_phone_one))
mask_ids, mask_credit_codes, mask_emails = (columnwise(mask_id_one), columnwise(mask_credit_code_one),
                                            columnwise(mask_email_one))
mask_names, mask_addresses = columnwise(mask_name_one), columnwise(mask_address_one)


#: column role (udfs/recognise) → its mask; roles not listed are not personal and stay as they are
MASKS: dict[str, Callable[[Any], pd.Series]] = {
    "mobile": mask_mobiles, "landline": mask_landlines, "phone": mask_phones, "fax": mask_landlines,
    "id_number": mask_ids, "uscc": mask_credit_codes, "email": mask_emails, "name": mask_names,
    "address": mask_addresses, "address_2": mask_addresses,
    "given_name": lambda values: _column(values, lambda t: _stars(len(t))),
    "street_number": lambda values: _column(values, lambda t: STAR * 2), "soc_sec_id": mask_ids,
}


def mask_column(values: Any, role: str | None) -> pd.Series | None:
    """The masked column for a column of `role`, or None when the role is not personal."""
    mask = MASKS.get(role or "")
    return None if mask is None else mask(values)


# ------------------------------------------------------------------ free text: values not in a known column

#: personal values written inside other text (问题清单 remarks, notes, chart captions), found by their shape
_IN_TEXT = [   # digits as typed, ASCII or full-width: \d matches both, the fixed digits are spelt out
    (re.compile(r"(?<![\dA-Za-z])(?:[+＋]?[8８][6６][\s-]?)?[1１][3-9３-９]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)"),
     mask_mobile_one),
    (re.compile(r"(?<![\dA-Za-z])\d{6}(?:[1１][9９]|[2２][0０])\d{2}[01０１]\d[0-3０-３]\d\d{3}[\dXxＸｘ](?![\dA-Za-z])"),
     mask_id_one),
    (re.compile(r"(?<![\dA-Z])92[0-9A-HJ-NPQRTUWXY]{16}(?![\dA-Z])"), mask_credit_code_one),
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"), mask_email_one),
    (re.compile(r"(?<![\d.])[(（]?[0０]\d{2,3}[)）]?[\s\-－]?[2-9２-９]\d{6,7}(?![\d.])"), mask_landline_one),
]


def mask_in_text(text: str) -> str:
    """`text` with every mobile, resident ID, sole trader's credit code, e-mail and landline in it masked."""
    for pattern, mask in _IN_TEXT:
        text = pattern.sub(lambda m: mask(unicodedata.normalize("NFKC", m.group())), text)
    return text
