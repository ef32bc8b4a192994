"""Read keys out of cells as registers really hold them: phones that went through a numeric cell, and the
birth date inside a resident ID (GB 11643-1999: digits 7–14, valid check character)."""
from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd


def _per_unique(s: pd.Series, func) -> np.ndarray:
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[: len(uniques)] = [func(u) for u in uniques]  # one call per distinct value
    table[-1] = None
    return table[codes]


_FLOAT_TEXT = re.compile(r"\s*(\d{7,13})\.0+\s*")
_FULL_SCIENTIFIC = re.compile(r"\s*(\d)\.(\d{10,12})[eE]\+?(\d{2})\s*")


def numeric_cell_text(v: Any) -> Any:
    """A phone that went through a numeric cell: '13800138000.0' → '13800138000'; scientific text that still
    holds every digit ('1.3800138000E+10') → its digits. Rounded forms (1.38001E+10) are left for the
    normaliser to report."""
    if isinstance(v, float) and v.is_integer() and 1e6 <= v < 1e14:
        return str(int(v))
    if not isinstance(v, str):
        return v
    m = _FLOAT_TEXT.fullmatch(v)
    if m:
        return m.group(1)
    m = _FULL_SCIENTIFIC.fullmatch(v)
    if m and len(m.group(2)) == int(m.group(3)):
        return m.group(1) + m.group(2)
    return v


def numeric_cells_as_text(values: pd.Series) -> pd.Series:
    """numeric_cell_text on the cells that can need it (floats, text with a '.'); the rest pass unchanged."""
    obj = values.astype(object)
    if pd.api.types.infer_dtype(obj, skipna=True) in ("string", "empty"):
        maybe = pd.Series(obj, dtype="str").str.contains(".", regex=False).fillna(False).to_numpy(dtype=bool)
    else:
        maybe = obj.map(lambda v: isinstance(v, float) or (isinstance(v, str) and "." in v), na_action="ignore")
        maybe = maybe.fillna(False).astype(bool).to_numpy()
    if not maybe.any():
        return values
    out = obj.copy()
    out[maybe] = _per_unique(obj[maybe].reset_index(drop=True), numeric_cell_text)
    return out


_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
_ID_18 = re.compile(r"\d{17}[\dXx]")


def _birth_from_id(v: Any) -> str | None:
    """yyyymmdd from a resident ID with a valid check character (GB 11643-1999), or from a 15-digit ID."""
    if not isinstance(v, str):
        return None
    t = unicodedata.normalize("NFKC", v).strip().upper()
    if re.fullmatch(r"\d{17}[\dX]", t):
        total = sum(int(d) * w for d, w in zip(t[:17], _ID_WEIGHTS))
        if "10X98765432"[total % 11] != t[17]:
            return None
        birth = t[6:14]
    elif re.fullmatch(r"\d{15}", t):
        birth = "19" + t[6:12]
    else:
        return None
    try:
        pd.Timestamp(f"{birth[:4]}-{birth[4:6]}-{birth[6:]}")
    except ValueError:
        return None
    return birth


#: an 18-character ID in ASCII (Python's \d also takes other digits, which the general path below handles)
_ASCII_ID_18 = r"[0-9]{17}[0-9Xx]"


def births_from_ids(values: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """_birth_from_id over an array: ASCII 18-digit IDs, most of such columns, as whole-array kernels (found
    by one Arrow regular expression, read as code points); every other candidate as before."""
    out = np.full(len(values), None, dtype=object)
    rows = np.flatnonzero(candidates)
    if not len(rows):
        return out
    picked = values[rows]
    is_text = np.fromiter((type(v) is str for v in picked.tolist()), dtype=bool, count=len(rows))
    fast = np.zeros(len(rows), dtype=bool)
    if is_text.any():
        fast[is_text] = pd.Series(picked[is_text], dtype="str").str.fullmatch(_ASCII_ID_18).to_numpy(dtype=bool)
    if fast.any():
        out[rows[fast]] = _births_of_ascii_ids(picked[fast])
    rest = np.zeros(len(values), dtype=bool)
    rest[rows[~fast]] = True
    if rest.any():
        out[rest] = _births_from_ids(values[rest], np.ones(int(rest.sum()), dtype=bool))
    return out


def _births_of_ascii_ids(ids: np.ndarray) -> np.ndarray:
    """yyyymmdd (or None) of IDs that are 17 ASCII digits and a digit or X/x: the check character by
    GB 11643-1999, the date checked by pandas as in `_births_from_ids`."""
    points = np.array(ids.tolist(), dtype="<U18").view(np.uint32).reshape(len(ids), 18)
    digits = points[:, :17].astype(np.int64) - ord("0")
    check = np.frombuffer("10X98765432".encode("utf-32-le"), dtype=np.uint32)[(digits @ _ID_WEIGHTS) % 11]
    last = np.where(points[:, 17] == ord("x"), ord("X"), points[:, 17])
    births = pd.Series(np.ascontiguousarray(points[:, 6:14]).view("<U8").reshape(-1).astype(object), dtype=object)
    valid = pd.to_datetime(births, format="%Y%m%d", errors="coerce").notna().to_numpy()
    out = np.full(len(ids), None, dtype=object)
    good = (check == last) & valid
    out[good] = births.to_numpy(dtype=object)[good]
    return out


def _births_from_ids(values: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """_birth_from_id over an array, the general way (any digits Python's \d takes)."""
    out = np.full(len(values), None, dtype=object)
    text = np.array([v if isinstance(v, str) else "" for v in values.tolist()], dtype=object)
    is18 = candidates & np.fromiter((bool(_ID_18.fullmatch(t)) for t in text.tolist()), dtype=bool, count=len(text))
    rows = np.flatnonzero(is18)
    if len(rows):
        chars = np.array([list(t.upper()) for t in text[rows]])
        digits = chars[:, :17].astype(np.int64)
        check = np.array(list("10X98765432"))[(digits @ _ID_WEIGHTS) % 11]
        ok = check == chars[:, 17]
        births = pd.Series(["".join(r) for r in chars[:, 6:14]], dtype=object)
        valid = pd.to_datetime(births, format="%Y%m%d", errors="coerce").notna().to_numpy()
        good = ok & valid
        out[rows[good]] = births.to_numpy(dtype=object)[good]
    other = np.flatnonzero(candidates & ~is18)
    out[other] = [_birth_from_id(v) for v in values[other].tolist()]  # 15-digit IDs and the odd cell
    return out
