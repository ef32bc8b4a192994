"""What the register jobs (segment, report) share: the analysis date, and satisfaction joined to customers."""
from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from addin.errors import ExitCode, KehuError
from addin.read import Table
from udfs.score.segment import customer_keys, to_amounts, to_dates


def as_of_day(text: str | None) -> np.datetime64:
    """--as-of as a date (today when not given); a two-line usage error when it is not a date."""
    if text is None or not str(text).strip():
        return pd.Timestamp(dt.date.today()).to_datetime64()
    value = to_dates([text]).iloc[0]
    if pd.isna(value):
        raise KehuError(f"--as-of 不是可识别的日期：“{text}”（例如 2024-06-30）。",
                        f"--as-of is not a date: '{text}' (e.g. 2024-06-30).", ExitCode.USAGE)
    return value.to_datetime64()


def survey_scores(survey: Table) -> tuple[pd.Series | None, str | None]:
    """Each questionnaire's satisfaction on the survey's own scale: the overall item, else the mean of the items.

    Answers are scored as the survey job scores them (`udfs.score.survey.to_scores`: level labels such as
    满意 / 一般 read as their level, reverse-coded items turned round), so a labelled survey is not blank.
    """
    from udfs.score.survey import ItemSpec, recognise_survey, to_scores

    try:
        spec = recognise_survey(survey.df)
        known = {it.column: it for it in [*spec.items, spec.overall] if it is not None}
    except ValueError:   # nothing the survey engine recognises: fall back on the reader's roles, default scale
        known = {}

    def score(column) -> pd.Series:
        if column in known:
            return to_scores(survey.df[column], known[column])[0]
        # a column the survey engine did not take as an item: numbers as written, level labels as their level
        labelled = to_scores(survey.df[column], ItemSpec(column=column, code=str(column)))[0].reset_index(drop=True)
        return to_amounts(survey.df[column]).fillna(labelled)
    overall = survey.column_for("overall")
    if overall is not None:
        return score(overall).reset_index(drop=True), None
    items = [c for c, r in survey.roles.items() if r == "item"]
    if not items:
        return None, f"问卷「{survey.sheet}」没有总体满意度或评分题，无法关联满意度。"
    return pd.concat([score(c).reset_index(drop=True) for c in items], axis=1).mean(axis=1), None


def satisfaction_by_customer(survey: Table, register_ids: Any) -> tuple[pd.Series | None, str]:
    """Mean satisfaction per register customer (aligned with `register_ids`), and a line saying how many matched."""
    if register_ids is None:
        return None, "客户表没有客户编号列，无法关联满意度调查。"
    id_col = survey.column_for("customer_id") or survey.column_for("respondent")
    if id_col is None:
        return None, f"问卷「{survey.sheet}」没有客户编号列，无法关联满意度。"
    score, why_not = survey_scores(survey)
    if score is None:
        return None, why_not
    codes, ids = customer_keys(survey.df[id_col])
    frame = pd.DataFrame({"code": codes, "score": score.to_numpy(dtype=float)})
    means = frame[frame["code"] >= 0].groupby("code")["score"].mean()
    per_id = pd.Series(means.to_numpy(), index=pd.Index([ids[i] for i in means.index], dtype=object))
    reg_codes, reg_ids = customer_keys(register_ids)
    lookup = per_id.reindex(pd.Index(reg_ids, dtype=object)).to_numpy(dtype="float64")
    values = np.append(lookup, np.nan)[reg_codes]
    matched = int(np.isfinite(values).sum())
    return pd.Series(values), f"满意度：问卷「{survey.sheet}」中 {len(per_id)} 位客户，关联到客户表 {matched} 位。"
