"""The per-row columns of the workbook output (重复组, 重复标记, 相似度, 匹配依据), from groups and pairs, as
udfs.match.engine._row_flags and udfs.match.review.possible_group_labels make them — as Spark joins and
windows, so no column of the whole table is gathered anywhere."""
from __future__ import annotations

from udfs.match.engine import FLAG, GROUP, REASON, SIMILARITY, UNIQUE
from udfs.match.review import POSSIBLE_PREFIX
from udfs.match.scoring import DUPLICATE, POSSIBLE
from addin.spark.blocking import A, B
from addin.spark.cluster import GROUP_ID, LABEL, components
from addin.spark.rows import ROW

PARTNER_ROW = "_partner"


def shown_pairs(scored, groups, settings):
    """Pairs the output explains: inside one group, or at least 疑似 likely (engine.find_duplicates' `shown`)."""
    from pyspark.sql import functions as F
    ga = groups.select(F.col(ROW).alias(A), F.col(GROUP_ID).alias("_ga"))
    gb = groups.select(F.col(ROW).alias(B), F.col(GROUP_ID).alias("_gb"))
    with_groups = scored.join(ga, A, "left").join(gb, B, "left")
    same = F.col("_ga").isNotNull() & (F.col("_ga") == F.col("_gb"))
    return (with_groups.withColumn("same_group", F.coalesce(same, F.lit(False)))
            .where(F.col("same_group") | (F.col("probability") >= settings.possible_probability))
            .select(A, B, "probability", "verdict", "same_group", F.when(same, F.col("_ga")).alias(GROUP_ID)))


def row_flags(explained, groups):
    """(ROW, _group, 重复标记, 相似度, 匹配依据, _partner) for every row with a group or a shown pair."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window
    ends = explained.select(F.col(A).alias(ROW), F.col(B).alias("_other"), F.lit(0).alias("_side"),
                            "probability", "same_group", "reason").unionByName(
        explained.select(F.col(B).alias(ROW), F.col(A).alias("_other"), F.lit(1).alias("_side"),
                         "probability", "same_group", "reason"))
    ends = ends.join(groups, ROW, "left")
    # a grouped row explains itself by its best pair inside its group; others by their best pair
    usable = ends.where(F.col(GROUP_ID).isNull() | F.col("same_group"))
    # ties as the local lexsort breaks them: a-side pairs before b-side ones, then by the other row
    best = Window.partitionBy(ROW).orderBy(F.col("probability").desc(), "_side", "_other")
    firsts = (usable.withColumn("_rank", F.row_number().over(best)).where(F.col("_rank") == 1)
              .select(ROW, F.round("probability", 4).alias(SIMILARITY), F.col("reason").alias(REASON),
                      F.col("_other").alias(PARTNER_ROW)))
    flagged = groups.join(firsts, ROW, "full")
    flag = F.when(F.col(GROUP_ID).isNotNull(), F.lit(DUPLICATE)).otherwise(F.lit(POSSIBLE))
    return flagged.withColumn(FLAG, flag)


def shown_group(flags):
    """(ROW, 重复组 as shown): group number, "疑似 g" for a 疑似 row whose partner is in group g, and for 疑似
    rows linked only to each other a new number per component after the last group, in row order."""
    from pyspark.sql import functions as F
    spark = flags.sparkSession
    last = flags.agg(F.max(GROUP_ID)).collect()[0][0] or 0
    partner_group = flags.select(F.col(ROW).alias(PARTNER_ROW), F.col(GROUP_ID).alias("_near"))
    possible = flags.where(F.col(FLAG) == POSSIBLE).join(partner_group, PARTNER_ROW, "left")
    near = possible.where(F.col("_near").isNotNull()).select(
        ROW, F.concat(F.lit(POSSIBLE_PREFIX), F.col("_near").cast("string")).alias(GROUP))
    loose = possible.where(F.col("_near").isNull()).select(
        F.least(ROW, PARTNER_ROW).alias(A), F.greatest(ROW, PARTNER_ROW).alias(B))
    # a component may reach a partner that is itself joined to a group: it keeps its 疑似 g, and the
    # component is numbered by its first loose row (the local loop's order of first appearance)
    labels = components(loose).join(possible.where(F.col("_near").isNull()).select(ROW), ROW)
    firsts = labels.groupBy(LABEL).agg(F.min(ROW).alias("_first"))
    numbers = firsts.orderBy("_first").rdd.zipWithIndex().map(
        lambda t: (int(t[0][LABEL]), POSSIBLE_PREFIX + str(int(t[1]) + 1 + last)))
    numbered = spark.createDataFrame(numbers, f"{LABEL} long, `{GROUP}` string")
    loose_rows = labels.join(numbered, LABEL).select(ROW, GROUP)
    grouped = flags.where(F.col(GROUP_ID).isNotNull()).select(ROW, F.col(GROUP_ID).cast("string").alias(GROUP))
    return grouped.unionByName(near).unionByName(loose_rows)


def flag_columns(rows, flags, shown):
    """rows plus the four added columns, in the workbook's order (rows with no pair: 唯一, empty cells)."""
    from pyspark.sql import functions as F
    out = rows.join(flags.select(ROW, FLAG, SIMILARITY, REASON), ROW, "left").join(shown, ROW, "left")
    return out.withColumn(FLAG, F.coalesce(F.col(FLAG), F.lit(UNIQUE))).select(
        *[F.col(f"`{c}`") for c in rows.columns], GROUP, FLAG, SIMILARITY, REASON)
