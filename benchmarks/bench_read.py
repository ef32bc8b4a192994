"""Read and write-back benchmark (issue 2): kehu's reader and writer against python-calamine alone.

For registers of 10,000, 100,000 and 1,048,576 rows × 15 columns it prints, each measured in a fresh
process so peak memory is that step's own:
  calamine   — python-calamine reading the sheet to Python values (the floor)
  read       — kehu's read_table (sheet choice, header row, extent, roles)
  read+write — read_table, then write_results adding 5 columns into a copy
  add-cols   — the write step alone (read+write minus read)
  xw-cols    — the floor for writing the added columns: xlsxwriter (constant memory) writing the same
               5 columns × N rows into a fresh file
Target (issue 2): read+write ≤ 2 × (calamine + xw-cols), under 4 GB.

Usage: python benchmarks/bench_read.py [ROWS ...]
"""
from __future__ import annotations

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
t0 = time.perf_counter()
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
secs = time.perf_counter() - t0
print(json.dumps({{"rows": n, "seconds": secs, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
'''


def measure(path: Path, step: str, n_rows: int = 0) -> dict:
    code = STEP.format(root=str(ROOT), path=str(path), step=step, n_rows=n_rows)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if proc.returncode:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(sizes: list[int]) -> None:
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


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_048_576])
