"""Turn a column of Python values into SpreadsheetML cell XML, whole columns at a time.

A cell is written as `<c r="REF` + fragment, where the fragment (built here) carries the
type, style and value: `" s="3"><v>1.5</v></c>`. Blank values give an empty fragment and
no cell at all. Text is always an inline string (`t="inlineStr"`), so a text that starts
with = + - @ stays text and sharedStrings.xml is never touched.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Any, Callable

import numpy as np
import pandas as pd

from addin.write.page_setup import char_width
from udfs.columns import as_column

# Characters XML 1.0 forbids (and lone surrogates, which cannot be encoded as UTF-8).
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ILLEGAL_XML_BUT_SEPARATOR = re.compile("[\x00\x02-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Excel reads `_xHHHH_` in text as an escaped character; a literal one must have its `_` escaped.
_EXCEL_ESCAPE_LOOKALIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
MAX_CELL_TEXT = 32767   # Excel's limit on characters in one cell

EPOCH_1900 = dt.datetime(1899, 12, 30)
EPOCH_1904 = dt.datetime(1904, 1, 1)

# Value kinds; each may need its own number format (dates need one to show as dates).
NUMBER, TEXT, BOOL, DATE, DATETIME, TIME, DURATION = "number", "text", "bool", "date", "datetime", "time", "duration"
DEFAULT_FORMATS = {DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm:ss", TIME: "hh:mm:ss", DURATION: "[h]:mm:ss"}


def column_letter(index: int) -> str:
    """1 → A, 27 → AA, 16384 → XFD."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """A → 1, AA → 27 (inverse of column_letter)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def clean_text(text: str) -> str:
    """Drop characters XML cannot hold and cut to Excel's per-cell limit."""
    return _ILLEGAL_XML.sub("", text)[:MAX_CELL_TEXT]


def xml_text(text: str) -> str:
    """Escape text for element content (and attribute values: quotes escaped too)."""
    return xml_text_unbounded(clean_text(text))


_SEPARATOR = "\x01"   # illegal in XML, so it cannot survive in escaped text


def xml_texts(texts: list[str], *, utf8: bool = False) -> np.ndarray:
    """xml_text for a whole list at once: escape one joined string, then split it again.

    With `utf8` the texts come back UTF-8 encoded, the joined string encoded once before the split."""
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != len(texts) - 1 or max(map(len, texts), default=0) > MAX_CELL_TEXT:
        escaped = [xml_text(t) for t in texts]   # rare inputs: one at a time
        return _object_array([t.encode("utf-8") for t in escaped] if utf8 else escaped)
    escaped = xml_text_unbounded(joined, keep=_SEPARATOR)
    if utf8:
        return _object_array(escaped.encode("utf-8").split(_SEPARATOR.encode()))
    return _object_array(escaped.split(_SEPARATOR))


def _object_array(items: list) -> np.ndarray:
    """A 1-d object array holding `items` themselves (np.array would make bytes fixed-width and cut NULs)."""
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def xml_text_unbounded(text: str, keep: str = "") -> str:
    """xml_text without the per-cell length cut; `keep` is an illegal character to leave in place."""
    pattern = _ILLEGAL_XML if not keep else _ILLEGAL_XML_BUT_SEPARATOR
    text = pattern.sub("", text)
    if "_x" in text:
        text = _EXCEL_ESCAPE_LOOKALIKE.sub(r"_x005F_\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def inline_string_fragment(text: str, style_attr: str = "") -> str:
    return f'"{style_attr} t="inlineStr"><is><t xml:space="preserve">{xml_text(text)}</t></is></c>'


StyleFor = Callable[[str], int]   # value kind → cellXfs index (0 = General)


def _style_attrs(style_for: StyleFor) -> dict[str, str]:
    attrs = {}
    for kind in (NUMBER, TEXT, BOOL, DATE, DATETIME, TIME, DURATION):
        xf = style_for(kind)
        attrs[kind] = f' s="{xf}"' if xf else ""
    return attrs


def _is_blank(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float):
        return math.isnan(v)
    if isinstance(v, np.generic) and not isinstance(v, (np.str_, np.bytes_)):
        return bool(pd.isna(v))
    return False


def _serial(value: dt.datetime, epoch: dt.datetime) -> float:
    if value.tzinfo is not None:   # Excel has no time zones: keep the wall-clock time
        value = value.replace(tzinfo=None)
    return (value - epoch).total_seconds() / 86400.0


def _number_text(x: float) -> str | None:
    if not math.isfinite(x):
        return None
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return repr(float(x))


def value_fragment(v: Any, attrs: dict[str, str], epoch: dt.datetime) -> str:
    """The fragment for one value of any type (the slow, general path)."""
    if _is_blank(v):
        return ""
    if isinstance(v, (str, np.str_)):
        return inline_string_fragment(str(v), attrs[TEXT]) if v != "" else ""
    if isinstance(v, (bool, np.bool_)):
        return f'"{attrs[BOOL]} t="b"><v>{int(bool(v))}</v></c>'
    if isinstance(v, (int, np.integer)):
        return f'"{attrs[NUMBER]}><v>{int(v)}</v></c>'
    if isinstance(v, (float, np.floating, Decimal)):
        text = _number_text(float(v))
        return f'"{attrs[NUMBER]}><v>{text}</v></c>' if text is not None else ""
    if isinstance(v, np.datetime64):
        v = pd.Timestamp(v)
    if isinstance(v, np.timedelta64):
        v = pd.Timedelta(v)
    if isinstance(v, dt.datetime):   # includes pd.Timestamp
        kind = DATE if (v.hour, v.minute, v.second, v.microsecond) == (0, 0, 0, 0) else DATETIME
        return f'"{attrs[kind]}><v>{_number_text(_serial(v, epoch))}</v></c>'
    if isinstance(v, dt.date):
        return f'"{attrs[DATE]}><v>{_number_text(_serial(dt.datetime(v.year, v.month, v.day), epoch))}</v></c>'
    if isinstance(v, dt.time):
        seconds = v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6
        return f'"{attrs[TIME]}><v>{_number_text(seconds / 86400.0)}</v></c>'
    if isinstance(v, dt.timedelta):
        return f'"{attrs[DURATION]}><v>{_number_text(v.total_seconds() / 86400.0)}</v></c>'
    return inline_string_fragment(str(v), attrs[TEXT])


def fragments(values: Any, style_for: StyleFor, *, date1904: bool = False) -> np.ndarray:
    """Cell fragments (object array of str, "" for blank) for a whole column of values."""
    attrs = _style_attrs(style_for)
    epoch = EPOCH_1904 if date1904 else EPOCH_1900
    if isinstance(values, np.ndarray) and values.ndim == 1 and values.dtype.kind in "Mfiub":
        values = pd.Series(values)  # typed numpy columns take the vectorised path too
    if isinstance(values, pd.Series) and values.dtype != object and len(values):
        typed = _typed_fragments(values, attrs, epoch)
        if typed is not None:
            return typed
    col = as_column(values)
    arr = col.to_numpy(dtype=object)
    kind = pd.api.types.infer_dtype(arr, skipna=True)
    if kind == "string":   # every value is text or blank: skip the per-type dispatch
        present = ~pd.isna(arr)
        escaped = np.full(len(arr), "", dtype=object)
        escaped[present] = xml_texts(arr[present].tolist())
        out = np.full(len(arr), "", dtype=object)
        filled = escaped != ""
        out[filled] = f'"{attrs[TEXT]} t="inlineStr"><is><t xml:space="preserve">' + escaped[filled] + "</t></is></c>"
        return out
    if kind in ("floating", "integer", "mixed-integer-float") and len(arr):
        nums = pd.to_numeric(pd.Series(arr), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if kind == "floating" or np.nanmax(np.abs(nums)) < 2**53:   # exact as floats
            return _typed_fragments(pd.Series(nums), attrs, epoch)
    return _mixed_fragments(arr, attrs, epoch)


def _mixed_fragments(arr: np.ndarray, attrs: dict[str, str], epoch: dt.datetime) -> np.ndarray:
    """A column of mixed types (a cleaned column: dates or numbers where readable, the raw text elsewhere):
    plain str, float, int and naive Timestamp cells take the vectorised paths by type, the rest one by one."""
    fast_kinds = (str, float, int, pd.Timestamp)
    code_of = {kind: i for i, kind in enumerate(fast_kinds, start=1)}  # exact types: bool, np.str_ … go one by one
    code_of[type(None)] = -1   # None is a blank cell: no fragment
    codes = np.fromiter((code_of.get(type(v), 0) for v in arr), dtype=np.int8, count=len(arr))
    out = np.full(len(arr), "", dtype=object)
    rest = codes != -1
    for code, kind in enumerate(fast_kinds, start=1):
        mask = codes == code
        if not mask.any():
            continue
        part = arr[mask]
        if kind is pd.Timestamp:
            series = pd.Series(list(part))
            if not pd.api.types.is_datetime64_dtype(series.dtype):  # time zones etc.: the general path
                continue
            done = _typed_fragments(series, attrs, epoch)
        elif kind is int:
            nums = part.astype(float)
            if np.abs(nums).max(initial=0) >= 2**53:
                continue
            done = _typed_fragments(pd.Series(nums), attrs, epoch)
        elif kind is float:
            done = _typed_fragments(pd.Series(part.astype(float)), attrs, epoch)
        else:
            done = _string_fragments(part, attrs)
        out[mask] = done
        rest &= ~mask
    if rest.any():
        out[rest] = [value_fragment(v, attrs, epoch) for v in arr[rest]]
    return out


def _string_fragments(arr: np.ndarray, attrs: dict[str, str]) -> np.ndarray:
    escaped = np.full(len(arr), "", dtype=object)
    escaped[:] = xml_texts(arr.tolist())
    out = np.full(len(arr), "", dtype=object)
    filled = arr != ""   # as value_fragment: only the empty string is a blank cell
    out[filled] = f'"{attrs[TEXT]} t="inlineStr"><is><t xml:space="preserve">' + escaped[filled] + "</t></is></c>"
    return out


def _typed_fragments(values: pd.Series, attrs: dict[str, str], epoch: dt.datetime) -> np.ndarray | None:
    """Vectorised fragments for numeric, boolean and datetime dtypes; None for other dtypes."""
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype) and not values.isna().any():
        out = np.where(values.to_numpy(dtype=bool), f'"{attrs[BOOL]} t="b"><v>1</v></c>',
                       f'"{attrs[BOOL]} t="b"><v>0</v></c>')
        return out.astype(object)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        stamps = values.dt.tz_localize(None) if getattr(values.dt, "tz", None) is not None else values
        days = (stamps - pd.Timestamp(epoch)) / pd.Timedelta(days=1)
        whole = (stamps == stamps.dt.normalize()).to_numpy()
        text = _float_texts(days.to_numpy(dtype=float))
        ok = text != ""
        out = np.full(len(values), "", dtype=object)
        date_head, datetime_head = f'"{attrs[DATE]}><v>', f'"{attrs[DATETIME]}><v>'
        heads = np.where(whole, date_head, datetime_head).astype(object)
        out[ok] = heads[ok] + text[ok] + "</v></c>"
        return out
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype):
        nums = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if pd.api.types.is_integer_dtype(dtype) and np.abs(nums).max(initial=0) >= 2**53:
            return None   # floats would round these; use the exact per-value path
        text = _float_texts(nums)
        ok = text != ""
        out = np.full(len(values), "", dtype=object)
        out[ok] = f'"{attrs[NUMBER]}><v>' + text[ok] + "</v></c>"
        return out
    return None


def _float_texts(nums: np.ndarray) -> np.ndarray:
    """Shortest round-trip text for each float ("" where not finite); whole numbers without ".0"."""
    out = np.full(len(nums), "", dtype=object)
    finite = np.isfinite(nums)
    if not finite.any():
        return out
    vals = nums[finite]
    whole = (vals == np.round(vals)) & (np.abs(vals) < 1e15)
    texts = np.empty(len(vals), dtype=object)
    texts[whole] = vals[whole].astype(np.int64).astype(str).astype(object)
    texts[~whole] = vals[~whole].astype(str).astype(object)   # numpy prints the shortest round-trip form
    out[finite] = texts
    return out


def header_fragment(text: str, style: int) -> str:
    return inline_string_fragment(str(text), f' s="{style}"' if style else "")


def _shown(v: Any) -> str:
    """About what a cell shows: a date without its midnight time, a number with two decimals at most."""
    if isinstance(v, (dt.datetime, pd.Timestamp)) and (v.hour, v.minute, v.second) == (0, 0, 0):
        return "0000-00-00"
    if isinstance(v, (float, np.floating)) and math.isfinite(v) and not float(v).is_integer():
        return f"{float(v):,.2f}"
    return str(v)


def display_width(values: Any, header: str, sample: int = 200) -> float:
    """A readable column width: the longest of the header and the first values, East-Asian wide and full-width
    characters counted double (unicodedata.east_asian_width W or F)."""
    head = values.iloc[:sample] if isinstance(values, pd.Series) else values[:sample]
    col = as_column(head)
    texts = [_shown(v) for v in col if not _is_blank(v)]
    longest = max([char_width(header) + 2] + [char_width(t) + 1 for t in texts])
    return float(min(max(longest, 8), 60))
