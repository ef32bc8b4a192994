"""Row positions 0..n-1 in file order, computed inside Spark (no row goes through Python or the driver)."""
from __future__ import annotations

ROW = "_kehu_row"


def with_row_positions(df):
    """df plus ROW: the row's position in the input order, as the local engine numbers rows."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    tagged = df.withColumn("_mid", F.monotonically_increasing_id()).withColumn("_pid", F.spark_partition_id())
    sizes = tagged.groupBy("_pid").agg(F.count(F.lit(1)).alias("_n"), F.min("_mid").alias("_first"))
    # offset of each partition = rows in earlier partitions (one row per partition: a tiny window)
    offsets = sizes.withColumn("_offset", F.coalesce(
        F.sum("_n").over(Window.orderBy("_pid").rowsBetween(Window.unboundedPreceding, -1)), F.lit(0)))
    joined = tagged.join(F.broadcast(offsets.select("_pid", "_offset", "_first")), "_pid")
    return (joined.withColumn(ROW, (F.col("_offset") + F.col("_mid") - F.col("_first")).cast("long"))
            .drop("_mid", "_pid", "_offset", "_first"))


def with_file_positions(df):
    """df read from files plus ROW: position in (file name, line) order, as the files read one after another.

    Spark packs file pieces into partitions largest first, so partition order is not file order; each
    piece (file, byte offset) is one run of consecutive lines, so pieces are ordered by (file, offset) and
    numbered with the same per-piece offsets as with_row_positions (one row per piece reaches the window)."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    tagged = (df.withColumn("_mid", F.monotonically_increasing_id())
              .withColumn("_file", F.col("_metadata.file_path"))
              .withColumn("_start", F.col("_metadata.file_block_start")))
    pieces = tagged.groupBy("_file", "_start").agg(F.count(F.lit(1)).alias("_n"), F.min("_mid").alias("_first"))
    offsets = pieces.withColumn("_offset", F.coalesce(F.sum("_n").over(
        Window.orderBy("_file", "_start").rowsBetween(Window.unboundedPreceding, -1)), F.lit(0)))
    joined = tagged.join(F.broadcast(offsets.select("_file", "_start", "_offset", "_first")), ["_file", "_start"])
    return (joined.withColumn(ROW, (F.col("_offset") + F.col("_mid") - F.col("_first")).cast("long"))
            .drop("_mid", "_file", "_start", "_offset", "_first"))
