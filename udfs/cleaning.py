"""Clean a whole register in one call: per-role normalised columns, the long problem list, one message per row.

This is the engine behind `kehu clean`, the 清洗客户表 ribbon button and (row by row) KEHU_CHECK;
it is pure: a DataFrame and its column roles in, DataFrames out.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd

from udfs.normalise._unique import shared_parses
from udfs.normalise.money import parse_money
from udfs.normalise.dates import parse_dates
from udfs.normalise.email import normalise_email
from udfs.normalise.gender import normalise_gender
from udfs.normalise.names import split_person_name
from udfs.normalise.phone import parse_phones
from udfs.normalise.phone_region import phone_region, register_region
from udfs.normalise.region import canonical_city, canonical_province
from udfs.normalise.text import clean_text
from udfs.progress import advance
from udfs.validate.identity import check_resident_id, normalise_uscc
from udfs.validate.problems import describe
from udfs.validate.register import check_register, row_messages
from udfs.validate.values import parse_counts

DATE_FORMAT = "yyyy-mm-dd"
AMOUNT_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class Normaliser:
    suffix: str                                  # header of the added column: 手机 → 手机(规范)
    func: Callable[[pd.Series], pd.Series]
    number_format: str | None = None


def _phone_number(col: pd.Series) -> pd.Series:
    return parse_phones(col)["number"]


#: role → how its column is normalised by `kehu clean`
NORMALISERS: dict[str, Normaliser] = {
    "name": Normaliser("规范", lambda c: split_person_name(c)["name"]),
    "gender": Normaliser("规范", normalise_gender),
    "mobile": Normaliser("规范", _phone_number),
    "landline": Normaliser("规范", _phone_number),
    "phone": Normaliser("规范", _phone_number),
    "fax": Normaliser("规范", _phone_number),
    "email": Normaliser("规范", normalise_email),
    "company": Normaliser("规范", clean_text),
    "uscc": Normaliser("规范", normalise_uscc),
    "id_number": Normaliser("18位", lambda c: check_resident_id(c)["id18"]),
    "province": Normaliser("规范", canonical_province),
    "city": Normaliser("规范", canonical_city),
    "district": Normaliser("规范", clean_text),
    "address": Normaliser("规范", clean_text),
    "birth_date": Normaliser("日期", parse_dates, DATE_FORMAT),
    "first_contact": Normaliser("日期", parse_dates, DATE_FORMAT),
    "last_purchase": Normaliser("日期", parse_dates, DATE_FORMAT),
    "next_followup": Normaliser("日期", parse_dates, DATE_FORMAT),
    "total_spend": Normaliser("数值", lambda c: parse_money(c)["amount"], AMOUNT_FORMAT),
    "intended_amount": Normaliser("数值", lambda c: parse_money(c)["amount"], AMOUNT_FORMAT),
    "purchase_count": Normaliser("整数", parse_counts, "0"),
    "age": Normaliser("整数", parse_counts, "0"),
}

PROBLEM_HEADER = "问题"
#: roles whose numbers decide the register's region (udfs.normalise.phone_region.register_region)
PHONE_ROLES = ("mobile", "landline", "phone", "fax")


@dataclass
class CleanResult:
    normalised: pd.DataFrame        # one column per normalised source column, headed "原列名(规范)"
    formats: dict[str, str]         # added header → Excel number format
    sources: dict[str, str]         # added header → the original column it came from
    problems: pd.DataFrame          # long form: row_position, column, value, code
    messages: pd.Series             # one text per row (None when the row is clean): the 问题 column
    region: str = "CN"              # region used for numbers and dates without a country code
    region_how: str = "default"     # register (majority of its numbers) | option (--region) | default


def clean_register(df: pd.DataFrame, roles: dict[str, str], *, today: Any = None,
                   honorific: bool = True, region: str | None = None, national: bool = False) -> CleanResult:
    """Normalise every recognised column and list every problem, without changing `df`.

    `region` (CN, TW, HK, MO …) is used for numbers and dates written without a country code only when
    the register's own numbers do not show a clear majority region (see udfs/normalise/phone_region.py).
    """
    phones = [df[c] for c, r in roles.items() if r in PHONE_ROLES and c in df.columns]
    found, how = register_region(phones, region)
    result = clean_in_region(df, roles, found, today=today, honorific=honorific, national=national)
    result.region_how = how
    return result


def clean_in_region(df: pd.DataFrame, roles: dict[str, str], region: str, *, today: Any = None,
                    honorific: bool = True, national: bool = False) -> CleanResult:
    """clean_register with the numbers' region already decided: for a piece of a larger register (a Spark
    batch), whose region the whole register's numbers decide, not the piece's."""
    with shared_parses(), phone_region(region, national):  # normalise and validate parse the same columns once
        result = _clean(df, roles, today, honorific)
    result.region = region
    return result


def _clean(df: pd.DataFrame, roles: dict[str, str], today: Any, honorific: bool) -> CleanResult:
    frame = df.reset_index(drop=True)
    added: dict[str, Any] = {}
    formats: dict[str, str] = {}
    sources: dict[str, str] = {}
    work = [c for c in frame.columns if NORMALISERS.get(roles.get(c)) is not None]
    for column in frame.columns:
        role = roles.get(column)
        spec = NORMALISERS.get(role)
        if spec is None:
            continue
        advance(work.index(column), len(work), "列 columns")
        header = f"{column}({spec.suffix})"
        values = spec.func(frame[column].astype(object))
        added[header] = np.asarray(values.to_numpy(), dtype=object) if values.dtype == object else values.to_numpy()
        sources[header] = column
        if spec.number_format:
            formats[header] = spec.number_format
        if role in ("total_spend", "intended_amount"):
            currency = parse_money(frame[column].astype(object))["currency"]
            if currency.notna().any() and (currency.dropna() != "CNY").any():
                # amounts in NT$, HK$, US$ … are kept in their own currency; this column says which
                added[f"{column}(币种)"] = currency.to_numpy(dtype=object)
                sources[f"{column}(币种)"] = column
        if role == "name" and honorific:
            titles = split_person_name(frame[column].astype(object))["honorific"]
            if titles.notna().any():
                added[f"{column}(称呼)"] = titles.to_numpy(dtype=object)
                sources[f"{column}(称呼)"] = column
    advance(len(work), len(work), "列 columns")
    problems = check_register(frame, roles, today=today)
    messages = row_messages(problems, len(frame))
    return CleanResult(pd.DataFrame(added), formats, sources, problems, messages)


def problem_list(problems: pd.DataFrame, excel_rows: np.ndarray) -> pd.DataFrame:
    """The 问题清单 table: 行号, 列, 原值, 问题, 建议 — one line per problem, in sheet order."""
    described = [describe(c) for c in problems["code"].tolist()]
    return pd.DataFrame({
        "行号": excel_rows[problems["row_position"].to_numpy()] if len(problems) else np.array([], dtype=np.int64),
        "列": problems["column"].to_numpy(),
        "原值": [_cell_text(v) for v in problems["value"]],
        "问题": [p.zh for p in described],
        "建议": [p.suggestion_zh for p in described],
        "代码": problems["code"].to_numpy(),
    })


def problem_counts(problems: pd.DataFrame) -> pd.DataFrame:
    """问题类型 · 数量 · 涉及行数, most frequent first."""
    if not len(problems):
        return pd.DataFrame({"问题": [], "数量": [], "涉及行数": [], "代码": []})
    g = problems.groupby("code")
    counts = pd.DataFrame({"数量": g.size(), "涉及行数": g["row_position"].nunique()})
    counts = counts.sort_values(["数量", "涉及行数"], ascending=False, kind="stable")
    return pd.DataFrame({"问题": [describe(c).zh for c in counts.index], "数量": counts["数量"].to_numpy(),
                         "涉及行数": counts["涉及行数"].to_numpy(), "代码": counts.index.to_numpy()})


def _cell_text(v: Any) -> Any:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return v if isinstance(v, str) else str(v)
