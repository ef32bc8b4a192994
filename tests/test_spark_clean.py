"""`clean_on_spark` (the entry `kehu clean --engine spark` calls) gives every added column of the local
`kehu clean` engine (udfs.cleaning.clean_register): the normalised columns, 币种/称呼, 问题, and the 问题清单 lines.

Expected values come from the local engine on the whole table at once; Spark runs the same normalisers
on small Arrow batches of several files, and decides the whole-table rules (the numbers' region, repeated
客户编号, whether 币种/称呼 columns appear) by itself. Data: a generated Chinese register whose last rows
reuse the first file's 客户编号 (two systems' exports), Febrl 3 (tests/data/febrl), and the regional
forms of benchmarks/bench_normalise.py (TW/HK numbers, ROC dates, NT$ and HK$ amounts, titles).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

# pyspark comes with the test extra and .ci/run installs a Java runtime: a missing one is a failure, not a skip
assert shutil.which("java"), "the Spark tests need a Java runtime (apt-get install openjdk-17-jre-headless)"

from benchmarks.bench_normalise import register_columns  # noqa: E402
from benchmarks.chinese_register import generate_register  # noqa: E402
from udfs.cleaning import PROBLEM_HEADER, clean_register, problem_list  # noqa: E402
from udfs.recognise.roles import recognise_columns  # noqa: E402
from addin.errors import ExitCode, KehuError  # noqa: E402
from addin.spark.door import run_spark  # noqa: E402
from addin.spark.session import spark_session  # noqa: E402

FEBRL = Path(__file__).resolve().parent / "data" / "febrl" / "dataset3.csv"
REGIONAL_ROLES = {"mobile": "mobile", "date": "first_contact", "amount": "total_spend", "name": "name",
                  "company": "company", "email": "email", "province": "province", "city": "city",
                  "address": "address", "gender": "gender", "id": "id_number", "uscc": "uscc"}


@pytest.fixture(scope="module")
def spark():
    session = spark_session("local[2]", shuffle_partitions=4, app="kehu-tests")
    # small file pieces and small Arrow batches: a file is cut into many batches, cleaned one by one
    session.conf.set("spark.sql.files.maxPartitionBytes", "64k")
    session.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "150")
    yield session
    session.conf.unset("spark.sql.files.maxPartitionBytes")
    session.conf.unset("spark.sql.execution.arrow.maxRecordsPerBatch")


def _split_csv(df: pd.DataFrame, folder: Path, parts: int) -> pd.DataFrame:
    """Write df as `parts` CSV files; return what the local engine reads from them (text, None = empty)."""
    folder.mkdir()
    bounds = np.linspace(0, len(df), parts + 1).astype(int)
    for i in range(parts):
        df.iloc[bounds[i]:bounds[i + 1]].to_csv(folder / f"part{i}.csv", index=False)
    read = pd.concat([pd.read_csv(folder / f"part{i}.csv", dtype=str, keep_default_na=False, na_values=[""])
                      for i in range(parts)], ignore_index=True)
    return read.astype(object).where(read.notna(), None)


def _register():
    df, _truth = generate_register(1200, seed=29)  # a seed no cleaning test tunes on
    df["客户编号"] = df["客户编号"].astype(object)
    df.loc[df.index[-15:], "客户编号"] = df["客户编号"].iloc[:15].to_numpy()  # the second export reuses IDs
    return df, 2, None


def _febrl3():
    df = pd.read_csv(FEBRL, dtype=str, skipinitialspace=True)
    df.columns = [c.strip() for c in df.columns]
    return df.drop(columns="rec_id").head(2000), 3, None


def _regional():
    return pd.DataFrame(register_columns(1500, seed=31)), 2, REGIONAL_ROLES


def _cells(values) -> list:
    """Comparable cells: None for missing, timestamps and numbers as themselves."""
    s = pd.Series(values, dtype=object)
    return [None if v is None or (not isinstance(v, str) and pd.isna(v)) else
            pd.Timestamp(v) if isinstance(v, (pd.Timestamp, np.datetime64)) else v for v in s.tolist()]


@pytest.mark.parametrize("make", [_register, _febrl3, _regional], ids=["chinese_register", "febrl3", "regional"])
def test_clean_on_spark_equals_the_local_engine(spark, tmp_path, make):
    table, parts, roles = make()
    local_df = _split_csv(table, tmp_path / "in", parts)
    roles = roles or recognise_columns(local_df)
    local = clean_register(local_df, roles)
    assert len(local.problems) > 20  # there is something to find

    summary = run_spark("clean", tmp_path / "in", tmp_path / "out", master="local[2]", roles=roles)
    got = pd.read_parquet(tmp_path / "out" / "rows").sort_values("行号").reset_index(drop=True)

    assert got["行号"].tolist() == list(range(1, len(local_df) + 1))
    pd.testing.assert_frame_equal(got[list(local_df.columns)].astype(object).where(got.notna(), None), local_df)
    added = list(local.normalised.columns) + [PROBLEM_HEADER]
    assert list(got.columns) == ["行号", *local_df.columns, *added]   # the same columns, in the same order
    assert summary["added_columns"] == added
    for column in local.normalised.columns:   # every added column, cell for cell
        assert _cells(got[column]) == _cells(local.normalised[column]), column
    assert _cells(got[PROBLEM_HEADER]) == _cells(local.messages)
    assert (summary["region"], summary["region_how"]) == (local.region, local.region_how)

    expected = problem_list(local.problems, np.arange(1, len(local_df) + 1))
    listed = pd.read_parquet(tmp_path / "out" / "problems")
    assert listed.columns.tolist() == expected.columns.tolist()
    for column in expected.columns:
        assert _cells(listed[column].astype(object)) == _cells([None if v is None else
                                                                (v if column == "行号" else str(v))
                                                                for v in expected[column]]), column
    assert summary["problems"] == len(local.problems)
    assert summary["rows_with_problems"] == local.problems["row_position"].nunique()
    by_code = {p["code"]: p["count"] for p in summary["problems_by_type"]}
    assert by_code == local.problems["code"].value_counts().to_dict()
    from openpyxl import load_workbook
    book = load_workbook(tmp_path / "out" / "summary.xlsx", read_only=True)
    counts = {r[2]: r[1] for r in book["概况"].iter_rows(min_row=3, values_only=True)}
    assert counts["rows"] == len(local_df) and counts["problems"] == len(local.problems)
    if make is _register:   # the reused IDs are found across the two files
        assert by_code["CUSTOMER_ID_DUPLICATE"] == 30
    if make is _regional:   # foreign amounts and titles: the optional columns are there, as locally
        assert {"amount(币种)", "name(称呼)"} <= set(got.columns)


def test_missing_java_is_two_lines_and_exit_2(tmp_path, monkeypatch):
    (tmp_path / "in.csv").write_text("姓名,手机\n张伟,13800138000\n", encoding="utf-8")
    monkeypatch.setattr("addin.spark.session.shutil.which", lambda name: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(KehuError) as e:
        run_spark("clean", tmp_path / "in.csv", tmp_path / "out")
    assert e.value.code == ExitCode.USAGE == 2
    assert "Java" in e.value.zh and "Java" in e.value.en and len(e.value.lines().splitlines()) == 2


def test_cli_clean_engine_spark_counts_the_local_problems(spark, tmp_path):
    """`kehu clean FILE --engine spark --master local[2] -o FOLDER --json` as a user types it: the same problem
    counts as the local `kehu clean` of the same CSV."""
    from typer.testing import CliRunner

    from addin.cli import app

    df, _truth = generate_register(300, seed=67)   # a seed no cleaning test tunes on
    csv = tmp_path / "客户档案.csv"
    df.to_csv(csv, index=False)
    runner = CliRunner()
    local = runner.invoke(app, ["clean", str(csv), "-o", str(tmp_path / "local.xlsx"), "--json", "-q"])
    assert local.exit_code == 0, local.output
    on_spark = runner.invoke(app, ["clean", str(csv), "--engine", "spark", "--master", "local[2]",
                                   "-o", str(tmp_path / "out"), "--json", "-q"])
    assert on_spark.exit_code == 0, on_spark.output
    here, there = json.loads(local.stdout), json.loads(on_spark.stdout)
    for key in ("rows", "rows_with_problems", "problems"):
        assert there[key] == here[key], key
    assert there["added_columns"] == here["added_columns"]
    assert (tmp_path / "out" / "summary.xlsx").exists() and (tmp_path / "out" / "problems").is_dir()
    bad = runner.invoke(app, ["clean", str(csv), "--engine", "hadoop"])
    assert bad.exit_code == 2 and "--engine" in bad.output
