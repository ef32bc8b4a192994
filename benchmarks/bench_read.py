"""Read and write-back benchmark (issues 2 and 19): kehu's reader and writer against python-calamine alone.

For registers of 10,000, 100,000 and 1,048,576 rows × 15 columns it prints two tables, each step measured
in a fresh process so peak memory is that step's own.

Reading (issue 19), CPU seconds (time.process_time, what to compare on a shared machine), wall seconds
and peak MB of:
  calamine   — the floor: python-calamine reading the sheet to Python values
  read       — kehu's read_table (its imports done before the clock starts)
  before     — with --against CHECKOUT: the same read_table of another checkout (e.g. /work/main), in the
               same run, so both see the same machine load
  over floor — read CPU minus calamine CPU: what kehu adds (scan, header, frame)

Write-back (issue 2), wall seconds:
  calamine   — python-calamine reading the sheet to Python values (the floor)
  read       — kehu's read_table (sheet choice, header row, extent, roles)
  read+write — read_table, then write_results adding 5 columns into a copy
  add-cols   — the write step alone (read+write minus read)
  xw-cols    — the floor for writing the added columns: xlsxwriter (constant memory) writing the same
               5 columns × N rows into a fresh file
Target (issue 2): read+write ≤ 2 × (calamine + xw-cols), under 4 GB.

Usage: python benchmarks/bench_read.py [--read-only] [--against CHECKOUT] [--repeat K] [ROWS ...]
  --read-only  only the reading table
  --repeat K   each reading step K times, the lowest CPU kept (the machine is shared)
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.make_register import make_register  # noqa: E402

STEP = r'''
import json, resource, sys, time
sys.path.insert(0, {root!r})
path, step = {path!r}, {step!r}
if step == "read_table":   # the reading table times read_table itself, its imports done beforehand
    from addin.read import read_table
t0, c0 = time.perf_counter(), time.process_time()
if step == "xw-cols":
    import datetime as dt, xlsxwriter
    n = {n_rows}
    wb = xlsxwriter.Workbook(path.replace(".xlsx", ".cols.xlsx"), {{"constant_memory": True}})
    ws = wb.add_worksheet("cols")
    date_fmt, num_fmt = wb.add_format({{"num_format": "yyyy-mm-dd"}}), wb.add_format({{"num_format": "0.00"}})
    day = dt.datetime(2024, 3, 5)
    for i in range(n):
        ws.write_string(i, 0, "1380013%04d" % (i % 10000))
        if i % 7 == 0:
            ws.write_string(i, 1, "手机号位数不对")
        ws.write_number(i, 2, i // 3)
        ws.write_number(i, 3, i / max(n, 1), num_fmt)
        ws.write_datetime(i, 4, day, date_fmt)
    wb.close()
elif step == "calamine":
    from python_calamine import CalamineWorkbook
    rows = CalamineWorkbook.from_path(path).get_sheet_by_name("客户档案").to_python(skip_empty_area=False)
    n = len(rows)
else:
    from addin.read import read_table
    t = read_table(path)
    n = len(t.df)
    if step == "read+write":
        from addin.write import AddedColumn, write_results
        import numpy as np
        cols = [AddedColumn("手机(规范)", t.df["手机"].to_numpy()),
                AddedColumn("问题", np.where(np.arange(n) % 7 == 0, "手机号位数不对", None)),
                AddedColumn("重复组", np.arange(n) // 3),
                AddedColumn("相似度", np.linspace(0, 1, n), number_format="0.00"),
                AddedColumn("下次跟进", t.df["最近购买日期"].to_numpy(), number_format="yyyy-mm-dd")]
        out = path.replace(".xlsx", ".out.xlsx")
        write_results(path, __import__("pathlib").Path(out), sheet=t.sheet, header_row=t.header_row,
                      rows=t.rows, columns=cols)
secs, cpu = time.perf_counter() - t0, time.process_time() - c0
print(json.dumps({{"rows": n, "seconds": secs, "cpu": cpu,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
'''


def measure(path: Path, step: str, n_rows: int = 0, code_root: Path = ROOT) -> dict:
    code = STEP.format(root=str(code_root), path=str(path), step=step, n_rows=n_rows)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if proc.returncode:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def lowest_cpu(path: Path, step: str, repeat: int, code_root: Path = ROOT) -> dict:
    runs = [measure(path, step, code_root=code_root) for _ in range(repeat)]
    good = [r for r in runs if "error" not in r]
    return min(good, key=lambda r: r["cpu"]) if good else runs[0]


def _triple(r: dict | None) -> str:
    if r is None:
        return ""
    if "error" in r:
        return f"{'failed':>22}"
    return f"{r['cpu']:>7.2f} {r['seconds']:>7.2f} {r['peak_mb']:>6.0f}"


def reading(sizes: list[int], against: Path | None, repeat: int) -> None:
    """kehu's read_table against the calamine floor (and against another checkout's), CPU and wall."""
    head = f"{'rows':>10} | {'calamine cpu/wall/MB':>22} | {'read cpu/wall/MB':>22} | {'over floor':>10}"
    if against is not None:
        head += f" | {'before cpu/wall/MB':>22} | {'before/read':>11}"
    print("read_table vs the calamine floor (CPU and wall seconds, peak MB)")
    print(head)
    for n in sizes:
        path = make_register(n)
        cal = lowest_cpu(path, "calamine", repeat)
        rd = lowest_cpu(path, "read_table", repeat)
        before = lowest_cpu(path, "read_table", repeat, against) if against is not None else None
        over = f"{rd['cpu'] - cal['cpu']:>10.2f}" if "error" not in rd and "error" not in cal else f"{'':>10}"
        line = f"{n:>10} | {_triple(cal)} | {_triple(rd)} | {over}"
        if before is not None:
            ratio = before["cpu"] / rd["cpu"] if "error" not in before and "error" not in rd else float("nan")
            line += f" | {_triple(before)} | {ratio:>10.2f}x"
        print(line, flush=True)


def write_back(sizes: list[int]) -> None:
    print("read and write-back (wall seconds; issue 2 target: read+write <= 2 x (calamine + xw-cols))")
    print(f"{'rows':>10} {'calamine s':>11} {'read s':>8} {'read+write s':>13} {'add-cols s':>11} "
          f"{'xw-cols s':>10} {'ratio':>6} {'peak MB':>8}")
    for n in sizes:
        path = make_register(n)
        cal, rd, rw = (measure(path, s) for s in ("calamine", "read", "read+write"))
        xw = measure(path, "xw-cols", n)
        if "error" in rw:
            print(f"{n:>10} {cal.get('seconds', 0):>11.2f} {rd.get('seconds', 0):>8.2f}  write failed: {rw['error']}")
            continue
        add = max(rw["seconds"] - rd["seconds"], 0.0)
        ratio = rw["seconds"] / (cal["seconds"] + xw["seconds"])
        print(f"{n:>10} {cal['seconds']:>11.2f} {rd['seconds']:>8.2f} {rw['seconds']:>13.2f} {add:>11.2f} "
              f"{xw['seconds']:>10.2f} {ratio:>6.2f} {max(rd['peak_mb'], rw['peak_mb']):>8.0f}")


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rows", nargs="*", type=int, default=[10_000, 100_000, 1_048_576])
    ap.add_argument("--against", type=Path, help="another kehu checkout whose read_table is measured too")
    ap.add_argument("--read-only", action="store_true", help="only the reading table")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each reading step (lowest CPU kept)")
    args = ap.parse_args(argv)
    reading(args.rows, args.against, max(args.repeat, 1))
    if not args.read_only:
        print()
        write_back(args.rows)


if __name__ == "__main__":
    main(sys.argv[1:])
