"""`kehu clean` end to end (read, recognise, normalise, validate, write back) on generated registers.

For each size, each step in a fresh process (so peak RSS is that run's own), one run prints:
  read / clean / write / total — kehu's steps (clean = recognise + normalise + validate), wall and CPU seconds
  peak MB     — peak RSS of the whole run (ru_maxrss)
  calamine    — the read floor: python-calamine reading the sheet to Python values
  rustpy      — the write floor: rustpy-xlsxwriter writing the very columns clean added into a new file
and, at 10,000 rows, the `kehu clean` command itself (start-up included), the ribbon-click case.
With --dedupe the clean job runs as `kehu clean --dedupe` runs it (clean = clean + dedupe + merge).
Targets (issue 19): 1,048,576 rows ≤ 45 s and ≤ 3 GB, normalise + validate ≤ 12 s; with --dedupe ≤ 60 s and
≤ 4 GB; 10,000 rows ≤ 2 s.
The machine is shared: the load average is printed beside each size; compare figures of one run.

Usage: python benchmarks/bench_clean.py [--dedupe] [ROWS ...]   (default 10000 100000 1048576)
       KEHU_CODE=/path/to/other/checkout python benchmarks/bench_clean.py 10000   (measure that code instead)
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# the kehu checkout measured (default this one): set KEHU_CODE to another checkout to compare, e.g. main
CODE = Path(os.environ.get("KEHU_CODE", ROOT))

from benchmarks.make_register import make_register  # noqa: E402

RUN = r'''
import json, pickle, resource, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from addin.read import read_table
from addin.jobs.clean import CleanOptions, run
from addin.book.file import write_to_file
peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # monotonic: the peak so far
clock = lambda: (time.perf_counter(), time.process_time())
t0 = clock()
table = read_table({path!r})
t1, m1 = clock(), peak()
results = run(table, CleanOptions(dedupe={dedupe!r}))
t2, m2 = clock(), peak()
write_to_file(table, results, Path({out!r}), in_place=False)
t3 = clock()
with open({columns!r}, "wb") as f:   # for the write floor: the same columns, untimed
    pickle.dump({{str(c.header): c.values for c in results.columns}}, f)
step = lambda a, b: [b[0] - a[0], b[1] - a[1]]
print(json.dumps({{"rows": len(table.rows), "read": step(t0, t1), "clean": step(t1, t2), "write": step(t2, t3),
                  "total": step(t0, t3), "columns": len(results.columns), "peak_read": m1, "peak_clean": m2,
                  "peak_mb": peak()}}))
'''

CALAMINE = r'''
import json, time
from python_calamine import CalamineWorkbook
t = time.perf_counter(), time.process_time()
rows = CalamineWorkbook.from_path({path!r}).get_sheet_by_name("客户档案").to_python()
print(json.dumps([time.perf_counter() - t[0], time.process_time() - t[1]]))
'''

RUSTPY = r'''
import json, pickle, time
import pandas as pd
from rustpy_xlsxwriter import FastExcel
frame = pd.DataFrame(pickle.load(open({columns!r}, "rb")))
t = time.perf_counter(), time.process_time()
FastExcel({out!r}).sheet("added", frame).save()
print(json.dumps([time.perf_counter() - t[0], time.process_time() - t[1]]))
'''


def _child(code: str) -> dict | list | None:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if proc.returncode:
        print("   failed: " + (proc.stderr.strip().splitlines() or ["?"])[-1])
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _cli_seconds(path: Path, out: Path, dedupe: bool) -> tuple[float, float] | None:
    kehu = Path(sys.executable).with_name("kehu")
    command = [str(kehu)] if kehu.exists() else [sys.executable, "-m", "addin.cli"]
    env = dict(os.environ, PYTHONPATH=str(CODE))
    before = os.times()
    start = time.perf_counter()
    arguments = ["clean", str(path), "-o", str(out)] + ["--dedupe"] * dedupe
    proc = subprocess.run(command + arguments, capture_output=True, text=True, env=env, cwd=CODE)
    wall = time.perf_counter() - start
    after = os.times()
    if proc.returncode:
        print("   kehu clean failed: " + (proc.stderr.strip().splitlines() or ["?"])[-1])
        return None
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def main(sizes: list[int], dedupe: bool) -> None:
    command = "kehu clean --dedupe" if dedupe else "kehu clean"
    targets = "total ≤ 60 s, peak ≤ 4 GB" if dedupe else "total ≤ 45 s, peak ≤ 3 GB, clean ≤ 12 s"
    print(f"`{command}`; targets at 1,048,576 rows: {targets}; at 10,000 rows the command ≤ 2 s")
    print(f"{'rows':>10} {'':>5} {'read':>7} {'clean':>7} {'write':>7} {'total':>7} {'peak MB':>8} "
          f"{'calamine':>9} {'rustpy':>7} {'write/rustpy':>12} {'load':>5}")
    for n in sizes:
        path = make_register(n)
        with tempfile.TemporaryDirectory(dir=path.parent) as folder:
            out, columns = Path(folder) / "cleaned.xlsx", Path(folder) / "columns.pkl"
            load = os.getloadavg()[0]
            r = _child(RUN.format(root=str(CODE), path=str(path), out=str(out), columns=str(columns),
                                  dedupe=dedupe))
            if r is None:
                continue
            out.unlink()
            cal = _child(CALAMINE.format(path=str(path))) or [float("nan")] * 2
            rust = _child(RUSTPY.format(columns=str(columns), out=str(Path(folder) / "rustpy.xlsx"))) \
                or [float("nan")] * 2
            peak, load_text = f"{r['peak_mb']:.0f}", f"{load:.1f}"
            for i, kind in enumerate(("wall", "CPU")):
                print(f"{r['rows'] if i == 0 else '':>10} {kind:>5} {r['read'][i]:>7.1f} {r['clean'][i]:>7.1f} "
                      f"{r['write'][i]:>7.1f} {r['total'][i]:>7.1f} {peak if i == 0 else '':>8} "
                      f"{cal[i]:>9.1f} {rust[i]:>7.1f} {r['write'][i] / rust[i]:>12.2f} "
                      f"{load_text if i == 0 else '':>5}", flush=True)
            print(f"{'':>10} {r['columns']} columns added; peak MB after read {r['peak_read']:.0f}, "
                  f"after clean {r['peak_clean']:.0f}")
            if n <= 10_000:
                cli = _cli_seconds(path, out, dedupe)
                if cli:
                    print(f"{'':>10} `{command}` command, start-up included: {cli[0]:.2f} s wall, "
                          f"{cli[1]:.2f} s CPU (target ≤ 2 s)")


if __name__ == "__main__":
    args = sys.argv[1:]
    main([int(a) for a in args if a != "--dedupe"] or [10_000, 100_000, 1_048_576], "--dedupe" in args)
