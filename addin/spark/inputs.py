"""Which files a Spark run reads (a folder, a glob, or a list of CSV/Parquet files) and reading them as text."""
from __future__ import annotations

import glob as globbing
from pathlib import Path

from addin.errors import ExitCode, KehuError
from addin.spark.rows import with_file_positions

SUFFIXES = (".csv", ".parquet")


def input_files(inputs) -> list[str]:
    """Sorted file list: a folder gives its .csv/.parquet files, a glob its matches; remote URLs pass as given."""
    items = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
    files: list[str] = []
    for item in items:
        text = str(item)
        if "://" in text:  # hdfs://, s3a:// …: the cluster lists those itself
            files.append(text)
        elif Path(text).is_dir():
            files += sorted(str(p) for p in Path(text).iterdir() if p.suffix.lower() in SUFFIXES)
        elif any(ch in text for ch in "*?["):
            files += sorted(globbing.glob(text))
        else:
            files.append(text)
    missing = [f for f in files if "://" not in f and not Path(f).is_file()]
    if not files or missing:
        raise KehuError(f"找不到输入文件：{missing[0] if missing else inputs}",
                        f"No input file found: {missing[0] if missing else inputs}", ExitCode.INPUT_FILE)
    kinds = {Path(f).suffix.lower() for f in files}
    if not kinds <= set(SUFFIXES) or len(kinds) > 1:
        raise KehuError("Spark 引擎只读取 CSV 或 Parquet 文件（同一次运行只用一种）。",
                        "The Spark engine reads CSV or Parquet files (one kind per run).", ExitCode.INPUT_FILE)
    return files


def read_text_table(spark, files: list[str]):
    """All columns as text plus ROW (file order): what the local reader hands the engine, cell by cell."""
    from pyspark.sql import functions as F
    if files[0].lower().endswith(".parquet"):
        df = spark.read.parquet(*files)
        df = df.select(*[F.col(f"`{c}`").cast("string").alias(c) for c in df.columns])
    else:
        df = spark.read.option("header", True).option("encoding", "UTF-8").csv(files)
    return with_file_positions(df)
