"""Answer scales of survey items: the standard scales, level labels (非常满意 … 非常不满意), and answers read as scores."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from numbers import Real
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np
import pandas as pd

from udfs.columns import as_column
from udfs.score.survey.textkeys import _norm, _simplified

if TYPE_CHECKING:
    from udfs.score.survey.items import ItemSpec


#: Rows looked at to recognise column roles and scales.
RECOGNITION_SAMPLE = 2000


#: Scales a column of answers is tried against, narrowest first.
STANDARD_SCALES: tuple[tuple[int, int], ...] = ((1, 5), (1, 7), (1, 10), (0, 10))


#: Level labels of a 1–5 satisfaction (or agreement) scale, as users type them.
FIVE_LEVEL_LABELS: dict[str, int] = {
    **dict.fromkeys(["非常满意", "很满意", "十分满意", "高度满意", "特别满意", "非常好", "很好",
                     "非常同意", "完全同意", "极满意"], 5),
    **dict.fromkeys(["满意", "比较满意", "较满意", "基本满意", "好", "较好", "比较好", "同意", "比较同意"], 4),
    **dict.fromkeys(["一般", "中立", "中等", "还行", "还可以", "说不清", "不确定", "普通", "一般般"], 3),
    **dict.fromkeys(["不满意", "不太满意", "比较不满意", "较不满意", "差", "较差", "比较差", "不同意",
                     "不太同意"], 2),
    **dict.fromkeys(["非常不满意", "很不满意", "高度不满意", "极不满意", "十分不满意", "特别不满意",
                     "非常差", "很差", "非常不同意", "完全不同意"], 1),
}


#: Default label of each level of a 1–5 scale, used in tables and charts.
FIVE_LEVEL_NAMES: tuple[str, ...] = ("非常不满意", "不满意", "一般", "满意", "非常满意")


#: Answers to a "compared with X we are …" item, by what they say.
VERSUS_LABELS: dict[str, str] = {
    **dict.fromkeys(["更好", "好一些", "好得多", "好很多", "较好", "略好", "更强", "强", "强一些", "好", "优于", "更优",
                     "better", "much better"], "better"),
    **dict.fromkeys(["差不多", "持平", "一样", "相当", "相同", "差不多一样", "一般", "same", "on par", "about the same"],
                    "par"),
    **dict.fromkeys(["更差", "差一些", "差得多", "差很多", "较差", "略差", "不如", "弱", "弱一些", "差", "worse",
                     "much worse"], "worse"),
}


def label_map(labels: Sequence[str], scale_min: int) -> dict[str, int]:
    """Map an item's own level labels (lowest first) to their scores."""
    return {_simplified(_norm(lab)): scale_min + i for i, lab in enumerate(labels)}


def _parse_one(value: Any, labels: dict[str, int]) -> float:
    """One non-numeric answer → its score; NaN when blank; -inf when unreadable."""
    t = _simplified(_norm(value))
    if t == "":
        return math.nan
    if t in labels:
        return float(labels[t])
    m = re.fullmatch(r"(-?\d+(?:\.\d+)?)分?", t)
    if m:
        return float(m.group(1))
    return -math.inf


def to_scores(values: Any, item: ItemSpec | None = None) -> tuple[pd.Series, pd.Series]:
    """Answers → (scores as floats, True where an answer was given but is unreadable or off the scale).

    Level labels (满意, 一般 …), digits typed as text and full-width digits are read; answers that are
    off the scale or not whole numbers become missing and are flagged. Reverse-coded items are turned
    round (min + max − x) so that high always means satisfied.
    """
    from udfs.score.survey.items import ItemSpec   # items.py imports this module: not at the top

    item = item or ItemSpec(column=None, code="")
    if isinstance(values, pd.Series) and pd.api.types.is_numeric_dtype(values.dtype) \
            and not pd.api.types.is_bool_dtype(values.dtype):
        index = values.index  # already numbers (a scored column passed on): skip the object round trip
        x = values.to_numpy(dtype=float, copy=True)
    else:
        s = as_column(values)
        index = s.index
        x, left = _numbers_and_texts(s.to_numpy())
        if left.any():
            labels = dict(FIVE_LEVEL_LABELS) if (item.scale_min, item.scale_max) == (1, 5) else {}
            labels.update(label_map(item.labels, item.scale_min))
            rest = pd.Series(s.to_numpy()[left])
            # Few distinct texts in many rows: parse each distinct text once.
            parsed = {v: _parse_one(v, labels) for v in pd.unique(rest)}
            x[left] = rest.map(parsed).to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        bad = np.isinf(x) | (x < item.scale_min) | (x > item.scale_max) | (np.floor(x) != x) & np.isfinite(x)
    x[bad] = np.nan
    if item.reverse:
        x = item.scale_min + item.scale_max - x
    return pd.Series(x, index=index), pd.Series(bad, index=index)


def _numbers_and_texts(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Object cells → (floats with NaN for blanks and texts, True where a cell needs reading as text).

    Cells are mostly numbers already; masking the strings and casting is about three times faster
    than pandas.to_numeric on a mixed column.
    """
    kind = pd.api.types.infer_dtype(arr, skipna=True)
    if kind in ("floating", "integer", "mixed-integer-float", "empty"):
        return arr.astype(float), np.zeros(len(arr), bool)  # numbers only: nothing to read as text
    # answers take a handful of distinct values: test each distinct value once, not every cell
    codes, uniques = pd.factorize(arr)
    text_unique = np.fromiter((type(v) is str for v in uniques), bool, len(uniques))
    is_text = (codes >= 0) & text_unique[np.maximum(codes, 0)] if len(uniques) else np.zeros(len(arr), bool)
    cells = arr.copy()
    cells[is_text] = None
    try:
        x = cells.astype(float)
    except (TypeError, ValueError):  # dates or other objects: whatever is not a number is read as text
        x = pd.to_numeric(pd.Series(cells), errors="coerce").to_numpy(dtype=float, copy=True)  # writable under copy-on-write
        is_text = is_text | (np.isnan(x) & pd.notna(cells))
    return x, is_text


@dataclass(frozen=True)
class AnswerCounts:
    """A column's distinct non-blank answers and how often each occurs. Recognition judges a column by these: a
    handful of values, however many rows, with the same verdicts as judging every cell."""

    values: pd.Series        # the distinct answers, in the column's own dtype (blanks left out)
    counts: np.ndarray       # cells holding each of them
    rows: int                # cells, blanks included
    cells: np.ndarray        # the non-blank cells themselves (object), for text forms when texts and numbers mix

    @classmethod
    def of(cls, values: Any) -> "AnswerCounts":
        if isinstance(values, AnswerCounts):
            return values
        s = values if isinstance(values, pd.Series) else as_column(values)
        codes, uniques = pd.factorize(s)  # blanks (None, NaN, NaT) get −1, as dropna() leaves them out
        counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
        cells = s.to_numpy(dtype=object)[codes >= 0]
        return cls(pd.Series(uniques), counts, len(s), cells)

    @property
    def answered(self) -> int:
        return int(self.counts.sum())

    def texts(self) -> np.ndarray:
        """True for the distinct answers that are text."""
        return np.fromiter((isinstance(v, str) for v in self.values), bool, len(self.values))


def _value_kind(value: object) -> int:
    """0: a number (read as itself), 1: a text (read as a label or typed digits), 2: anything else."""
    if type(value) is str:
        return 1
    if isinstance(value, Real):  # int, float, bool and numpy numbers, as ndarray.astype(float) reads them
        return 0
    return 2


def _read_on_scale(values: Sequence[Any], labels: dict[str, int], lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
    """Numbers and texts → (scores, NaN where off the scale [lo, hi] or unreadable; True where so), as `to_scores`
    reads them one by one."""
    x = np.array([float(v) if type(v) is not str else _parse_one(v, labels) for v in values], dtype=float)
    with np.errstate(invalid="ignore"):
        bad = np.isinf(x) | (x < lo) | (x > hi) | (np.floor(x) != x) & np.isfinite(x)
    x[bad] = np.nan
    return x, bad


def _scale_readings(a: AnswerCounts) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct answer read on 0–10, level labels on the 1–5 scale they belong to: (scores, True where an answer
    is off the scale or unreadable)."""
    from udfs.score.survey.items import ItemSpec   # items.py imports this module: not at the top

    values = a.values.to_numpy(dtype=object)
    if all(_value_kind(v) < 2 for v in values):  # numbers and texts: read each in plain Python
        x, bad = _read_on_scale(values, {}, 0, 10)
        if np.isnan(x).any():
            lab, _ = _read_on_scale(values[np.isnan(x)], FIVE_LEVEL_LABELS, 1, 5)
            x[np.isnan(x)] = lab
            bad = bad & np.isnan(x)
        return x, bad
    # dates or other objects: the column reader decides, as it always has
    xs, bs = to_scores(a.values, ItemSpec(column=None, code="", scale_min=0, scale_max=10))
    if xs.isna().any():
        lab, _ = to_scores(a.values[xs.isna()], ItemSpec(column=None, code=""))
        xs = xs.fillna(lab)
        bs = bs & xs.isna()
    return xs.to_numpy(dtype=float), bs.to_numpy(dtype=bool)


def _scale_fit(values: pd.Series | AnswerCounts, min_distinct: int = 2) -> tuple[int, int] | None:
    """The narrowest standard scale holding ≥ 98% of a column's answers, or None if it is not a scale.

    Each distinct answer is read once (`AnswerCounts`) and weighted by how often it occurs.
    """
    a = AnswerCounts.of(values)
    n_all = a.answered
    if n_all == 0:
        return None
    x, bad = _scale_readings(a)
    readable = ~np.isnan(x)
    w = a.counts
    n_distinct = len(np.unique(x[readable]))
    if w[readable].sum() / n_all < 0.9 or n_distinct < min_distinct:
        # allow a few off-scale numbers (e.g. a planted 9 on a 1–5 item) but not free text
        off_scale_numbers = bad & pd.to_numeric(a.values, errors="coerce").notna().to_numpy()
        if w[readable | off_scale_numbers].sum() / n_all < 0.9 or n_distinct < min_distinct:
            return None
    xv, wv = x[readable], w[readable]
    for lo, hi in STANDARD_SCALES:
        inside = wv[(xv >= lo) & (xv <= hi)].sum()
        if inside >= 0.98 * n_all:
            return (lo, hi)
    return None


def infer_scale(values: Any, default: tuple[int, int] | None = (1, 5)) -> tuple[int, int] | None:
    """The narrowest standard scale (1–5, 1–7, 1–10, 0–10) holding a column's (or block's) answers; `default` if none.

    Zeros on a ten-point scale mean 0–10, as in `recognise_survey`.
    """
    if isinstance(values, pd.DataFrame):
        s = pd.Series(values.to_numpy(dtype=object).ravel(), dtype=object)
    else:
        s = as_column(values)
    s = s.dropna()
    fit = _scale_fit(s.iloc[:: max(1, len(s) // RECOGNITION_SAMPLE)], 1)  # a sample tells the scale, as for sheets
    if fit == (1, 10) and (pd.to_numeric(s, errors="coerce") == 0).any():
        return (0, 10)
    return fit or default


def _mostly_level_labels(values: pd.Series | AnswerCounts) -> bool:
    """True when ≥ 90% of the non-blank cells are satisfaction level labels (满意, 一般 …)."""
    a = AnswerCounts.of(values)
    if a.answered == 0 or len(a.values) > 30:  # a handful of labels, not an id or free text
        return False
    # only texts can be labels (a number's or a date's text form never is one)
    label = a.texts() & np.fromiter((_simplified(_norm(v)) in FIVE_LEVEL_LABELS for v in a.values), bool,
                                    len(a.values))
    return a.counts[label].sum() / a.answered >= 0.9


def _mostly_versus_labels(values: pd.Series | AnswerCounts) -> bool:
    """True when ≥ 80% of the non-blank cells are comparison answers (更好 / 差不多 / 更差 …) and some say 更好 or 更差
    (and the cells take at most 20 distinct text forms: not ids or free text)."""
    a = AnswerCounts.of(values)
    if a.answered == 0:
        return False
    # only texts can be comparison answers (a number's or a date's text form never is one)
    kinds = [VERSUS_LABELS.get(_simplified(_norm(v))) if isinstance(v, str) else None for v in a.values]
    said = np.array([k is not None for k in kinds], bool)
    if a.counts[said].sum() / a.answered < 0.8 or not any(k in ("better", "worse") for k in kinds):
        return False
    if a.texts().all():
        return len(a.values) <= 20
    return len(set(map(str, a.cells))) <= 20  # 1 and '1' are one text form, 1 and 1.0 two


_NUMBER = re.compile(r"\s*-?\d+(\.\d+)?\s*")
