"""Shared plumbing for the Excel formulas: ranges in, trimmed columns, spilled 2-D lists out, and `Cells`,
the xlwings converter their ranges and results go through (see the section below)."""
from __future__ import annotations

import datetime as _dt
import math
from itertools import chain, repeat
from operator import methodcaller, ne
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd
try:
    from xlwings.conversion import CleanDataForWriteStage, CleanDataFromReadStage, ValueAccessor
    from xlwings.conversion.framework import Accessor
except ImportError:  # a pass-through stand-in for xlwings (tests/test_lite.py's venv): nothing converts there
    CleanDataForWriteStage = CleanDataFromReadStage = Accessor = object
    ValueAccessor = None

from udfs.excel_values import excel_value  # noqa: F401  (public home, shared with the workbook port)

#: Category shown in Excel's Insert Function dialog for every kehu formula.
CATEGORY = "kehu 客户工具"


def trim_range(values: Any) -> list[list[Any]]:
    """Excel range → list of rows, with trailing all-blank rows dropped.

    A whole-column reference such as A:A arrives as 1,048,576 rows; trimming it to the used
    rows first is what keeps one formula call per column fast.
    """
    if values is None:
        return []
    if isinstance(values, pd.DataFrame):
        rows = values.astype(object).where(values.notna(), None).values.tolist()
    elif isinstance(values, np.ndarray):
        rows = values.reshape(len(values), -1).tolist() if values.ndim <= 2 else values.tolist()
    elif isinstance(values, (list, tuple)):
        rows = [list(r) if isinstance(r, (list, tuple)) else [r] for r in values]
    else:
        rows = [[values]]
    end = len(rows)
    while end and all(_blank(v) for v in rows[end - 1]):
        end -= 1
    return rows[:end]


def column_in(values: Any) -> pd.Series:
    """One Excel column (or row) → object Series, trimmed of trailing blanks."""
    if isinstance(values, (list, tuple)):
        flat = _single_cells(values)
        if flat is not None:  # the usual case, one cell per row: one pass, no intermediate rows
            end = len(flat)
            while end and flat[end - 1] is None:
                end -= 1
            return _inferred(flat[:end])
    rows = trim_range(values)
    flat = [r[0] if len(r) == 1 else r for r in rows]
    if rows and len(rows) == 1 and len(rows[0]) > 1:  # a single row range: treat as a column
        flat = list(rows[0])
    s = pd.Series(flat, dtype=object)
    return s.map(lambda v: None if _blank(v) else v)


def _single_cells(rows: list | tuple) -> list | None:
    """Rows of one cell each → their cells with blanks as None; None when some row is not one cell."""
    if not set(map(type, rows)) <= _ROW_TYPES:  # (map and set run in C; exact types, as before)
        return None
    try:
        flat = [cell for (cell,) in rows]  # unpacking fails on rows of 0 or 2+ cells
    except ValueError:
        return None
    # _blank inlined for the two types Excel hands over most (a call per cell costs more than the test)
    return [None if v is None else (v if v.strip() else None) if v.__class__ is str
            else (None if v != v else v) if v.__class__ is float
            else v if v.__class__ in _NEVER_BLANK else (None if _blank(v) else v) for v in flat]


_ROW_TYPES = frozenset({list, tuple})

#: Cell types _blank is always False for (exact types: a subclass takes the general test).
_NEVER_BLANK = frozenset({_dt.datetime, _dt.date, int, bool})


def table_in(values: Any, header: bool = True) -> pd.DataFrame:
    """A multi-column range → DataFrame; the first row is the header when `header`."""
    rows = trim_range(values)
    if not rows:
        return pd.DataFrame()
    if header:
        names = [str(h) if h is not None else f"列{i + 1}" for i, h in enumerate(rows[0])]
        body = rows[1:]
    else:
        names = [f"列{i + 1}" for i in range(len(rows[0]))]
        body = rows
    df = pd.DataFrame(body, columns=names, dtype=object)
    return df.map(lambda v: None if _blank(v) else v)


def column_out(values: Iterable[Any]) -> list[list[Any]]:
    """Column → 2-D list for Excel to spill; NaN/NaT/None become empty cells."""
    return [[v] for v in _excel_values(values)]


def table_out(df: pd.DataFrame, header: bool = False) -> list[list[Any]]:
    """DataFrame → 2-D list for Excel to spill (optionally with a header row)."""
    # Column by column (each column's values share a type), then back to rows in one zip.
    columns = [_excel_values(df.iloc[:, k]) for k in range(df.shape[1])]
    body = list(map(list, zip(*columns)))
    return ([list(map(str, df.columns))] + body) if header else body


def columns_out(*columns: Iterable[Any]) -> list[list[Any]]:
    """Equal-length columns → 2-D list for Excel to spill, as table_out of a frame of them gives."""
    return list(map(list, zip(*(_excel_values(c) for c in columns))))


def _excel_values(values: Iterable[Any]) -> list[Any]:
    """excel_value of each value; a datetime column converts at once instead of Timestamp by Timestamp."""
    if isinstance(values, pd.Series) and values.dtype.kind == "M":
        # Each distinct date converted once and its one datetime object shared by its rows (birth dates,
        # purchase days repeat): fewer conversions here, and xlwings' write stage then hashes each once.
        codes, dates = pd.factorize(values.array)
        table = np.empty(len(dates) + 1, dtype=object)
        table[:-1] = dates.to_pydatetime()
        table[-1] = ""  # code -1: NaT
        return table[codes].tolist()
    if isinstance(values, pd.Series) and isinstance(values.dtype, np.dtype) and values.dtype.kind in "iub":
        return values.tolist()  # Python ints / bools already, as excel_value makes them
    if isinstance(values, pd.Series) and isinstance(values.dtype, np.dtype) and values.dtype.kind == "f":
        return ["" if v != v else v for v in values.tolist()]
    if isinstance(values, pd.Series) and (values.dtype == object or isinstance(values.dtype, pd.StringDtype)):
        values = values.tolist()  # one conversion; iterating an Arrow-backed column goes element by element
    # text and None (excel_value's answer: a blank) inline; a call per cell costs more than the test
    return [v if v.__class__ is str else "" if v is None else excel_value(v) for v in values]


def _inferred(cells: list) -> pd.Series:
    """Cells → Series with the dtype `pd.Series(cells, dtype=object).map(lambda v: v)` infers (float64,
    str, datetime64 …), without a Python call per cell: map's own inference step, then its constructor."""
    arr = np.empty(len(cells), dtype=object)
    arr[:] = cells
    try:
        from pandas._libs import lib

        return pd.Series(lib.maybe_convert_objects(arr))
    except (ImportError, AttributeError, TypeError):  # a pandas without it: the map itself
        return pd.Series(arr, dtype=object).map(_same)


def _same(v: Any) -> Any:
    return v


def _blank(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return isinstance(v, str) and v.strip() == ""


# ---- Cells: xlwings' default conversion of every formula's ranges and results, its per-cell hooks run less often
#
# Between COM and a UDF, xlwings' Windows engine calls a Python function for every cell: on the way in
# `_clean_value_data_element` (blanks → None, COM dates rebuilt, error codes → None), on the way out
# `prepare_xl_data_element` (`pd.isna`, date → UTC-stamped COM time, None/NaN → ""). On 100,000 rows that
# is most of a formula's time. Most cells are text or numbers, which both hooks hand back unchanged, and
# the rest (blanks, dates) repeat. `Cells` is xlwings' own default pipeline (`ValueAccessor`) with only the
# two cleaning stages replaced by stages that give the hook's answers (the hook's own results, once per
# distinct value) and skip the cells it returns as they are:
#     in:  non-empty str, float (unless a `numbers` option is set), bool
#     out: str, int, bool, float other than NaN
# Those two lists are what `xlwings/_xlwindows.py` does for those exact types
# (tests/test_formulas_cells.py checks them against its installed source). Every other engine (xlwings
# Lite, Office.js, a Mac) keeps xlwings' standard stages: their hooks differ (the Mac's turns int into
# float), so the shortcut is only taken when the engine's hook is the Windows one. A rectangular result is
# written column by column: a column of text, or of naive dates, blanks and text, has its distinct values
# sent through the hook and is looked up in C, without a Python step per cell.
#
# Usage, as any xlwings converter: `@xw.arg("values", Cells, ndim=2)`, `@xw.ret(Cells)`.


#: The module of the hooks the two shortcut lists are written for.
WINDOWS_HOOKS = "xlwings._xlwindows"
_READ_UNCHANGED = frozenset({str, float, bool})  # "" is the exception (→ the `empty` option)
_WRITE_UNCHANGED = frozenset({str, int, bool, float})  # NaN is the exception (→ "")
_PLAIN_WRITTEN = frozenset({str, int, bool})  # no NaN possible: rows copy as they are


def windows_hooks(engine: Any) -> bool:
    """Is the conversion running on xlwings' Windows engine (where COM UDFs run)?"""
    hook = getattr(getattr(engine, "impl", None), "prepare_xl_data_element", None)
    return getattr(hook, "__module__", None) == WINDOWS_HOOKS


def _once_per_value(hook: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`hook`, remembering its answer per distinct (type, value, tzinfo): blanks and dates repeat down a column."""
    answers: dict = {}

    def cached(x: Any) -> Any:
        key = (x.__class__, x, getattr(x, "tzinfo", None))  # (aware datetimes: equal instants, other clocks)
        try:
            return answers[key]
        except KeyError:
            answer = answers[key] = hook(x)
            return answer
        except TypeError:  # unhashable: no memory
            return hook(x)
    return cached


class _CleanReadOnce(CleanDataFromReadStage):
    def __call__(self, c):
        if not windows_hooks(c.engine) or self.numbers_handler is not None:
            return super().__call__(c)
        impl = c.engine.impl

        def hook(x):
            return impl.clean_value_data([[x]], self.dates_handler, self.empty_as, self.numbers_handler,
                                         self.err_to_str)[0][0]
        clean = _once_per_value(hook)
        unchanged = _READ_UNCHANGED
        c.value = [[x if x.__class__ in unchanged and x != "" else clean(x) for x in row] for row in c.value]


class _CleanWriteOnce(CleanDataForWriteStage):
    def __call__(self, c):
        if not windows_hooks(c.engine):
            return super().__call__(c)
        rows = c.value
        # (set and map run in C; the first row is looked at first, as a result with a date in it needs no pass)
        if rows and set(map(type, rows[0])) <= _PLAIN_WRITTEN and \
                set(map(type, chain.from_iterable(rows))) <= _PLAIN_WRITTEN:
            c.value = [list(row) for row in rows]
            return
        impl, options = c.engine.impl, self.options

        def hook(x):
            return impl.prepare_xl_data_element(x, options)
        if len(set(map(len, rows))) == 1 and len(rows[0]):  # a rectangle: column by column (a column's cells
            columns = [_written_column(column, hook) for column in zip(*rows)]  # share their few types)
            c.value = list(map(list, zip(*columns)))
            return
        prepare = _once_per_value(hook)
        unchanged = _WRITE_UNCHANGED
        c.value = [[x if x.__class__ in unchanged and x == x else prepare(x) for x in row] for row in rows]


#: Cell types the write hook changes whose equal values always get equal answers, and never equal a cell of
#: another of these types or of _WRITE_UNCHANGED (a date is never == a datetime; a Timestamp == a datetime is
#: left out), so a dict keyed by the value alone looks their answers up: naive datetimes, dates, None.
_VALUE_KEYED = frozenset({_dt.datetime, _dt.date, type(None)})


def _written_column(column: tuple, hook: Callable[[Any], Any]) -> tuple | list:
    """One column of a result as the write hook leaves it: its cells unchanged, or the hook's answers."""
    kinds = set(map(type, column))
    if kinds <= _PLAIN_WRITTEN:
        return column
    keyed = kinds - _WRITE_UNCHANGED <= _VALUE_KEYED
    if keyed and float in kinds and any(map(ne, column, column)):  # (x != x: NaN, the one float the hook changes)
        keyed = False
    if keyed and kinds <= _WRITE_UNCHANGED:
        return column
    if keyed and (  # (aware datetimes: equal instants at other clock times, which the hook keeps)
            _dt.datetime not in kinds or set(map(getattr, column, repeat("tzinfo"), repeat(None))) == {None}):
        distinct = [x for x in set(column) if x.__class__ in _VALUE_KEYED]
        answers = dict(zip(distinct, _answers(distinct, hook)))
        return list(map(answers.get, column, column))  # (its answer, or the cell itself: all in C)
    prepare = _once_per_value(hook)
    unchanged = _WRITE_UNCHANGED
    return [x if x.__class__ in unchanged and x == x else prepare(x) for x in column]


def _answers(values: list, hook: Callable[[Any], Any]) -> list:
    """[hook(x) for x in values]: distinct naive datetimes, dates and None.

    For a naive datetime xlwings' Windows hook answers the same clock time stamped UTC (`_datetime_to_com_time`:
    `replace(tzinfo=…)`, win32timezone's UTC); that is checked on the first one, whose answer's stamp the others
    then get in C (20,000 birth dates: a hook call each was a third of KEHU_IDCHECK(…, TRUE)). Any other answer
    (another xlwings) and every date and None: the hook itself, value by value.
    """
    first = next((x for x in values if x.__class__ is _dt.datetime), None)
    if first is None:
        return [hook(x) for x in values]
    probe = hook(first)
    if not (probe.__class__ is _dt.datetime and probe.replace(tzinfo=None) == first and probe.fold == first.fold):
        return [hook(x) for x in values]
    stamp = methodcaller("replace", tzinfo=probe.tzinfo)
    return [probe if x is first else stamp(x) if x.__class__ is _dt.datetime else hook(x) for x in values]


class Cells(Accessor):
    """xlwings' default converter, with the per-cell cleaning done once per distinct value (see above)."""

    @staticmethod
    def reader(options):
        return ValueAccessor.reader(options).insert_stage(_CleanReadOnce(options), replace=CleanDataFromReadStage)

    @staticmethod
    def writer(options):
        return ValueAccessor.writer(options).insert_stage(_CleanWriteOnce(options), replace=CleanDataForWriteStage)

    @classmethod
    def router(cls, value, rng, options):
        return cls
