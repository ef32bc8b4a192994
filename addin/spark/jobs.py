"""Door-independent entry points of the Spark engine: `dedupe_on_spark` and `clean_on_spark`.

Both read CSV/Parquet files (folder, glob or list), write an output folder (rows as Parquet or CSV
parts, a summary workbook) and return a summary dict like the local commands' run_* functions. The
CLI's `--engine spark` calls them through addin/spark/door.py (run_spark), which turns a missing Java
or pyspark into kehu's two-line message and exit code.
"""
from __future__ import annotations

import time
from pathlib import Path

from udfs.match.settings import MatchSettings
from addin.spark.output import (SAMPLE_PAIRS, SETTINGS_FILE, SUMMARY_BOOK, prepare_folder, write_summary_book,
                                write_table)
from addin.spark.progress import StageProgress
from addin.spark.rows import ROW
from addin.spark.session import spark_session

#: rows the column roles are recognised from (headers and the first rows' contents, as a sheet is)
ROLE_SAMPLE_ROWS = 5000
ROW_NUMBER = "行号"


def _roles(rows, roles):
    from pyspark.sql import functions as F
    from udfs.recognise.roles import recognise_columns
    if roles is not None:
        return roles
    sample = rows.where(F.col(ROW) < ROLE_SAMPLE_ROWS).orderBy(ROW).drop(ROW).toPandas()
    return recognise_columns(sample)


def _numbered(df):
    """ROW (0-based) → 行号 (1-based data line), the first column of the output."""
    from pyspark.sql import functions as F
    name = ROW_NUMBER if ROW_NUMBER not in df.columns else "kehu_" + ROW_NUMBER
    return df.select((F.col(ROW) + 1).alias(name), *[F.col(f"`{c}`") for c in df.columns if c != ROW])


def dedupe_on_spark(inputs, out: Path, *, settings: MatchSettings | None = None, master: str = "local[*]",
                    progress=None, fmt: str = "parquet", overwrite: bool = False, roles: dict | None = None,
                    duplicate: float | None = None, possible: float | None = None,
                    shuffle_partitions: int | None = None) -> dict:
    """Flag duplicates in the files `inputs` on Spark; write `out`/rows, `out`/pairs, summary.xlsx, settings."""
    from addin.spark.dedupe import spark_find_duplicates
    from addin.spark.inputs import input_files, read_text_table
    t0 = time.perf_counter()
    out = Path(out)
    files = input_files(inputs)
    prepare_folder(out, overwrite)
    spark = spark_session(master, shuffle_partitions)
    with StageProgress(spark, progress) as tracker:
        tracker.step("read")
        rows = read_text_table(spark, files)
        roles = _roles(rows, roles)
        found = spark_find_duplicates(rows, roles, settings, duplicate=duplicate, possible=possible,
                                      step=tracker.step)
        tracker.step("write")
        write_table(_numbered(found.rows).orderBy(ROW_NUMBER), out / "rows", fmt)
        write_table(found.pairs.orderBy("行A", "行B"), out / "pairs", fmt)
        sample = found.pairs.orderBy("相似度", "行A", ascending=[False, True]).limit(SAMPLE_PAIRS).toPandas()
    settings_json = found.settings.to_json()
    (out / SETTINGS_FILE).write_text(settings_json, encoding="utf-8")
    counts = {**found.counts, "roles": roles, "files": len(files), "master": master,
              "seconds": round(time.perf_counter() - t0, 1)}
    write_summary_book(out / SUMMARY_BOOK, f"查重（Spark）：{found.counts['rows']} 行，重复组 {found.counts['groups']} 个",
                       counts, settings_json, sample)
    return {"ok": True, "engine": "spark", "output": str(out), **counts}
