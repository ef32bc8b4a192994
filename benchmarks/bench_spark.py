"""The whole Spark duplicate pipeline (addin/spark/dedupe.py: keys, u, blocking, compare + score, groups,
explanations, the row columns written as Parquet) on generated registers: wall and CPU seconds per stage
(the JVM's and the Python workers'), peak driver memory, shuffle bytes, executor CPU seconds and
job/stage/task counts (Spark's REST API), load average; one line per stage as it ends, then the totals.
Usage: python benchmarks/bench_spark.py [ROWS ...] (default 1000000), local[2].

The register is generated in pieces of 100,000 rows, each piece other people (its own seed, its own
customer numbers) drawn from the same name, city and company distributions, so same-name strangers and
shared switchboard numbers grow with the size as they do in a real customer base; each piece is written to
Parquet and read back by Spark, so the driver never holds the big table. (Until 2026-12-02 the larger sizes
were copies of one piece with shifted mobiles: at 10,000,000 rows that makes every name + city + birth date
a block of 100 clones, which no register has.)
Shuffle partitions: 8 per 1,000,000 rows (at least 8); the driver JVM heap is KEHU_SPARK_DRIVER_MEMORY.
"""
from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.chinese_register import generate_register  # noqa: E402
from udfs.match.engine import default_settings  # noqa: E402
from udfs.recognise.roles import recognise_columns  # noqa: E402
from addin.spark.dedupe import spark_find_duplicates  # noqa: E402
from addin.spark.rows import with_row_positions  # noqa: E402
from addin.spark.session import spark_session  # noqa: E402

PIECE = 100_000


def _write_parquet(n_rows: int, folder: Path) -> dict[str, str]:
    roles: dict[str, str] = {}
    for i in range(-(-n_rows // PIECE)):
        part, _ = generate_register(min(PIECE, n_rows - i * PIECE), seed=2026 + i)
        part = part.astype(str).where(part.notna(), None)
        roles = roles or recognise_columns(part)
        ids = [col for col, role in roles.items() if role == "customer_id"]
        for col in ids:  # customer numbers are unique across the pieces, as in one CRM
            part[col] = part[col].where(part[col].isna(), f"P{i:03d}-" + part[col].astype(str))
        part.to_parquet(folder / f"part-{i:05d}.parquet", index=False)
    return roles


def _stage_metrics(spark) -> dict:
    """Totals over all stages so far, from the Spark UI's REST API: shuffle bytes written, executor CPU
    seconds (the Python workers' time inside the tasks included), stages and tasks."""
    url = spark.sparkContext.uiWebUrl
    if not url:
        return {}
    app = spark.sparkContext.applicationId
    with urllib.request.urlopen(f"{url}/api/v1/applications/{app}/stages", timeout=120) as reply:
        stages = json.load(reply)
    with urllib.request.urlopen(f"{url}/api/v1/applications/{app}/jobs", timeout=120) as reply:
        jobs = len(json.load(reply))
    return {"shuffle_bytes": sum(s.get("shuffleWriteBytes", 0) for s in stages),
            "executor_cpu_s": sum(s.get("executorCpuTime", 0) for s in stages) / 1e9,
            "executor_run_s": sum(s.get("executorRunTime", 0) for s in stages) / 1e3,
            "jobs": jobs, "stages": len(stages), "tasks": sum(s.get("numTasks", 0) for s in stages)}


def _jvm_peak_mb(spark) -> float:
    """Peak resident memory of the driver JVM (local mode: the executors live in it too)."""
    pid = spark.sparkContext._gateway.proc.pid
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return -1.0


def _jvm_cpu_s(spark) -> float:
    """CPU seconds of the driver JVM so far (user + system; local mode: the executors' JVM work too)."""
    pid = spark.sparkContext._gateway.proc.pid
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _workers_cpu_s(spark) -> float:
    """CPU seconds of the Python workers so far (local mode: the JVM's child processes, the pandas UDFs'
    own work, which the REST API's executorCpuTime leaves out): live descendants' own and reaped
    children's time, plus what the JVM has reaped."""
    pid = spark.sparkContext._gateway.proc.pid
    tick = os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]))
    children: dict[int, list[int]] = {}
    for child, (parent, _) in stats.items():
        children.setdefault(parent, []).append(child)
    total, todo = 0, list(children.get(pid, []))
    while todo:
        p = todo.pop()
        total += stats[p][1]
        todo += children.get(p, [])
    jvm = (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split())
    return (total + int(jvm[13]) + int(jvm[14])) / tick


def run(n_rows: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        roles = _write_parquet(n_rows, folder)
        spark = spark_session("local[2]", shuffle_partitions=max(8, 8 * n_rows // 1_000_000), app="kehu-bench")
        stages: dict[str, float] = {}
        clock = {"name": None, "t": time.perf_counter()}

        def step(name: str) -> None:
            now = time.perf_counter()
            if clock["name"]:
                stages[clock["name"]] = round(now - clock["t"], 1)
                # each stage as it ends, so a run stopped part-way still leaves its figures
                cpu = {"jvm_cpu_s": _jvm_cpu_s(spark), "workers_cpu_s": _workers_cpu_s(spark)}
                spent = {k: round(v - clock.get(k, 0.0), 1) for k, v in cpu.items()}
                clock.update(cpu)
                print(json.dumps({"rows": n_rows, "stage": clock["name"], "wall_s": stages[clock["name"]],
                                  "stage_cpu_s": spent,
                                  "so_far": {k: round(v, 1) for k, v in _stage_metrics(spark).items()},
                                  "load_average": os.getloadavg()}, ensure_ascii=False), flush=True)
            clock.update(name=name, t=now)

        t0, cpu0, jvm0, workers0 = time.perf_counter(), time.process_time(), _jvm_cpu_s(spark), _workers_cpu_s(spark)
        clock.update(jvm_cpu_s=jvm0, workers_cpu_s=workers0)
        rows = with_row_positions(spark.read.parquet(str(folder)))
        found = spark_find_duplicates(rows, roles, step=step)
        step("write")
        found.rows.write.parquet(str(folder / "out"))
        step("done")
        out = {"rows": n_rows, "wall_s": round(time.perf_counter() - t0, 1),
               "driver_python_cpu_s": round(time.process_time() - cpu0, 1),
               "jvm_cpu_s": round(_jvm_cpu_s(spark) - jvm0, 1),
               "python_workers_cpu_s": round(_workers_cpu_s(spark) - workers0, 1), "stages_s": stages,
               "candidate_pairs": found.counts["candidate_pairs"], "groups": found.counts["groups"],
               **{("shuffle_MB" if k == "shuffle_bytes" else k): round(v / 1e6 if k == "shuffle_bytes" else v, 1)
                  for k, v in _stage_metrics(spark).items()},
               "peak_driver_python_MB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
               "peak_jvm_MB": _jvm_peak_mb(spark), "load_average": os.getloadavg()}
        spark.stop()
        return out


if __name__ == "__main__":
    for size in [int(a) for a in sys.argv[1:]] or [1_000_000]:
        print(json.dumps(run(size), ensure_ascii=False), flush=True)
