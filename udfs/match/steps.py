"""Key steps only the matcher needs (folded text, digits, initials, Soundex, ID-number and USCC keys, date
keys); the steps that are ordinary normalisers come from `udfs.normalise` (see prepare.STEPS)."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from udfs.columns import as_column
from udfs.match.cells import births_from_ids
from udfs.normalise.dates import parse_dates


def per_unique(s: pd.Series, func) -> pd.Series:
    """func once per distinct value of s, spread back over the rows (None where s is missing)."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[: len(uniques)] = [func(u) for u in uniques]  # one call per distinct value
    table[-1] = None
    return pd.Series(table[codes], dtype=object)


def text_mask(values: np.ndarray) -> np.ndarray:
    """type(v) is str for each value (the common all-text case decided by one C-level pass over the types)."""
    items = values.tolist()
    if set(map(type, items)) == {str}:
        return np.ones(len(items), dtype=bool)
    return np.fromiter((type(v) is str for v in items), dtype=bool, count=len(items))


def per_unique_fast(s: pd.Series, func, pattern: str, fast) -> pd.Series:
    """per_unique, except that distinct text values fully matching `pattern` (an Arrow regular expression)
    get `fast(texts)` — a whole-column expression that gives func's answer for such values."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[-1] = None
    is_text = text_mask(uniques)
    quick = np.zeros(len(uniques), dtype=bool)
    if is_text.any():
        texts = pd.Series(uniques[is_text], dtype="str")
        quick[is_text] = texts.str.fullmatch(pattern).fillna(False).to_numpy(dtype=bool)
        if quick.any():
            table[np.flatnonzero(quick)] = fast(pd.Series(uniques[quick], dtype="str")).to_numpy(dtype=object)
    rest = np.flatnonzero(~quick)
    table[rest] = [func(u) for u in uniques[rest]]  # one call per distinct value of the rest
    return pd.Series(table[codes], dtype=object)


def missing(v: Any) -> bool:
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def cell_text(v: Any) -> str | None:
    """A cell as folded text; integral floats lose their '.0' (postcodes and IDs read as numbers)."""
    if missing(v):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, (pd.Timestamp, np.datetime64)):
        v = pd.Timestamp(v).strftime("%Y%m%d")
    text = unicodedata.normalize("NFKC", str(v)).strip()
    return text or None


def text(v: Any) -> str | None:
    t = cell_text(v)
    return re.sub(r"\s+", " ", t.lower()) if t else None


def digits(v: Any) -> str | None:
    t = cell_text(v)
    if not t:
        return None
    d = re.sub(r"\D", "", t)
    return d or None


def id_number(v: Any) -> str | None:
    """Resident ID → 15-character key, so an old 15-digit ID meets its 18-digit form."""
    t = cell_text(v)
    if not t:
        return None
    t = t.replace(" ", "").upper()
    if re.fullmatch(r"\d{17}[\dX]", t):
        return t[:6] + t[8:17]
    if re.fullmatch(r"\d{15}", t):
        return t
    return t or None


# Cells that are already their key: Han characters only, or lower-case words of ASCII letters and digits
# (NFKC leaves U+4E00–U+9FFF unchanged, and there is nothing to lower or collapse).
TEXT_AS_IS = r"[一-鿿]+|[a-z0-9]+(?: [a-z0-9]+)*"
#: an 18-character resident ID as most cells hold it (ASCII digits, upper-case X)
ID18 = r"[0-9]{17}[0-9X]"


def id18_keys(texts: pd.Series) -> pd.Series:
    """id_number for cells matching ID18: the 15-character key (digits 1–6 and 9–17), as a column."""
    return texts.str.slice(0, 6) + texts.str.slice(8, 17)


def uscc(v: Any) -> str | None:
    t = cell_text(v)
    return re.sub(r"[\s-]", "", t).upper() or None if t else None


def initial(v: Any) -> str | None:
    return v[0] if isinstance(v, str) and v else None


_SOUNDEX = str.maketrans("bfpvcgjkqsxzdtlmnr", "111122222222334556")


def soundex(v: Any) -> str | None:
    """American Soundex (letter + three digits), for blocking English surnames with typos."""
    if not isinstance(v, str):
        return None
    letters = re.sub(r"[^a-z]", "", v.lower())
    if not letters:
        return None
    out, last = letters[0], letters[0].translate(_SOUNDEX)
    for ch in letters[1:]:
        code = ch.translate(_SOUNDEX)
        if code.isdigit() and code != last:
            out += code
        if ch not in "hw":
            last = code
    return (out + "000")[:4]


PLAIN_PINYIN = re.compile(r"[a-z]+")


def all_plain_pinyin(values: pd.Series) -> bool:
    """Is every present value plain pinyin (PLAIN_PINYIN: lower-case ASCII letters only)? Decided on the
    distinct values, with an Arrow regular expression."""
    uniques = pd.unique(values.dropna().to_numpy(dtype=object))
    if not text_mask(uniques).all():
        return all(PLAIN_PINYIN.fullmatch(u) for u in uniques.tolist())
    return bool(pd.Series(uniques, dtype="str").str.fullmatch(PLAIN_PINYIN.pattern).all())


def squash_pinyin(v: Any) -> str | None:
    """Shared pinyin may keep spaces or tone marks; the key is plain letters."""
    if not isinstance(v, str):
        return None
    t = unicodedata.normalize("NFKD", v.lower())
    return "".join(ch for ch in t if "a" <= ch <= "z") or None


ISO_DATE = r"(?:19|20)[0-9][0-9]-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
#: how many already-ISO dates are checked against the shared date parser before the shortcut is trusted
DATE_SAMPLE = 300


def date_keys(values: pd.Series) -> pd.Series:
    """Dates → 'YYYYMMDD' keys. Cells already written 1988-07-14 take a shortcut that is checked, on a
    sample, against the shared date parser; a resident ID gives its birth date (settings: roles
    birth_date, then id_number)."""
    codes, uniques = pd.factorize(as_column(values), use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)
    iso = np.zeros(len(uniques), dtype=bool)
    is_text = text_mask(uniques)
    if is_text.any():
        iso[is_text] = pd.Series(uniques[is_text], dtype="str").str.fullmatch(ISO_DATE).fillna(False).to_numpy(bool)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[-1] = None
    from_id = births_from_ids(uniques, ~iso)
    is_id = pd.notna(from_id)
    table[np.flatnonzero(is_id)] = from_id[is_id]
    rest = np.flatnonzero(~iso & ~is_id)
    if iso.any():
        picks = np.flatnonzero(iso)
        sample = picks[np.linspace(0, len(picks) - 1, min(DATE_SAMPLE, len(picks))).astype(int)]
        if parsed_date_keys(uniques[sample]).tolist() == [u.replace("-", "") for u in uniques[sample]]:
            table[picks] = [u.replace("-", "") for u in uniques[picks]]
        else:
            rest = np.flatnonzero(~is_id)
    if len(rest):
        table[rest] = parsed_date_keys(uniques[rest]).to_numpy(dtype=object)
    return pd.Series(table[codes], dtype=object)


def date_keys_of(values: pd.Series) -> pd.Series:
    """date_keys, except that cells already holding a date (a cleaned, typed column) are keyed directly,
    without going date → text → date through the parser."""
    column = as_column(values).reset_index(drop=True)
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        keyed = column.dt.strftime("%Y%m%d").to_numpy(dtype=object)
        keyed[column.isna().to_numpy()] = None
        return pd.Series(keyed, dtype=object)
    cells = column.to_numpy(dtype=object)
    is_date = np.fromiter((isinstance(v, (pd.Timestamp, dt.datetime)) for v in cells), dtype=bool, count=len(cells))
    is_date &= ~pd.isna(cells)  # NaT is a datetime too
    if not is_date.any():
        return date_keys(column)
    out = np.full(len(cells), None, dtype=object)
    out[is_date] = pd.to_datetime(pd.Series(cells[is_date], dtype=object)).dt.strftime("%Y%m%d").to_numpy(dtype=object)
    rest = np.flatnonzero(~is_date & ~pd.isna(cells))
    if len(rest):
        out[rest] = date_keys(pd.Series(cells[rest], dtype=object)).to_numpy(dtype=object)
    return pd.Series(out, dtype=object)


def parsed_date_keys(values: np.ndarray) -> pd.Series:
    """The shared date parser's reading of each value as 'YYYYMMDD' (None where it reads no date)."""
    parsed = pd.to_datetime(as_column(parse_dates(pd.Series(values, dtype=object))), errors="coerce")
    text_keys = parsed.dt.strftime("%Y%m%d")
    return pd.Series(np.where(parsed.isna(), None, text_keys), dtype=object)
