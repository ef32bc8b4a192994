"""Read answer columns into scores: each distinct answer of a column is read once (a text once for all columns with the
same labels), then every cell takes its reading by one lookup (the same result as `to_scores` column by column)."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from udfs.score.survey.items import ItemSpec
from udfs.score.survey.scales import FIVE_LEVEL_LABELS, _parse_one, _value_kind, label_map, to_scores


def _labels(item: ItemSpec) -> dict[str, int]:
    labels = dict(FIVE_LEVEL_LABELS) if (item.scale_min, item.scale_max) == (1, 5) else {}
    labels.update(label_map(item.labels, item.scale_min))
    return labels


def _on_scale(raw: np.ndarray, item: ItemSpec) -> tuple[np.ndarray, np.ndarray]:
    """Raw readings → (scores with NaN where off the scale or unreadable, True where so), reverse coding applied."""
    x = raw.astype(float, copy=True)
    with np.errstate(invalid="ignore"):
        bad = np.isinf(x) | (x < item.scale_min) | (x > item.scale_max) | (np.floor(x) != x) & np.isfinite(x)
    x[bad] = np.nan
    if item.reverse:
        x = item.scale_min + item.scale_max - x
    return x, bad


def read_answers(df: pd.DataFrame, questions: Sequence[ItemSpec]) -> tuple[np.ndarray, np.ndarray]:
    """Scores (respondents × questions, floats) and True where an answer was given but is unreadable or off
    the scale, for the `questions`' columns of `df`; equal to `to_scores` applied to each column."""
    n, k = len(df), len(questions)
    x = np.full((n, k), np.nan, order="F")  # column by column, as pandas stores a float frame
    bad = np.zeros((n, k), bool, order="F")
    read_texts: dict[tuple, float] = {}  # (label set, text) → its reading, shared by the columns
    for j, q in enumerate(questions):
        col = df[q.column]
        if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
            x[:, j], bad[:, j] = _on_scale(col.to_numpy(dtype=float), q)
            continue
        codes, uniques = pd.factorize(col.to_numpy(dtype=object))  # blanks (None, NaN) get −1
        kinds = np.fromiter((_value_kind(v) for v in uniques), np.int8, len(uniques))
        if (kinds == 2).any():
            # dates or other objects in this column: the column-by-column reader decides, as it always has
            s, b = to_scores(col, q)
            x[:, j], bad[:, j] = s.to_numpy(), b.to_numpy()
            continue
        raw = np.full(len(uniques) + 1, np.nan)  # the last reading is the blanks' (code −1)
        labels = None
        key = (q.scale_min == 1 and q.scale_max == 5, q.labels, q.scale_min)
        for i, (v, kind) in enumerate(zip(uniques, kinds)):
            if kind == 0:
                raw[i] = float(v)
            else:
                if (key, v) not in read_texts:
                    labels = labels if labels is not None else _labels(q)
                    read_texts[key, v] = _parse_one(v, labels)
                raw[i] = read_texts[key, v]
        value, off = _on_scale(raw, q)
        x[:, j], bad[:, j] = value[codes], off[codes]
    return x, bad
