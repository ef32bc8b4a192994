"""`kehu mask` on generated registers: the masked copy against reading the same file (the floor it cannot beat).

Prints, per size: read (kehu's read_table of the register, the comparison), mask (mask_file: every sheet read,
the masks, the package rewritten), wall and CPU seconds, and the load average at the time. The machine is
shared: compare the figures of one run.

Usage: python benchmarks/bench_mask.py [ROWS ...]   (default 10000 100000)
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.make_register import make_register  # noqa: E402


def timed(func):
    wall, cpu = time.perf_counter(), time.process_time()
    result = func()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main(sizes: list[int]) -> None:
    from addin.jobs.mask import mask_file
    from addin.read import read_table

    for n in sizes:
        source = make_register(n)
        load = os.getloadavg()[0]
        _, read_wall, read_cpu = timed(lambda: read_table(source))
        with tempfile.TemporaryDirectory() as folder:
            results, mask_wall, mask_cpu = timed(lambda: mask_file(source, Path(folder) / "masked.xlsx"))
        print(f"{n:>9,} rows  load {load:4.1f}  read {read_wall:6.1f} s wall {read_cpu:6.1f} s CPU   "
              f"mask {mask_wall:6.1f} s wall {mask_cpu:6.1f} s CPU   ({results.summary['masked_texts']:,} texts)")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
