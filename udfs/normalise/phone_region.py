"""Which region a register's phone numbers belong to, and numbers checked against that region's metadata.

The region of a number comes from the number itself when it has a country code (+886, 00852 …); otherwise
from the register (a sheet whose numbers are mostly valid Taiwan numbers is a Taiwan register); otherwise
from --region; otherwise mainland China. Validity, mobile vs fixed line and the canonical E.164 form come from
phonenumbers' metadata for that region, never from mainland rules. In a mainland register a number with a
trunk 0 that mainland rules reject but Taiwan's accept (0912-345-678) is a Taiwan number: no mainland number
looks like that, and Taiwan is the only one of TW/HK/MO that writes a trunk 0.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Iterable, Iterator

import pandas as pd

#: regions whose numbers a register may hold without a country code
REGIONS = ("CN", "TW", "HK", "MO")
_REGION: ContextVar[str] = ContextVar("kehu_phone_region", default="CN")
_NATIONAL: ContextVar[bool] = ContextVar("kehu_phone_national", default=False)
_DIGITS = re.compile(r"\D")
#: share of a register's national-written numbers that must be valid in one region to call it that region's
MAJORITY = 0.6


def current_region() -> str:
    return _REGION.get()


@contextmanager
def phone_region(region: str | None = "CN", national: bool = False) -> Iterator[None]:
    """Within the block, numbers written without a country code are read as `region`'s."""
    t1, t2 = _REGION.set((region or "CN").upper()), _NATIONAL.set(national)
    try:
        yield
    finally:
        _REGION.reset(t1)
        _NATIONAL.reset(t2)


def regional(digits: str, ext: str | None, region: str) -> tuple:
    """National digits read in `region` → (kind, number, e164, problem), by phonenumbers' metadata."""
    import phonenumbers

    try:
        n = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return None, None, None, "PHONE_UNPARSEABLE"
    e164 = phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)
    if not phonenumbers.is_valid_number_for_region(n, region):
        return "phone", None, None, "PHONE_REGION_INVALID"
    kind = _kind(phonenumbers.number_type(n))
    shown = phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.NATIONAL) if _NATIONAL.get() else e164
    return kind, shown + (f"-{ext}" if ext else ""), e164, None


def _kind(number_type: int) -> str:
    from phonenumbers import PhoneNumberType as T

    if number_type in (T.MOBILE, T.FIXED_LINE_OR_MOBILE):
        return "mobile"
    if number_type == T.FIXED_LINE:
        return "landline"
    return "foreign"     # toll-free, VoIP, pager …: valid, but neither


def taiwan_fallback(digits: str, ext: str | None) -> tuple | None:
    """A trunk-0 number mainland rules rejected: a Taiwan number if Taiwan's metadata accepts it."""
    if not digits.startswith("0") or digits.startswith("00"):
        return None
    result = regional(digits, ext, "TW")
    return result if result[3] is None else None


def register_region(columns: Iterable[Any], given: str | None = None, sample: int = 500) -> tuple[str, str]:
    """(region, how) for a register's phone columns: how is 'register', 'option' or 'default'.

    Only numbers written without a country code vote; each votes for every region in which it is valid.
    A --region that at least half of the voters fit is taken; else a region other than CN wins when at
    least MAJORITY of the voters are valid there and more are valid there than in CN; else --region; else CN.
    """
    import phonenumbers

    voters = []
    for col in columns:
        for v in pd.Series(col, dtype=object).dropna().head(sample).tolist():
            text = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
            if text.strip().startswith(("+", "00")):
                continue
            d = _DIGITS.sub("", text)
            if 7 <= len(d) <= 12:
                voters.append(d)
    if voters:
        from collections import Counter

        counts = Counter(voters)
        valid = {}
        for region in REGIONS:
            ok = 0
            for d, k in counts.items():
                try:
                    good = phonenumbers.is_valid_number_for_region(phonenumbers.parse(d, region), region)
                except phonenumbers.NumberParseException:
                    good = False
                ok += k if good else 0
            valid[region] = ok
        if given and given.upper() in valid and valid[given.upper()] >= 0.5 * len(voters):
            # the user's --region fits the numbers (Hong Kong and Macau share many ranges): it settles it
            return given.upper(), "option"
        best = max(REGIONS, key=lambda r: (valid[r], r == "CN"))
        if best != "CN" and valid[best] >= MAJORITY * len(voters) and valid[best] > valid["CN"]:
            return best, "register"
        if valid["CN"] >= MAJORITY * len(voters):
            return "CN", "register"
    if given:
        return given.upper(), "option"
    return "CN", "default"
