"""Say in words why a pair was flagged: `手机相同; 姓名同音(张伟/张玮); 公司相同`, strongest evidence first.

Agreements are always listed; a disagreement is listed when it weighed clearly against the match
(a different mobile or birth date is why a pair is only 疑似重复), so a person checking the flag sees
both sides.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from udfs.match.chinese_names import NAME_LEVEL_NAMES
from udfs.match.compare import CLOSE, DIFFER, EXACT, HOMOPHONE, PARTIAL
from udfs.match.prepare import KeyTable
from udfs.match.settings import MatchSettings

#: At most this many agreements are spelt out (strongest first); the rest are counted, so the cell stays
#: readable. Notable disagreements are always shown: they are why a pair is only 疑似重复.
MAX_AGREEMENTS_SHOWN = 4
#: A disagreement is worth mentioning when it cost at least this many bits.
NOTABLE_DIFFERENCE_BITS = -2.0
_MAX_SHOWN = 24  # characters of a value shown inside the brackets


def explain_pairs(keys: KeyTable, a: np.ndarray, b: np.ndarray, levels: pd.DataFrame,
                  weights: pd.DataFrame, settings: MatchSettings) -> np.ndarray:
    """One explanation string per pair (object array)."""
    m = len(a)
    if m == 0:
        return np.empty(0, dtype=object)
    phrases, strength = [], []
    for comp in settings.comparisons:
        lv = levels[comp.key].to_numpy()
        w = weights[comp.key].to_numpy()
        values = keys.values(comp.key)
        shown = np.flatnonzero((lv >= EXACT) & ((lv != DIFFER) | ((w <= NOTABLE_DIFFERENCE_BITS) & (comp.group is None))))
        text = np.full(m, None, dtype=object)
        label = comp.label
        exact = shown[lv[shown] == EXACT]
        text[exact] = _phrase(label, EXACT, None, None)  # the same words for every exact agreement
        shown = shown[lv[shown] != EXACT]
        for i, x, y, level in zip(shown.tolist(), values[a[shown]].tolist(), values[b[shown]].tolist(),
                                  lv[shown].tolist()):  # per shown fact: builds text only
            text[i] = _phrase(label, level, x, y)
        phrases.append(text)
        strength.append(np.where(lv >= EXACT, np.abs(w) * np.where(lv == DIFFER, 0.5, 1.0), -1.0))
    phrases = np.stack(phrases, axis=1)
    order = np.argsort(-np.stack(strength, axis=1), axis=1, kind="stable")
    ordered = np.take_along_axis(phrases, order, axis=1)
    return np.array([_join(row) for row in ordered.tolist()], dtype=object)


def _join(phrases: list) -> str:
    agree = [p for p in phrases if p and "不同(" not in p]
    differ = [p for p in phrases if p and "不同(" in p]
    shown = agree[:MAX_AGREEMENTS_SHOWN]
    text = "; ".join(shown + differ)
    if len(agree) > len(shown):
        text += f"（另有 {len(agree) - len(shown)} 项一致）"
    return text


def _phrase(label: str, level: int, x: str, y: str) -> str:
    if level == EXACT:
        return f"{label}相同"
    pair = f"({_short(x)}/{_short(y)})"
    if level == HOMOPHONE:
        return f"{label}同音{pair}"
    if level == CLOSE:
        return f"{label}相近{pair}"
    if level == PARTIAL:
        return f"{label}部分相同{pair}"
    if level in NAME_LEVEL_NAMES:
        return f"{label}一字之差{pair}"
    return f"{label}不同{pair}"


def _short(value: str) -> str:
    value = str(value)
    return value if len(value) <= _MAX_SHOWN else value[: _MAX_SHOWN - 1] + "…"
