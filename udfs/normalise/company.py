"""Company-name matching key: legal-form suffixes, leading or bracketed places and branch tails removed, 繁/简 folded.

北京华为技术有限公司, 华为技术（北京）有限公司, 華為技術有限責任公司 and
"Huawei Technologies Co., Ltd." keep their distinguishing words (华为技术 / huaweitechnologies)
and lose the parts that vary between registers. The key is for matching only; the name a
user sees is never changed by it.
"""
from __future__ import annotations

import functools
import re
from typing import Any

import pandas as pd

from udfs.normalise._unique import map_unique
from udfs.normalise.region import _tables, name_at
from udfs.normalise.region import city_one as _city_one
from udfs.normalise.region import province_one as _province_one
from udfs.normalise.text import simplified_one
from udfs.normalise.text_columns import simplified_key_many

#: Legal-form and organisation words stripped from the end, longest first.
LEGAL_SUFFIXES = sorted([
    "股份有限公司", "有限责任公司", "集团有限公司", "集团股份有限公司", "控股有限公司", "有限公司",
    "股份公司", "集团公司", "控股集团", "总公司", "控股", "公司", "集团", "有限合伙", "普通合伙",
], key=len, reverse=True)
_BRANCH = re.compile(r"(分公司|办事处|营业部|分店|分部|分厂|分行|支行|门店)$")
_ENGLISH_SUFFIX = re.compile(
    r"[\s,.(]+(co\.?\s*,?\s*ltd\.?|company\s+limited|limited|ltd\.?|inc\.?|incorporated|corporation|"
    r"corp\.?|llc|l\.l\.c\.|gmbh|plc|group|company|co\.?)\s*\)?\s*$"
)
_SUFFIX_ENDS = tuple(LEGAL_SUFFIXES)

#: Place look-ups by text: company keys ask about the same few hundred place names again and again.
province_one = functools.lru_cache(maxsize=65536)(_province_one)
city_one = functools.lru_cache(maxsize=65536)(_city_one)

_BRACKET = re.compile(r"[(\[【〔]([^()\[\]【】〔〕]*)[)\]】〕]")
_NOT_KEY = re.compile(r"[\s\W_]+")


def company_key_one(v: Any) -> str | None:
    """One cell → company matching key (None for blank)."""
    text = simplified_one(v)
    return None if text is None else _key_of_simplified(text)


def company_keys_of_unique(values) -> list[str | None]:
    """[company_key_one(v) for v in values], the simplified text computed column-wise."""
    return [None if t is None else _key_of_simplified(t) for t in simplified_key_many(values)]


def _key_of_simplified(text: str) -> str | None:
    text = _BRACKET.sub(lambda m: " " if _is_place_or_form(m.group(1)) else f" {m.group(1)} ", text)
    key = text
    for _ in range(10):  # strip until nothing more comes off (this is what makes it idempotent)
        before = key
        for _ in range(10):  # every tail first, so 海南航空控股股份有限公司 is judged as 海南航空
            tail_before = key
            key = _strip_suffix(_strip_branch(_NOT_KEY.sub("", _strip_english(key))))
            if key == tail_before:
                break
        key = _strip_leading_place(key)
        if key == before:
            break
    return key or None


def _is_place_or_form(inner: str) -> bool:
    inner = _NOT_KEY.sub("", inner)
    return bool(inner) and (province_one(inner) is not None or city_one(inner) is not None
                            or inner in LEGAL_SUFFIXES or _district(inner))


def _district(name: str) -> bool:
    return name in _tables().district_by_name


def _strip_english(key: str) -> str:
    m = _ENGLISH_SUFFIX.search(key)
    if m and m.start() > 0:
        return key[: m.start()]
    return key


def _strip_suffix(key: str) -> str:
    if not key.endswith(_SUFFIX_ENDS):  # one C call for the usual key that has none (left)
        return key
    for s in LEGAL_SUFFIXES:  # longest first; a name that is only 有限公司 stays as it is
        if key.endswith(s):
            return key[: -len(s)] if len(key) > len(s) else key
    return key


def _strip_branch(key: str) -> str:
    m = _BRANCH.search(key)
    if not m or m.start() == 0:
        return key
    head = key[: m.start()]
    place = _trailing_place(head)
    if place and len(head) > len(place):
        head = head[: -len(place)]
    return head or key


def _strip_leading_place(key: str) -> str:
    """北京市华为 → 华为; 北京华为技术 → 华为技术; but 海南航空 and 阿里巴巴 stay whole.

    A place written in full (with 省/市) always comes off when two characters remain. A bare
    short form only when four remain and it is a province or a 市, because 海南航空, 四川航空
    and 阿里巴巴 (阿里 is also a prefecture) would otherwise collapse into meaningless keys.
    """
    t = _tables()
    for index, lookup, is_province in ((t.province_index, province_one, True), (t.city_index, city_one, False)):
        m = name_at(key, 0, index)
        if not m:
            continue
        full = lookup(m)
        if full is None:
            continue
        end = len(m)
        while end < len(key) and key[end] in "省市":
            end += 1
        written_in_full = m == full or end > len(m)
        if written_in_full and len(key) - end >= 2:
            return key[end:]
        if not written_in_full and len(key) - end >= 4 and (full.endswith("市") or is_province):
            return key[end:]
    return key


@functools.lru_cache(maxsize=4096)
def _trailing_place(head: str) -> str | None:
    """The place name (province, city or district, full or short) that ends `head`, if any."""
    for n in range(min(len(head), 9), 1, -1):
        tail = head[-n:]
        if province_one(tail) or city_one(tail) or _district(tail):
            return tail
    return None


def company_key(values: Any) -> pd.Series:
    """Column → company matching key (北京华为技术有限公司 / 华为技术（北京）有限公司 → 华为技术)."""
    return map_unique(values, company_key_one, batch=company_keys_of_unique)
