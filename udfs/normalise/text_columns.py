"""Column versions of the text cleaners: `clean_one`, `to_simplified` and `simplified_one` over many cells at once.

Each gives exactly the per-value function's answers (tests compare them on generated columns). The work
that is the same for every character runs on NumPy arrays of code points: finding the texts that hold an
invisible character, and the one-to-one 繁→简 character map; what is left per text (NFKC on the rare
text that needs it, collapsing whitespace) is one C call each.
"""
from __future__ import annotations

import functools
import unicodedata
from typing import Any, Sequence

import numpy as np

from udfs.normalise import text as _text
from udfs.normalise._kernels import (_arrow, any_per_text, arrow_available, code_points, flag_table, map_code_points,
                                     one_to_one_table)


@functools.lru_cache(maxsize=1)
def _invisible_flags() -> np.ndarray:
    return flag_table(_text._INVISIBLE)


@functools.lru_cache(maxsize=1)
def _simplified_table() -> np.ndarray:
    return one_to_one_table(_text._trad_to_simp_table())


def clean_many(values: Sequence[Any]) -> list[str | None]:
    """[clean_one(v) for v in values]."""
    out: list[str | None] = [None] * len(values)
    at, texts = [], []
    for i, v in enumerate(values):
        if v.__class__ is str:
            at.append(i)
            texts.append(v)
        elif v is not None:
            out[i] = _text.clean_one(v)
    if not texts:
        return out
    tidy = _tidy_ascii(texts)
    if tidy is not None:  # printable ASCII with single spaces inside: clean_one gives the text back as it is
        for i, t in zip(np.asarray(at)[tidy].tolist(), np.asarray(texts, dtype=object)[tidy].tolist()):
            out[i] = t
        keep = np.flatnonzero(~tidy).tolist()
        at, texts = [at[k] for k in keep], [texts[k] for k in keep]
        if not texts:
            return out
    cps, ends = code_points(texts)
    invisible = any_per_text(_invisible_flags()[cps], ends).tolist()
    clean_str = _text._clean_str
    for i, t, has_invisible in zip(at, texts, invisible):
        if has_invisible or not (t.isascii() or unicodedata.is_normalized("NFKC", t)):
            out[i] = clean_str(t)
        else:  # nothing to delete or fold (ASCII is NFKC already): what _clean_str comes down to
            out[i] = " ".join(t.split()) or None
    return out


_TIDY_ASCII = r"^[!-~]+(?: [!-~]+)*$"


def _tidy_ascii(texts: list[str]) -> np.ndarray | None:
    """Which texts are printable ASCII words separated by single spaces (Arrow's regex over the ASCII ones);
    None without pyarrow."""
    if not arrow_available():
        return None
    pa, pc = _arrow()
    ascii_at = np.flatnonzero([t.isascii() for t in texts])  # names and addresses in Chinese: nothing to ask
    tidy = np.zeros(len(texts), dtype=bool)
    if len(ascii_at):
        arr = pa.array([texts[i] for i in ascii_at.tolist()], type=pa.large_string())
        tidy[ascii_at] = pc.match_substring_regex(arr, _TIDY_ASCII).to_numpy(zero_copy_only=False)
    return tidy


def simplified_many(texts: Sequence[str | None]) -> list[str | None]:
    """[to_simplified(t) for t in texts], None kept."""
    at = [i for i, t in enumerate(texts) if t is not None]
    out: list[str | None] = [None] * len(texts)
    for i, s in zip(at, map_code_points([texts[i] for i in at], _simplified_table())):
        out[i] = s
    return out


def simplified_key_many(values: Sequence[Any]) -> list[str | None]:
    """[simplified_one(v) for v in values]."""
    texts = clean_many(values)
    out = simplified_many(texts)
    for i, (text, simp) in enumerate(zip(texts, out)):
        if text is None:
            continue
        key = simp.lower()
        # simplified_one's first round settles it; the rare text lower() or NFKC still change goes the long way
        out[i] = key if key == text or key.isascii() else _text.simplified_one(values[i])
    return out
