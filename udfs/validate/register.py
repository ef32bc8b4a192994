"""Run every applicable check on a customer register, given column roles, and list the problems in long form."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pandas as pd

from udfs.normalise.gender import normalise_gender
from udfs.normalise.text import clean_text
from udfs.validate import consistency, contact, identity, values as value_checks

#: Every role name a column can have (see udfs.recognise).
ROLES = (
    "customer_id", "name", "gender", "mobile", "landline", "phone", "email", "company", "uscc",
    "id_number", "province", "city", "district", "address", "birth_date", "age", "first_contact",
    "last_purchase", "purchase_count", "total_spend", "status", "remarks", "next_followup",
    "source_channel", "customer_type",
)
#: Roles that count as a way to reach the customer.
CONTACT_ROLES = ("mobile", "landline", "phone", "email", "address")
PROBLEM_COLUMNS = ["row_position", "column", "value", "code"]


def _gender_problems(col: pd.Series) -> pd.Series:
    bad = clean_text(col).notna().to_numpy() & normalise_gender(col).isna().to_numpy()
    return pd.Series(np.where(bad, "GENDER_UNKNOWN", None), index=col.index, dtype=object)


def _duplicate_ids(col: pd.Series) -> pd.Series:
    key = clean_text(col)
    dup = key.notna() & key.duplicated(keep=False)
    return pd.Series(np.where(dup, "CUSTOMER_ID_DUPLICATE", None), index=col.index, dtype=object)


def _single_column_checks(today: Any) -> dict[str, Callable[[pd.Series], pd.Series]]:
    """Role → check of one column alone."""
    dates = lambda c: value_checks.check_dates(c, today=today)  # noqa: E731
    return {
        "customer_id": _duplicate_ids,
        "gender": _gender_problems,
        "mobile": contact.check_mobile,
        "landline": contact.check_landline,
        "phone": contact.check_phone,
        "email": contact.check_email,
        "uscc": identity.check_uscc,
        "id_number": lambda c: identity.check_resident_id(c)["problem"],
        "province": consistency.check_province,
        "birth_date": dates,
        "first_contact": dates,
        "last_purchase": dates,
        "next_followup": lambda c: value_checks.check_dates(c, today=today, allow_future=True),
        "age": consistency.check_age,
        "purchase_count": value_checks.check_counts,
        "total_spend": value_checks.check_amounts,
        "remarks": lambda c: value_checks.check_required(c, "REMARKS_MISSING"),
    }


def check_register(df: pd.DataFrame, roles: dict[str, str], *, today: Any = None) -> pd.DataFrame:
    """Problems of a register → DataFrame[row_position, column, value, code], one line per problem.

    `roles` maps column name → role (names in ROLES; others are ignored). row_position is the
    0-based position of the row in `df`. Rows that are entirely blank are skipped. Cross-field
    problems are reported on one column: GENDER_ID_MISMATCH on the gender column,
    BIRTH_ID_MISMATCH on the birth date, AGE_BIRTH_MISMATCH on the age, DATE_ORDER on the
    first-contact date, NAME_MISSING on the name column, CONTACT_MISSING on the first contact
    column, CITY_PROVINCE_MISMATCH on the city.
    """
    frame = df.reset_index(drop=True)
    by_role: dict[str, list[str]] = {}
    for column in frame.columns:
        role = roles.get(column)
        if role in ROLES:
            by_role.setdefault(role, []).append(column)
    found: list[tuple[str, pd.Series]] = []  # (column, codes aligned with frame)
    checks = _single_column_checks(today)
    for role, columns in by_role.items():
        for column in columns:
            col = frame[column].astype(object)
            if role == "city":
                provinces = frame[by_role["province"][0]] if "province" in by_role else None
                found.append((column, consistency.check_city(col, provinces)))
            elif role in checks:
                found.append((column, checks[role](col)))
    found += _cross_field(frame, by_role, today)

    empty_row = value_checks.all_blank([frame[c] for c in frame.columns]) \
        if len(frame.columns) else np.zeros(len(frame), dtype=bool)
    order = {c: i for i, c in enumerate(frame.columns)}
    parts = []
    for column, codes in found:
        codes = pd.Series(codes.to_numpy(dtype=object), dtype=object)
        hit = codes.notna().to_numpy() & ~empty_row
        if not hit.any():
            continue
        rows = np.flatnonzero(hit)
        parts.append(pd.DataFrame({
            "row_position": rows,
            "column": column,
            "value": frame[column].astype(object).where(frame[column].notna(), None).to_numpy()[rows],
            "code": codes.to_numpy()[rows],
            "_order": order[column],
        }))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object if c != "row_position" else "int64")
                             for c in PROBLEM_COLUMNS})
    out = pd.concat(parts, ignore_index=True)
    out = out.sort_values(["row_position", "_order"], kind="stable").drop(columns="_order")
    out = out.drop_duplicates(["row_position", "column", "code"]).reset_index(drop=True)
    out["row_position"] = out["row_position"].astype("int64")
    return out[PROBLEM_COLUMNS]


def _cross_field(frame: pd.DataFrame, by_role: dict[str, list[str]], today: Any) -> list[tuple[str, pd.Series]]:
    first = lambda role: frame[by_role[role][0]].astype(object) if role in by_role else None  # noqa: E731
    out: list[tuple[str, pd.Series]] = []
    ids = first("id_number")
    if ids is not None and "gender" in by_role:
        out.append((by_role["gender"][0], consistency.check_id_gender(ids, first("gender"))))
    if ids is not None and "birth_date" in by_role:
        out.append((by_role["birth_date"][0], consistency.check_id_birth(ids, first("birth_date"))))
    if "age" in by_role:
        if "birth_date" in by_role:
            birth = first("birth_date")
        elif ids is not None:
            birth = identity.check_resident_id(ids)["birth_date"]
        else:
            birth = None
        if birth is not None:
            out.append((by_role["age"][0], consistency.check_birth_age(birth, first("age"), today=today)))
    if "first_contact" in by_role and "last_purchase" in by_role:
        out.append((by_role["first_contact"][0],
                    value_checks.check_date_order(first("first_contact"), first("last_purchase"))))
    if "name" in by_role:
        who = [frame[c].astype(object) for c in by_role["name"] + by_role.get("company", [])]
        out.append((by_role["name"][0], value_checks.check_any_present(who, "NAME_MISSING")))
    contact_columns = [c for role in CONTACT_ROLES for c in by_role.get(role, [])]
    if contact_columns:
        first_contact_column = min(contact_columns, key=list(frame.columns).index)
        cols = [frame[c].astype(object) for c in contact_columns]
        out.append((first_contact_column, value_checks.check_any_present(cols, "CONTACT_MISSING")))
    return out


def row_messages(problems: pd.DataFrame, n_rows: int, *, english: bool = False) -> pd.Series:
    """Long problem list → one text per row ("手机：手机号位数不对（应为 11 位）；…"), None when clean.

    This is the 问题 column of `kehu clean` and the result of the KEHU_CHECK formula, so both
    show the same words. With `english`, each message carries its English text in brackets.
    """
    from udfs.text_groups import join_by_key
    from udfs.validate.problems import describe

    out = np.full(n_rows, None, dtype=object)
    if len(problems):
        texts = [f"{col}：{describe(code).text() if english else describe(code).zh}"
                 for col, code in zip(problems["column"].tolist(), problems["code"].tolist())]
        rows, joined = join_by_key(problems["row_position"].to_numpy(), texts, "；")
        out[rows] = joined
    return pd.Series(out, dtype=object)
