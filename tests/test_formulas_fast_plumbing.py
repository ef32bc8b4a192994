"""The faster range plumbing (issue 17) gives every formula exactly the results the previous one gave.

The previous `column_in` / `column_out` / `table_out` are kept below as written before; each formula runs
on varied columns (register-like values from the benchmark's generator mixed with blanks, whitespace,
NaN, numbers, booleans, datetimes, full-width text and one-character strings) once with the current
plumbing and once with the previous one patched in, and the cells must match in value and type.
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from benchmarks.bench_normalise import generate
from udfs.formulas import _xl, clean, segment


def _old_trim_range(values):
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
    while end and all(_old_blank(v) for v in rows[end - 1]):
        end -= 1
    return rows[:end]


def _old_blank(v):
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return isinstance(v, str) and v.strip() == ""


def _old_column_in(values):
    rows = _old_trim_range(values)
    flat = [r[0] if len(r) == 1 else r for r in rows]
    if rows and len(rows) == 1 and len(rows[0]) > 1:
        flat = list(rows[0])
    return pd.Series(flat, dtype=object).map(lambda v: None if _old_blank(v) else v)


def _old_column_out(values):
    return [[_xl.excel_value(v)] for v in values]


def _old_table_out(df, header=False):
    body = [[_xl.excel_value(v) for v in row] for row in df.itertuples(index=False, name=None)]
    return ([list(map(str, df.columns))] + body) if header else body


ODD = [None, "", "   ", "\u3000", float("nan"), 0.0, -1.5, 1e15, 13800138000.0, True, False, "a", "张",
       dt.datetime(2024, 2, 29, 13, 5), dt.date(2023, 1, 1), "１３８００１３８０００", "  x  ", "NULL", "—",
       np.float64(3.0), 7]


def _column(values, seed, rows_as_lists=False):
    """Values as xlwings hands a column over (rows of one cell), a fifth of them replaced by odd cells."""
    rng = np.random.default_rng(seed)
    cells = list(values)
    for i in rng.choice(len(cells), len(cells) // 5, replace=False).tolist():
        cells[i] = ODD[int(rng.integers(0, len(ODD)))]
    cells += [None, "  ", None]  # trailing blanks, as a whole-column reference ends
    return [[c] for c in cells] if rows_as_lists else tuple((c,) for c in cells)


def _cells(result):
    return [[(type(v).__name__, "nan" if isinstance(v, float) and v != v else v) for v in row] for row in result]


N = 5000


@pytest.fixture(scope="module")
def data():
    d = generate(N, seed=20261201)
    rng = np.random.default_rng(4)
    d["last"] = [dt.datetime(2024, 6, 30) - dt.timedelta(days=int(x)) for x in rng.integers(0, 900, N)]
    d["frequency"] = rng.integers(1, 40, N).astype(float).tolist()
    d["spend"] = np.round(rng.gamma(2.0, 3000.0, N), 2).tolist()
    d["status"] = rng.choice(["意向客户", "签单客户", "无效客户", "丢单客户", "其他"], N).tolist()
    d["score"] = rng.integers(1, 6, N).astype(float).tolist()
    return d


CLEAN = [("KEHU_MOBILE", "mobile", ()), ("KEHU_MOBILE", "mobile", (True,)), ("KEHU_PHONE", "mobile", ()),
         ("KEHU_PHONE", "mobile", (True,)), ("KEHU_EMAIL", "email", ()), ("KEHU_IDCHECK", "id", ()),
         ("KEHU_IDCHECK", "id", (True,)), ("KEHU_USCCCHECK", "uscc", ()), ("KEHU_NAMEKEY", "name", ()),
         ("KEHU_NAMEKEY", "name", (True,)), ("KEHU_NAME", "name", ()), ("KEHU_COMPANYKEY", "company", ()),
         ("KEHU_DATE", "date", ()), ("KEHU_AMOUNT", "amount", ()), ("KEHU_GENDER", "gender", ()),
         ("KEHU_TEXT", "name", ()), ("KEHU_PROVINCE", "province", ()), ("KEHU_CITY", "city", ()),
         ("KEHU_ADDRESS", "address", ())]


def _both(monkeypatch, call):
    new = call()
    with monkeypatch.context() as m:
        for module in (clean, segment):
            m.setattr(module, "column_in", _old_column_in)
            m.setattr(module, "column_out", _old_column_out)
            m.setattr(module, "table_out", _old_table_out)
        old = call()
    return new, old


@pytest.mark.parametrize("name,key,extra", CLEAN, ids=[f"{n}{'-TRUE' if e else ''}" for n, _, e in CLEAN])
def test_clean_formula_results_unchanged(monkeypatch, data, name, key, extra):
    column = _column(data[key], seed=len(name) + len(extra))
    new, old = _both(monkeypatch, lambda: getattr(clean, name)(column, *extra))
    assert len(new) == len(old) and len(new) >= N - 3
    assert _cells(new) == _cells(old)


def test_segment_formula_results_unchanged(monkeypatch, data):
    last, freq, spend = (_column(data[k], seed=i, rows_as_lists=True) for i, k in enumerate(["last", "frequency", "spend"]))
    as_of = dt.datetime(2024, 6, 30)
    rfm_new, rfm_old = _both(monkeypatch, lambda: segment.KEHU_RFM(last, freq, spend, as_of))
    assert _cells(rfm_new) == _cells(rfm_old)
    r, f, m = ([[row[k]] for row in rfm_new] for k in range(3))
    seg_new, seg_old = _both(monkeypatch, lambda: segment.KEHU_SEGMENT(r, f, m))
    assert _cells(seg_new) == _cells(seg_old)
    segs = [row[:1] for row in seg_new]
    status = _column(data["status"], seed=9)
    for call in (lambda: segment.KEHU_CUSTOMER_TYPE(segs, last, as_of),
                 lambda: segment.KEHU_TIER(spend),
                 lambda: segment.KEHU_NEXT_CALL(status, last, as_of),
                 lambda: segment.KEHU_NEXT_CALL(status, last, as_of, True)):
        new, old = _both(monkeypatch, call)
        assert _cells(new) == _cells(old)


@pytest.mark.parametrize("values", [None, [], [[None]], [["a"]], [[1.0, 2.0, None]], [["a", "b"], ["c", None]],
                                    ("ab", "c"), [["x"], [], ["y"]], 5.0, "text", np.array([[1.0], [np.nan]]),
                                    pd.DataFrame({"a": [1.0, None]}), [[" "], [None]]])
def test_column_in_same_on_odd_ranges(values):
    new, old = _xl.column_in(values), _old_column_in(values)
    assert new.dtype == old.dtype
    assert new.tolist() == old.tolist() or (new.isna() == old.isna()).all()


def test_column_in_same_dtype_and_values_on_generated_columns(data):
    for i, key in enumerate(["mobile", "date", "amount", "last", "frequency", "score", "gender"]):
        for as_lists in (False, True):
            column = _column(data[key], seed=100 + i, rows_as_lists=as_lists)
            new, old = _xl.column_in(column), _old_column_in(column)
            assert new.dtype == old.dtype, key
            pd.testing.assert_series_equal(new, old)


@pytest.mark.parametrize("dtype", ["datetime64[ns]", "datetime64[us]", "datetime64[s]"])
def test_datetime_columns_out_as_excel_value_gives_them(dtype):
    rng = np.random.default_rng(17)
    stamps = pd.Series(pd.Timestamp("2000-01-01") + pd.to_timedelta(rng.integers(0, 10**9, 2000), unit="s"))
    stamps[rng.choice(2000, 300, replace=False)] = pd.NaT
    stamps = stamps.astype(dtype)
    assert _cells(_xl.column_out(stamps)) == _cells(_old_column_out(stamps))
    frame = pd.DataFrame({"when": stamps, "text": ["a"] * 2000, "n": np.arange(2000)})
    assert _cells(_xl.table_out(frame)) == _cells(_old_table_out(frame))
    assert _cells(_xl.table_out(frame, header=True)) == _cells(_old_table_out(frame, header=True))


def test_numeric_columns_out_as_excel_value_gives_them():
    rng = np.random.default_rng(18)
    floats = rng.normal(size=3000)
    floats[rng.choice(3000, 400, replace=False)] = np.nan
    frame = pd.DataFrame({"i": rng.integers(-5, 5, 3000), "u": rng.integers(0, 9, 3000).astype(np.uint8),
                          "f": floats, "f32": floats.astype(np.float32), "b": rng.random(3000) > .5,
                          "nullable": pd.array(rng.integers(0, 3, 3000), dtype="Int64"), "o": [None, 1, "x"] * 1000})
    frame.loc[5, "nullable"] = pd.NA
    assert _cells(_xl.table_out(frame)) == _cells(_old_table_out(frame))
    for name in frame.columns:
        assert _cells(_xl.column_out(frame[name])) == _cells(_old_column_out(frame[name])), name


def _old_idcheck_detail(values):
    """KEHU_IDCHECK(…, TRUE) as it was: a frame of the four columns through the previous table_out."""
    from udfs.validate.identity import check_resident_id
    result = check_resident_id(_old_column_in(values))
    out = pd.DataFrame({"id18": result["id18"], "birth": result["birth_date"], "gender": result["gender"],
                        "problem": clean._messages(result["problem"])})
    return _old_table_out(out)


def test_idcheck_detail_unchanged(data):
    column = _column(data["id"], seed=31)
    assert _cells(clean.KEHU_IDCHECK(column, True)) == _cells(_old_idcheck_detail(column))
