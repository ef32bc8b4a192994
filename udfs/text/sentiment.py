"""Sentiment per comment from the lexicon in `lexicon.py`: positive / neutral / negative with a score in −1 … 1.

Method: the folded text is split into clauses at punctuation; in each clause the lexicon's entries are found
left to right, longest first (so 没问题 is one positive entry, not 没 + 问题). An evaluation word is flipped by
a negator just before it (不满意, 不慢, not good) and damped by a softened one (不太好), scaled by a degree
adverb (非常, 有点), and a clause after 但是 / 不过 counts 1.5 times. The raw sum s becomes the score
s / (1 + |s|); |score| < 0.2 is neutral.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from .lexicon import CONTRAST, CONTRAST_WEIGHT, DEGREE, NEGATIVE, NEGATORS, NEUTRAL, POSITIVE, SOFT_NEGATORS
from .segment import fold_text
from .trie import word_pattern

NEUTRAL_BAND = 0.2
LABELS = ("正面", "中性", "负面")
_CLAUSE = re.compile(r"[，,。.!！?？;；\n~～…]+|\s{2,}")
#: how many characters (Chinese) may sit between a negator or degree word and the word it modifies
_GAP = 2


@lru_cache(maxsize=1)
def _scanner() -> tuple[re.Pattern, dict[str, tuple[str, float]]]:
    kinds: dict[str, tuple[str, float]] = {}
    for table, kind in ((DEGREE, "degree"), (NEGATORS, "neg"), (SOFT_NEGATORS, "soft"), (POSITIVE, "word"),
                        (NEGATIVE, "word")):
        for w, v in table.items():
            kinds[w] = (kind, float(v))
    for w in CONTRAST:
        kinds.setdefault(w, ("contrast", CONTRAST_WEIGHT))
    for w in NEUTRAL:
        kinds[w] = ("neutral", 0.0)
    return word_pattern(kinds), kinds


def _clause_score(clause: str) -> float:
    pattern, kinds = _scanner()
    total, weight = 0.0, 1.0
    flip, degree, last_end = 1.0, 1.0, -99
    for m in pattern.finditer(clause):
        kind, value = kinds[m.group()]
        near = m.start() - last_end <= (_GAP if not clause[m.start()].isascii() else 1 + _GAP * 4)
        if not near:
            flip, degree = 1.0, 1.0
        if kind in ("neg", "soft"):
            flip *= -value
        elif kind == "degree":
            degree *= value
        elif kind == "contrast":  # 服务好但是太慢: what follows the 但是 weighs more
            total, weight = total / CONTRAST_WEIGHT, CONTRAST_WEIGHT
            flip, degree = 1.0, 1.0
        elif kind == "neutral":
            flip, degree = 1.0, 1.0
        else:
            total += value * flip * degree * weight
            flip, degree = 1.0, 1.0
        last_end = m.end()
    return total


def score_one(folded: str | None) -> float:
    """Score of one folded comment in −1 … 1 (NaN for blank)."""
    if not folded:
        return float("nan")
    s, weight = 0.0, 1.0
    for clause in _CLAUSE.split(folded):
        if not clause.strip():
            continue
        if clause.lstrip().startswith(CONTRAST):
            s /= CONTRAST_WEIGHT  # what came before the 但是 counts less (the clause itself weighs what follows)
            weight = 1.0
        s += weight * _clause_score(clause)
    return s / (1 + abs(s))


def label_of(score: Any) -> pd.Series:
    """Scores → 正面 / 中性 / 负面 (None where the score is NaN)."""
    x = np.asarray(score, dtype=float)
    out = np.where(x >= NEUTRAL_BAND, LABELS[0], np.where(x <= -NEUTRAL_BAND, LABELS[2], LABELS[1])).astype(object)
    out[np.isnan(x)] = None
    return pd.Series(out, index=score.index if isinstance(score, pd.Series) else None, dtype=object)


def sentiment(values: Any, *, folded: bool = False) -> pd.DataFrame:
    """Column of comments → DataFrame[情感, 情感分] (label and score), each distinct text scored once."""
    text = pd.Series(values if folded else fold_text(values)).astype(object)
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    scores = np.array([score_one(u) for u in uniques] + [np.nan], dtype=float)[codes]
    score = pd.Series(scores, index=text.index)
    return pd.DataFrame({"情感": label_of(score), "情感分": score.round(3)}, index=text.index)
