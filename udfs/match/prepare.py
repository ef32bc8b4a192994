"""Derive the comparison keys of a run (normalised mobile, pinyin of the name, …) from the role columns.

The Chinese normalisers live in `udfs.normalise` (owned elsewhere); this module only chains them as the
settings say. Where one of them is not available yet, a small stand-in below keeps the engine usable and
is named `_fallback_<step>`; `missing_normalisers()` lists which stand-ins are in use.
Every step runs once per distinct value (registers repeat values a lot), and every key is a plain
string or None.
"""
from __future__ import annotations

import importlib
import re
import unicodedata
from functools import lru_cache
from typing import Any, Callable

import numpy as np
import pandas as pd

from udfs.columns import as_column
from udfs.match.cells import births_from_ids, numeric_cells_as_text
from udfs.match.settings import MatchSettings

# step name → (module, function) in udfs.normalise
_SHARED = {
    "person_name": ("names", "person_name_key"),
    "pinyin": ("names", "name_pinyin"),
    "mobile": ("phone", "normalise_mobile"),
    "landline": ("phone", "normalise_landline"),
    "email": ("email", "normalise_email"),
    "company": ("company", "company_key"),
    "city": ("region", "canonical_city"),
    "address": ("text", "simplified_key"),
}


class KeyTable:
    """The comparison keys of a run plus per-key arrays derived once and reused by every stage:
    integer codes (-1 = missing), sort ranks, value frequencies and per-distinct-value derivations."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self._cache: dict = {}

    def __len__(self) -> int:
        return len(self.frame)

    def __contains__(self, name: str) -> bool:
        return name in self.frame.columns

    def values(self, name: str) -> np.ndarray:
        return self._cached(("values", name), lambda: self.frame[name].to_numpy(dtype=object))

    def _factorized(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        def make():
            codes, uniques = pd.factorize(self.frame[name], use_na_sentinel=True)
            return codes.astype(np.int64), np.asarray(uniques, dtype=object)
        return self._cached(("factorized", name), make)

    def codes(self, name: str) -> np.ndarray:
        """Integer code per row, equal codes for equal keys, -1 where the key is missing."""
        return self._factorized(name)[0]

    def uniques(self, name: str) -> np.ndarray:
        return self._factorized(name)[1]

    def rank(self, name: str) -> np.ndarray:
        """Position of each row's key in sorted order of the distinct keys (missing sorts last)."""
        def make():
            codes, uniques = self._factorized(name)
            order = np.argsort(uniques.astype(str), kind="stable")
            rank_of_code = np.empty(len(uniques) + 1, dtype=np.int64)
            rank_of_code[order] = np.arange(len(uniques))
            rank_of_code[-1] = len(uniques)
            return rank_of_code[codes]
        return self._cached(("rank", name), make)

    def frequency(self, name: str) -> np.ndarray:
        """Share of rows with a key that hold this row's key (0 where missing)."""
        def make():
            codes, uniques = self._factorized(name)
            present = codes >= 0
            counts = np.bincount(codes[present], minlength=len(uniques)).astype(np.float64)
            out = np.zeros(len(codes))
            out[present] = counts[codes[present]] / max(counts.sum(), 1.0)
            return out
        return self._cached(("frequency", name), make)

    def counts(self, name: str) -> np.ndarray:
        """How many rows hold this row's key (0 where missing)."""
        def make():
            codes, uniques = self._factorized(name)
            present = codes >= 0
            per_value = np.bincount(codes[present], minlength=len(uniques))
            out = np.zeros(len(codes), dtype=np.int64)
            out[present] = per_value[codes[present]]
            return out
        return self._cached(("counts", name), make)

    def present(self, name: str) -> float:
        """How many rows hold this key at all (the table's size for term-frequency weights)."""
        return float((self.codes(name) >= 0).sum())

    def value_shares(self, name: str) -> np.ndarray:
        """Share of each distinct key among present rows."""
        codes, uniques = self._factorized(name)
        counts = np.bincount(codes[codes >= 0], minlength=len(uniques)).astype(np.float64)
        return counts / counts.sum() if counts.sum() else counts

    def derived(self, name: str, label: str, func: Callable[[str], Any], missing: Any = None) -> np.ndarray:
        """func applied once per distinct key, spread back over the rows (cached under `label`)."""
        def make():
            codes, uniques = self._factorized(name)
            table = np.empty(len(uniques) + 1, dtype=object)
            table[: len(uniques)] = [func(u) for u in uniques]  # one call per distinct key
            table[-1] = missing
            return table[codes]
        return self._cached(("derived", name, label), make)

    def _cached(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]


def build_keys(df: pd.DataFrame, roles: dict[str, str], settings: MatchSettings) -> KeyTable:
    """One key column per settings key (positional index 0..n-1, values str or None)."""
    by_role: dict[str, list[str]] = {}
    for column, role in roles.items():
        if column in df.columns:
            by_role.setdefault(role, []).append(column)
    out = {}
    done: dict[tuple, pd.Series] = {}  # (roles, steps so far) → column: name and pinyin share their first step
    for name, spec in settings.keys.items():
        source = _first_present(df, by_role, spec.roles)
        if source is None:
            continue
        values = source
        if spec.steps and spec.steps[0] in ("mobile", "landline"):
            values = numeric_cells_as_text(as_column(values).reset_index(drop=True))
        for i, step in enumerate(spec.steps):
            memo = (spec.roles, spec.steps[: i + 1])
            if memo not in done:
                done[memo] = apply_step(step, values)
            values = done[memo]
        out[name] = _as_keys(values)
    return KeyTable(pd.DataFrame(out, index=pd.RangeIndex(len(df))))


def _first_present(df: pd.DataFrame, by_role: dict[str, list[str]], wanted: tuple[str, ...]) -> pd.Series | None:
    """The column of the first wanted role present; later roles fill its blanks (mobile, then phone)."""
    found = [df[c] for r in wanted for c in by_role.get(r, [])]
    if not found:
        return None
    col = as_column(found[0].reset_index(drop=True))
    for other in found[1:]:
        col = col.where(~_blank(col), as_column(other.reset_index(drop=True)))
    return col


def _blank(s: pd.Series) -> np.ndarray:
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    blank_unique = np.array([isinstance(v, str) and not v.strip() for v in uniques] + [True], dtype=bool)
    return blank_unique[codes]


def apply_step(step: str, values: pd.Series) -> pd.Series:
    """Run one normaliser step over a column (the shared one when present, else the stand-in)."""
    if step == "birth_date":
        return _dates_step(as_column(values).reset_index(drop=True))
    shared = _shared_function(step)
    if shared is not None:
        result = _with_shortcut(step, shared, as_column(values).reset_index(drop=True))
        if isinstance(result, pd.DataFrame):
            result = result.iloc[:, 0]
        result = as_column(result)
        if step == "pinyin" and not result.dropna().map(_PLAIN_PINYIN.fullmatch).all():
            result = _per_unique(result, _squash_pinyin)
        return result.reset_index(drop=True)
    func = _STEPS[step]
    return _per_unique(as_column(values).reset_index(drop=True), func)


@lru_cache(maxsize=None)
def _shared_function(step: str) -> Callable | None:
    if step not in _SHARED:
        return None
    module, name = _SHARED[step]
    try:
        return getattr(importlib.import_module(f"udfs.normalise.{module}"), name)
    except (ImportError, AttributeError):
        return None


# -- canonical-form shortcut ---------------------------------------------------------------------------
# Most cells of a register are already in canonical form (13800138000, 张伟, a@b.com). For those the shared
# normaliser's answer is a cheap function of the cell. Each run checks that on a sample of such cells
# against the shared normaliser itself and uses the shortcut only when every answer agrees, so the keys are
# always the shared normaliser's keys; everything else goes through the shared normaliser.
_CANONICAL = {
    "mobile": re.compile(r"1[3-9]\d{9}"),
    "landline": re.compile(r"0\d{2,3}-[1-9]\d{6,7}"),
    "email": re.compile(r"[a-z0-9._-]{1,40}@[a-z0-9-]{1,30}(?:\.[a-z0-9-]{1,20}){0,3}\.[a-z]{2,6}"),
    "person_name": re.compile(r"[\u4e00-\u9fff]{2,4}"),
    "pinyin": re.compile(r"[\u4e00-\u9fff]{2,4}"),
    "address": re.compile(r"[\u4e00-\u9fff0-9]{4,80}"),
}
SHORTCUT_SAMPLE = 300
#: which steps used the shortcut in the last run (for the benchmark and tests)
shortcut_used: dict[str, bool] = {}


def _shortcut_transforms(step: str) -> list[Callable[[str], Any]]:
    if step == "pinyin":
        try:
            from udfs.normalise.names import _pinyin_of_key  # the shared key → pinyin step, verified below
            return [_pinyin_of_key]
        except ImportError:
            return []
    return [lambda v: v]


def _canonical(step: str, v: Any) -> bool:
    if not isinstance(v, str) or not _CANONICAL[step].fullmatch(v):
        return False
    if step in ("person_name", "pinyin"):
        return _plain_name(v)
    if step == "address":
        helpers = _name_helpers()
        return helpers is not None and helpers[1](v) == v
    return True


def _plain_name(v: str) -> bool:
    """A Chinese name already in key form: simplified and not ending in a title (先生, 总 …)."""
    helpers = _name_helpers()
    if helpers is None:
        return False
    titles, to_simplified = helpers
    return not v.endswith(titles) and to_simplified(v) == v


@lru_cache(maxsize=1)
def _name_helpers():
    try:
        from udfs.normalise.names import HONORIFICS_AFTER
        from udfs.normalise.text import to_simplified
    except ImportError:
        return None
    return tuple(HONORIFICS_AFTER), to_simplified


def _with_shortcut(step: str, shared: Callable, values: pd.Series) -> pd.Series:
    if step not in _CANONICAL:
        shortcut_used[step] = False
        return shared(values)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)
    canonical = np.fromiter((_canonical(step, u) for u in uniques), dtype=bool, count=len(uniques))
    transform = None
    if canonical.any():
        picks = np.flatnonzero(canonical)
        sample = picks[np.linspace(0, len(picks) - 1, min(SHORTCUT_SAMPLE, len(picks))).astype(int)]
        expected = as_column(_first_column(shared(pd.Series(uniques[sample], dtype=object)))).tolist()
        for candidate in _shortcut_transforms(step):
            if [candidate(u) for u in uniques[sample]] == expected:
                transform = candidate
                break
    shortcut_used[step] = transform is not None
    if transform is None:
        return as_column(_first_column(shared(values)))
    table = np.empty(len(uniques) + 1, dtype=object)
    table[-1] = None
    table[np.flatnonzero(canonical)] = [transform(u) for u in uniques[canonical]]
    rest = np.flatnonzero(~canonical)
    if len(rest):
        table[rest] = as_column(_first_column(shared(pd.Series(uniques[rest], dtype=object)))).to_numpy(dtype=object)
    return pd.Series(table[codes], dtype=object)


def _first_column(result):
    return result.iloc[:, 0] if isinstance(result, pd.DataFrame) else result


def missing_normalisers() -> list[str]:
    """Shared normalisers not found in udfs.normalise (their stand-ins are used instead)."""
    return [f"udfs.normalise.{m}.{f}" for step, (m, f) in _SHARED.items() if _shared_function(step) is None]


def _per_unique(s: pd.Series, func: Callable[[Any], Any]) -> pd.Series:
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[: len(uniques)] = [func(u) for u in uniques]  # one call per distinct value
    table[-1] = None
    return pd.Series(table[codes], dtype=object)


def _as_keys(s: pd.Series) -> pd.Series:
    """Final form of a key column: non-empty str or None."""
    s = pd.Series(s.to_numpy(dtype=object), dtype=object)
    if pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty"):
        return s.where(s.notna() & (s != ""), None)
    return _per_unique(s, lambda v: v if isinstance(v, str) and v else (None if _missing(v) or v == "" else str(v)))


def _missing(v: Any) -> bool:
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


# -- stand-ins and engine-only steps ------------------------------------------------------------------

def _cell_text(v: Any) -> str | None:
    """A cell as folded text; integral floats lose their '.0' (postcodes and IDs read as numbers)."""
    if _missing(v):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, (pd.Timestamp, np.datetime64)):
        v = pd.Timestamp(v).strftime("%Y%m%d")
    text = unicodedata.normalize("NFKC", str(v)).strip()
    return text or None


def _text(v: Any) -> str | None:
    t = _cell_text(v)
    return re.sub(r"\s+", " ", t.lower()) if t else None


def _simplified(text: str) -> str:
    try:
        import zhconv
        return zhconv.convert(text, "zh-cn")
    except ImportError:  # pragma: no cover - zhconv is a dependency
        return text


_PUNCT = re.compile(r"[\s·•.．,，、;；:：'\"“”‘’()（）\[\]【】{}<>《》_\-—–/\\|]+")


def _fallback_person_name(v: Any) -> str | None:
    t = _cell_text(v)
    if not t:
        return None
    t = _simplified(t).lower()
    if re.search(r"[a-z]", t) and not re.search(r"[\u4e00-\u9fff]", t):
        return " ".join(re.findall(r"[a-z]+", t)) or None  # English names keep their word order
    return _PUNCT.sub("", t) or None


@lru_cache(maxsize=65536)
def _char_pinyin(ch: str) -> str:
    from pypinyin import Style, lazy_pinyin
    return lazy_pinyin(ch, style=Style.NORMAL)[0]


def _fallback_pinyin(v: Any) -> str | None:
    t = _cell_text(v)
    if not t:
        return None
    if re.search(r"[\u4e00-\u9fff]", t):
        # Per character with a cache: names reuse a few thousand characters, so this is a dict lookup.
        return "".join(_char_pinyin(ch) for ch in t if "\u4e00" <= ch <= "\u9fff")
    return "".join(re.findall(r"[a-z]+", t.lower())) or None


_PLAIN_PINYIN = re.compile(r"[a-z]+")


def _squash_pinyin(v: Any) -> str | None:
    """Shared pinyin may keep spaces or tone marks; the key is plain letters."""
    if not isinstance(v, str):
        return None
    t = unicodedata.normalize("NFKD", v.lower())
    return "".join(ch for ch in t if "a" <= ch <= "z") or None


def _digits(v: Any) -> str | None:
    t = _cell_text(v)
    if not t:
        return None
    d = re.sub(r"\D", "", t)
    return d or None


def _fallback_mobile(v: Any) -> str | None:
    t = _cell_text(v)
    if not t or re.search(r"\d[.]\d+e\+?\d+", t.lower()):  # 1.38001E+10: the digits are gone
        return None
    d = re.sub(r"\D", "", t)
    for prefix in ("0086", "86"):
        if d.startswith(prefix) and len(d) == 11 + len(prefix):
            d = d[len(prefix):]
    return d if re.fullmatch(r"1[3-9]\d{9}", d) else None


def _fallback_landline(v: Any) -> str | None:
    t = _cell_text(v)
    if not t:
        return None
    t = re.split(r"(?:转|ext\.?|x|#|分机)", t.lower())[0]
    d = re.sub(r"\D", "", t)
    if d.startswith("0086"):
        d = "0" + d[4:]
    elif d.startswith("86") and len(d) >= 11:
        d = "0" + d[2:]
    if re.fullmatch(r"1[3-9]\d{9}", d):
        return None  # a mobile number in a landline column is not a landline
    return d if 7 <= len(d) <= 12 else None


def _fallback_email(v: Any) -> str | None:
    t = _cell_text(v)
    if not t:
        return None
    t = t.replace(" ", "").lower()
    return t if re.fullmatch(r"[^@]+@[^@]+\.[a-z0-9]+", t) else None


_COMPANY_SUFFIX = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|集团公司|公司|co\.?,?\s*ltd\.?|company limited|limited|ltd\.?|inc\.?|corp\.?)$")


def _fallback_company(v: Any) -> str | None:
    t = _cell_text(v)
    if not t:
        return None
    t = _simplified(t).lower()
    t = re.sub(r"[（(][^）)]*[)）]", "", t)  # (北京) and other bracketed city tags
    t = re.sub(r"[\s.,，]+", " ", t).strip()
    for _ in range(2):
        t = _COMPANY_SUFFIX.sub("", t).strip()
    return t.replace(" ", "") or None


def _fallback_city(v: Any) -> str | None:
    t = _cell_text(v)
    if not t:
        return None
    t = _simplified(t).replace(" ", "")
    return re.sub(r"(市|省|自治区|特别行政区)$", "", t) or None


def _fallback_address(v: Any) -> str | None:
    t = _cell_text(v)
    return (_PUNCT.sub("", _simplified(t).lower()) or None) if t else None


def _id_number(v: Any) -> str | None:
    """Resident ID → 15-character key, so an old 15-digit ID meets its 18-digit form."""
    t = _cell_text(v)
    if not t:
        return None
    t = t.replace(" ", "").upper()
    if re.fullmatch(r"\d{17}[\dX]", t):
        return t[:6] + t[8:17]
    if re.fullmatch(r"\d{15}", t):
        return t
    return t or None


def _uscc(v: Any) -> str | None:
    t = _cell_text(v)
    return re.sub(r"[\s-]", "", t).upper() or None if t else None


def _gender(v: Any) -> str | None:
    t = _text(v)
    if not t:
        return None
    if t in ("男", "m", "male", "先生", "男性", "1"):
        return "男"
    if t in ("女", "f", "female", "女士", "女性", "小姐", "2", "0"):
        return "女"
    return None


def _initial(v: Any) -> str | None:
    return v[0] if isinstance(v, str) and v else None


_SOUNDEX = str.maketrans("bfpvcgjkqsxzdtlmnr", "111122222222334556")


def _soundex(v: Any) -> str | None:
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


_STEPS: dict[str, Callable[[Any], Any]] = {
    "text": _text,
    "digits": _digits,
    "initial": _initial,
    "soundex": _soundex,
    "person_name": _fallback_person_name,
    "pinyin": _fallback_pinyin,
    "mobile": _fallback_mobile,
    "landline": _fallback_landline,
    "email": _fallback_email,
    "company": _fallback_company,
    "city": _fallback_city,
    "address": _fallback_address,
    "id_number": _id_number,
    "uscc": _uscc,
    "gender": _gender,
}


_ISO_DATE = re.compile(r"(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])")


def _dates_step(values: pd.Series) -> pd.Series:
    """Dates → 'YYYYMMDD' keys. Cells already written 1988-07-14 take a shortcut that is checked, on a
    sample, against the shared date parser (see _with_shortcut)."""
    codes, uniques = pd.factorize(as_column(values), use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)
    iso = np.fromiter((isinstance(u, str) and bool(_ISO_DATE.fullmatch(u)) for u in uniques), dtype=bool,
                      count=len(uniques))
    table = np.empty(len(uniques) + 1, dtype=object)
    table[-1] = None
    # A birth-date key filled from the ID-number column (settings: roles birth_date, then id_number).
    from_id = births_from_ids(uniques, ~iso)
    is_id = pd.notna(from_id)
    table[np.flatnonzero(is_id)] = from_id[is_id]
    rest = np.flatnonzero(~iso & ~is_id)
    if iso.any():
        picks = np.flatnonzero(iso)
        sample = picks[np.linspace(0, len(picks) - 1, min(SHORTCUT_SAMPLE, len(picks))).astype(int)]
        if _parse_dates_keys(uniques[sample]).tolist() == [u.replace("-", "") for u in uniques[sample]]:
            table[picks] = [u.replace("-", "") for u in uniques[picks]]
        else:
            rest = np.flatnonzero(~is_id)
    if len(rest):
        table[rest] = _parse_dates_keys(uniques[rest]).to_numpy(dtype=object)
    return pd.Series(table[codes], dtype=object)


def _parse_dates_keys(values: np.ndarray) -> pd.Series:
    try:
        from udfs.normalise.dates import parse_dates
        parsed = pd.to_datetime(as_column(parse_dates(pd.Series(values, dtype=object))), errors="coerce")
    except ImportError:  # pragma: no cover
        parsed = pd.to_datetime(pd.Series(values, dtype=object), errors="coerce")
    text = parsed.dt.strftime("%Y%m%d")
    return pd.Series(np.where(parsed.isna(), None, text), dtype=object)
