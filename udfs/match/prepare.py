"""Derive the comparison keys of a run (normalised mobile, pinyin of the name, …) from the role columns.

The normalisers are the ones `kehu clean` uses (`udfs.normalise`); this module only chains them as the
settings say, plus a few matcher-only steps (`udfs.match.steps`). Every step runs once per distinct value
(registers repeat values a lot), already-canonical cells take a checked shortcut (`udfs.match.shortcut`),
and every key is a plain string or None.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from udfs.columns import as_column
from udfs.errors import InputProblem
from udfs.match import steps
from udfs.match.cells import numeric_cells_as_text
from udfs.match.keytable import KeyTable
from udfs.match.settings import MatchSettings
from udfs.match.shortcut import with_shortcut
from udfs.normalise.company import company_key
from udfs.normalise.email import normalise_email
from udfs.normalise.gender import normalise_gender
from udfs.normalise.names import name_pinyin, person_name_key
from udfs.normalise.phone import normalise_landline, normalise_mobile
from udfs.normalise.region import canonical_city
from udfs.normalise.text import simplified_key

#: step name → the shared column normaliser (column in, column out)
SHARED_STEPS: dict[str, Callable] = {
    "person_name": person_name_key,
    "pinyin": name_pinyin,
    "mobile": normalise_mobile,
    "landline": normalise_landline,
    "email": normalise_email,
    "company": company_key,
    "city": canonical_city,
    "address": simplified_key,
    "gender": normalise_gender,
}
#: step name → a matcher-only function of one distinct value
VALUE_STEPS: dict[str, Callable] = {
    "text": steps.text, "digits": steps.digits, "initial": steps.initial, "soundex": steps.soundex,
    "id_number": steps.id_number, "uscc": steps.uscc,
}
STEP_NAMES = frozenset(SHARED_STEPS) | frozenset(VALUE_STEPS) | {"birth_date"}


def build_keys(df: pd.DataFrame, roles: dict[str, str], settings: MatchSettings) -> KeyTable:
    """One key column per settings key (positional index 0..n-1, values str or None)."""
    by_role: dict[str, list[str]] = {}
    for column, role in roles.items():
        if column in df.columns:
            by_role.setdefault(role, []).append(column)
    out, factorized = {}, {}
    done: dict[tuple, pd.Series] = {}  # (roles, steps so far) → column: name and pinyin share their first step
    for name, spec in settings.keys.items():
        source = _first_present(df, by_role, spec.roles)
        if source is None:
            continue
        values = source
        if spec.steps and spec.steps[0] in ("mobile", "landline"):
            values = numeric_cells_as_text(as_column(values).reset_index(drop=True))
        for i, step in enumerate(spec.steps):
            memo = (spec.roles, spec.steps[: i + 1])
            if memo not in done:
                done[memo] = apply_step(step, values)
            values = done[memo]
        out[name], coded = _as_keys(values)
        if coded is not None:
            factorized[name] = coded
    return KeyTable(pd.DataFrame(out, index=pd.RangeIndex(len(df))), factorized)


def _first_present(df: pd.DataFrame, by_role: dict[str, list[str]], wanted: tuple[str, ...]) -> pd.Series | None:
    """The column of the first wanted role present; later roles fill its blanks (mobile, then phone)."""
    found = [df[c] for r in wanted for c in by_role.get(r, [])]
    if not found:
        return None
    col = as_column(found[0].reset_index(drop=True))
    for other in found[1:]:
        col = col.where(~_blank(col), as_column(other.reset_index(drop=True)))
    return col


def _blank(s: pd.Series) -> np.ndarray:
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    blank_unique = np.array([isinstance(v, str) and not v.strip() for v in uniques] + [True], dtype=bool)
    return blank_unique[codes]


def apply_step(step: str, values: pd.Series) -> pd.Series:
    """Run one key step over a column (positional index 0..n-1 in the result)."""
    if step not in STEP_NAMES:
        raise InputProblem(f"查重设置里有未知的键步骤“{step}”（可用：{'、'.join(sorted(STEP_NAMES))}）。",
                           f"Unknown key step {step!r} in the duplicate settings; known: {', '.join(sorted(STEP_NAMES))}.")
    column = as_column(values).reset_index(drop=True)
    if step == "birth_date":
        return steps.date_keys(column)
    if step == "text":
        return steps.per_unique_fast(column, steps.text, steps.TEXT_AS_IS, lambda texts: texts)
    if step == "id_number":
        return steps.per_unique_fast(column, steps.id_number, steps.ID18, steps.id18_keys)
    if step in VALUE_STEPS:
        return steps.per_unique(column, VALUE_STEPS[step])
    result = as_column(with_shortcut(step, SHARED_STEPS[step], column))
    if step == "pinyin" and not steps.all_plain_pinyin(result):
        result = steps.per_unique(result, steps.squash_pinyin)
    return result.reset_index(drop=True)


def _as_keys(s: pd.Series) -> tuple[pd.Series, tuple[np.ndarray, np.ndarray] | None]:
    """Final form of a key column: non-empty str or None; with its (codes, distinct keys) as pd.factorize
    gives them for that column, when they come for free."""
    values = s.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        codes, uniques = codes.astype(np.int64), np.asarray(uniques, dtype=object)
        blank = np.flatnonzero(uniques == "")
        if len(blank):  # "" is no key: its rows become missing, the later codes move down by one
            k = int(blank[0])
            codes = np.where(codes == k, -1, np.where(codes > k, codes - 1, codes))
            uniques = np.delete(uniques, k)
        table = np.empty(len(uniques) + 1, dtype=object)
        table[: len(uniques)] = uniques
        table[-1] = None
        return pd.Series(table[codes], dtype=object), (codes, uniques)
    s = pd.Series(values, dtype=object)
    return steps.per_unique(s, lambda v: v if isinstance(v, str) and v else (None if steps.missing(v) or v == ""
                                                                           else str(v))), None


__all__ = ["KeyTable", "build_keys", "apply_step", "SHARED_STEPS", "VALUE_STEPS", "STEP_NAMES"]
