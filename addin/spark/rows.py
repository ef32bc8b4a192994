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
