"""udfs/formulas/_xl.py: the `Cells` converter gives exactly what xlwings' default converter gives.

The reference is xlwings itself: its default pipeline run on the same values, with the Windows engine's
per-cell hooks taken from the installed `xlwings/_xlwindows.py` (benchmarks/xlwings_windows_hooks.py
loads that source unchanged). Values are compared with their types (and a datetime's tzinfo), since
COM marshals a str, an int and a float differently.
"""
from __future__ import annotations

import datetime as dt
import decimal
import math
import sys
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xlwings
from xlwings import conversion

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.xlwings_windows_hooks import load as windows_hooks  # noqa: E402
from udfs.formulas._xl import _READ_UNCHANGED, _WRITE_UNCHANGED, Cells  # noqa: E402

WINDOWS = windows_hooks()


@pytest.fixture()
def engine():
    """An xlwings engine named "excel" with the given hooks, as call_udf's conversion looks it up."""
    registry = xlwings.engines
    saved = list(registry.engines), dict(registry.engines_by_name), registry.active

    def use(impl):
        registry.add(xlwings.main.Engine(impl=impl))
    yield use
    registry.engines[:] = saved[0]
    registry.engines_by_name.clear()
    registry.engines_by_name.update(saved[1])
    registry.active = saved[2]


def _typed(value):
    """A value with its type (and tzinfo), NaN made comparable."""
    if isinstance(value, list):
        return [_typed(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return ("nan", type(value))
    return (value, type(value), getattr(value, "tzinfo", None))


TEXTS = ["", " ", "abc", "#N/A", "13800138000", "张伟", "廣州", "\u3000", "0", "None", "nan"]
FLOATS = [0.0, -0.0, 1.5, -2.25, 1e308, math.inf, -math.inf, 13800138000.0, 45000.0]
INTS = [0, 1, -1, 2**40, -2146826246, -2146826281]  # the last two: COM error codes (#N/A, #DIV/0!)


def test_the_cells_passed_through_are_the_ones_xlwings_windows_hooks_return_unchanged():
    for x in TEXTS + FLOATS + [True, False]:
        if x.__class__ in _READ_UNCHANGED and x != "":
            got = WINDOWS.clean_value_data([[x]], dt.datetime, None, None, False)[0][0]
            assert got is x, x
    for x in TEXTS + FLOATS + INTS + [True, False]:
        assert x.__class__ in _WRITE_UNCHANGED
        assert WINDOWS.prepare_xl_data_element(x, None) is x, x
    # and the exceptions the stages leave to the hooks really are changed by them
    assert WINDOWS.clean_value_data([[""]], dt.datetime, None, None, False) == [[None]]
    assert WINDOWS.clean_value_data([[-2146826246]], dt.datetime, None, None, False) == [[None]]
    assert WINDOWS.prepare_xl_data_element(math.nan, None) == ""


MIXED_IN = ([None, "", dt.datetime(2024, 3, 5, 10, 30), dt.datetime(2024, 3, 5, 10, 30), True, -2146826246, 7]
            + TEXTS + [x for x in FLOATS if math.isfinite(x)])  # (an Excel cell holds no infinity)
MIXED_OUT = ([None, math.nan, np.nan, pd.NaT, pd.Timestamp("2024-03-05"), dt.datetime(2024, 3, 5),
              dt.datetime(2024, 3, 5), dt.date(2024, 3, 5), np.float64(2.5), np.float64("nan"), np.int64(3),
              decimal.Decimal("1.10"), np.datetime64("2024-03-05")] + TEXTS + FLOATS + INTS + [True, False]
             # the same instant at two clock times: xlwings keeps each one's clock time
             + [dt.datetime(2024, 3, 5, 8, tzinfo=dt.timezone(dt.timedelta(hours=8))),
                dt.datetime(2024, 3, 5, 0, tzinfo=dt.timezone.utc)])


@pytest.mark.parametrize("options", [{"ndim": 2}, {"ndim": 2, "empty": "空"}, {"ndim": 2, "err_to_str": True},
                                     {"ndim": 2, "numbers": int}, {}])
def test_reading_gives_what_the_default_converter_gives(engine, options):
    engine(WINDOWS)
    columns = [tuple((v,) for v in MIXED_IN), tuple((a, b) for a, b in zip(MIXED_IN, reversed(MIXED_IN))),
               tuple((v,) for v in TEXTS[2:5])]
    for value in columns + [("one cell",), "scalar", 3.0, None]:
        ours = conversion.read(None, value, dict(options, convert=Cells))
        theirs = conversion.read(None, value, dict(options))
        assert _typed(ours) == _typed(theirs), value


def test_writing_gives_what_the_default_converter_gives(engine):
    engine(WINDOWS)
    results = [[[v] for v in MIXED_OUT], [[a, b] for a, b in zip(MIXED_OUT, reversed(MIXED_OUT))],
               [["only", "text"], ["and", ""]], [[1, True], ["x", 2]], "scalar", 2.5, None, dt.datetime(2024, 1, 2)]
    for value in results:
        ours = conversion.write(value, None, {"convert": Cells})
        theirs = conversion.write(value, None, {})
        assert _typed(ours) == _typed(theirs), value


def _typed_with_fold(value):
    if isinstance(value, list):
        return [_typed_with_fold(v) for v in value]
    return _typed(value), getattr(value, "fold", None)


NAIVE = [dt.datetime(2024, 3, 5), dt.datetime(2024, 3, 5, 10, 30, 1, 999), dt.datetime(1900, 1, 1),
         dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31, 23, 59, 59, 999999), dt.datetime(2024, 10, 27, 2, 30, fold=1)]


def test_results_written_column_by_column_give_what_the_default_converter_gives(engine):
    """Rectangular results (KEHU_IDCHECK(…, TRUE), KEHU_ADDRESS …) go column by column; each kind of column."""
    engine(WINDOWS)
    rng = np.random.default_rng(5)
    births = [dt.datetime(1950, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 300, 2000)]
    shared = births[:50]  # one object for many rows, as KEHU_IDCHECK's birth dates are
    columns = {
        "naive dates, repeated": births + NAIVE + NAIVE,
        "shared objects, blanks": [shared[k % 50] if k % 7 else "" for k in range(2000)],
        "dates, None, numbers": [dt.date(2024, 3, 5), None, 3, True, "x", dt.datetime(2024, 3, 5)] * 300,
        "one naive date": [NAIVE[1]] * 10,
        "aware": [dt.datetime(2024, 3, 5, 8, tzinfo=dt.timezone(dt.timedelta(hours=8))),
                  dt.datetime(2024, 3, 5, 0, tzinfo=dt.timezone.utc), dt.datetime(2024, 3, 5)] * 20,
        "Timestamps beside equal datetimes": [pd.Timestamp("2024-03-05"), dt.datetime(2024, 3, 5)] * 20,
        "NaN floats": [1.5, math.nan, 2.0, np.float64("nan")] * 20,
        "NaN beside dates": [math.nan, dt.datetime(2024, 3, 5), ""] * 20,
        "floats": [1.5, -0.0, 1e308, 2.0, 7] * 20,
        "floats beside dates": [1.5, dt.datetime(2024, 3, 5), "", 7, True, None] * 20,
        "text": ["a", "", "张伟"] * 20,
    }
    for name, cells in columns.items():
        text = [f"t{k}" for k in range(len(cells))]
        for rows in ([[c] for c in cells], [[t, c, k] for k, (t, c) in enumerate(zip(text, cells))],
                     [[t, t] for t in text[:5]] + [[t, c] for t, c in zip(text, cells)]):  # (first row: text only)
            ours = conversion.write(rows, None, {"convert": Cells})
            theirs = conversion.write(rows, None, {})
            assert _typed_with_fold(ours) == _typed_with_fold(theirs), name


def test_a_hook_that_answers_naive_dates_otherwise_is_called_for_every_one(engine):
    """The column path stamps naive datetimes as the Windows hook does after checking it on one: had the hook
    answered otherwise (another xlwings), it gets every distinct date itself."""
    def prepare(x, options):
        return x.toordinal() + 0.5 if isinstance(x, dt.datetime) else WINDOWS.prepare_xl_data_element(x, options)
    prepare.__module__ = WINDOWS.prepare_xl_data_element.__module__  # taken for the Windows hooks
    engine(types.SimpleNamespace(name="excel", type="desktop", prepare_xl_data_element=prepare,
                                 clean_value_data=WINDOWS.clean_value_data))
    rows = [[d, "x"] for d in NAIVE * 3]
    assert conversion.write(rows, None, {"convert": Cells}) == [[d.toordinal() + 0.5, "x"] for d in NAIVE * 3]


def test_a_formula_result_written_both_ways(engine):
    """KEHU_DATE and KEHU_IDCHECK(…, TRUE) return dates, blanks and text: the same cells reach COM."""
    from udfs.formulas import clean

    engine(WINDOWS)
    dates = [["2024-3-5"], [45000.0], [None], ["20240305"], ["不是日期"], [dt.datetime(2023, 1, 1)]]
    ids = [["11010519491231002X"], ["110105491231002"], ["123"], [None]]
    addresses = [["廣東省廣州市天河區體育西路1號"], [None]]
    for result in (clean.KEHU_DATE(dates), clean.KEHU_IDCHECK(ids, True), clean.KEHU_ADDRESS(addresses)):
        assert _typed(conversion.write(result, None, {"convert": Cells})) == \
               _typed(conversion.write(result, None, {}))


def test_other_engines_keep_xlwings_standard_stages(engine):
    """A hook that is not the Windows one (here the Mac's habit of writing int as float) is used for every cell."""
    def prepare(x, options):
        return float(x) if isinstance(x, int) and not isinstance(x, bool) else ("" if x is None else x)

    def clean(data, datetime_builder, empty_as, number_builder, err_to_str):
        return [["read:" + c if isinstance(c, str) else c for c in row] for row in data]

    engine(types.SimpleNamespace(name="excel", type="desktop", prepare_xl_data_element=prepare,
                                 clean_value_data=clean))
    assert conversion.write([[1, "a", None]], None, {"convert": Cells}) == [[1.0, "a", ""]]
    assert conversion.read(None, (("a",), ("b",)), {"convert": Cells, "ndim": 2}) == [["read:a"], ["read:b"]]


def test_every_formula_takes_its_ranges_and_spills_its_result_through_cells():
    sys.path.insert(0, str(Path(__file__).parent))
    from xlwings_windows import import_fresh, windows_decorators

    with windows_decorators():
        formulas = import_fresh("udfs.formulas")
        converter = sys.modules["udfs.formulas._xl"].Cells  # the freshly imported class the options hold
        registered = {name: getattr(formulas, name).__xlfunc__ for name in dir(formulas) if name.startswith("KEHU_")}
    import_fresh("udfs.formulas")  # back to the pass-through decorators for other tests
    assert len(registered) >= 25
    for name, xlf in registered.items():
        assert xlf["ret"]["options"].get("convert") is converter, name
        ranges = [a for a in xlf["args"] if a["options"].get("ndim") == 2]
        assert ranges and all(a["options"].get("convert") is converter for a in ranges), name
