"""The normalisers' column kernels against their per-value functions, interleaved in one process.

Run: python benchmarks/bench_formulas_kernels.py [rows] [rounds]   (default 100000 rows, 3 rounds)

On a shared machine two runs minutes apart see different loads, so this times each formula with the
kernels on and off (the per-value path every kernel falls back to: `_unique._apply` without its `batch`)
alternately, round after round, and prints the minimum CPU and wall seconds of each and their ratio,
with the load average. The formulas are called on Excel-shaped columns (tuples of one cell) from the
benchmark generator, without xlwings' conversion (bench_formulas.py times that).
"""
from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_normalise import generate  # noqa: E402
from udfs.formulas import clean  # noqa: E402
from udfs.normalise import _unique  # noqa: E402

FORMULAS = [("KEHU_MOBILE", "mobile"), ("KEHU_PHONE", "mobile"), ("KEHU_TEXT", "name"),
            ("KEHU_NAMEKEY", "name"), ("KEHU_COMPANYKEY", "company"), ("KEHU_ADDRESS", "address"),
            ("KEHU_USCCCHECK", "uscc")]


def _per_value(func, uniques, batch=None):
    return _WITH_KERNELS(func, uniques)  # the batch left out: one call of func per distinct value


_WITH_KERNELS = _unique._apply


def main(n: int, rounds: int) -> None:
    data = generate(n, 11)
    print(f"{n:,} rows, {rounds} rounds; CPU / wall seconds, minimum over the rounds")
    print(f"{'formula':<18}{'kernels':>9}{'per-value':>11}{'ratio':>7}{'wall k':>8}{'wall pv':>9}")
    for name, column in FORMULAS:
        cells = tuple((float(v) if isinstance(v, int) else v,) for v in data[column])
        formula = getattr(clean, name)
        formula(cells[:100])
        best = {"k": [9e9, 9e9], "pv": [9e9, 9e9]}
        for _ in range(rounds):
            for mode in ("k", "pv"):
                _unique._apply = _WITH_KERNELS if mode == "k" else _per_value
                gc.collect()
                cpu, wall = time.process_time(), time.perf_counter()
                formula(cells)
                best[mode] = [min(best[mode][0], time.process_time() - cpu),
                              min(best[mode][1], time.perf_counter() - wall)]
        _unique._apply = _WITH_KERNELS
        k, pv = best["k"], best["pv"]
        print(f"{name:<18}{k[0]:>9.2f}{pv[0]:>11.2f}{k[0] / pv[0]:>7.2f}{k[1]:>8.2f}{pv[1]:>9.2f}", flush=True)
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, int(sys.argv[2]) if len(sys.argv) > 2 else 3)
