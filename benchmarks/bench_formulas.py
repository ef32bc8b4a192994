"""Time every KEHU_ formula the way Excel calls it through xlwings, on 100,000 rows.

Run: python benchmarks/bench_formulas.py [rows] [--before REF]   (default 100000 rows, no "before")

With --before REF (e.g. main), the udfs/ of git revision REF is timed first in a child process on the
same inputs, and its CPU seconds are printed beside this checkout's with their ratio: on a shared
machine the ratio is what stays comparable from run to run.

Each call goes through what xlwings' `call_udf` does between VBA and the function: the formula carries
its real `__xlfunc__` metadata (xlwings' Windows decorators, as kehu.xlam's wrappers use them), the
arguments arrive as Excel hands them over — tuples of row tuples, None for blank cells, floats for
numbers, datetimes for date cells — and pass through `xlwings.conversion.read` with the argument's
options; the result goes through `xlwings.conversion.write` back to lists of lists. The engine under
the conversion runs the two per-cell data hooks of xlwings' Windows engine — their own source, taken
out of the installed `xlwings/_xlwindows.py` (benchmarks/xlwings_windows_hooks.py) — so what is timed is
kehu plus xlwings' real conversion; COM marshalling in Excel comes on top and is not measured here.
Printed per formula: CPU and wall seconds, and the CPU seconds of the three stages (xlwings'
conversion in, kehu's formula, xlwings' conversion out). Target: ≤ 1 s per column formula (judged on
CPU seconds: on a shared machine wall time also counts other processes).
"""
from __future__ import annotations

import datetime as dt
import gc
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from addin.xlam.udf_wrappers import _windows_registration  # noqa: E402
from benchmarks.bench_normalise import generate, revision_child  # noqa: E402
from benchmarks.xlwings_windows_hooks import load as windows_hooks  # noqa: E402

if sys.argv[1:2] == ["--child"]:  # timing another revision's udfs/ (see time_revision): it goes first,
    # after the imports above (bench_normalise puts this checkout first again when it is imported)
    sys.path.insert(0, sys.argv[2])
    import udfs  # noqa: E402

    if not Path(udfs.__file__).resolve().is_relative_to(Path(sys.argv[2]).resolve()):
        sys.exit(f"the 'before' child imported {udfs.__file__}, not the udfs/ of {sys.argv[2]}")

AS_OF = dt.datetime(2024, 6, 30)


def _excel_column(values) -> tuple:
    """A column as Excel passes a range: a tuple of 1-tuples, numbers as floats, blanks as None."""
    def cell(value):
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return None
        if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, np.floating):
            return float(value)
        return value
    return tuple((cell(value),) for value in values)


def _excel_table(columns: list[list], header: list[str] | None = None) -> tuple:
    rows = [tuple(row[0] for row in cells) for cells in zip(*(_excel_column(c) for c in columns))]
    return tuple(([tuple(header)] if header else []) + rows)


def _inputs(n: int, seed: int) -> dict[str, tuple]:
    data = generate(n, seed)
    rng = np.random.default_rng(seed + 1)
    last = [AS_OF - dt.timedelta(days=int(d)) for d in rng.integers(0, 900, n)]
    frequency = rng.integers(1, 40, n).astype(float)
    spend = np.round(rng.gamma(2.0, 3000.0, n), 2)
    likert = rng.choice([1.0, 2.0, 3.0, 4.0, 5.0, None], size=(n, 10), p=[.05, .08, .2, .4, .25, .02])
    recommend = rng.integers(0, 11, n).astype(float)
    status = rng.choice(["意向客户", "签单客户", "无效客户", "丢单客户"], n)
    header = ["姓名", "手机", "邮箱", "身份证号", "公司名称", "省份", "城市", "地址", "性别", "最近购买日期", "累计金额"]
    register = _excel_table([data["name"], data["mobile"], data["email"], data["id"], data["company"],
                             data["province"], data["city"], data["address"], data["gender"], data["date"],
                             data["amount"]], header)
    inputs = {key: _excel_column(values) for key, values in data.items()}
    inputs.update(
        register=register, last=_excel_column(last), frequency=_excel_column(frequency),
        spend=_excel_column(spend), item=_excel_column(likert[:, 0]), recommend=_excel_column(recommend),
        answers=tuple(tuple(row) for row in likert.tolist()), status=_excel_column(status),
        scores=_excel_column(np.linspace(60, 90, 10)), weights=_excel_column(np.arange(1.0, 11.0)),
    )
    return inputs


#: CPU seconds of the last timed call's three stages (xlwings in, kehu's formula, xlwings out)
STAGES = {"in": 0.0, "formula": 0.0, "out": 0.0}


def _call(formula, *args):
    """What xlwings.udfs.call_udf does around the function (conversion in, call, conversion out)."""
    from xlwings import conversion

    info = formula.__xlfunc__
    started = time.process_time()
    converted = [conversion.read(None, arg, info["args"][min(i, len(info["args"]) - 1)]["options"])
                 for i, arg in enumerate(args)]
    converted_at = time.process_time()
    result = formula(*converted)
    computed_at = time.process_time()
    written = conversion.write(result, None, info["ret"]["options"])
    STAGES.update({"in": converted_at - started, "formula": computed_at - converted_at,
                   "out": time.process_time() - computed_at})
    return written


def _runs(f, x: dict) -> list[tuple[str, bool, callable]]:
    """(label, is a column formula, thunk). Column formulas return one row per input row."""
    rfm = _call(f.KEHU_RFM, x["last"], x["frequency"], x["spend"], AS_OF)
    r, fr, m = (tuple((row[k],) for row in rfm) for k in range(3))
    segments = tuple((row[0],) for row in _call(f.KEHU_SEGMENT, r, fr, m))
    column = [
        ("KEHU_MOBILE", lambda: _call(f.KEHU_MOBILE, x["mobile"])),
        ("KEHU_MOBILE(…, TRUE)", lambda: _call(f.KEHU_MOBILE, x["mobile"], True)),
        ("KEHU_PHONE", lambda: _call(f.KEHU_PHONE, x["mobile"])),
        ("KEHU_EMAIL", lambda: _call(f.KEHU_EMAIL, x["email"])),
        ("KEHU_IDCHECK", lambda: _call(f.KEHU_IDCHECK, x["id"])),
        ("KEHU_IDCHECK(…, TRUE)", lambda: _call(f.KEHU_IDCHECK, x["id"], True)),
        ("KEHU_USCCCHECK", lambda: _call(f.KEHU_USCCCHECK, x["uscc"])),
        ("KEHU_NAMEKEY", lambda: _call(f.KEHU_NAMEKEY, x["name"])),
        ("KEHU_NAMEKEY(…, TRUE)", lambda: _call(f.KEHU_NAMEKEY, x["name"], True)),
        ("KEHU_NAME", lambda: _call(f.KEHU_NAME, x["name"])),
        ("KEHU_COMPANYKEY", lambda: _call(f.KEHU_COMPANYKEY, x["company"])),
        ("KEHU_DATE", lambda: _call(f.KEHU_DATE, x["date"])),
        ("KEHU_AMOUNT", lambda: _call(f.KEHU_AMOUNT, x["amount"])),
        ("KEHU_GENDER", lambda: _call(f.KEHU_GENDER, x["gender"])),
        ("KEHU_TEXT", lambda: _call(f.KEHU_TEXT, x["name"])),
        ("KEHU_PROVINCE", lambda: _call(f.KEHU_PROVINCE, x["province"])),
        ("KEHU_CITY", lambda: _call(f.KEHU_CITY, x["city"])),
        ("KEHU_ADDRESS", lambda: _call(f.KEHU_ADDRESS, x["address"])),
        ("KEHU_RFM", lambda: _call(f.KEHU_RFM, x["last"], x["frequency"], x["spend"], AS_OF)),
        ("KEHU_SEGMENT", lambda: _call(f.KEHU_SEGMENT, r, fr, m)),
        ("KEHU_CUSTOMER_TYPE", lambda: _call(f.KEHU_CUSTOMER_TYPE, segments, x["last"], AS_OF)),
        ("KEHU_TIER", lambda: _call(f.KEHU_TIER, x["spend"])),
        ("KEHU_NEXT_CALL", lambda: _call(f.KEHU_NEXT_CALL, x["status"], x["last"], AS_OF)),
        ("KEHU_VALID", lambda: _call(f.KEHU_VALID, x["answers"])),
    ]
    whole = [
        ("KEHU_CHECK (11-column register)", lambda: _call(f.KEHU_CHECK, x["register"])),
        ("KEHU_DEDUPE (11-column register)", lambda: _call(f.KEHU_DEDUPE, x["register"])),
        ("KEHU_CSAT", lambda: _call(f.KEHU_CSAT, x["item"])),
        ("KEHU_NPS(…, TRUE)", lambda: _call(f.KEHU_NPS, x["recommend"], True)),
        ("KEHU_ITEMSCORE", lambda: _call(f.KEHU_ITEMSCORE, x["item"])),
        ("KEHU_TOPBOX", lambda: _call(f.KEHU_TOPBOX, x["item"])),
        ("KEHU_DISTRIBUTION", lambda: _call(f.KEHU_DISTRIBUTION, x["item"])),
        ("KEHU_ALPHA (10 items)", lambda: _call(f.KEHU_ALPHA, x["answers"])),
        ("KEHU_SATINDEX (10 items)", lambda: _call(f.KEHU_SATINDEX, x["scores"], x["weights"])),
        ("KEHU_SIMILARITY (one pair)", lambda: _call(f.KEHU_SIMILARITY, "張偉", "张玮")),
    ]
    return [(label, True, thunk) for label, thunk in column] + [(label, False, thunk) for label, thunk in whole]


def measure(n: int, seed: int = 11, show=print) -> list[dict]:
    """Every formula timed once on n rows: label, column formula or not, CPU and wall seconds, stages."""
    import xlwings

    xlwings.engines.add(xlwings.main.Engine(impl=windows_hooks()))
    started = time.perf_counter()
    inputs = _inputs(n, seed)
    show(f"{n:,} rows, seed {seed} (inputs built in {time.perf_counter() - started:.1f} s)")
    timed = []
    with _windows_registration() as (_, formulas):
        # One small call each first: Excel pays the imports (pypinyin's tables …) once per session.
        for _, _, thunk in _runs(formulas, _inputs(200, seed + 2)):
            thunk()
        # The benchmark's own inputs (millions of cells for all formulas at once) are not in Excel's Python
        # process; keep the garbage collector from walking them on every collection.
        gc.collect()
        gc.freeze()
        covered = set()
        for label, is_column, thunk in _runs(formulas, inputs):
            covered.add(label.split()[0].split("(")[0])
            started, cpu_started = time.perf_counter(), time.process_time()
            result = thunk()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            timed.append({"label": label, "column": is_column, "cpu": cpu, "wall": seconds, **STAGES,
                          "rows": len(result) if isinstance(result, list) else 1})
        missing = sorted(name for name in dir(formulas) if name.startswith("KEHU_") and name not in covered)
    if missing:
        show("not timed: " + ", ".join(missing))
    gc.unfreeze()
    return timed


def time_revision(ref: str, n: int, seed: int) -> dict[str, float] | None:
    """{label: CPU seconds} for the udfs/ of git revision `ref`, timed in a child process."""
    return revision_child(ref, __file__, n, seed)


def main(n: int, seed: int = 11, before: str | None = None) -> None:
    old = time_revision(before, n, seed) if before else None
    timed = measure(n, seed)
    # CPU seconds are what the call costs; wall seconds also count time other processes took the cores.
    head = f"{'before':>8}{'ratio':>7}" if old else ""
    print(f"{'formula':<36}{'CPU s':>7}{head}{'wall s':>8}{'in':>6}{'kehu':>6}{'out':>6}{'rows out':>10}  note")
    for t in timed:
        note = ("ok" if t["cpu"] <= 1.0 else "> 1 s target") if t["column"] else ""
        was = old.get(t["label"]) if old else None
        extra = (f"{was:>8.2f}{t['cpu'] / was:>7.2f}" if was else f"{'':>15}") if old else ""
        # (a column ending in blank cells spills fewer rows: trimmed like A:A)
        print(f"{t['label']:<36}{t['cpu']:>7.2f}{extra}{t['wall']:>8.2f}{t['in']:>6.2f}{t['formula']:>6.2f}"
              f"{t['out']:>6.2f}{t['rows']:>10,}  {note}")
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}" + (f"; before = {before}" if old else ""))


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--child"]:
        rows = measure(int(args[2]), int(args[3]), show=lambda *_: None)
        print(json.dumps({t["label"]: t["cpu"] for t in rows}))
        sys.exit(0)
    ref = None
    if "--before" in args:
        k = args.index("--before")
        ref = args[k + 1]
        del args[k:k + 2]
    main(int(args[0]) if args else 100_000, before=ref)
