"""The Spark stages (keys per Arrow batch, blocking joins) on generated registers: time, peak driver
memory, shuffle bytes. Usage: python benchmarks/bench_spark.py [ROWS ...] (default 1000000), local[2].

The register is generated once at 100,000 rows and repeated with shifted mobiles and e-mails for larger
sizes, written to Parquet, then read by Spark, so the driver never holds the big table.
"""
from __future__ import annotations

import json
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
from addin.spark.blocking import candidate_pairs  # noqa: E402
from addin.spark.keys import spark_keys  # noqa: E402
from addin.spark.rows import with_row_positions  # noqa: E402
from addin.spark.session import spark_session  # noqa: E402

PIECE = 100_000


def _write_parquet(n_rows: int, folder: Path) -> dict[str, str]:
    base, _ = generate_register(min(n_rows, PIECE), seed=2026)
    base = base.astype(str).where(base.notna(), None)
    roles = recognise_columns(base)
    for i in range(-(-n_rows // PIECE)):
        part = base.copy()
        for col, role in roles.items():  # each copy other customers: shift the identifiers
            if role in ("mobile", "email", "id_number") and i:
                part[col] = part[col].where(part[col].isna(), part[col] + f"{i}")
        part.head(n_rows - i * PIECE).to_parquet(folder / f"part-{i:05d}.parquet", index=False)
    return roles


def _shuffle_bytes(spark) -> int:
    """Shuffle bytes written by all stages so far, from the Spark UI's REST API."""
    url = spark.sparkContext.uiWebUrl
    if not url:
        return -1
    app = spark.sparkContext.applicationId
    with urllib.request.urlopen(f"{url}/api/v1/applications/{app}/stages") as reply:
        return sum(s.get("shuffleWriteBytes", 0) for s in json.load(reply))


def _jvm_peak_mb(spark) -> float:
    """Peak resident memory of the driver JVM (local mode: the executors live in it too)."""
    pid = spark.sparkContext._gateway.proc.pid
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return -1.0


def run(n_rows: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        roles = _write_parquet(n_rows, folder)
        spark = spark_session("local[2]", shuffle_partitions=8, app="kehu-bench")
        settings = default_settings(roles).restricted_to(roles.values())
        t0 = time.perf_counter()
        rows = with_row_positions(spark.read.parquet(str(folder)))
        keys = spark_keys(rows, roles, settings)
        keys.write.parquet(str(folder / "keys"))
        t_keys = time.perf_counter() - t0
        keys = spark.read.parquet(str(folder / "keys"))
        t1 = time.perf_counter()
        n_pairs = candidate_pairs(keys, settings.blocking).count()
        t_block = time.perf_counter() - t1
        out = {"rows": n_rows, "keys_s": round(t_keys, 1), "blocking_s": round(t_block, 1),
               "candidate_pairs": n_pairs, "shuffle_MB": round(_shuffle_bytes(spark) / 1e6, 1),
               "peak_driver_python_MB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
               "peak_jvm_MB": _jvm_peak_mb(spark)}
        spark.stop()
        return out


if __name__ == "__main__":
    for size in [int(a) for a in sys.argv[1:]] or [1_000_000]:
        print(json.dumps(run(size), ensure_ascii=False), flush=True)
