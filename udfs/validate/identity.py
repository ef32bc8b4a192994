"""Check resident ID numbers (GB 11643-1999) and unified social credit codes (GB 32100-2015).

Resident ID: 17 digits + check character; digits 7–14 the birth date, digit 17 odd for men;
old 15-digit IDs (19yymmdd birth, no check) are converted to 18 and reported as ID_OLD_FORMAT.
USCC: 18 characters from 0-9 and A-Z without I O Z S V; the last is a check character.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any

import numpy as np
import pandas as pd

from udfs.columns import as_column
from udfs.normalise._unique import factorize, fold, is_excel_error, map_unique, spread
from udfs.normalise.reference import kernels_on

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"  # index = weighted sum mod 11
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# First two digits of a resident ID: the provincial-level region (GB/T 2260), plus 71/81/82
# (Taiwan, Hong Kong, Macau) and 83 (residence permits for Hong Kong, Macau and Taiwan residents).
_ID_PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83",
})
_SEPARATORS = re.compile(r"[\s\-_'’`]")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$")

ID_COLUMNS = ["id18", "birth_date", "gender", "problem"]


def id_check_char(first17: str) -> str:
    """GB 11643 check character for 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS))
    return ID_CHECK_CHARS[total % 11]


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character for the first 17 characters of a credit code."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def _id_text(v: Any) -> tuple[str | None, str | None]:
    """Cell → (uppercase ID text without separators, problem). Numbers lose digits past 15."""
    if v is None or isinstance(v, (bool, np.bool_)):
        return None, None if v is None else "ID_CHARS"
    if isinstance(v, (int, np.integer)):
        return str(int(v)), None
    if isinstance(v, (float, np.floating)):
        if not math.isfinite(v):
            return None, "ID_CHARS"
        if abs(v) >= 1e15:  # a double holds 15–16 digits: an 18-digit ID has lost its tail
            return None, "ID_ROUNDED"
        return (str(int(v)), None) if float(v).is_integer() else (None, "ID_CHARS")
    text = fold(str(v))
    if not text:
        return None, None
    if is_excel_error(text):
        return None, "CELL_ERROR"
    text = _SEPARATORS.sub("", text).upper()
    if _SCIENTIFIC.match(text):
        return None, "ID_ROUNDED"
    return text, None


def resident_id_one(v: Any) -> tuple[str | None, Any, str | None, str | None]:
    """One cell → (id18, birth_date, gender '男'/'女', problem)."""
    text, problem = _id_text(v)
    if text is None:
        return None, None, None, problem
    old = False
    if len(text) == 15:
        if not text.isdigit():
            return None, None, None, "ID_CHARS"
        first17 = text[:6] + "19" + text[6:]
        text = first17 + id_check_char(first17)
        old = True
    if len(text) != 18:
        return None, None, None, "ID_LENGTH"
    if not (text[:17].isdigit() and (text[17].isdigit() or text[17] == "X")) or not text.isascii():
        return None, None, None, "ID_CHARS"
    if text[:2] not in _ID_PROVINCES:
        return text, None, None, "ID_REGION"
    try:
        birth = _dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return text, None, None, "ID_BIRTH_DATE"
    if birth < _dt.date(1900, 1, 1) or birth > _dt.date.today():
        return text, None, None, "ID_BIRTH_DATE"
    if id_check_char(text[:17]) != text[17]:
        return text, None, None, "ID_CHECKSUM"
    gender = "男" if int(text[16]) % 2 == 1 else "女"
    return text, pd.Timestamp(birth), gender, "ID_OLD_FORMAT" if old else None


def check_resident_id(values: Any) -> pd.DataFrame:
    """Column of resident IDs → DataFrame[id18, birth_date, gender, problem].

    id18 is the 18-character ID (15-digit ones converted, x upper-cased) whenever the text
    has the right shape; birth_date (datetime64) and gender only when the ID is valid.

    IDs written as 17 ASCII digits and a digit or X (most of a register, mostly distinct) are their
    own 18-character form, so region, birth date and check character decide, in resident_id_one's
    order, with numpy on the whole column; every other cell (15 digits, separators, full width, x,
    numbers, errors) goes through resident_id_one, once per distinct value.
    """
    s = as_column(values)
    cells = s.to_numpy()
    n = len(cells)
    id18, gender, problem = (np.full(n, None, dtype=object) for _ in range(3))
    birth = np.full(n, np.datetime64("NaT", "ns"))
    at = _written_ids(cells) if kernels_on() else np.empty(0, dtype=np.int64)
    if len(at):
        id18[at] = cells[at]
        found, born, male = _resident_id_kernel(cells[at])
        problem[at] = _KERNEL_PROBLEMS[found]
        valid = found == 0
        birth[at[valid]] = born[valid]
        gender[at[valid]] = _GENDERS[male[valid].astype(np.intp)]
    rest = np.ones(n, dtype=bool)
    rest[at] = False
    if rest.any():  # the other cells, each distinct one through resident_id_one (see the docstring)
        rows = np.flatnonzero(rest)
        _, codes, uniques = factorize(pd.Series(cells[rows], dtype=object))
        results = [resident_id_one(u) for u in uniques]
        for k, column in ((0, id18), (2, gender), (3, problem)):
            column[rows] = spread([r[k] for r in results], codes)
        births = [np.datetime64("NaT", "ns") if r[1] is None else r[1].to_datetime64() for r in results]
        birth[rows] = np.array(births + [np.datetime64("NaT", "ns")], dtype="datetime64[ns]")[codes]
    return pd.DataFrame({"id18": pd.Series(id18, index=s.index, dtype=object), "birth_date": birth,
                         "gender": pd.Series(gender, index=s.index, dtype=object),
                         "problem": pd.Series(problem, index=s.index, dtype=object)}, index=s.index)


#: The answers of _resident_id_kernel's problem numbers, and the genders by the 17th digit's parity.
_KERNEL_PROBLEMS = np.array([None, "ID_REGION", "ID_BIRTH_DATE", "ID_CHECKSUM"], dtype=object)
_GENDERS = np.array(["女", "男"], dtype=object)
_CHECK_CODEPOINTS = np.array([ord(c) for c in ID_CHECK_CHARS])
_IS_PROVINCE = np.isin(np.arange(100), sorted(int(p) for p in _ID_PROVINCES))


def _written_ids(cells: np.ndarray) -> np.ndarray:
    """Positions of the cells written as 18 ASCII digits (the last may be X), the kernel's share."""
    present = np.flatnonzero(pd.notna(cells))  # (None, and NaN: the blanks of pandas' str dtype)
    texts = cells if len(present) == len(cells) else cells[present]
    if set(map(type, texts)) <= {str}:  # the usual column, text and blanks: map and fromiter run in C
        at = present[np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) == 18]
    else:
        at = np.array([i for i, v in enumerate(cells) if v.__class__ is str and len(v) == 18], dtype=np.int64)
    if not len(at):
        return at
    # One byte per character ("?" for any outside Latin-1, never a digit) of all 18-character texts at once.
    raw = np.frombuffer("".join(cells[at]).encode("latin-1", "replace"), dtype=np.uint8).reshape(-1, 18)
    digits = (raw[:, :17] >= 48) & (raw[:, :17] <= 57)
    last = raw[:, 17]
    return at[digits.all(axis=1) & (((last >= 48) & (last <= 57)) | (last == ord("X")))]


def _resident_id_kernel(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """IDs of 17 digits and a digit or X → (problem number into _KERNEL_PROBLEMS, birth date, male?)."""
    raw = np.frombuffer("".join(ids).encode("ascii"), dtype=np.uint8).reshape(-1, 18)
    body = raw[:, :17].astype(np.int64) - 48
    region = _IS_PROVINCE[body[:, 0] * 10 + body[:, 1]]
    born, born_ok = _birth_dates(body)
    check_ok = _CHECK_CODEPOINTS[(body @ np.array(ID_WEIGHTS)) % 11] == raw[:, 17]
    found = np.where(~region, 1, np.where(~born_ok, 2, np.where(~check_ok, 3, 0)))
    return found, born, body[:, 16] % 2 == 1


def _birth_dates(digits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Digits 7–14 of each ID → (birth date as datetime64[D], whether it is a real date in 1900..today)."""
    year = digits[:, 6] * 1000 + digits[:, 7] * 100 + digits[:, 8] * 10 + digits[:, 9]
    month = digits[:, 10] * 10 + digits[:, 11]
    day = digits[:, 12] * 10 + digits[:, 13]
    ok = (year >= 1900) & (month >= 1) & (month <= 12) & (day >= 1)
    months = ((np.where(ok, year, 1900) - 1970) * 12 + np.where(ok, month, 1) - 1).astype("datetime64[M]")
    first = months.astype("datetime64[D]")
    ok &= day <= ((months + 1).astype("datetime64[D]") - first).astype(np.int64)
    born = first + np.where(ok, day - 1, 0).astype("timedelta64[D]")
    ok &= born <= np.datetime64(_dt.date.today(), "D")
    return born, ok


def uscc_one(v: Any) -> str | None:
    """One cell → USCC problem code or None."""
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_, float, np.floating, int, np.integer)):
        if isinstance(v, float) and math.isnan(v):
            return None
        return "USCC_LENGTH" if not isinstance(v, (bool, np.bool_)) else "USCC_CHARS"
    text = fold(str(v))
    if not text:
        return None
    if is_excel_error(text):
        return "CELL_ERROR"
    text = _SEPARATORS.sub("", text).upper()
    if len(text) != 18:
        return "USCC_LENGTH"
    if any(c not in USCC_ALPHABET for c in text):
        return "USCC_CHARS"
    if uscc_check_char(text[:17]) != text[17]:
        return "USCC_CHECKSUM"
    return None


def check_uscc(values: Any) -> pd.Series:
    """Column of unified social credit codes → problem code per cell (None = fine or blank)."""
    return map_unique(values, uscc_one, batch=_uscc_problems_of_unique)


#: code point → index in USCC_ALPHABET, -1 for characters outside it
_USCC_INDEX = np.full(128, -1, dtype=np.int64)
_USCC_INDEX[[ord(c) for c in USCC_ALPHABET]] = np.arange(len(USCC_ALPHABET))


def _uscc_problems_of_unique(uniques: np.ndarray) -> list[str | None]:
    """[uscc_one(u) for u in uniques]; codes already written as 18 alphabet characters checked at once.

    Such a code is its own folded, upper-cased form, so only the check character decides (NumPy on
    code points); every other cell goes through uscc_one.
    """
    out = [None] * len(uniques)
    at = [i for i, u in enumerate(uniques) if u.__class__ is str and len(u) == 18 and u.isascii()]
    if at:
        cp = np.asarray(uniques[at].astype("U18")).view(np.uint32).reshape(-1, 18).astype(np.int64)
        index = _USCC_INDEX[np.minimum(cp, 127)]
        clean = (index >= 0).all(axis=1)
        total = (np.where(clean[:, None], index[:, :17], 0) * np.array(USCC_WEIGHTS)).sum(axis=1)
        valid = (31 - total % 31) % 31 == index[:, 17]
        fast = set()
        for i, ok, is_clean in zip(at, valid.tolist(), clean.tolist()):
            if is_clean:
                out[i] = None if ok else "USCC_CHECKSUM"
                fast.add(i)
    else:
        fast = set()
    for i, u in enumerate(uniques):
        if i not in fast:
            out[i] = uscc_one(u)
    return out


def normalise_uscc_one(v: Any) -> str | None:
    """One cell → the code upper-cased without spaces or dashes (None for blank)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    text = _SEPARATORS.sub("", fold(str(v))).upper()
    return text or None


def normalise_uscc(values: Any) -> pd.Series:
    """Column → credit codes upper-cased, width-folded, without spaces or dashes."""
    return map_unique(values, normalise_uscc_one)
