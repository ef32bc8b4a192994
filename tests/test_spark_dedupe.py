"""`dedupe_on_spark` (the entry `kehu dedupe --engine spark` calls) gives exactly the local engine's groups
and the same four added columns, on a generated Chinese register and on Febrl 3, read from CSV files.

Expected values come from the local engine (udfs.match.engine.find_duplicates + the workbook's
possible_group_labels), a different code path: one numpy table versus Spark joins, windows, label
propagation and per-batch pandas UDFs. The inputs are split into several files and small file pieces,
so row numbering across files and partitions is exercised too.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

# pyspark comes with the test extra and .ci/run installs a Java runtime: a missing one is a failure, not a skip
assert shutil.which("java"), "the Spark tests need a Java runtime (apt-get install openjdk-17-jre-headless)"

from benchmarks.chinese_register import generate_register  # noqa: E402
from udfs.match.engine import FLAG, GROUP, PARTNER, POSSIBLE, REASON, SIMILARITY, find_duplicates  # noqa: E402
from udfs.match.review import possible_group_labels  # noqa: E402
from udfs.recognise.roles import recognise_columns  # noqa: E402
from addin.errors import ExitCode, KehuError  # noqa: E402
from addin.spark.door import run_spark  # noqa: E402
from addin.spark.session import spark_session  # noqa: E402

FEBRL = Path(__file__).resolve().parent / "data" / "febrl" / "dataset3.csv"


@pytest.fixture(scope="module")
def spark():
    session = spark_session("local[2]", shuffle_partitions=4, app="kehu-tests")
    # small file pieces: one CSV file becomes several partitions, packed out of file order
    session.conf.set("spark.sql.files.maxPartitionBytes", "64k")
    yield session
    session.conf.unset("spark.sql.files.maxPartitionBytes")


def _split_csv(df: pd.DataFrame, folder: Path, parts: int) -> pd.DataFrame:
    """Write df as `parts` CSV files; return what the local engine reads from them (text, None = empty)."""
    folder.mkdir()
    bounds = np.linspace(0, len(df), parts + 1).astype(int)
    for i in range(parts):
        df.iloc[bounds[i]:bounds[i + 1]].to_csv(folder / f"part{i}.csv", index=False)
    read = pd.concat([pd.read_csv(folder / f"part{i}.csv", dtype=str, keep_default_na=False, na_values=[""])
                      for i in range(parts)], ignore_index=True)
    return read.astype(object).where(read.notna(), None)


def _local_columns(df: pd.DataFrame, roles: dict) -> tuple[pd.DataFrame, dict]:
    result = find_duplicates(df, roles)
    rows = result.rows
    partner = pd.Index(df.index).get_indexer(rows[PARTNER].to_numpy(dtype=object))
    shown = possible_group_labels(rows[GROUP].fillna(0).to_numpy(np.int64), (rows[FLAG] == POSSIBLE).to_numpy(),
                                  partner)
    expected = pd.DataFrame({GROUP: [None if g is None else str(g) for g in shown], FLAG: rows[FLAG].to_numpy(),
                             SIMILARITY: rows[SIMILARITY].to_numpy(), REASON: rows[REASON].to_numpy()})
    return expected, result.summary


def _plain(values) -> list:
    s = pd.Series(values, dtype=object)
    return s.where(s.notna(), None).tolist()


def _register():
    df, _truth = generate_register(1500, seed=23)  # a seed no matcher test tunes on
    return df.astype(object).where(df.notna(), None).astype(str).where(df.notna(), None), 2


def _febrl3():
    df = pd.read_csv(FEBRL, dtype=str, skipinitialspace=True)
    df.columns = [c.strip() for c in df.columns]
    return df.drop(columns="rec_id"), 3


@pytest.mark.parametrize("make", [_register, _febrl3], ids=["chinese_register", "febrl3"])
def test_dedupe_on_spark_equals_the_local_engine(spark, tmp_path, make):
    table, parts = make()
    local_df = _split_csv(table, tmp_path / "in", parts)
    roles = recognise_columns(local_df)
    expected, local_summary = _local_columns(local_df, roles)
    assert local_summary["groups"] > 50  # the data really has duplicate groups to get right

    seen = []
    summary = run_spark("dedupe", tmp_path / "in", tmp_path / "out", master="local[2]",
                        progress=lambda text, done, total: seen.append(text))
    got = pd.read_parquet(tmp_path / "out" / "rows").sort_values("行号").reset_index(drop=True)

    assert got["行号"].tolist() == list(range(1, len(local_df) + 1))
    pd.testing.assert_frame_equal(got[list(local_df.columns)].astype(object).where(got.notna(), None), local_df)
    for column in expected.columns:  # every added column, cell for cell
        assert _plain(got[column]) == _plain(expected[column]), column
    assert summary["roles"] == roles
    for key in ("rows", "candidate_pairs", "duplicate_pairs", "possible_pairs", "groups", "rows_in_groups",
                "rows_to_remove"):
        assert summary[key] == local_summary[key], key
    assert {"keys", "blocking", "compare_score", "cluster", "explain", "write"} <= set(seen)

    # the summary workbook holds the counts and the settings JSON of the run
    from openpyxl import load_workbook
    book = load_workbook(tmp_path / "out" / "summary.xlsx", read_only=True)
    counts = {r[2]: r[1] for r in book["概况"].iter_rows(min_row=3, values_only=True)}
    assert counts["groups"] == local_summary["groups"] and counts["rows"] == len(local_df)
    assert '"comparisons"' in book["设置"]["A2"].value
    pairs = pd.read_parquet(tmp_path / "out" / "pairs")
    assert len(pairs) >= local_summary["duplicate_pairs"]


def test_output_folder_with_files_is_not_overwritten(tmp_path):
    (tmp_path / "in.csv").write_text("姓名,手机\n张伟,13800138000\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("user file")
    with pytest.raises(KehuError) as e:
        run_spark("dedupe", tmp_path / "in.csv", tmp_path / "out")
    assert e.value.code == ExitCode.OUTPUT and "不为空" in e.value.zh
    assert (tmp_path / "out" / "keep.txt").read_text() == "user file"


def test_missing_java_or_pyspark_is_two_lines_and_exit_2(tmp_path, monkeypatch):
    (tmp_path / "in.csv").write_text("姓名,手机\n张伟,13800138000\n", encoding="utf-8")
    monkeypatch.setattr("addin.spark.session.shutil.which", lambda name: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(KehuError) as e:
        run_spark("dedupe", tmp_path / "in.csv", tmp_path / "out1")
    assert e.value.code == ExitCode.USAGE == 2
    assert "Java" in e.value.zh and "Java" in e.value.en
    assert len(e.value.lines().splitlines()) == 2
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # import fails as when pyspark is not installed
    with pytest.raises(KehuError) as e:
        run_spark("dedupe", tmp_path / "in.csv", tmp_path / "out2")
    assert e.value.code == ExitCode.USAGE
    assert 'python -m pip install -e ".[spark]"' in e.value.zh and 'python -m pip install -e ".[spark]"' in e.value.en
    assert len(e.value.lines().splitlines()) == 2


def test_cli_engine_spark_finds_the_local_groups(spark, tmp_path):
    """`kehu dedupe FILE --engine spark --master local[2] -o FOLDER` as a user types it: the same group count and
    rows in groups as the local `kehu dedupe` on the same CSV, and the output folder the README describes."""
    import json

    from typer.testing import CliRunner

    from addin.cli import app

    df, _truth = generate_register(400, seed=61)   # a seed no matcher test tunes on
    csv = tmp_path / "客户档案.csv"
    df.to_csv(csv, index=False)
    runner = CliRunner()
    local = runner.invoke(app, ["dedupe", str(csv), "-o", str(tmp_path / "local.xlsx"), "--json", "-q"])
    assert local.exit_code == 0, local.output
    on_spark = runner.invoke(app, ["dedupe", str(csv), "--engine", "spark", "--master", "local[2]",
                                   "-o", str(tmp_path / "out"), "--json", "-q"])
    assert on_spark.exit_code == 0, on_spark.output
    here, there = json.loads(local.stdout), json.loads(on_spark.stdout)
    assert (there["groups"], there["rows_in_groups"]) == (here["groups"], here["duplicate_rows"])
    assert (tmp_path / "out" / "summary.xlsx").exists() and (tmp_path / "out" / "rows").is_dir()
    bad = runner.invoke(app, ["dedupe", str(csv), "--engine", "hadoop"])
    assert bad.exit_code == 2 and "--engine" in bad.output


@pytest.mark.parametrize("given, folder", [("客户.csv", "客户.kehu-spark"), ("data/", "data.kehu-spark"),
                                           ("data", "data.kehu-spark"), ("data/part*.csv", "data/kehu-spark"),
                                           ("/mnt/x/*/y.parquet", "/mnt/x/kehu-spark")])
def test_spark_output_folder_default_is_beside_the_input(given, folder):
    from addin.commands.dedupe import spark_output_folder

    assert spark_output_folder(given) == Path(folder)
