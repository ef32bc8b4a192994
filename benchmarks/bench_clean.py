"""`kehu clean` end to end (read, recognise, normalise, validate, write back) on generated registers.

Prints wall time and peak memory for each size, each run in a fresh process, plus how much of the
time is reading and how much is normalising/validating. Target (issue 3): 1,048,576 rows in ≤ 30 s
and ≤ 4 GB on 2 cores.

Usage: python benchmarks/bench_clean.py [ROWS ...]   (default 100000 1048576)
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.make_register import make_register  # noqa: E402

RUN = r'''
import json, resource, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from addin.read import read_table
from addin.commands.clean import analyse_clean
from addin.book.file import write_to_file
peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # monotonic: the peak so far
t0 = time.perf_counter()
table = read_table({path!r})
rows, t1, m1 = len(table.df), time.perf_counter(), peak()
results = analyse_clean(table)
t2, m2 = time.perf_counter(), peak()
write_to_file(table, results, Path({out!r}), in_place=False)
t3 = time.perf_counter()
print(json.dumps({{"rows": rows, "read": t1 - t0, "clean": t2 - t1, "write": t3 - t2, "total": t3 - t0,
                  "problems": results.summary["problems"], "peak_read": m1, "peak_clean": m2, "peak_mb": peak()}}))
'''


def main(sizes: list[int]) -> None:
    print(f"{'rows':>10} {'read s':>8} {'clean s':>8} {'write s':>8} {'total s':>8} {'peak MB':>8} "
          f"{'(read':>6} {'clean)':>7} {'problems':>9}")
    for n in sizes:
        path = make_register(n)
        out = path.with_name(path.stem + ".cleaned.xlsx")
        proc = subprocess.run([sys.executable, "-c", RUN.format(root=str(ROOT), path=str(path), out=str(out))],
                              capture_output=True, text=True)
        if proc.returncode:
            print(f"{n:>10} failed: {proc.stderr.strip().splitlines()[-1]}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"{r['rows']:>10} {r['read']:>8.1f} {r['clean']:>8.1f} {r['write']:>8.1f} {r['total']:>8.1f} "
              f"{r['peak_mb']:>8.0f} {r['peak_read']:>6.0f} {r['peak_clean']:>7.0f} {r['problems']:>9}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100_000, 1_048_576])
