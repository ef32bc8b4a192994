"""Guess what a column holds from its values, for headers we do not know (or to settle 电话 vs 手机)."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pandas as pd

_MOBILE = re.compile(r"^(?:\+?86|0086)?1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(?:\+?86|0086)?0\d{2,3}\d{7,8}(?:\d{1,5})?$")
_ID = re.compile(r"^\d{17}[\dX]$|^\d{15}$")
_USCC = re.compile(r"^[0-9A-HJ-NP-RT-UW-Y]{2}\d{6}[0-9A-HJ-NP-RT-UW-Y]{10}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TEXT_DATE = re.compile(r"^(?:民國|民国)?\d{2,4}\s*(?:[-/.年])\s*\d{1,2}\s*(?:[-/.月])\s*\d{1,2}\s*日?$|^(?:19|20)\d{2}[01]\d[0-3]\d$|"
                        r"^\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}$")
_PHONE_JUNK = re.compile(r"[\s\-()（）.+]")

#: share of non-blank sample values that must fit a pattern before we trust the guess
THRESHOLD = 0.6
SAMPLE = 300


def _sample(values: pd.Series) -> list:
    vals = [v for v in values.head(5000).tolist() if v is not None and not (isinstance(v, float) and v != v)
            and not (isinstance(v, str) and not v.strip())]
    return vals[:SAMPLE]


def _as_text(v) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return unicodedata.normalize("NFKC", str(v)).strip().upper()


def _share(vals: list, test) -> float:
    return sum(1 for v in vals if test(v)) / len(vals) if vals else 0.0


def phone_kind(values: pd.Series) -> str | None:
    """'mobile', 'landline' or 'phone' (a mix) for a column of phone numbers; None if not phones."""
    vals = _sample(values)
    if not vals:
        return None
    digits = [_PHONE_JUNK.sub("", _as_text(v)) for v in vals]
    mobile = _share(digits, _MOBILE.match)
    landline = _share(digits, _LANDLINE.match)
    if mobile >= THRESHOLD:
        return "mobile"
    if landline >= THRESHOLD:
        return "landline"
    if mobile + landline >= THRESHOLD:
        return "phone"
    return None


def infer_role(values: pd.Series, kind: str = "register") -> str | None:
    """Role suggested by the content alone, or None when nothing is convincing."""
    return infer_role_scored(values, kind)[0]


def infer_role_scored(values: pd.Series, kind: str = "register") -> tuple[str | None, float]:
    """(role, confidence): confidence is the share of sampled values that fit the role.

    For registers a date column comes back as the pseudo-role "date"; `recognise` tells birth dates,
    follow-ups and purchase dates apart by where the column's dates fall.
    """
    from .content_roles import best_role, number_shares, text_shares

    vals = _sample(values)
    if len(vals) < 2:
        return None, 0.0
    texts = [_as_text(v) for v in vals]
    shares = {"email": _share(texts, _EMAIL.match), "id_number": _share(texts, _ID.match)}
    if any(c.isalpha() for t in texts for c in t):
        shares["uscc"] = _share(texts, _USCC.match)
    digits = [_PHONE_JUNK.sub("", t) for t in texts]
    mobile, landline = _share(digits, _MOBILE.match), _share(digits, _LANDLINE.match)
    shares.update(mobile=mobile, landline=landline, phone=mobile + landline if mobile and landline else 0.0)
    shares["date"] = _share(list(zip(vals, texts)),
                            lambda vt: isinstance(vt[0], (dt.date, dt.datetime)) or bool(_TEXT_DATE.match(vt[1])))
    role, confidence = best_role(shares)
    if role == "date":
        # which date a survey or order sheet holds is fixed by its kind
        role = {"orders": "order_date", "survey": "submitted_at", "complaints": "contacted_at"}.get(kind, "date")
    if role is None and kind == "survey" and _looks_like_scale(vals):
        return "item", round(_share(vals, lambda v: not isinstance(v, str) or v.strip().isdigit()), 2)
    if role is None and kind == "register":
        role, confidence = best_role({**text_shares(vals), **number_shares(vals)})
    return role, confidence


def _looks_like_scale(vals: list) -> bool:
    """Integers within 0–10 taking few distinct values: a Likert or 0–10 rating column."""
    nums = []
    for v in vals:
        if isinstance(v, bool):
            return False
        if isinstance(v, (int, float)):
            nums.append(float(v))
        elif isinstance(v, str) and v.strip().isdigit():
            nums.append(float(v.strip()))
    if len(nums) < THRESHOLD * len(vals):
        return False
    return all(0 <= n <= 10 and n.is_integer() for n in nums) and len(set(nums)) <= 11


def looks_like_company(values: pd.Series) -> bool:
    """Most values end like a company name (公司, 集团, 厂, Ltd …)."""
    vals = _sample(values)
    ends = ("公司", "集团", "厂", "店", "中心", "事务所", "研究院", "银行", "学校", "医院", "LTD", "LTD.", "INC", "INC.",
            "CO.", "CORP", "LIMITED")
    return bool(vals) and _share([_as_text(v) for v in vals], lambda t: t.endswith(ends)) >= THRESHOLD
