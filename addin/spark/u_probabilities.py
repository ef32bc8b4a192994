"""u-probabilities on Spark, measured as udfs.match.scoring.estimate_u measures them locally.

Locally the graded levels come from `random_pairs` row pairs drawn with the settings' seed, and exact
agreement from value frequencies (Σ f²). Here the same seeded positions are drawn (they depend only on the
row count), only those rows' keys are brought to the driver (≤ 2 × random_pairs rows, whatever the table
size) and compared with kehu's own compare_pairs; the value frequencies are a Spark groupBy.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from udfs.match.compare import EXACT, LEVEL_NAMES, NULL, compare_pairs
from udfs.match.prepare import KeyTable
from udfs.match.scoring import u_prior
from udfs.match.settings import MatchSettings
from addin.spark.rows import ROW


def sample_positions(n: int, settings: MatchSettings) -> tuple[np.ndarray, np.ndarray]:
    """The row pairs estimate_u draws for a table of n rows (same generator, seed and order of draws)."""
    rng = np.random.default_rng(settings.seed)
    k = min(settings.random_pairs, max(n * (n - 1) // 2, 1))
    a = rng.integers(0, n, size=k) if n > 1 else np.zeros(0, np.int64)
    b = rng.integers(0, n, size=k) if n > 1 else np.zeros(0, np.int64)
    keep = a != b
    return a[keep], b[keep]


def _exact_counts(keys, name: str) -> tuple[float, float]:
    """(pairs sharing a value, pairs of present values) for one key, from a Spark groupBy."""
    from pyspark.sql import functions as F
    row = (keys.where(F.col(f"`{name}`").isNotNull()).groupBy(f"`{name}`").count()
           .agg(F.sum(F.col("count") * (F.col("count") - 1) / 2).alias("same"), F.sum("count").alias("present"))
           .collect()[0])
    present = float(row["present"] or 0)
    return float(row["same"] or 0), present * (present - 1) / 2


def spark_u(keys, n_rows: int, settings: MatchSettings) -> dict[str, dict[str, float]]:
    """The u dictionary estimate_u would give for the table behind `keys` (ROW + key columns)."""
    from pyspark.sql import functions as F
    a, b = sample_positions(n_rows, settings)
    wanted = np.unique(np.concatenate([a, b]))
    chosen = keys.sparkSession.createDataFrame(pd.DataFrame({ROW: wanted.astype(np.int64)}))
    sample = keys.join(F.broadcast(chosen), ROW).toPandas().set_index(ROW).loc[wanted].reset_index(drop=True)
    sample = sample.astype(object).where(sample.notna(), None)
    table = KeyTable(sample)
    levels = compare_pairs(table, np.searchsorted(wanted, a), np.searchsorted(wanted, b), settings.comparisons)
    alpha = settings.prior_pairs
    u: dict[str, dict[str, float]] = {}
    for comp in settings.comparisons:
        lv = levels[comp.key].to_numpy()
        present = lv != NULL
        total = int(present.sum())
        same_pairs, all_pairs = _exact_counts(keys, comp.key)
        out = {}
        for code, name in LEVEL_NAMES.items():
            if name not in comp.m or name == "differ":
                continue
            prior = u_prior(comp, name)
            if code == EXACT:
                out[name] = (same_pairs + alpha * prior) / (all_pairs + alpha)
            else:
                out[name] = (float((lv[present] == code).sum()) + alpha * prior) / (total + alpha)
        out["differ"] = max(1.0 - sum(out.values()), 1e-6)
        u[comp.key] = out
    return u
