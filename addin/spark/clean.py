"""`kehu clean` on Spark: kehu's own normalisers and validators (udfs/cleaning.py) per Arrow batch of rows.

Almost every cleaning rule is a function of its own row, so a batch gives the local cells. Three rules
look at the whole register, and Spark decides them for the whole table before or after the batches:
- the numbers' region (register_region votes over the first REGION_VOTERS numbers of each phone column):
  those few values are collected in row order and voted on once; every batch then cleans in that region;
- 客户编号 repeated (CUSTOMER_ID_DUPLICATE): the cleaned IDs are counted by a Spark groupBy and the flag
  joined back onto the rows before the batches make their problem lists;
- the 币种 and 称呼 columns are added only when some row of the whole table has a foreign currency or a
  title: every batch gives both, and a Spark aggregate decides which stay.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from udfs.cleaning import (AMOUNT_FORMAT, DATE_FORMAT, NORMALISERS, PHONE_ROLES, PROBLEM_HEADER,
                           clean_in_region, problem_list)
from udfs.normalise.money import parse_money
from udfs.normalise.names import split_person_name
from udfs.normalise.phone_region import register_region
from udfs.normalise.text import clean_text
from udfs.validate.register import row_messages
from addin.spark.rows import ROW

#: numbers per phone column that vote on the register's region (register_region's sample)
REGION_VOTERS = 500
ID_DUPLICATE = "CUSTOMER_ID_DUPLICATE"
PROBLEMS = "_problems"
MONEY_ROLES = ("total_spend", "intended_amount")
_ID_KEY, _ID_SEEN = "_id_key_", "_id_dup_"


@dataclass(frozen=True)
class Added:
    """One column kehu clean may add: its header, Spark type, and (for 币种/称呼) whether it is optional."""

    header: str
    source: str
    spark_type: str
    optional: bool = False


def added_columns(columns: list[str], roles: dict[str, str]) -> list[Added]:
    """Every column udfs.cleaning._clean can add for these columns, in its order."""
    out = []
    for column in columns:
        role = roles.get(column)
        spec = NORMALISERS.get(role)
        if spec is None:
            continue
        kind = {DATE_FORMAT: "timestamp_ntz", AMOUNT_FORMAT: "double", "0": "double"}.get(spec.number_format, "string")
        out.append(Added(f"{column}({spec.suffix})", column, kind))
        if role in MONEY_ROLES:
            out.append(Added(f"{column}(币种)", column, "string", optional=True))
        if role == "name":
            out.append(Added(f"{column}(称呼)", column, "string", optional=True))
    return out


def spark_region(rows, roles: dict[str, str], given: str | None) -> tuple[str, str]:
    """(region, how) as register_region gives it for the whole table: only its voters reach the driver."""
    from pyspark.sql import functions as F
    phones = []
    for column in [c for c in rows.columns if roles.get(c) in PHONE_ROLES]:
        first = (rows.where(F.col(f"`{column}`").isNotNull()).orderBy(ROW).limit(REGION_VOTERS)
                 .select(F.col(f"`{column}`").alias("v")).collect())
        phones.append(pd.Series([r["v"] for r in first], dtype=object))
    return register_region(phones, given, sample=REGION_VOTERS)


def _id_columns(rows, roles) -> list[str]:
    return [c for c in rows.columns if roles.get(c) == "customer_id"]


def with_duplicate_ids(rows, roles: dict[str, str]):
    """rows plus one boolean _id_dup_<i> per customer_id column: its cleaned ID appears in 2+ rows of the table."""
    from pyspark.sql import functions as F
    ids = _id_columns(rows, roles)
    if not ids:
        return rows
    schema = f"{ROW} long" + "".join(f", {_ID_KEY}{i} string" for i in range(len(ids)))

    def keys(frames):
        for frame in frames:
            out = pd.DataFrame({ROW: frame[ROW].to_numpy()})
            for i, column in enumerate(ids):
                key = clean_text(frame[column].astype(object))
                out[f"{_ID_KEY}{i}"] = key.astype(object).where(key.notna(), None).to_numpy(dtype=object)
            yield out

    keyed = rows.select(ROW, *[F.col(f"`{c}`") for c in ids]).mapInPandas(keys, schema)
    for i in range(len(ids)):
        key = f"{_ID_KEY}{i}"
        repeated = (keyed.where(F.col(key).isNotNull()).groupBy(key).count().where(F.col("count") > 1)
                    .select(key, F.lit(True).alias(f"{_ID_SEEN}{i}")))
        keyed = keyed.join(repeated, key, "left").drop(key)
    return rows.join(keyed.fillna(False), ROW)


def spark_clean(rows, roles: dict[str, str], *, region: str, today=None, national: bool = False):
    """DataFrame: ROW, every possible added column, 问题, and _problems (array of 列/原值/问题/建议/代码).

    rows: text columns plus ROW, and the _id_dup_ flags of with_duplicate_ids."""
    ids = _id_columns(rows, roles)
    columns = [c for c in rows.columns if c != ROW and not c.startswith(_ID_SEEN)]
    added = added_columns(columns, roles)
    batch_roles = {c: r for c, r in roles.items() if r != "customer_id"}  # repeated IDs: the whole table says
    order = {c: i for i, c in enumerate(columns)}
    problem = "struct<`列`:string, `原值`:string, `问题`:string, `建议`:string, `代码`:string>"
    schema = (f"{ROW} long" + "".join(f", `{a.header}` {a.spark_type}" for a in added)
              + f", `{PROBLEM_HEADER}` string, {PROBLEMS} array<{problem}>")

    def batches(frames):
        for frame in frames:
            table = frame[columns].astype(object).reset_index(drop=True)
            table = table.where(table.notna(), None)
            result = clean_in_region(table, batch_roles, region, today=today, national=national)
            problems = _with_repeated_ids(result.problems, frame, table, ids, order)
            out = pd.DataFrame({ROW: frame[ROW].to_numpy()})
            for a in added:
                out[a.header] = _values(a, result.normalised, table, roles)
            out[PROBLEM_HEADER] = row_messages(problems, len(table)).to_numpy(dtype=object)
            out[PROBLEMS] = _problem_lists(problems, len(table))
            yield out

    return rows.mapInPandas(batches, schema)


def _values(a: Added, normalised: pd.DataFrame, table: pd.DataFrame, roles: dict[str, str]):
    if a.optional:  # always given here; kept or dropped by the whole table (kept_optional)
        col = table[a.source].astype(object)
        values = parse_money(col)["currency"] if roles[a.source] in MONEY_ROLES else split_person_name(col)["honorific"]
    else:
        values = normalised[a.header]
    if a.spark_type == "timestamp_ntz":
        return pd.to_datetime(values).to_numpy("datetime64[us]")
    if a.spark_type == "double":
        return pd.to_numeric(values).astype("float64").to_numpy()
    return pd.Series(values, dtype=object).where(pd.notna(values), None).to_numpy(dtype=object)


def _with_repeated_ids(problems: pd.DataFrame, frame: pd.DataFrame, table: pd.DataFrame, ids: list[str],
                       order: dict[str, int]) -> pd.DataFrame:
    """The batch's problems plus CUSTOMER_ID_DUPLICATE where the whole table repeats the ID, in
    check_register's order (by row, then by column)."""
    extra = []
    for i, column in enumerate(ids):
        rows = np.flatnonzero(frame[f"{_ID_SEEN}{i}"].to_numpy(bool))
        if len(rows):
            extra.append(pd.DataFrame({"row_position": rows.astype("int64"), "column": column,
                                       "value": table[column].to_numpy(dtype=object)[rows], "code": ID_DUPLICATE}))
    if not extra:
        return problems
    joined = pd.concat([problems.astype({"row_position": "int64"}), *extra], ignore_index=True)
    position = joined["column"].map(order).to_numpy()
    keep = np.lexsort((position, joined["row_position"].to_numpy()))  # stable: a column's codes keep their order
    return joined.iloc[keep].reset_index(drop=True)


def _problem_lists(problems: pd.DataFrame, n_rows: int) -> list:
    """One list per row of {列, 原值, 问题, 建议, 代码}: the rows of the 问题清单 sheet."""
    lists: list = [[] for _ in range(n_rows)]
    if not len(problems):
        return lists
    listing = problem_list(problems, np.arange(n_rows))  # 行号 = position in the batch here
    for row, record in zip(listing["行号"].tolist(),
                           listing.drop(columns="行号").to_dict("records")):
        lists[row].append({k: (None if v is None else str(v)) for k, v in record.items()})
    return lists


def kept_optional(cleaned, added: list[Added]) -> set[str]:
    """Which 币种/称呼 columns stay: as locally, a currency column when some amount is not in CNY, a title
    column when some name has a title (one Spark aggregate, a boolean per column)."""
    from pyspark.sql import functions as F
    optional = [a for a in added if a.optional]
    if not optional:
        return set()
    tests = []
    for a in optional:
        col = F.col(f"`{a.header}`")
        shown = col.isNotNull() & (col != "CNY") if a.header.endswith("(币种)") else col.isNotNull()
        tests.append(F.max(shown.cast("int")).alias(a.header))
    row = cleaned.agg(*tests).collect()[0]
    return {a.header for a in optional if row[a.header] == 1}
