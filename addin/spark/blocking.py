"""Blocking as Spark joins: the local rules (udfs.match.blocking) with the same window guard.

Each rule numbers the rows of a block by (sort key, row position), exactly the local lexsort order
(missing sort keys last), and pairs every row with the next `window` rows of the block: a self-join on
(block, number + step). A block of a whole company's switchboard yields its neighbours only, never rows².
"""
from __future__ import annotations

from udfs.match.settings import BlockingRule
from addin.spark.rows import ROW

A, B = "a", "b"


def rule_pairs(keys, rule: BlockingRule):
    """DataFrame (a, b), a < b: the pairs of one rule, as udfs.match.blocking.rule_pairs gives them."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    missing = F.lit(False)
    for k in rule.keys:
        missing = missing | F.col(f"`{k}`").isNull()
    block = F.concat_ws("\u241f", *[F.col(f"`{k}`") for k in rule.keys])
    rows = keys.where(~missing).select(ROW, block.alias("_block"),
                                       (F.col(f"`{rule.sort_by}`") if rule.sort_by else F.lit(None).cast("string"))
                                       .alias("_sort"))
    order = Window.partitionBy("_block").orderBy(F.col("_sort").asc_nulls_last(), F.col(ROW))
    numbered = rows.withColumn("_n", F.row_number().over(order)).select("_block", "_n", ROW)
    steps = keys.sparkSession.range(1, rule.window + 1).withColumnRenamed("id", "_step")
    left = numbered.crossJoin(F.broadcast(steps)).withColumn("_n", F.col("_n") + F.col("_step"))
    right = numbered.withColumnRenamed(ROW, "_other")
    joined = left.join(right, ["_block", "_n"])
    return joined.select(F.least(ROW, "_other").alias(A), F.greatest(ROW, "_other").alias(B))


def candidate_pairs(keys, rules: list[BlockingRule]):
    """Distinct (a, b) pairs over all rules (udfs.match.blocking.candidate_pairs, distributed)."""
    found = None
    for rule in rules:
        pairs = rule_pairs(keys, rule)
        found = pairs if found is None else found.unionByName(pairs)
    if found is None:
        return keys.sparkSession.createDataFrame([], f"{A} long, {B} long")
    return found.distinct()
