"""Run a per-value Python function once per distinct value of a column, then spread the results back.

Registers repeat values a lot (the same city, date or status thousands of times), so
parsing each distinct value once and mapping the answers back with integer codes is what
lets the normalisers use readable per-value code and still handle a million rows. Inside a cleaning run
(`shared_parses`) each column is factorised once and each function's answers for it are kept, so the
normalisers and validators that read one column share the work.
"""
from __future__ import annotations

import contextlib
import contextvars
import math
import operator
import unicodedata
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

from udfs.columns import as_column, is_blank
from udfs.normalise.reference import kernels_on

#: Excel error values as they arrive from a reader, a CSV export or a formula (upper-cased).
EXCEL_ERRORS = frozenset(
    {"#N/A", "#N/A!", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!",
     "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!"}
)


def is_missing(v: Any) -> bool:
    """None, NaN, NaT and pandas NA count as missing; everything else (even "") does not."""
    if v is None:
        return True
    if isinstance(v, float):
        return math.isnan(v)
    try:
        return v is pd.NaT or v is pd.NA or (isinstance(v, np.generic) and bool(pd.isna(v)))
    except (TypeError, ValueError):
        return False


def is_excel_error(text: str) -> bool:
    """True for "#N/A", "#VALUE!" and the other Excel error values (any case, stray spaces)."""
    return text.strip().upper() in EXCEL_ERRORS


def fold(text: str) -> str:
    """NFKC width folding plus trimming: １２３ → 123, full-width space → space, ＠ → @."""
    return unicodedata.normalize("NFKC", text).strip()


def factorize(values: Any) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Column → (column, codes, distinct values); code -1 marks a missing cell.

    Inside `shared_parses` a column is factorised once: normalisers and validators that read the same
    column get the first call's codes and values (read-only arrays) instead of hashing it again.
    """
    s = as_column(values)
    known = _FACTORS.get()
    if known is None:
        return (s, *_factorize_column(s))
    cells = s.to_numpy()  # an object column's own buffer: the same for every Series over that column
    key = (cells.__array_interface__["data"][0], cells.shape, cells.strides)
    found = known.get(key)
    if found is None:
        codes, uniques = _factorize_column(s)
        codes.setflags(write=False)
        uniques.setflags(write=False)
        found = known[key] = (cells, codes, uniques)  # holding `cells` keeps its address from being reused
    return s, found[1], found[2]


def _factorize_column(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)
    # `True in set(...)` also finds 1 and 1.0, so this one C-level probe covers both orders.
    # hashing merges True with 1 and False with 0, so look for real booleans in the column itself
    # (the types of its cells gathered at C level: a count column holds 1s and 0s a million times)
    text_only = pd.api.types.infer_dtype(uniques, skipna=False) in ("string", "empty")   # one C pass: most columns
    distinct = set() if text_only else set(uniques.tolist())
    if (True in distinct or False in distinct) and not {bool, np.bool_}.isdisjoint(
            set(map(type, s.to_numpy(dtype=object).tolist()))):
        # True == 1 and False == 0 in Python, so hashing merges them; keep booleans apart
        # (a TRUE cell is not the number 1) by factorising with tagged stand-ins.
        tagged = s.map(lambda v: ("\x00bool", bool(v)) if isinstance(v, (bool, np.bool_)) else v)
        codes, uniques = pd.factorize(tagged, use_na_sentinel=True)
        uniques = np.asarray(uniques, dtype=object)
        for i, u in enumerate(uniques):
            if isinstance(u, tuple) and len(u) == 2 and u[0] == "\x00bool":
                uniques[i] = u[1]
    return codes, uniques


def spread(results: Sequence[Any], codes: np.ndarray, missing: Any = None) -> np.ndarray:
    """Per-distinct-value results → one object array aligned with the codes."""
    table = np.empty(len(results) + 1, dtype=object)
    table[: len(results)] = list(results) if len(results) else []
    table[-1] = missing  # code -1 (missing cell) indexes the last slot
    return table[codes]


_SHARED: contextvars.ContextVar[dict | None] = contextvars.ContextVar("kehu_shared_parses", default=None)
#: inside `shared_parses`: column buffer (address, shape, strides) → (the buffer, codes, distinct values)
_FACTORS: contextvars.ContextVar[dict | None] = contextvars.ContextVar("kehu_shared_factors", default=None)


@contextlib.contextmanager
def shared_parses():
    """Within the block, a column parsed by the same per-value function twice is parsed once.

    A cleaning run normalises a phone column and then validates it, which parses every number
    again; this keeps the first answer for the rest of the run (and drops it afterwards).
    Columns are factorised once as well (see `factorize`), so the block must not change a column in place.
    """
    token, factors = _SHARED.set({}), _FACTORS.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)
        _FACTORS.reset(factors)


def _apply(func: Callable[[Any], Any], uniques: np.ndarray,
           batch: Callable[[np.ndarray], list] | None = None) -> list:
    """[func(u) for u in uniques], reusing an identical earlier call inside `shared_parses`.

    `batch`, when given, computes the same list for the whole array at once (a column kernel);
    the cache stays keyed on `func`, so both give one shared answer.
    """
    whole = batch if batch is not None and kernels_on() else (lambda us: [func(u) for u in us])
    return _cached(func, uniques, whole)


def _cached(func: Callable, uniques: np.ndarray, whole: Callable[[np.ndarray], Any]) -> Any:
    """whole(uniques), reusing an identical earlier call under `func` inside `shared_parses`."""
    cache = _SHARED.get()
    if cache is None:
        return whole(uniques)
    entries = cache.setdefault(func, [])  # one entry per column this function has parsed
    for seen, _kinds, results in entries:
        if seen is uniques:  # the same shared factorisation (see `factorize`): nothing to compare
            return results
    kinds = [type(u) for u in uniques]  # 1 == 1.0 == True, but a numeric cell is not a text one
    for seen, seen_kinds, results in entries:
        if len(seen) == len(uniques) and seen_kinds == kinds and np.array_equal(seen, uniques):
            return results
    results = whole(uniques)
    entries.append((uniques, kinds, results))
    return results


def shared(compute: Callable[[np.ndarray], Any], uniques: np.ndarray) -> Any:
    """compute(uniques), once per column inside `shared_parses` (keyed on the function object itself)."""
    return _cached(compute, uniques, compute)  # a whole-array function: the same with the kernels off


def blank_cells(values: Any) -> np.ndarray:
    """`is_blank` as a bool array; inside `shared_parses` read off the column's shared factorisation."""
    if _FACTORS.get() is None:
        return is_blank(values).to_numpy()
    _, codes, uniques = factorize(values)
    return np.append(shared(_blank_uniques, uniques), True)[codes]  # code -1, a missing cell, is blank


def _blank_uniques(uniques: np.ndarray) -> np.ndarray:
    return is_blank(uniques).to_numpy()


def map_unique(values: Any, func: Callable[[Any], Any], missing: Any = None,
               batch: Callable[[np.ndarray], list] | None = None) -> pd.Series:
    """Apply `func` to each distinct non-missing value; missing cells get `missing`.

    Returns an object Series aligned with the input (same index for a Series input). `batch`
    is an optional whole-array version of `func` (same answers, computed column-wise).
    """
    s, codes, uniques = factorize(values)
    results = _apply(func, uniques, batch)  # one call per distinct value, not per row
    return pd.Series(spread(results, codes, missing), index=s.index, dtype=object)


def map_unique_frame(values: Any, func: Callable[[Any], tuple], columns: Sequence[str],
                     missing: tuple | None = None,
                     batch: Callable[[np.ndarray], list] | None = None) -> pd.DataFrame:
    """Like `map_unique`, for a function returning one tuple of fields per value (`batch` may give `Columns`)."""
    s, codes, uniques = factorize(values)
    missing = missing if missing is not None else (None,) * len(columns)
    results = _apply(func, uniques, batch)
    out = {}
    for i, name in enumerate(columns):
        # one C-level pass per field (zip(*results) builds a call with one argument per distinct value: slower)
        field = results[i] if isinstance(results, Columns) else list(map(operator.itemgetter(i), results))
        out[name] = pd.Series(spread(field, codes, missing[i]), index=s.index, dtype=object)
    return pd.DataFrame(out, index=s.index)


class Columns(tuple):
    """A `map_unique_frame` batch's answer field by field (one sequence per column), not one tuple per value:
    a column kernel has its answers as columns already."""


def settled(func: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Make a per-value text normaliser idempotent by re-applying it until its output is stable.

    Rare letters change when cased or recomposed (ß → SS, A + ´ → Á), so one pass can leave
    text that a second pass would still change. ASCII output is stable for every kehu
    normaliser, so only non-ASCII answers are checked again.
    """
    def wrapper(v: Any) -> Any:
        out = func(v)
        for _ in range(3):
            if not isinstance(out, str) or out.isascii():
                return out
            again = func(out)
            if again == out:
                return out
            out = again
        return out

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def text_of(v: Any) -> str | None:
    """A cell as folded text, or None when it is not text (numbers are handled by callers)."""
    if isinstance(v, str):
        return fold(v)
    return None
