"""Compare candidate pairs field by field: one agreement level per pair and comparison, vectorised.

Levels (settings.LEVELS) are coded 0 exact, 1 homophone, 2 close, 3 partial, 4 differ, and -1 when either
side is empty (no evidence either way). Equality is decided on integer codes of the keys; string metrics
run only on the pairs that are present and unequal, once per distinct pair of values.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from udfs.errors import InputProblem
from udfs.match import similarity
from udfs.match.chinese_names import NAME_LEVEL_NAMES, NameChars, aligned_levels
from udfs.match.one_edit import code_grid, one_edit_apart
from udfs.match.prepare import KeyTable
from udfs.match.settings import Comparison

NULL, EXACT, HOMOPHONE, CLOSE, PARTIAL, DIFFER = -1, 0, 1, 2, 3, 4
LEVEL_NAMES = {EXACT: "exact", HOMOPHONE: "homophone", CLOSE: "close", PARTIAL: "partial", DIFFER: "differ",
               **NAME_LEVEL_NAMES}
N_LEVELS = max(LEVEL_NAMES) + 1

_CJK_CLASS = "[\u4e00-\u9fff]"  # the characters themselves: the same class for Python's re and Arrow's RE2
_CJK = re.compile(_CJK_CLASS)
# Sounds that pinyin input and southern accents mix up (z/zh, c/ch, s/sh, n/l, -n/-ng).
_FUZZY_PINYIN = [(re.compile(p), r) for p, r in
                 [(r"zh", "z"), (r"ch", "c"), (r"sh", "s"), (r"l", "n"), (r"ing", "in"), (r"eng", "en"),
                  (r"ang", "an")]]


#: pairs compared at a time: a pair's level depends on that pair alone, and the temporaries of a string
#: comparison (pair codes, the distinct pairs as strings) take some 150 bytes per pair
PAIRS_PER_STEP = 1 << 21


def compare_pairs(keys: KeyTable, a: np.ndarray, b: np.ndarray, comparisons: list[Comparison]) -> pd.DataFrame:
    """Level per pair (rows) and comparison (columns, named by comparison key), as int8."""
    out = {}
    for comp in comparisons:
        level = np.empty(len(a), dtype=np.int8)
        for start in range(0, len(a), PAIRS_PER_STEP):
            part = slice(start, start + PAIRS_PER_STEP)
            level[part] = compare_one(keys, a[part], b[part], comp)
        out[comp.key] = level
    return pd.DataFrame(out, index=pd.RangeIndex(len(a)))


def compare_one(keys: KeyTable, a: np.ndarray, b: np.ndarray, comp: Comparison) -> np.ndarray:
    codes = keys.codes(comp.key)
    ca, cb = codes[a], codes[b]
    level = np.full(len(a), DIFFER, dtype=np.int8)
    level[(ca < 0) | (cb < 0)] = NULL
    level[(ca == cb) & (ca >= 0)] = EXACT
    todo = np.flatnonzero(level == DIFFER)
    if len(todo) and comp.method != "exact":
        level[todo] = _graded(comp, keys, a[todo], b[todo])
    if comp.swap_key and comp.swap_key in keys:
        # Given name and surname keyed the other way round: counts as close on both fields.
        todo = np.flatnonzero(level >= CLOSE)
        ta, tb = a[todo], b[todo]
        uniq, other_uniq = keys.uniques(comp.key), keys.uniques(comp.swap_key)
        other = keys.codes(comp.swap_key)
        swapped = ((similarity.pairwise_coded(comp.metric, codes[ta], uniq, other[tb], other_uniq) >= comp.close)
                   | (similarity.pairwise_coded(comp.metric, codes[tb], uniq, other[ta], other_uniq) >= comp.close))
        level[todo[swapped]] = CLOSE
    return level


def _graded(comp: Comparison, keys: KeyTable, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """Levels for present, unequal pairs."""
    method = comp.method
    if method == "string":
        return _by_similarity(comp, _similarity(comp.metric, keys, comp.key, ia, ib, bound=_least(comp)))
    if method == "person_name":
        return _person_name(comp, keys, ia, ib)
    if method == "phone":
        level = _near_code(keys, comp.key, ia, ib, date=False)
        local = keys.derived_column(comp.key, "local_number_code", _local_number_codes, -1, dtype=np.int64)
        same_local = (local[ia] == local[ib]) & (local[ia] >= 0)
        level[same_local] = CLOSE  # 010-12345678 / 010-12345678-123 / 12345678
        return level
    if method in ("code", "date"):
        return _near_code(keys, comp.key, ia, ib, date=method == "date")
    raise InputProblem(f"查重设置里有未知的比较方法“{method}”。", f"Unknown comparison method {method!r} in the duplicate settings.")


def _similarity(metric: str, keys: KeyTable, key: str, ia: np.ndarray, ib: np.ndarray,
                bound: float | None = None) -> np.ndarray:
    codes, uniq = keys.codes(key), keys.uniques(key)
    return similarity.pairwise_coded(metric, codes[ia], uniq, codes[ib], uniq, bound=bound)


def _least(comp: Comparison) -> float | None:
    """The least similarity that gives a level above differ: all `_by_similarity` tells apart below it is
    nothing (osa_distance, an edit count, has no such bound)."""
    return None if comp.metric == "osa_distance" else min(comp.partial, comp.close)


def _by_similarity(comp: Comparison, sim: np.ndarray) -> np.ndarray:
    level = np.full(len(sim), DIFFER, dtype=np.int8)
    level[sim >= comp.partial] = PARTIAL
    level[sim >= comp.close] = CLOSE
    return level


def _person_name(comp: Comparison, keys: KeyTable, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """Chinese names: same sound (any reading, by character) → homophone, near sound (z/zh, n/l …) → close,
    one character written wrong → typo_given / sibling / typo_surname (chinese_names.py), else differ.
    Names in Latin letters: token-set similarity, so 'wei zhang' meets 'zhang wei'."""
    level = np.full(len(ia), DIFFER, dtype=np.int8)
    is_cjk = keys.derived_column(comp.key, "cjk", _has_cjk, False, dtype=bool)
    chinese = is_cjk[ia] & is_cjk[ib]
    if chinese.any():
        ca, cb = ia[chinese], ib[chinese]
        chars = keys._cached(("name_chars", comp.key), lambda: NameChars(keys.uniques(comp.key)))
        codes = keys.codes(comp.key)
        same_sound, one_char = aligned_levels(chars, codes[ca], codes[cb])
        sub = np.full(len(ca), DIFFER, dtype=np.int8)
        sub[one_char >= 0] = one_char[one_char >= 0]
        if comp.pinyin_key and comp.pinyin_key in keys:
            length = keys.derived_column(comp.key, "length", _lengths, 0, dtype=np.int64)
            py = keys.codes(comp.pinyin_key)
            fuzzy_codes = keys.derived_column(comp.pinyin_key, "fuzzy", _fuzzy_codes, -1, dtype=np.int64)
            same_length = length[ca] == length[cb]
            same_sound |= (py[ca] == py[cb]) & (py[ca] >= 0) & same_length
            sub[(fuzzy_codes[ca] == fuzzy_codes[cb]) & (fuzzy_codes[ca] >= 0) & same_length] = CLOSE
        sub[same_sound] = HOMOPHONE
        level[chinese] = sub
    latin = ~chinese
    if latin.any():
        level[latin] = _by_similarity(comp, _similarity("token_set", keys, comp.key, ia[latin], ib[latin],
                                                        bound=min(comp.partial, comp.close)))
        if comp.tokens_key and comp.tokens_key in keys:
            la, lb = ia[latin], ib[latin]
            words = keys.codes(comp.tokens_key)
            uniq = keys.uniques(comp.tokens_key)
            found = _latin_words_level(words[la], words[lb], uniq)
            sub = level[latin]
            better = (found >= 0) & ((found < sub) | (sub == DIFFER))
            sub[better] = found[better]
            level[latin] = sub
    return level


def _latin_words_level(ca: np.ndarray, cb: np.ndarray, uniques: np.ndarray) -> np.ndarray:
    """Latin-letter names as words: the same words in another order (Smith John / John Smith, Chan Tai Man /
    Tai Man Chan) → homophone ("the same name written differently"); initials for some words (J. Smith,
    T. M. Chan) → close; else -1. Once per distinct pair of spellings."""
    out = np.full(len(ca), -1, dtype=np.int8)
    ok = (ca >= 0) & (cb >= 0)
    if not ok.any():
        return out
    width = len(uniques) + 1
    pair = ca[ok] * width + cb[ok]
    distinct, inverse = np.unique(pair, return_inverse=True)
    table = np.array([_words_level(str(uniques[p // width]), str(uniques[p % width])) for p in distinct.tolist()],
                     dtype=np.int8)
    out[np.flatnonzero(ok)] = table[inverse.reshape(-1)]
    return out


def _words_level(x: str, y: str) -> int:
    wx, wy = re.findall(r"[a-z]+", x), re.findall(r"[a-z]+", y)
    if not wx or not wy or len(wx) != len(wy):
        return -1
    if sorted(wx) == sorted(wy):
        return HOMOPHONE
    # every word matches a distinct word of the other name, equal or as its initial; one full word at least
    rest, full = list(wy), 0
    for w in sorted(wx, key=len, reverse=True):
        match = next((v for v in rest if v == w), None)
        if match is not None:
            full += 1
        else:
            match = next((v for v in rest if (len(w) == 1 and v.startswith(w)) or (len(v) == 1 and w.startswith(v))),
                         None)
        if match is None:
            return -1
        rest.remove(match)
    return CLOSE if full >= 1 else -1


def _local_number(phone: str) -> str | None:
    """The subscriber number of a landline key without area code and extension (7–8 digits), else None."""
    parts = phone.split("-")
    if len(parts) >= 2 and parts[0].startswith("0"):
        number = parts[1]
    else:
        number = parts[0]
    return number if number.isdigit() and 7 <= len(number) <= 8 else None


def _fuzzy(pinyin: str) -> str:
    for pattern, repl in _FUZZY_PINYIN:
        pinyin = pattern.sub(repl, pinyin)
    return pinyin


def _fuzzy_codes(pinyins: np.ndarray) -> np.ndarray:
    """Per distinct pinyin key: a code, equal for keys whose `_fuzzy` forms are equal. The patterns are
    literal, so re.sub is str.replace (left to right, no overlaps), run here on the whole column in Arrow."""
    if not _all_text(pinyins):
        return pd.factorize(np.array([_fuzzy(v) for v in pinyins.tolist()], dtype=object))[0]
    text = pd.Series(pinyins, dtype="str")
    for pattern, repl in _FUZZY_PINYIN:
        text = text.str.replace(pattern.pattern, repl, regex=False)
    return pd.factorize(text)[0]


def _all_text(values: np.ndarray) -> bool:
    return pd.api.types.infer_dtype(values, skipna=False) == "string"


def _lengths(values: np.ndarray) -> np.ndarray:
    """len() of each distinct key (Arrow counts code points, as len does)."""
    if not _all_text(values):
        return np.fromiter((len(v) for v in values.tolist()), dtype=np.int64, count=len(values))
    return pd.Series(values, dtype="str").str.len().to_numpy(dtype=np.int64)


def _has_cjk(values: np.ndarray) -> np.ndarray:
    """Does each distinct key hold a character U+4E00–U+9FFF? (one Arrow regular expression)"""
    if not _all_text(values):
        return np.fromiter((bool(_CJK.search(v)) for v in values.tolist()), dtype=bool, count=len(values))
    return pd.Series(values, dtype="str").str.contains(_CJK_CLASS, regex=True).to_numpy(dtype=bool)


#: a landline key's subscriber number as `_local_number` finds it: the second '-' part when the first starts
#: with 0 (that first part and its '-' removed), else the first part (everything from the next '-' removed)
_AREA_PART, _AFTER_NUMBER = r"^0[^-]*-", r"(?s)-.*"


def local_numbers(phones: np.ndarray) -> np.ndarray:
    """`_local_number` of each distinct landline key, as a column; keys with non-ASCII characters (where
    str.isdigit takes more than 0–9) go through `_local_number` itself."""
    out = np.full(len(phones), None, dtype=object)
    if not _all_text(phones):
        out[:] = [_local_number(v) for v in phones.tolist()]
        return out
    text = pd.Series(phones, dtype="str")
    ascii_only = text.str.isascii().to_numpy(dtype=bool)
    number = text.str.replace(_AREA_PART, "", n=1, regex=True).str.replace(_AFTER_NUMBER, "", n=1, regex=True)
    ok = (number.str.fullmatch(r"[0-9]{7,8}").fillna(False).to_numpy(dtype=bool)) & ascii_only
    out[ok] = number.to_numpy(dtype=object)[ok]
    other = np.flatnonzero(~ascii_only)
    out[other] = [_local_number(v) for v in phones[other].tolist()]
    return out


def _local_number_codes(phones: np.ndarray) -> np.ndarray:
    """Per distinct landline key: a code of its subscriber number (equal numbers, equal codes), -1 for none."""
    return pd.factorize(local_numbers(phones), use_na_sentinel=True)[0]


def _near_code(keys: KeyTable, key: str, ia: np.ndarray, ib: np.ndarray, date: bool) -> np.ndarray:
    """Close when one character is wrong or two neighbours are swapped (codes of 4+ characters), or for
    dates when day and month are swapped."""
    level = np.full(len(ia), DIFFER, dtype=np.int8)
    length = keys.derived_column(key, "length", _lengths, 0, dtype=np.int64)
    near = _one_edit(keys, key, ia, ib) & (np.maximum(length[ia], length[ib]) >= 4)
    if date:
        # yyyymmdd with day and month swapped: the code of the swapped form, worked out per distinct date
        uniques = keys.uniques(key)
        position = {v: i for i, v in enumerate(uniques.tolist())}
        swapped_of_unique = np.array([position.get(v[:4] + v[6:8] + v[4:6], -2) if len(v) == 8 else -2
                                      for v in uniques.tolist()] + [-2], dtype=np.int64)
        codes = keys.codes(key)
        near |= swapped_of_unique[codes[ia]] == codes[ib]
    level[near] = CLOSE
    return level


def _one_edit(keys: KeyTable, key: str, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """Optimal-string-alignment distance ≤ 1 for pairs of present, unequal keys: on the grid of code points
    for short keys (one_edit.py), else by the edit distance itself, told to stop counting after 1."""
    laid_out = keys._cached(("code_grid", key), lambda: code_grid(keys.uniques(key)))
    codes = keys.codes(key)
    if laid_out is not None:
        return one_edit_apart(laid_out, codes[ia], codes[ib])
    return _similarity("osa_distance", keys, key, ia, ib, bound=1) <= 1
