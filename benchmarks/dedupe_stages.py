"""Where `kehu dedupe` spends its time: the command run in this process with wall and CPU timers around each
stage (start-up imports, reading, the engine, the typed table, merging, writing). bench_dedupe.py's cli_speed
runs it in a fresh process after the end-to-end run.  Usage: python benchmarks/dedupe_stages.py IN.xlsx OUT.xlsx
"""
import time

START = time.perf_counter(), time.process_time()   # before any import: start-up counts from here

import importlib  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


#: (module, function, stage) timed: where `kehu dedupe` spends its time outside the engine
STAGES = [("addin.commands.running", "read_table", "reading the register"),
          ("addin.jobs.dedupe", "find_duplicates", "engine (find_duplicates)"),
          ("addin.jobs.dedupe", "typed_table", "typed table (cleaned values for 去重结果)"),
          ("addin.jobs.dedupe", "merge_duplicates", "merging (golden records, merge log)"),
          ("addin.jobs.dedupe", "_pairs_for_review", "pair list for review"),
          ("addin.commands.running", "write_to_file", "writing the workbook"),
          ("addin.write.writeback", "write_stream", "  of which streamed sheets (data, lists)")]


def stages_on(src: str, out: str) -> None:
    """`kehu dedupe SRC -o OUT` in this process, wall and CPU seconds per stage."""
    start = START
    spent: dict[str, list[float]] = {}

    def timed(fn, stage):
        def wrapper(*args, **kwargs):
            t, c = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                total = spent.setdefault(stage, [0.0, 0.0])
                total[0] += time.perf_counter() - t
                total[1] += time.process_time() - c
        return wrapper

    from addin import cli
    from addin.commands import dedupe as door
    spent["start-up (imports, from the process start)"] = [time.perf_counter() - start[0], time.process_time()]
    for module, name, stage in STAGES:
        mod = importlib.import_module(module)
        setattr(mod, name, timed(getattr(mod, name), stage))
    door.run_dedupe = timed(door.run_dedupe, "command (all but start-up)")
    sys.argv = ["kehu", "dedupe", src, "-o", out, "--quiet"]
    try:
        cli.main()
    except SystemExit:
        pass
    spent["total"] = [time.perf_counter() - start[0], time.process_time()]
    for stage, (wall, cpu) in spent.items():
        print(f"{stage:<42} {wall:6.2f} s wall {cpu:6.2f} s CPU")


if __name__ == "__main__":
    stages_on(sys.argv[1], sys.argv[2])
