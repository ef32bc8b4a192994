"""The local engine's comparison keys (udfs.match.prepare.build_keys) computed per Arrow batch."""
from __future__ import annotations

import pandas as pd

from udfs.match.prepare import build_keys
from udfs.match.settings import MatchSettings
from addin.spark.rows import ROW


def key_names(sample: pd.DataFrame, roles: dict[str, str], settings: MatchSettings) -> list[str]:
    """Which keys build_keys derives from these columns (decided by the columns, not the values)."""
    return list(build_keys(sample.head(0), roles, settings).frame.columns)


def spark_keys(df, roles: dict[str, str], settings: MatchSettings):
    """DataFrame (ROW, one string column per key): build_keys run on every batch of rows.

    Every key is a function of its own row (normalisers work value by value), so a batch gives the
    same keys as the whole table; tests/test_spark_engine.py checks that against the local engine.
    """
    names = key_names(df.limit(0).toPandas().astype(object), roles, settings)
    columns = [c for c in df.columns if c != ROW]
    schema = f"{ROW} long" + "".join(f", `{n}` string" for n in names)

    def batches(frames):
        for frame in frames:
            rows = frame[ROW].to_numpy()
            keys = build_keys(frame[columns].astype(object).reset_index(drop=True), roles, settings).frame
            out = pd.DataFrame({ROW: rows})
            for n in names:
                out[n] = keys[n].to_numpy(dtype=object) if n in keys else None
            yield out

    return df.mapInPandas(batches, schema)
