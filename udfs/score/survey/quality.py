"""Response quality: flags per questionnaire (2/3 rule, off-scale, straight-lining, duplicates, speed) and which exclude."""
from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import numpy as np
import pandas as pd

from udfs.columns import as_column
from udfs.score.survey.answers import read_answers
from udfs.score.survey.items import SurveySpec

#: Reason code → (Chinese, English) shown in the 无效问卷 sheet.
REASONS: dict[str, tuple[str, str]] = {
    "TOO_FEW_ANSWERS": ("已答题目不足三分之二", "fewer than two thirds of the questions answered"),
    "OUT_OF_RANGE": ("有答案超出量表或无法识别", "an answer is off the scale or unreadable"),
    "STRAIGHT_LINING": ("所有题目答案相同", "the same answer to every item"),
    # all-top answers are what a delighted customer gives on a battery without reverse-worded items
    "ALL_TOP": ("所有题目答案相同（全部最高分）", "the top answer to every item"),
    "ALL_BOTTOM": ("所有题目答案相同（全部最低分）", "the bottom answer to every item"),
    "DUPLICATE": ("重复答卷", "duplicate respondent"),
    "TOO_FAST": ("答题用时过短", "answered too fast"),
}

#: Flags that exclude a questionnaire by default: the users' own rule (two thirds answered) and true duplicates.
#: The others are reported, and exclude only when asked (`exclude=`), since dropping them biases the indices.
EXCLUDED_BY_DEFAULT = ("TOO_FEW_ANSWERS", "DUPLICATE")

#: Names for `--exclude` → the flags they switch on.
EXCLUDE_OPTIONS: dict[str, tuple[str, ...]] = {
    "straightline": ("STRAIGHT_LINING", "ALL_TOP", "ALL_BOTTOM"),
    "speeding": ("TOO_FAST",),
    "offscale": ("OUT_OF_RANGE",),
}


def exclusion_flags(exclude: Any = ()) -> tuple[str, ...]:
    """The flags that exclude, for `exclude` given as names ('straightline,speeding') or a list of them."""
    names = [n.strip().lower() for n in (exclude.split(",") if isinstance(exclude, str) else exclude or ()) if n.strip()]
    unknown = [n for n in names if n not in EXCLUDE_OPTIONS]
    if unknown:
        raise ValueError(f"unknown exclusion {unknown[0]!r}; use {', '.join(EXCLUDE_OPTIONS)}")
    return EXCLUDED_BY_DEFAULT + tuple(f for n in names for f in EXCLUDE_OPTIONS[n])

#: Without a stated minimum, a questionnaire answered in under this share of the median time is too fast.
TOO_FAST_SHARE_OF_MEDIAN = 1 / 3


def answer_matrix(df: pd.DataFrame, spec: SurveySpec) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scored questions as a float matrix (columns = item codes) and the matching 'unreadable/off-scale' flags."""
    questions = list({q.code: q for q in spec.scored()}.values())  # one column per code, the last one named
    x, bad = read_answers(df, questions)
    codes = [q.code for q in questions]
    return pd.DataFrame(x, index=df.index, columns=codes), pd.DataFrame(bad, index=df.index, columns=codes)


def enough_answers(answered: Any, n_questions: int, threshold: float = 2 / 3) -> pd.Series:
    """True where at least `threshold` of the questions are answered (the 2/3 rule; exactly 2/3 passes)."""
    a = pd.to_numeric(as_column(answered), errors="coerce").astype(float)
    # a small tolerance so that 6 of 9 counts as exactly two thirds despite binary fractions
    return a >= threshold * n_questions - 1e-9


#: Straight-lining is only judged with at least this many items answered: on a short form, the same
#: answer throughout (everything 非常满意) is a plausible honest reply.
STRAIGHT_LINING_MIN_ITEMS = 6


def straight_lining(x: pd.DataFrame, min_answered: int = STRAIGHT_LINING_MIN_ITEMS) -> pd.Series:
    """True where every answered item has the same answer (and at least `min_answered` are answered)."""
    return straight_pattern(x, min_answered=min_answered) != ""


def straight_pattern(x: pd.DataFrame, scale_min: Any = None, scale_max: Any = None,
                     min_answered: int = STRAIGHT_LINING_MIN_ITEMS) -> pd.Series:
    """'top' / 'bottom' / 'same' where every answered item has the same answer ('' otherwise).

    'top' and 'bottom' are the scale's extreme levels (per item: `scale_min` / `scale_max` sequences).
    """
    arr = x.to_numpy(dtype=float)
    ok = np.isfinite(arr)
    answered = ok.sum(axis=1)
    # fmax/fmin skip blanks without warnings; a row with nothing answered gives −inf < inf, never the same
    hi = np.fmax.reduce(arr, axis=1, initial=-np.inf)
    lo = np.fmin.reduce(arr, axis=1, initial=np.inf)
    same = (hi == lo) & (answered >= min_answered)
    out = np.where(same, "same", "").astype(object)
    if scale_max is not None and same.any():  # top / bottom judged on the straight-lined rows only (a few)
        rows = np.flatnonzero(same)
        part, part_ok = arr[rows], ok[rows]
        top = np.asarray(scale_max, dtype=float)
        bottom = np.asarray(scale_min, dtype=float)
        out[rows[np.where(part_ok, part == top, True).all(axis=1)]] = "top"
        out[rows[np.where(part_ok, part == bottom, True).all(axis=1)]] = "bottom"
    return pd.Series(out, index=x.index)


def duplicated_respondents(df: pd.DataFrame, spec: SurveySpec) -> pd.Series:
    """True for the second and later questionnaires of one respondent.

    With a respondent column (编号, 手机 …) that column decides. Without one, a row identical to an
    earlier row in every column counts, but only when it has something personal beyond the answers
    (a comment, a duration, another field): identical answers alone are common and prove nothing.
    """
    if spec.id_column is not None:
        ids = df[spec.id_column]
        if _folded_already(ids):  # R0000123, 13800138000: the ids are their own keys
            keys = ids.fillna("".join(str(ids.dtype.na_value).split()).upper())  # a blank's key, as below
            return ids.notna() & keys.duplicated(keep="first")
        # spaces dropped and letters upper-cased, per cell in plain Python: a regex over 100,000 ids costs ~0.3 s
        keys = pd.Series(["".join(str(v).split()).upper() for v in ids.to_numpy(dtype=object)], index=ids.index,
                         dtype=object)
        return ids.notna() & keys.duplicated(keep="first")
    answers = {q.column for q in spec.scored()} | set(spec.group_columns)
    personal = [c for c in df.columns if c not in answers]
    if not personal:
        return pd.Series(False, index=df.index)
    has_personal = df[personal].notna().any(axis=1)
    return has_personal & df.astype(str).duplicated(keep="first")


#: Python's str.split() whitespace within ASCII, and lower-case letters: what folding an ASCII id would change.
_FOLDED_AWAY = r"[a-z\t\n\x0b\x0c\r\x1c-\x1f ]"


def _folded_already(ids: pd.Series) -> bool:
    """True when "".join(str(v).split()).upper() leaves every id as it is: a text column held by Arrow whose ids are
    ASCII without spaces or lower-case letters, checked in Arrow's kernels (no Python loop over the ids)."""
    from udfs.normalise._kernels import _arrow, arrow_available

    if ids.dtype == object or not pd.api.types.is_string_dtype(ids.dtype) or not arrow_available():
        return False
    pa, pc = _arrow()
    arr = pa.array(ids.array)
    return (pc.all(pc.string_is_ascii(arr)).as_py() is not False
            and not pc.any(pc.match_substring_regex(arr, _FOLDED_AWAY)).as_py())


def duration_seconds(values: Any, unit_seconds: float = 1.0) -> pd.Series:
    """Answering time → seconds. Numbers (times `unit_seconds`), 'mm:ss' / 'h:mm:ss' text, times of day, timedeltas."""
    s = as_column(values)
    out = pd.to_numeric(s, errors="coerce").astype(float) * unit_seconds
    rest = out.isna() & s.notna()
    if rest.any():
        def one(v: Any) -> float:
            if isinstance(v, _dt.time):
                return v.hour * 3600 + v.minute * 60 + v.second
            if isinstance(v, (_dt.timedelta, pd.Timedelta)):
                return pd.Timedelta(v).total_seconds()
            m = re.fullmatch(r"\s*(?:(\d+):)?(\d+):(\d+)\s*", str(v))
            if m:
                return int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + int(m.group(3))
            m = re.fullmatch(r"\s*(?:(\d+)\s*分钟?)?\s*(?:(\d+)\s*秒)?\s*", str(v))
            if m and (m.group(1) or m.group(2)):
                return int(m.group(1) or 0) * 60 + int(m.group(2) or 0)
            return np.nan
        uniq = {v: one(v) for v in pd.unique(s[rest])}  # few distinct texts: parse each once
        out[rest] = s[rest].map(uniq).astype(float)
    return out


def too_fast(seconds: Any, min_seconds: float | None = None) -> tuple[pd.Series, float]:
    """True where the answering time is under `min_seconds` (default: a third of the median); returns the cut-off used."""
    sec = pd.to_numeric(as_column(seconds), errors="coerce").astype(float)
    if min_seconds is None:
        med = sec.median()
        min_seconds = float(med) * TOO_FAST_SHARE_OF_MEDIAN if pd.notna(med) else 0.0
    return sec < min_seconds, float(min_seconds)


def check_quality(df: pd.DataFrame, spec: SurveySpec, x: pd.DataFrame, bad: pd.DataFrame, *,
                  threshold: float = 2 / 3, min_seconds: float | None = None, exclude: Any = ()) -> pd.DataFrame:
    """One row per questionnaire: answered count, off-scale answers, each flag, the flags in Chinese (`reasons`),
    the flags that exclude it (`excluded_by`) and `valid` (not excluded)."""
    n_q = x.shape[1]
    answered = x.notna().sum(axis=1)
    flags = pd.DataFrame(index=df.index)
    flags["TOO_FEW_ANSWERS"] = ~enough_answers(answered, n_q, threshold)
    flags["OUT_OF_RANGE"] = bad.any(axis=1)
    item_codes = [q.code for q in spec.items]
    pattern = straight_pattern(x[item_codes], [q.scale_min for q in spec.items], [q.scale_max for q in spec.items])
    flags["STRAIGHT_LINING"] = pattern == "same"
    flags["ALL_TOP"] = pattern == "top"
    flags["ALL_BOTTOM"] = pattern == "bottom"
    flags["DUPLICATE"] = duplicated_respondents(df, spec)
    seconds = None
    if spec.duration_column is not None:
        seconds = duration_seconds(df[spec.duration_column], spec.duration_unit_seconds)
        flags["TOO_FAST"], _ = too_fast(seconds, min_seconds)
    else:
        flags["TOO_FAST"] = False
    flags = flags.astype(bool)
    out = pd.DataFrame({"answered": answered.astype(int), "questions": n_q,
                        "off_scale": bad.sum(axis=1).astype(int)}, index=df.index)
    if seconds is not None:
        out["seconds"] = seconds
    out = pd.concat([out, flags], axis=1)
    excluding = list(exclusion_flags(exclude))
    out["flagged"] = flags.any(axis=1)
    out["valid"] = ~flags[excluding].any(axis=1)
    out["reasons"] = _reason_text(flags)
    out["excluded_by"] = _reason_text(flags[excluding])
    return out


def _reason_text(flags: pd.DataFrame) -> pd.Series:
    """Flags → '已答题目不足三分之二；答题用时过短' (None where valid); built per flag column, not per row."""
    text = pd.Series("", index=flags.index, dtype=object)
    for code in flags.columns:
        hit = flags[code].to_numpy()
        if hit.any():
            zh = REASONS[code][0]
            text[hit] = np.where(text[hit] == "", zh, text[hit] + "；" + zh)
    return text.where(text != "", None)


def response_counts(returned: int, valid: int, issued: int | None = None) -> dict[str, Any]:
    """Issued / returned / valid with 回收率 (returned/issued), 有效率 (valid/returned), 有效回收率 (valid/issued)."""
    def ratio(a, b):
        return a / b if b else None

    return {
        "issued": issued,
        "returned": returned,
        "valid": valid,
        "invalid": returned - valid,
        "return_rate": ratio(returned, issued) if issued else None,
        "valid_rate": ratio(valid, returned),
        "valid_return_rate": ratio(valid, issued) if issued else None,
    }
