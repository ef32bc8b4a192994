"""kehu's rules on Apache Spark: the same normalisers, keys and blocking as the local engine, run per
partition (Arrow batches through mapInPandas) and as Spark joins. Optional: needs the `spark` extra and Java."""
