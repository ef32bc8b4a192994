"""The Spark stages give exactly the local engine's keys and candidate pairs (Febrl 3, generated register).

The expected values come from the local engine (udfs.match.prepare / udfs.match.blocking), a different
code path: numpy factorize/lexsort on one table versus Spark batches, window numbering and joins.
Skipped when pyspark or a Java runtime is not installed.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

# pyspark comes with the test extra and .ci/run installs a Java runtime: a missing one is a failure, not a skip
assert shutil.which("java"), "the Spark tests need a Java runtime (apt-get install openjdk-17-jre-headless)"

from benchmarks.chinese_register import generate_register  # noqa: E402
from udfs.match.blocking import candidate_pairs  # noqa: E402
from udfs.match.engine import default_settings  # noqa: E402
from udfs.match.prepare import build_keys  # noqa: E402
from udfs.recognise.roles import recognise_columns  # noqa: E402
from addin.spark import blocking as spark_blocking  # noqa: E402
from addin.spark.keys import spark_keys  # noqa: E402
from addin.spark.rows import ROW, with_row_positions  # noqa: E402
from addin.spark.session import spark_session  # noqa: E402
from addin.spark.u_probabilities import spark_u  # noqa: E402
from udfs.match.scoring import estimate_u  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "febrl"


@pytest.fixture(scope="module")
def spark():
    session = spark_session("local[2]", shuffle_partitions=4, app="kehu-tests")
    yield session
    session.stop()


def _febrl3():
    df = pd.read_csv(DATA / "dataset3.csv", dtype=str, skipinitialspace=True)
    df.columns = [c.strip() for c in df.columns]
    df = df.drop(columns="rec_id")
    return df, {c: c for c in df.columns}


def _register():
    df, _truth = generate_register(3000, seed=11)  # a seed no matcher test tunes on
    return df, recognise_columns(df)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype(object)
    return frame.where(frame.notna(), None)


@pytest.mark.parametrize("make", [_febrl3, _register], ids=["febrl3", "chinese_register"])
def test_spark_keys_pairs_and_u_equal_the_local_engine(spark, make):
    df, roles = make()
    settings = default_settings(roles).restricted_to(roles.values())
    text = _plain(df.astype(str).where(df.notna(), None))
    schema = ", ".join(f"`{c}` string" for c in text.columns)
    # rows numbered as read, then spread over partitions so batches really are pieces of the table
    rows = with_row_positions(spark.createDataFrame(text, schema=schema)).repartition(3)
    keys = spark_keys(rows, roles, settings).cache()

    local = build_keys(text, roles, settings)
    got = keys.toPandas().sort_values(ROW).reset_index(drop=True)
    assert got[ROW].tolist() == list(range(len(df)))
    pd.testing.assert_frame_equal(_plain(got.drop(columns=ROW)), _plain(local.frame), check_dtype=False)

    pairs = spark_blocking.candidate_pairs(keys, settings.blocking).toPandas().sort_values(["a", "b"])
    a, b = candidate_pairs(local, settings.blocking)
    assert len(a) > len(df) // 2  # the rules really pair rows
    np.testing.assert_array_equal(pairs["a"].to_numpy(), a)
    np.testing.assert_array_equal(pairs["b"].to_numpy(), b)

    # u measured on the same seeded sample and the same value frequencies (floating sums: 1e-12)
    expected, got_u = estimate_u(local, settings), spark_u(keys, len(df), settings)
    assert expected.keys() == got_u.keys()
    for key, levels in expected.items():
        assert levels.keys() == got_u[key].keys()
        np.testing.assert_allclose([got_u[key][lv] for lv in levels], list(levels.values()), rtol=1e-12, atol=0)
