"""What the data sheet's print setup costs the write-back: `write_results` on the bench register with the print
setup (a copy's default: the data sheet is read once more for the setup it already has, then its footer,
margins, page setup and print names are added) and without it (`print_setup=False`, as `--in-place` writes),
one run, the same added columns as benchmarks/bench_write.py. Wall and CPU seconds and the load average are
printed, because the machine is shared.

Usage: python benchmarks/bench_print_setup.py [ROWS ...]     (default 100000; the register is cached)
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_write import added_columns  # noqa: E402
from benchmarks.make_register import make_register  # noqa: E402


def timed(register: Path, n: int, out: Path, print_setup: bool) -> tuple[float, float]:
    from addin.write import AddedColumn, write_results

    cols = [AddedColumn(h, v, number_format=f) for h, v, f in added_columns(n)]
    wall, cpu = time.perf_counter(), time.process_time()
    write_results(register, out, sheet="客户档案", header_row=1, rows=np.arange(2, n + 2), columns=cols,
                  extent=(n + 1, 15), print_setup=print_setup)
    return time.perf_counter() - wall, time.process_time() - cpu


def main(sizes: list[int]) -> None:
    for n in sizes:
        register = Path(make_register(n))
        with tempfile.TemporaryDirectory() as tmp:
            timed(register, n, Path(tmp) / "warm.xlsx", False)   # file cache and imports warm for both
            without = timed(register, n, Path(tmp) / "plain.xlsx", False)
            with_setup = timed(register, n, Path(tmp) / "printed.xlsx", True)
        print(f"{n:>9,} rows  load {os.getloadavg()[0]:.1f}  without print setup {without[0]:.2f} s wall / "
              f"{without[1]:.2f} s CPU   with {with_setup[0]:.2f} s wall / {with_setup[1]:.2f} s CPU   "
              f"extra CPU {with_setup[1] - without[1]:+.2f} s")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100_000])
