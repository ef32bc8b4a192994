"""Print the one-file kehu executable's size and its start-up time (`kehu --help`, median of 5 runs).

    python benchmarks/bench_exe.py                 # builds the executable first (a few minutes)
    python benchmarks/bench_exe.py dist/kehu       # measures an executable built earlier

For comparison it also times `python -m addin --help` and one real command (`inspect` on the bundled
sample register) through both. Runs use an empty environment, as the tests do.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "workbook_templates" / "samples" / "sample_register.xlsx"
RUNS = 5


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def median_time(argv: list[str], env: dict[str, str]) -> float:
    timed(argv, env)  # one warm-up run: the first read of a 70 MB file from disk is not what users see twice
    return statistics.median(timed(argv, env) for _ in range(RUNS))


def main() -> None:
    if len(sys.argv) > 1:
        exe = Path(sys.argv[1])
        build_seconds = None
    else:
        sys.path.insert(0, str(ROOT))
        from addin.exe.build import build_exe

        work = Path(tempfile.mkdtemp(prefix="kehu-exe-"))
        start = time.perf_counter()
        exe = build_exe(work / "dist", work / "work")
        build_seconds = time.perf_counter() - start
        shutil.rmtree(work / "work", ignore_errors=True)  # PyInstaller's intermediate files; the exe stays
    clean_env = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp")}
    py_env = {**os.environ, "PYTHONPATH": str(ROOT)}
    python = [sys.executable, "-m", "addin"]

    print(f"executable            {exe}")
    if build_seconds is not None:
        print(f"build time            {build_seconds:6.1f} s")
    print(f"size                  {exe.stat().st_size / 1e6:6.1f} MB")
    print(f"kehu --help           {median_time([str(exe), '--help'], clean_env):6.2f} s   (median of {RUNS}; target < 2 s)")
    print(f"python -m addin --help{median_time(python + ['--help'], py_env):6.2f} s")
    print(f"kehu inspect sample   {median_time([str(exe), 'inspect', str(SAMPLE)], clean_env):6.2f} s")
    print(f"python inspect sample {median_time(python + ['inspect', str(SAMPLE)], py_env):6.2f} s")
    print(f"cores                 {os.cpu_count()}   load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
