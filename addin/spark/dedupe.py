"""The duplicate pipeline on Spark, stage for stage the local udfs.match.engine.find_duplicates:
keys → u → blocking → compare + score → groups (with the cannot-link split) → explanations → row columns."""
from __future__ import annotations

from dataclasses import dataclass, field

from udfs.match.engine import GROUP, REASON, SIMILARITY, default_settings
from udfs.match.scoring import DUPLICATE, POSSIBLE
from udfs.match.settings import MatchSettings
from addin.spark.blocking import A, B, candidate_pairs
from addin.spark.cluster import GROUP_ID, cluster
from addin.spark.flags import flag_columns, row_flags, shown_group, shown_pairs
from addin.spark.keys import spark_keys
from addin.spark.rows import ROW
from addin.spark.scoring import explain_candidates, score_candidates, with_counts
from addin.spark.session import cut
from addin.spark.u_probabilities import spark_u


@dataclass
class SparkDuplicates:
    """rows: the input plus 重复组/重复标记/相似度/匹配依据; pairs: the shown pairs; settings as run."""

    rows: object
    pairs: object
    settings: MatchSettings
    counts: dict = field(default_factory=dict)


def _nothing(_name: str) -> None:
    return None


def spark_find_duplicates(rows, roles: dict[str, str], settings: MatchSettings | None = None, *,
                          duplicate: float | None = None, possible: float | None = None,
                          step=_nothing) -> SparkDuplicates:
    """rows: a DataFrame of text columns plus ROW (positions 0..n-1). Nothing of the table is collected:
    only the u sample (≤ 2 × random_pairs rows), one count per term-frequency key and the numbers of
    the summary reach the driver."""
    from pyspark.sql import functions as F
    settings = (settings or default_settings(roles)).restricted_to(roles.values())
    settings = settings.with_thresholds(duplicate, possible)
    if not settings.comparisons:
        raise ValueError("no column with a role the duplicate settings can compare")

    step("keys")
    keys = cut(spark_keys(rows, roles, settings))
    n = keys.count()
    names = [c for c in keys.columns if c != ROW]
    step("u")
    settings.u = spark_u(keys, n, settings)
    keyed, present = with_counts(keys, settings)
    keyed = cut(keyed)

    step("blocking")
    pairs = candidate_pairs(keys, settings.blocking)
    step("compare_score")
    scored = cut(score_candidates(pairs, keyed, names, settings, n, present))
    step("cluster")
    groups = cut(cluster(scored, keyed, names, settings, n, present))
    step("explain")
    shown = shown_pairs(scored, groups, settings)
    explained = cut(explain_candidates(shown, keyed, names, settings, n, present))
    flags = cut(row_flags(explained, groups))
    out = flag_columns(rows, flags, shown_group(flags))

    step("summary")
    verdicts = {r["verdict"]: r["count"] for r in scored.groupBy("verdict").count().collect()}
    n_groups = groups.agg(F.countDistinct(GROUP_ID)).collect()[0][0]
    in_groups = groups.count()
    counts = {"rows": n, "candidate_pairs": int(sum(verdicts.values())),
              "duplicate_pairs": int(verdicts.get(DUPLICATE, 0)), "possible_pairs": int(verdicts.get(POSSIBLE, 0)),
              "groups": int(n_groups), "rows_in_groups": int(in_groups), "rows_to_remove": int(in_groups - n_groups),
              "possible_rows": int(flags.where(F.col(GROUP_ID).isNull()).count())}
    verdict = F.when(F.col("same_group") & (F.col("verdict") != DUPLICATE), F.lit("同组")).otherwise(F.col("verdict"))
    pair_list = explained.select(F.col(A).alias("行A"), F.col(B).alias("行B"), F.col(GROUP_ID).alias(GROUP),
                                 F.round("probability", 4).alias(SIMILARITY), verdict.alias("判定"),
                                 F.col("reason").alias(REASON))
    return SparkDuplicates(rows=out, pairs=pair_list, settings=settings, counts=counts)
