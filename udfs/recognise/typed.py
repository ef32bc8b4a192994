"""Give recognised columns their types: dates become dates, amounts and counts numbers, or a problem code."""
from __future__ import annotations

import pandas as pd

DATE_ROLES = {"birth_date", "first_contact", "last_purchase", "next_followup", "order_date", "submitted_at"}
AMOUNT_ROLES = {"total_spend", "intended_amount", "amount"}
NUMBER_ROLES = {"purchase_count", "age", "duration"}


def typed_frame(df: pd.DataFrame, roles: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(typed copy of df, problems) — problems in long form: position, column, value, code.

    Columns without a typed role are left as they are. A value that cannot be typed becomes
    NaT/NaN in the typed frame and a row in `problems`; nothing is guessed.
    """
    from udfs.normalise.amounts import amount_problems, parse_amounts
    from udfs.normalise.dates import date_problems, parse_dates

    typed = df.copy()
    found = []
    for col, role in roles.items():
        if col not in df.columns:
            continue
        if role in DATE_ROLES:
            typed[col] = parse_dates(df[col]).to_numpy()
            codes = date_problems(df[col])
        elif role in AMOUNT_ROLES or role in NUMBER_ROLES:
            typed[col] = parse_amounts(df[col]).to_numpy()
            codes = amount_problems(df[col])
        else:
            continue
        codes = pd.Series(codes.to_numpy(), index=df.index)
        bad = codes.notna()
        if bad.any():
            found.append(pd.DataFrame({"position": bad.to_numpy().nonzero()[0], "column": col,
                                       "value": df.loc[bad, col].to_numpy(), "code": codes[bad].to_numpy()}))
    problems = (pd.concat(found, ignore_index=True) if found
                else pd.DataFrame(columns=["position", "column", "value", "code"]))
    return typed, problems
