"""Door-independent entry points of the Spark engine: `dedupe_on_spark` and `clean_on_spark`.

Both read CSV/Parquet files (folder, glob or list), write an output folder (rows as Parquet or CSV
parts, a summary workbook) and return a summary dict like the local commands' run_* functions. The
CLI's `--engine spark` calls them through addin/spark/door.py (run_spark), which turns a missing Java
or pyspark into kehu's two-line message and exit code.
"""
from __future__ import annotations

import time
from pathlib import Path

from addin.errors import ExitCode, KehuError
from udfs.match.settings import MatchSettings
from addin.spark.output import (SAMPLE_PAIRS, SETTINGS_FILE, SUMMARY_BOOK, prepare_folder, write_summary_book,
                                write_table)
from addin.spark.progress import StageProgress
from addin.spark.rows import ROW
from addin.spark.session import cut, spark_session

#: rows the column roles are recognised from (headers and the first rows' contents, as a sheet is)
ROLE_SAMPLE_ROWS = 5000
ROW_NUMBER = "行号"


def _roles(rows, roles, overrides: dict | None = None):
    """The given roles, or those recognised from the first rows (as a sheet's are), with --map's overrides."""
    from pyspark.sql import functions as F
    from udfs.recognise.roles import recognise_columns
    if roles is None:
        sample = rows.where(F.col(ROW) < ROLE_SAMPLE_ROWS).orderBy(ROW).drop(ROW).toPandas()
        roles = recognise_columns(sample)
    if overrides:
        roles = {c: r for c, r in {**roles, **overrides}.items() if r and c in rows.columns}
    return roles


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


def clean_on_spark(inputs, out: Path, *, master: str = "local[*]", progress=None, fmt: str = "parquet",
                   overwrite: bool = False, roles: dict | None = None, today=None, region: str | None = None,
                   phone_format: str = "e164", role_overrides: dict | None = None,
                   shuffle_partitions: int | None = None) -> dict:
    """Clean the files `inputs` on Spark; write `out`/rows (input + normalised columns + 问题), `out`/problems
    (the 问题清单 lines) and summary.xlsx (counts, problems by type)."""
    from pyspark.sql import functions as F
    from addin.spark.clean import (PROBLEMS, added_columns, kept_optional, spark_clean, spark_region,
                                   with_duplicate_ids)
    from addin.spark.inputs import input_files, read_text_table
    from udfs.cleaning import PROBLEM_HEADER
    from addin.jobs.clean import PHONE_FORMATS
    if phone_format not in PHONE_FORMATS:
        raise KehuError(f"--phone-format 只能是 e164 或 national，收到“{phone_format}”。",
                        f"--phone-format must be e164 or national; got '{phone_format}'.", ExitCode.USAGE)
    t0 = time.perf_counter()
    out = Path(out)
    files = input_files(inputs)
    prepare_folder(out, overwrite)
    spark = spark_session(master, shuffle_partitions)
    with StageProgress(spark, progress) as tracker:
        tracker.step("read")
        rows = cut(read_text_table(spark, files))
        roles = _roles(rows, roles, role_overrides)
        if not roles:
            raise KehuError("输入文件里没有 kehu 认识的列。请用 kehu inspect 查看表头。",
                            "No column of the input files was recognised. Look at the headers with kehu inspect.",
                            ExitCode.INPUT_CONTENT)
        tracker.step("region")
        found, how = spark_region(rows, roles, region)
        tracker.step("ids")
        flagged = with_duplicate_ids(rows, roles)
        tracker.step("clean")
        columns = [c for c in rows.columns if c != ROW]
        added = added_columns(columns, roles)
        cleaned = cut(spark_clean(flagged, roles, region=found, today=today, national=phone_format == "national"))
        shown = kept_optional(cleaned, added)
        kept = [a.header for a in added if not a.optional or a.header in shown]
        tracker.step("summary")
        listing = cleaned.select(ROW, F.posexplode(PROBLEMS).alias("_i", "_p"))
        by_type = (listing.groupBy(F.col("_p.`代码`").alias("代码"), F.col("_p.`问题`").alias("问题"))
                   .agg(F.count(F.lit(1)).alias("数量"), F.countDistinct(ROW).alias("涉及行数"))
                   .orderBy(F.desc("数量"), F.desc("涉及行数"), "代码").toPandas())
        n_rows = rows.count()
        rows_with = cleaned.where(F.size(PROBLEMS) > 0).count()
        tracker.step("write")
        table = rows.join(cleaned.select(ROW, *[F.col(f"`{h}`") for h in kept + [PROBLEM_HEADER]]), ROW)
        write_table(_numbered(table).orderBy(ROW_NUMBER), out / "rows", fmt)
        problems = listing.select((F.col(ROW) + 1).alias(ROW_NUMBER), "_i", "_p.*").orderBy(ROW_NUMBER, "_i").drop("_i")
        write_table(problems, out / "problems", fmt)
    counts = {"rows": n_rows, "rows_with_problems": rows_with, "rows_without_problems": n_rows - rows_with,
              "problems": int(by_type["数量"].sum()) if len(by_type) else 0, "added_columns": kept + [PROBLEM_HEADER],
              "region": found, "region_how": how, "roles": roles, "files": len(files), "master": master,
              "seconds": round(time.perf_counter() - t0, 1)}
    write_summary_book(out / SUMMARY_BOOK, f"问题清单（Spark）：{n_rows} 行客户中 {rows_with} 行有问题，共 {counts['problems']} 个问题",
                       counts, None, by_type[["问题", "数量", "涉及行数", "代码"]], sample_sheet="问题类型")
    return {"ok": True, "engine": "spark", "output": str(out), **counts,
            "problems_by_type": [{"code": c, "problem": p, "count": int(n), "rows": int(r)} for c, p, n, r in
                                 zip(by_type["代码"], by_type["问题"], by_type["数量"], by_type["涉及行数"])]}
