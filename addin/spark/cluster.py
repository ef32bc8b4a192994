"""Duplicate groups on Spark with kehu's rule (udfs/match/cluster.py): connected components over 重复 pairs,
then the components of 3..MAX_COMPLETED_COMPONENT rows go whole to the local cluster_pairs, which scores
their uncompared pairs and splits a component where a cannot-link pair sits inside. Components are small
(a few rows), so they are handed over many at a time: every component falls into one bucket (a hash of
its label), and one pandas call runs cluster_pairs over a bucket's components together (components are
independent, so that is each component's own result); the graph as a whole never meets the driver.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from udfs.match.cluster import MAX_COMPLETED_COMPONENT, cluster_pairs
from udfs.match.compare import compare_pairs
from udfs.match.scoring import DUPLICATE, score_pairs
from udfs.match.settings import MatchSettings
from addin.spark.blocking import A, B
from addin.spark.pair_keys import member_keys, tf_keys
from addin.spark.rows import ROW
from addin.spark.session import cut

LABEL, GROUP_ID = "_label", "_group"
BUCKET = "_bucket"
#: rows of the table per bucket of the cannot-link split: one Python call per bucket, not per component
#: (a call costs milliseconds, ~1,000 times a component's work), and a bucket's rows stay a few MB
ROWS_PER_BUCKET = 50_000


def components(edges):
    """(ROW, _label) for every row on an edge: the smallest row of its connected component.

    Min-label propagation with pointer jumping; each round is a join and a groupBy, and rounds stop when
    no label changes (a handful for duplicate graphs, whose components are a few rows wide)."""
    from pyspark.sql import functions as F
    both = edges.select(F.col(A).alias("_v"), F.col(B).alias("_w")).unionByName(
        edges.select(F.col(B).alias("_v"), F.col(A).alias("_w")))
    labels = both.groupBy("_v").agg(F.least(F.min("_w"), F.first("_v")).alias(LABEL)).localCheckpoint()
    while True:
        seen = both.join(labels.withColumnRenamed("_v", "_w"), "_w").groupBy("_v").agg(F.min(LABEL).alias("_seen"))
        lowered = labels.join(seen, "_v").select("_v", F.least(LABEL, "_seen").alias(LABEL))
        jumps = lowered.select(F.col("_v").alias("_l"), F.col(LABEL).alias("_jump"))
        jumped = (lowered.join(jumps, lowered[LABEL] == jumps["_l"], "left")
                  .select("_v", F.coalesce("_jump", LABEL).alias(LABEL))).localCheckpoint()
        changed = jumped.join(labels.withColumnRenamed(LABEL, "_old"), "_v").where(F.col(LABEL) != F.col("_old")).count()
        labels = jumped
        if changed == 0:
            return labels.withColumnRenamed("_v", ROW)


def cluster(scored, keyed, names: list[str], settings: MatchSettings, n_rows: int, present: dict[str, float]):
    """(ROW, _group) for rows in a duplicate group, groups numbered 1.. in order of their first row."""
    from pyspark.sql import functions as F
    labels = components(scored.where(F.col("verdict") == DUPLICATE).select(A, B))
    sizes = labels.groupBy(LABEL).agg(F.count(F.lit(1)).alias("_size"))
    labels = labels.join(sizes, LABEL)
    buckets = max(1, -(-n_rows // ROWS_PER_BUCKET))

    def bucket(label: str):  # the same bucket for a component's members and its pairs
        return F.pmod(F.xxhash64(F.col(label)), F.lit(buckets)).alias(BUCKET)

    to_check = labels.where((F.col("_size") >= 3) & (F.col("_size") <= MAX_COMPLETED_COMPONENT)).select(ROW, LABEL)
    members = to_check.join(keyed, ROW).select("*", bucket(LABEL))
    la = to_check.select(F.col(ROW).alias(A), F.col(LABEL).alias("_la"))
    lb = to_check.select(F.col(ROW).alias(B), F.col(LABEL).alias("_lb"))
    inside = (scored.join(la, A).join(lb, B).where(F.col("_la") == F.col("_lb"))
              .select(bucket("_la"), A, B, "probability", "verdict", "vetoed"))
    # cut: the split is read twice below (kept groups' sizes, numbering); without it the Python runs again
    split = cut(members.groupBy(BUCKET).cogroup(inside.groupBy(BUCKET))
                .applyInPandas(_splitter(names, settings, n_rows, present), f"{ROW} long, {LABEL} long"))
    kept = labels.where((F.col("_size") < 3) | (F.col("_size") > MAX_COMPLETED_COMPONENT)).select(ROW, LABEL)
    final = kept.unionByName(split)
    grouped = final.join(final.groupBy(LABEL).agg(F.count(F.lit(1)).alias("_n")).where(F.col("_n") >= 2), LABEL)
    return grouped.join(_numbered(grouped.select(LABEL).distinct()), LABEL).select(ROW, GROUP_ID)


def _numbered(labels):
    """_label → 1, 2, … in label order (labels are first rows, so groups follow row order), distributed and
    in the JVM: the labels sorted (range-partitioned), cut so the numbering reads one fixed order, then
    numbered like row positions (an offset per partition), without a row going through Python."""
    from pyspark.sql import functions as F
    from addin.spark.rows import with_row_positions
    ordered = cut(labels.select(LABEL).orderBy(LABEL))
    return with_row_positions(ordered).select(LABEL, (F.col(ROW) + 1).alias(GROUP_ID))


def _splitter(names, settings, n_rows, present):
    tf = tf_keys(settings)

    def split(members: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
        """One bucket: the members of some whole components and the scored pairs inside them."""
        members = members.sort_values(ROW).reset_index(drop=True)
        rows = members[ROW].to_numpy(np.int64)
        keys = member_keys(members, names, tf, present)
        a = np.searchsorted(rows, pairs[A].to_numpy(np.int64))
        b = np.searchsorted(rows, pairs[B].to_numpy(np.int64))
        order = np.lexsort((b, a))  # candidate pairs in the local engine's order
        a, b, pairs = a[order], b[order], pairs.iloc[order]
        p = pairs["probability"].to_numpy(np.float64)
        cannot = pairs["vetoed"].to_numpy(bool) | (p < settings.cannot_link_probability)

        def score_more(x: np.ndarray, y: np.ndarray) -> np.ndarray:
            extra = score_pairs(keys, x, y, compare_pairs(keys, x, y, settings.comparisons), settings, n_rows=n_rows)
            return extra.vetoed | (extra.probability < settings.cannot_link_probability)

        groups = cluster_pairs(len(rows), a, b, p, pairs["verdict"].to_numpy(object) == DUPLICATE, cannot, score_more)
        # a group's label is its first row (as the local split labels it); a row split off stands alone
        first = pd.Series(rows).groupby(groups).transform("min").to_numpy(np.int64)
        return pd.DataFrame({ROW: rows, LABEL: np.where(groups > 0, first, rows)})

    return split
