"""u-probabilities on Spark, measured as udfs.match.scoring.estimate_u measures them locally.

Locally the graded levels come from `random_pairs` row pairs drawn with the settings' seed, and exact
agreement from value frequencies (Σ f²). Here the same seeded positions are drawn (they depend only on the
row count), only those rows' keys are brought to the driver (≤ 2 × random_pairs rows, whatever the table
size) and compared with kehu's own compare_pairs; the value frequencies are a Spark groupBy.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from udfs.match.keytable import KeyTable
from udfs.match.scoring import estimate_u, random_pairs
from udfs.match.settings import MatchSettings
from addin.spark.rows import ROW


def sample_positions(n: int, settings: MatchSettings) -> tuple[np.ndarray, np.ndarray]:
    """The row pairs estimate_u draws for a table of n rows (same generator, seed and order of draws)."""
    return random_pairs(n, settings)


def exact_counts(keys, names: list[str]) -> dict[str, tuple[float, float]]:
    """(pairs sharing a value, pairs of present values) for every key, from one Spark job.

    The keys are stacked as (key, value) rows and counted by one groupBy, rather than one job per key:
    at any size the per-job cost (planning, scheduling, a shuffle's files) is what a job per key adds."""
    from pyspark.sql import functions as F
    if not names:
        return {}
    stacked = keys.select(F.explode(F.array(*[F.struct(F.lit(i).alias("_k"), F.col(f"`{n}`").alias("_v"))
                                                for i, n in enumerate(names)])).alias("_kv")).select("_kv.*")
    per_value = stacked.where(F.col("_v").isNotNull()).groupBy("_k", "_v").count()
    found = {r["_k"]: r for r in per_value.groupBy("_k").agg(
        F.sum(F.col("count") * (F.col("count") - 1) / 2).alias("same"), F.sum("count").alias("present")).collect()}
    out = {}
    for i, name in enumerate(names):
        row = found.get(i)
        present = float(row["present"]) if row is not None else 0.0
        out[name] = (float(row["same"]) if row is not None else 0.0, present * (present - 1) / 2)
    return out


def spark_u(keys, n_rows: int, settings: MatchSettings) -> dict[str, dict[str, float]]:
    """The u dictionary estimate_u would give for the table behind `keys` (ROW + key columns)."""
    from pyspark.sql import functions as F
    a, b = sample_positions(n_rows, settings)
    wanted = np.unique(np.concatenate([a, b]))
    chosen = keys.sparkSession.createDataFrame(pd.DataFrame({ROW: wanted.astype(np.int64)}))
    sample = keys.join(F.broadcast(chosen), ROW).toPandas().set_index(ROW).loc[wanted].reset_index(drop=True)
    sample = sample.astype(object).where(sample.notna(), None)
    table = KeyTable(sample)
    counted = exact_counts(keys, [c.key for c in settings.comparisons])
    return estimate_u(table, settings, pairs=(np.searchsorted(wanted, a), np.searchsorted(wanted, b)),
                      exact_counts=counted.__getitem__)
