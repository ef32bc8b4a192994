"""Compare Chinese names character by character: same sound, or exactly one character written wrong.

Two names of the same length are aligned position by position. A character agrees when it is equal (the keys
are already simplified, so 張/张 are equal) or when the two characters share any reading: every heteronym
reading pypinyin knows, plus the surname reading for characters in the surname (surname_readings.py).
- every character agrees → homophone (张伟 / 张玮, 覃敏 / 秦敏);
- exactly one character disagrees → a graded level that depends on where it is and how long the name is:
  `typo_surname` (the surname differs, a given name of two characters agrees), `sibling` (a two-character
  name with one character different: 王成 / 王磊, what a brother looks like as much as a typo) and `typo_given`
  (one of two or more given-name characters differs: 白琪云 / 白凤云, usually a typo);
- anything else → differ.
Each level gets its own weight from its m (settings) and its u (measured on the run's data), so the name
length and position are weighed by how often such near-misses happen by chance in this very register.
Vectorised: characters become integer codes, and the readings are looked up once per distinct character pair.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd

from udfs.match.surname_readings import COMPOUND_SURNAMES, SURNAME_READINGS
from udfs.normalise.names import pinyin_dictionary

#: level codes, continuing compare.py's 0..4 (exact, homophone, close, partial, differ)
TYPO_GIVEN, SIBLING, TYPO_SURNAME = 5, 6, 7
NAME_LEVEL_NAMES = {TYPO_GIVEN: "typo_given", SIBLING: "sibling", TYPO_SURNAME: "typo_surname"}
MAX_ALIGNED = 4  # longer names (rare) are only compared by sound


@lru_cache(maxsize=None)
def char_readings(ch: str, as_surname: bool) -> frozenset[str]:
    """Every toneless reading of a character (and its surname reading when it stands in a surname)."""
    readings = set(dictionary_readings(ch))
    if as_surname:
        readings.update(SURNAME_READINGS.get(ch, ()))
    return frozenset(r for r in readings if r and r.isascii() and r.isalpha())


def dictionary_readings(ch: str) -> list[str]:
    """What `pypinyin.pinyin(ch, style=Style.NORMAL, heteronym=True)[0]` gives for one character, read from
    pypinyin's dictionary without importing pypinyin (whose import also loads phrases: ~0.3 s per run).

    NORMAL style drops the tone marks, writes ü as v and keeps ê; a character without a reading stands for
    itself (a test compares every character of the dictionary with pypinyin's own answer)."""
    found = pinyin_dictionary().get(ord(ch)) if len(ch) == 1 else None
    if found is None:
        return [ch]
    out = []
    for reading in found.split(","):
        text = unicodedata.normalize("NFKD", reading).replace("u\u0308", "v")
        out.append(unicodedata.normalize("NFC", "".join(c for c in text if c == "\u0302" or not unicodedata.combining(c))))
    return list(dict.fromkeys(out))  # pypinyin lists a reading once, in first-seen order


class NameChars:
    """Per distinct name: its characters as integer codes (surname characters coded apart), length, surname length."""

    def __init__(self, names: np.ndarray):
        text = pd.Series(np.asarray(names, dtype=object)).astype(str)
        n = len(text)
        self.length = text.str.len().to_numpy(dtype=np.int64)
        compound = text.str.slice(0, 2).isin(COMPOUND_SURNAMES).to_numpy() & (self.length >= 3)
        self.surname = np.where(compound, 2, 1).astype(np.int64)
        # code points of the first MAX_ALIGNED characters, as a fixed-width unicode array viewed as integers
        points = np.array(text.str.slice(0, MAX_ALIGNED).tolist(), dtype=f"<U{MAX_ALIGNED}").view(np.uint32)
        points = points.reshape(n, MAX_ALIGNED).astype(np.int64)
        in_surname = np.arange(MAX_ALIGNED)[None, :] < self.surname[:, None]
        combined = np.where(points > 0, points * 2 + in_surname, -1)
        flat_codes, uniques = pd.factorize(combined.ravel(), use_na_sentinel=True)
        codes = flat_codes.reshape(n, MAX_ALIGNED).astype(np.int64)
        codes[combined < 0] = -1
        self.codes = codes
        self.vocab = [(chr(int(u) // 2), bool(int(u) % 2)) if u >= 0 else None for u in uniques.tolist()]
        self._readings: list[frozenset[str]] | None = None

    def shares_reading(self, ca: np.ndarray, cb: np.ndarray) -> np.ndarray:
        """For two arrays of character codes: do the characters share a reading? (once per distinct pair)"""
        out = np.zeros(len(ca), dtype=bool)
        if not len(ca):
            return out
        width = len(self.vocab) + 1
        pair = ca * width + cb
        distinct, inverse = np.unique(pair, return_inverse=True)
        if self._readings is None:  # one reading set per distinct character, looked up once
            self._readings = [char_readings(*v) if v is not None else frozenset() for v in self.vocab]
        readings = self._readings
        agree = np.fromiter((not readings[p // width].isdisjoint(readings[p % width]) for p in distinct.tolist()),
                            dtype=bool, count=len(distinct))
        return agree[inverse.reshape(-1)]


def aligned_levels(chars: NameChars, ua: np.ndarray, ub: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(all characters agree, level for one differing character or -1) per pair of distinct-name codes."""
    n = len(ua)
    length = chars.length[ua]
    same_len = (length == chars.length[ub]) & (length <= MAX_ALIGNED)
    disagree = np.zeros((n, MAX_ALIGNED), dtype=bool)
    for p in range(MAX_ALIGNED):
        ca, cb = chars.codes[ua, p], chars.codes[ub, p]
        valid = same_len & (p < length)
        differs = valid & (ca != cb)
        todo = np.flatnonzero(differs)
        if len(todo):
            differs[todo] = ~chars.shares_reading(ca[todo], cb[todo])
        disagree[:, p] = differs
    count = disagree.sum(axis=1)
    all_agree = same_len & (count == 0)
    one = same_len & (count == 1)
    position = disagree.argmax(axis=1)
    surname = chars.surname[ua]
    level = np.full(n, -1, dtype=np.int8)
    given_len = length - surname
    level[one & (position < surname) & (given_len >= 2)] = TYPO_SURNAME
    level[one & (given_len == 1)] = SIBLING  # 王成/王磊, 李晖/季慧: one of two characters, common by chance
    level[one & (position >= surname) & (given_len >= 2)] = TYPO_GIVEN
    return all_agree, level
