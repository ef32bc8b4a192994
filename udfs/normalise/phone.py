"""Recognise and normalise phone numbers: Chinese mobiles, Chinese landlines, and foreign numbers in E.164.

Forms handled (DOMAIN.md §2): +86 / 0086 / 86 prefixes, spaces, dashes, dots, brackets
((010)12345678), full-width digits, labels (手机:, Tel.), extensions (转801, 分机 801, ext 801,
#801, or a third group 0755-1234567-801), numbers stored as numbers (13800138000.0,
1.3800138E+10 as a float holds every digit), landlines whose leading 0 a numeric cell
dropped, 400/800 service numbers, and Hong Kong, Macau, Taiwan and other foreign numbers
written with + or 00 (kept as E.164 via phonenumbers).

Never guessed: text in scientific notation that has lost digits ("1.38001E+10" from a CSV) is
reported as MOBILE_ROUNDED with no number.

Canonical forms: mobile `13800138000` (E.164 `+8613800138000`); landline `010-12345678`,
`0755-1234567-801` with an extension; service `400-123-4567`; foreign: E.164.
"""
from __future__ import annotations

import functools
import math
import re
from typing import Any

import numpy as np
import pandas as pd

from udfs.normalise._unique import fold, is_excel_error, map_unique_frame
from udfs.normalise.phone_region import current_region, regional, taiwan_fallback

COLUMNS = ["kind", "number", "e164", "problem"]

# Problem codes (described in udfs/validate/problems.py).
CELL_ERROR = "CELL_ERROR"
PHONE_UNPARSEABLE = "PHONE_UNPARSEABLE"
PHONE_MULTIPLE = "PHONE_MULTIPLE"
MOBILE_ROUNDED = "MOBILE_ROUNDED"
MOBILE_LENGTH = "MOBILE_LENGTH"
MOBILE_PREFIX = "MOBILE_PREFIX"
MOBILE_FAKE = "MOBILE_FAKE"
LANDLINE_AREA_CODE = "LANDLINE_AREA_CODE"
LANDLINE_LENGTH = "LANDLINE_LENGTH"
LANDLINE_NO_AREA_CODE = "LANDLINE_NO_AREA_CODE"
PHONE_FOREIGN_INVALID = "PHONE_FOREIGN_INVALID"
PHONE_REGION_INVALID = "PHONE_REGION_INVALID"

#: Problems after which the cell still yields a usable canonical number.
USABLE_PROBLEMS = frozenset({None, PHONE_MULTIPLE})

_CLEAN_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# The usual half-width spellings of a mobile (+86 138 0013 8000, 138-0013-8000, 0086…): taken
# by one regex before the general path.
_PLAIN_MOBILE = re.compile(r"^\s*(?:(?:\+|00)?86[\s-]*)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})\s*$")
# 010-12345678, (0755)87654321, 0755 8765 4321: the landline forms most registers hold
_PLAIN_LANDLINE = re.compile(r"^[(（]?(0\d{2,3})[)）]?[-\s]?(\d{3,4})[-\s]?(\d{4})$")
_NON_DIGIT = re.compile(r"\D")
_MULTI_HINT = re.compile(r"[,;、|/，；或和及]|\s{2,}")
_LABELS = re.compile(
    r"(手机号码|手机号|手机|移动电话|联系电话|电话号码|电话|座机|固话|传真|tel|phone|mobile|mob|cell|fax|[:：])",
    re.IGNORECASE,
)
_EXTENSION = re.compile(r"(?:转|分机号?|ext\.?|extension|x|#)\s*(\d{1,6})\s*$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-.()\[\]/_~]")
_MULTI_SPLIT = re.compile(r"[,;、|/，；]|或|和|及|\s{2,}")
_SCIENTIFIC = re.compile(r"^([-+]?)(\d)(?:\.(\d+))?e\+?(\d{1,2})$", re.IGNORECASE)
_SERVICE = re.compile(r"^(400|800)(\d{7})$")


def parse_phones(values: Any) -> pd.DataFrame:
    """Column of phone cells → DataFrame[kind, number, e164, problem] aligned with the input.

    kind is 'mobile', 'landline' (including 400/800 service numbers), 'foreign' or None;
    number is the canonical form (None when it cannot be trusted); problem a code or None.
    """
    from udfs.normalise.phone_fast import parse_unique_cells  # the column kernel (imports this module)

    return map_unique_frame(values, _parse_cell, COLUMNS, batch=parse_unique_cells)


def normalise_mobile(values: Any, e164: bool = False) -> pd.Series:
    """Column → canonical Chinese mobile `13800138000` (or `+8613800138000`), None otherwise.

    An 11-digit number that starts with 1 is returned even when the validator objects to
    its prefix (12x) or its made-up look, so a user sees what was written, formatted.
    """
    p = parse_phones(values)
    ok = p["kind"].eq("mobile") & p["number"].notna()
    return p["e164" if e164 else "number"].where(ok, None).astype(object)


def normalise_landline(values: Any) -> pd.Series:
    """Column → canonical landline `010-12345678` / `0755-1234567-801`, None for anything else."""
    p = parse_phones(values)
    ok = p["kind"].eq("landline") & p["number"].notna()
    return p["number"].where(ok, None).astype(object)


def normalise_phone(values: Any) -> pd.Series:
    """Column → canonical number of whatever kind it is (mobile, landline, foreign E.164)."""
    p = parse_phones(values)
    return p["number"].where(p["number"].notna(), None).astype(object)


def _parse_cell(v: Any) -> tuple[str | None, str | None, str | None, str | None]:
    """One distinct cell → (kind, number, e164, problem)."""
    if isinstance(v, (bool, np.bool_)):
        return None, None, None, PHONE_UNPARSEABLE
    if isinstance(v, (int, np.integer)):
        return _from_number_digits(str(abs(int(v))))
    if isinstance(v, (float, np.floating)):
        x = float(v)
        if not math.isfinite(x) or not x.is_integer() or abs(x) >= 1e15:
            return None, None, None, PHONE_UNPARSEABLE
        return _from_number_digits(str(abs(int(x))))
    if not isinstance(v, str):
        return None, None, None, PHONE_UNPARSEABLE
    if _CLEAN_MOBILE.match(v):  # the common case, already clean
        return _mobile(v)
    m = _PLAIN_MOBILE.match(v)
    if m:
        return _mobile(m.group(1) + m.group(2) + m.group(3))
    m = _PLAIN_LANDLINE.match(v)
    if m and 7 <= len(m.group(2)) + 4 <= 8:  # same answer as the general path below, without its dozen regexes
        return _national(m.group(1) + m.group(2) + m.group(3), None)
    text = fold(v)
    if not text:
        return None, None, None, None
    if is_excel_error(text):
        return None, None, None, CELL_ERROR
    return _from_text(text)


def _from_number_digits(digits: str) -> tuple:
    """Digits from a numeric cell; such cells drop a landline's leading 0."""
    if current_region() != "CN" and not (len(digits) == 11 and digits[0] == "1"):
        return regional(digits, None, current_region())
    if len(digits) == 11 and digits[0] == "1":
        return _mobile(digits)
    if digits[0] != "0" and 9 <= len(digits) <= 11 and not _SERVICE.match(digits):
        as_landline = _landline("0" + digits, None)
        if as_landline[3] is None:
            return as_landline
    return _national(digits, None)


def _from_text(text: str) -> tuple:
    m = _SCIENTIFIC.match(text.replace(" ", ""))
    if m:
        return _from_scientific(m)
    t = _LABELS.sub(" ", text).strip()
    parts = [p for p in _MULTI_SPLIT.split(t) if len(_NON_DIGIT.sub("", p)) >= 7] if _MULTI_HINT.search(t) else []
    multiple = len(parts) >= 2
    if multiple:
        t = parts[0].strip()
    result = _from_single(t)
    if multiple and result[3] is None:
        return result[:3] + (PHONE_MULTIPLE,)
    return result


def _from_scientific(m: re.Match) -> tuple:
    """"1.38001E+10": usable only if the mantissa still holds every digit."""
    mantissa = m.group(2) + (m.group(3) or "")
    total = int(m.group(4)) + 1  # digits in the number written
    if m.group(1) == "-" or len(mantissa) > total:
        return None, None, None, PHONE_UNPARSEABLE
    if len(mantissa) == total:
        return _from_number_digits(mantissa)
    # Fewer mantissa digits than the number has: the rest were rounded away (or happen to be
    # zeros, which nobody can tell apart), so the number is reported and never guessed.
    if total == 11 and mantissa[0] == "1":
        return "mobile", None, None, MOBILE_ROUNDED
    return None, None, None, PHONE_UNPARSEABLE


def _from_single(t: str) -> tuple:
    ext = None
    m = _EXTENSION.search(t)
    if m:
        ext, t = m.group(1), t[: m.start()].strip()
    lead = re.match(r"^[\s(\[]*\+", t)  # "+86 …" and "(+86) …" both mean an international number
    plus = lead is not None
    body = t[lead.end():] if lead else t
    groups = [g for g in _SEPARATORS.split(body) if g]
    if not groups or not all(g.isdigit() for g in groups):
        return None, None, None, PHONE_UNPARSEABLE
    digits = "".join(groups)
    if ext is None and len(groups) >= 3 and groups[0].startswith("0") and len(groups[-1]) <= 6:
        # 0755-1234567-801: a third short group after a full landline is an extension.
        head = "".join(groups[:-1])
        split = _split_area(head)
        if split is not None and head[1] != "0" and len(split[1]) in (7, 8):
            ext, digits = groups[-1], head
    if plus or (digits.startswith("00") and not digits.startswith("000")):
        return _international(digits[2:] if not plus else digits, ext)
    if digits.startswith("86") and len(digits) == 13 and digits[2] == "1":
        return _mobile(digits[2:])  # 86 written without + or 00
    return _national(digits, ext)


def _international(digits: str, ext: str | None) -> tuple:
    if digits.startswith("86"):
        rest = digits[2:]
        if rest.startswith("0"):  # +86 (0)10 …: the trunk 0 written by habit
            rest = rest[1:]
        if rest.startswith("10") and len(rest) == 10:
            return _national("0" + rest, ext)  # +86 10 …: Beijing landline
        if rest.startswith("1"):
            return _mobile(rest) if len(rest) == 11 else ("mobile", None, None, MOBILE_LENGTH)
        return _national("0" + rest, ext)
    import phonenumbers  # imported here: only foreign numbers need it

    try:
        n = phonenumbers.parse("+" + digits)
    except phonenumbers.NumberParseException:
        return None, None, None, PHONE_UNPARSEABLE
    e164 = phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)
    if not phonenumbers.is_valid_number(n):
        return "foreign", e164, e164, PHONE_FOREIGN_INVALID
    return "foreign", e164, e164, None


def _national(digits: str, ext: str | None) -> tuple:
    region = current_region()
    if region != "CN" and not (len(digits) == 11 and digits[0] == "1"):
        return regional(digits, ext, region)   # a mainland mobile stays one in any register
    result = _mainland(digits, ext)
    if result[3] is not None and result[0] == "landline":
        return taiwan_fallback(digits, ext) or result
    return result


def _mainland(digits: str, ext: str | None) -> tuple:
    if 7 <= len(digits) <= 8 and digits[0] != "0":
        return "landline", digits + (f"-{ext}" if ext else ""), None, LANDLINE_NO_AREA_CODE
    if digits.startswith("1"):
        return _mobile(digits) if len(digits) == 11 else ("mobile", None, None, MOBILE_LENGTH)
    m = _SERVICE.match(digits)
    if m:
        return "landline", f"{m.group(1)}-{m.group(2)[:3]}-{m.group(2)[3:]}", None, None
    if digits.startswith("0") and not digits.startswith("00"):
        return _landline(digits, ext)
    return None, None, None, PHONE_UNPARSEABLE


def _mobile(digits: str) -> tuple:
    problem = None
    if digits[1] not in "3456789":
        problem = MOBILE_PREFIX
    elif len(set(digits[2:])) == 1 or digits[1:] in ("2345678901", "3456789012") or digits[3:] == "00000000":
        problem = MOBILE_FAKE  # 13333333333, 13000000000: placeholders, not customers
    return "mobile", digits, "+86" + digits, problem


def _split_area(digits: str) -> tuple[str, str] | None:
    """0xx(x) + local number; 010 and 02x are the three-digit area codes, the rest four."""
    if len(digits) < 3 or digits[0] != "0":
        return None
    n = 3 if digits[1] == "1" or digits[1] == "2" else 4
    return digits[:n], digits[n:]


def _landline(digits: str, ext: str | None) -> tuple:
    split = _split_area(digits)
    if split is None or len(split[1]) < 5:
        return "landline", None, None, LANDLINE_LENGTH
    area, local = split
    suffix = f"-{ext}" if ext else ""
    if not _area_code_valid(area):
        return "landline", None, None, LANDLINE_AREA_CODE
    if len(local) not in (7, 8) or (len(area) == 3 and len(local) != 8) or local[0] == "0":
        return "landline", None, None, LANDLINE_LENGTH
    return "landline", f"{area}-{local}{suffix}", f"+86{area[1:]}{local}", None


@functools.lru_cache(maxsize=None)
def _area_code_valid(area: str) -> bool:
    """Is `area` (e.g. '0755') a Chinese area code? Asked of phonenumbers once per code."""
    import phonenumbers

    for local in ("2345678", "23456789", "5123456", "51234567", "6123456", "61234567",
                  "8123456", "81234567", "3123456", "31234567", "4123456", "41234567",
                  "7123456", "71234567", "9123456", "91234567"):
        try:
            if phonenumbers.is_valid_number(phonenumbers.parse("+86" + area[1:] + local)):
                return True
        except phonenumbers.NumberParseException:
            return False
    return False
