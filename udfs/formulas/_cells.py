"""`Cells`: xlwings' default conversion for kehu's ranges and spilled results, its per-cell hook run less often.

Between COM and a UDF, xlwings' Windows engine calls a Python function for every cell: on the way in
`_clean_value_data_element` (blanks → None, COM dates rebuilt, error codes → None), on the way out
`prepare_xl_data_element` (`pd.isna`, date → UTC-stamped COM time, None/NaN → ""). On 100,000 rows that
is most of a formula's time. Most cells are text or numbers, which both hooks hand back unchanged, and
the rest (blanks, dates) repeat. `Cells` is xlwings' own default pipeline (`ValueAccessor`) with only the
two cleaning stages replaced by stages that give the hook's answers (the hook's own results, once per
distinct value) and skip the cells it returns as they are:
    in:  non-empty str, float (unless a `numbers` option is set), bool
    out: str, int, bool, float other than NaN
Those two lists are what `xlwings/_xlwindows.py` does for those exact types
(tests/test_formulas_cells.py checks them against its installed source). Every other engine (xlwings
Lite, Office.js, a Mac) keeps xlwings' standard stages: their hooks differ (the Mac's turns int into
float), so the shortcut is only taken when the engine's hook is the Windows one.

Usage, as any xlwings converter: `@xw.arg("values", Cells, ndim=2)`, `@xw.ret(Cells)`.
"""
from __future__ import annotations

from itertools import chain
from typing import Any, Callable

from xlwings.conversion import CleanDataForWriteStage, CleanDataFromReadStage, ValueAccessor
from xlwings.conversion.framework import Accessor

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
    """`hook`, remembering its answer per distinct (type, value): blanks and dates repeat down a column."""
    answers: dict = {}

    def cached(x: Any) -> Any:
        key = (x.__class__, x)
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
        if set(map(type, chain.from_iterable(rows))) <= _PLAIN_WRITTEN:  # (set and map run in C)
            c.value = [list(row) for row in rows]
            return
        impl, options = c.engine.impl, self.options
        prepare = _once_per_value(lambda x: impl.prepare_xl_data_element(x, options))
        unchanged = _WRITE_UNCHANGED
        c.value = [[x if x.__class__ in unchanged and x == x else prepare(x) for x in row] for row in rows]


class Cells(Accessor):
    """xlwings' default converter, with the per-cell cleaning done once per distinct value (see module)."""

    @staticmethod
    def reader(options):
        return ValueAccessor.reader(options).insert_stage(_CleanReadOnce(options), replace=CleanDataFromReadStage)

    @staticmethod
    def writer(options):
        return ValueAccessor.writer(options).insert_stage(_CleanWriteOnce(options), replace=CleanDataForWriteStage)

    @classmethod
    def router(cls, value, rng, options):
        return cls
