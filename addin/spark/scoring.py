"""Comparison, Fellegi–Sunter scoring and explanations of candidate pairs, per Arrow batch of pairs.

Spark joins both rows' keys onto each candidate pair; each batch then goes through kehu's own
compare_pairs, score_pairs and explain_pairs (addin/spark/pair_keys.py makes the batch a KeyTable), with
the settings object as it is: m from the settings, u as measured, term-frequency counts of the whole table.
"""
from __future__ import annotations

import pandas as pd

from udfs.match.compare import compare_pairs
from udfs.match.explain import explain_pairs
from udfs.match.scoring import score_pairs
from udfs.match.settings import MatchSettings
from addin.spark.blocking import A, B
from addin.spark.pair_keys import COUNT, stacked, tf_keys
from addin.spark.rows import ROW

SCORE_SCHEMA = f"{A} long, {B} long, probability double, bits double, verdict string, vetoed boolean"


def with_counts(keys, settings: MatchSettings):
    """(keys plus n_<key>: how many rows of the whole table hold the row's value, present size per key).

    Only term-frequency keys need them; the present sizes are one number per key (collected)."""
    from pyspark.sql import functions as F
    tf = tf_keys(settings)
    if not tf:
        return keys, {}
    # every key's present size from one aggregate (a job per key costs more than the counting)
    sizes = keys.agg(*[F.count(F.col(f"`{k}`")).alias(k) for k in tf]).collect()[0]
    for k in tf:
        counts = keys.where(F.col(f"`{k}`").isNotNull()).groupBy(f"`{k}`").agg(F.count(F.lit(1)).alias(COUNT + k))
        keys = keys.join(counts, k, "left")
    return keys, {k: float(sizes[k]) for k in tf}


def joined_pairs(pairs, keyed, names: list[str], settings: MatchSettings):
    """pairs (a, b, …) with a_<key> (+ n_<key>) of row a and b_<key> of row b."""
    from pyspark.sql import functions as F
    tf = tf_keys(settings)
    left = keyed.select(F.col(ROW).alias(A), *[F.col(f"`{n}`").alias(f"a_{n}") for n in names],
                        *[F.col(COUNT + k) for k in tf])
    right = keyed.select(F.col(ROW).alias(B), *[F.col(f"`{n}`").alias(f"b_{n}") for n in names])
    return pairs.join(left, A).join(right, B)


def score_candidates(pairs, keyed, names: list[str], settings: MatchSettings, n_rows: int,
                     present: dict[str, float]):
    """DataFrame (a, b, probability, bits, verdict, vetoed) per candidate pair, as score_pairs gives them."""
    tf = tf_keys(settings)

    def batches(frames):
        for batch in frames:
            keys, ia, ib = stacked(batch, names, tf, present)
            levels = compare_pairs(keys, ia, ib, settings.comparisons)
            s = score_pairs(keys, ia, ib, levels, settings, n_rows=n_rows)
            yield pd.DataFrame({A: batch[A].to_numpy(), B: batch[B].to_numpy(), "probability": s.probability,
                                "bits": s.bits, "verdict": s.verdict.astype(str), "vetoed": s.vetoed})

    return joined_pairs(pairs.select(A, B), keyed, names, settings).mapInPandas(batches, SCORE_SCHEMA)


def explain_candidates(pairs, keyed, names: list[str], settings: MatchSettings, n_rows: int,
                       present: dict[str, float]):
    """pairs (a, b, …) plus 匹配依据 text, as explain_pairs words it (levels and weights computed again)."""
    tf = tf_keys(settings)
    extra = [c for c in pairs.columns if c not in (A, B)]
    schema = ", ".join([f"{A} long", f"{B} long", "reason string"])

    def batches(frames):
        for batch in frames:
            keys, ia, ib = stacked(batch, names, tf, present)
            levels = compare_pairs(keys, ia, ib, settings.comparisons)
            s = score_pairs(keys, ia, ib, levels, settings, n_rows=n_rows)
            reasons = explain_pairs(keys, ia, ib, levels, s.weights, settings)
            yield pd.DataFrame({A: batch[A].to_numpy(), B: batch[B].to_numpy(), "reason": reasons})

    explained = joined_pairs(pairs.select(A, B), keyed, names, settings).mapInPandas(batches, schema)
    return pairs.join(explained, [A, B]) if extra else explained
