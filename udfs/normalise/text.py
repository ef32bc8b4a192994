"""Clean free text (width folding, invisible characters, whitespace) and build traditional→simplified matching keys.

`clean_text` changes only what a person would call formatting: full-width letters, digits,
brackets and spaces become half-width (NFKC), zero-width and control characters go, runs of
whitespace become one space, ends are trimmed. It never converts 繁体 to 简体.
`simplified_key` is for matching only: cleaned, 繁→简 folded and lower-cased.
"""
from __future__ import annotations

import datetime as _dt
import functools
import math
import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from udfs.normalise._unique import map_unique

# Characters that carry no visible content in a register cell: zero-width spaces and joiners,
# direction marks, the byte-order mark, soft hyphens, and C0/C1 control codes other than
# whitespace (which becomes a space below).
_INVISIBLE = (
    [0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x3164, 0xFEFF, 0xFFA0]
    + list(range(0x200B, 0x2010))
    + list(range(0x202A, 0x202F))
    + list(range(0x2060, 0x2070))
    + list(range(0xFE00, 0xFE10))
    + [c for c in range(0x00, 0x20) if chr(c) not in "\t\n\v\f\r\x1c\x1d\x1e\x1f"]
    + list(range(0x7F, 0xA0))
)
_DELETE_INVISIBLE = {c: None for c in _INVISIBLE}
# str.translate looks every character up in its dict (~0.4 µs per character); asking a set first
# whether the text holds any character to change at all is ten times cheaper, and most text has none.
_INVISIBLE_CHARS = frozenset(map(chr, _INVISIBLE))


def clean_one(v: Any) -> str | None:
    """One cell → cleaned text (None for blank). Numbers become their shortest text form."""
    if v is None:
        return None
    if isinstance(v, str):
        text = v
    elif isinstance(v, (bool, np.bool_)):
        text = "TRUE" if v else "FALSE"
    elif isinstance(v, (float, np.floating)):
        if math.isnan(v):
            return None
        text = str(int(v)) if float(v).is_integer() and abs(v) < 1e16 else repr(float(v))
    elif isinstance(v, (int, np.integer)):
        text = str(int(v))
    elif isinstance(v, (pd.Timestamp, _dt.datetime, _dt.date)):
        if pd.isna(v):
            return None
        ts = pd.Timestamp(v)
        text = ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.strftime("%Y-%m-%d %H:%M:%S")
    else:
        try:
            if pd.isna(v):
                return None
        except (TypeError, ValueError):
            pass
        text = str(v)
    return _clean_str(text)


def _clean_str(text: str) -> str | None:
    text = _without_invisible(text)
    # Deleting invisibles after NFKC as well keeps the result stable: NFKC can produce one,
    # and removing a zero-width character can bring together two characters NFKC composes.
    for _ in range(3):
        if unicodedata.is_normalized("NFKC", text):
            break
        text = _without_invisible(unicodedata.normalize("NFKC", text))
    text = " ".join(text.split())
    return text or None


def _without_invisible(text: str) -> str:
    return text if _INVISIBLE_CHARS.isdisjoint(text) else text.translate(_DELETE_INVISIBLE)


def clean_text(values: Any) -> pd.Series:
    """Column → cleaned text column (object Series, None for blank cells)."""
    from udfs.normalise.text_columns import clean_many  # the column kernel (imports this module)

    return map_unique(values, clean_one, batch=clean_many)


@functools.lru_cache(maxsize=1)
def _trad_to_simp_table() -> dict[int, str]:
    """str.translate table from zhconv's zh-cn dictionary (single characters only).

    Phrase entries are left out on purpose: a key must be computable per character so a
    million cells translate at C speed. Chains (A→B, B→C) are followed to their end so the
    key is stable when computed twice.
    """
    import json

    from udfs.normalise.package_data import package_file

    # zhconv's own loader leaves its dictionary file open (a ResourceWarning) and `import zhconv` imports
    # pkg_resources (~0.2 s); read the file here and combine the tables the way zhconv.getdict("zh-cn") does.
    path = package_file("zhconv", "zhcdict.json")
    if path is None:
        from importlib import resources
        data = json.loads(resources.files("zhconv").joinpath("zhcdict.json").read_bytes().decode("utf-8"))
    else:
        data = json.loads(path.read_bytes().decode("utf-8"))
    zh_cn = dict(data["zh2Hans"])
    zh_cn.update(data["zh2CN"])
    pairs = {k: v for k, v in zh_cn.items() if len(k) == 1 and len(v) == 1 and k != v}
    table: dict[int, str] = {}
    for k, v in pairs.items():
        seen = {k}
        while v in pairs and v not in seen:  # follow chains to a fixed point
            seen.add(v)
            v = pairs[v]
        if v != k:
            table[ord(k)] = v
    return table


@functools.lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str]:
    return frozenset(map(chr, _trad_to_simp_table()))


def to_simplified(text: str) -> str:
    """Traditional → simplified, character by character (for keys, not for display)."""
    if _traditional_chars().isdisjoint(text):  # most register text is simplified already
        return text
    return text.translate(_trad_to_simp_table())


def simplified_one(v: Any) -> str | None:
    """One cell → matching key: cleaned, simplified, lower-case (None for blank)."""
    text = clean_one(v)
    for _ in range(3):  # lower() and NFKC can feed each other on rare letters; settle them
        if text is None:
            return None
        key = to_simplified(text).lower()
        if key == text or key.isascii():
            return key
        key = _clean_str(key)
        if key == text:
            return key
        text = key
    return text


def simplified_key(values: Any) -> pd.Series:
    """Column → matching key (cleaned, 繁→简, lower-case); for comparing, never for display."""
    from udfs.normalise.text_columns import simplified_key_many

    return map_unique(values, simplified_one, batch=simplified_key_many)


_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
#: Matches one CJK ideograph (basic, extension A/B…, compatibility).
CJK_CHAR = re.compile(f"[{_CJK}]")
