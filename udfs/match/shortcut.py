"""The canonical-form shortcut of the key steps.

Most cells of a register are already in canonical form (13800138000, 张伟, a@b.com). For those the shared
normaliser's answer is a cheap function of the cell. Each run checks that on a sample of such cells against
the shared normaliser itself and uses the shortcut only when every answer agrees, so the keys are always the
shared normaliser's keys; everything else goes through the shared normaliser.
Which cells are canonical is decided for the whole column at once (Arrow regular expressions), not per cell.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable

import numpy as np
import pandas as pd

from udfs.columns import as_column
from udfs.match.steps import text_mask
from udfs.normalise.names import HONORIFICS_AFTER, pinyin_of_keys
from udfs.normalise.text import _trad_to_simp_table

_HAN = "一-鿿"  # U+4E00–U+9FFF written literally: the same class for Python's re and Arrow's RE2
# [0-9], not \d: Python's \d also takes full-width digits, which the normaliser rewrites
CANONICAL = {
    "mobile": r"1[3-9][0-9]{9}",
    "landline": r"0[0-9]{2,3}-[1-9][0-9]{6,7}",
    "email": r"[a-z0-9._-]{1,40}@[a-z0-9-]{1,30}(?:\.[a-z0-9-]{1,20}){0,3}\.[a-z]{2,6}",
    "person_name": f"[{_HAN}]{{2,4}}",
    "pinyin": f"[{_HAN}]{{2,4}}",
    "address": f"[{_HAN}0-9]{{4,80}}",
}
SAMPLE = 300


@lru_cache(maxsize=1)
def _traditional_class() -> str:
    """A regex class of every character the key's 繁→简 step changes (a cell with none is already simplified)."""
    chars = sorted(chr(k) for k, v in _trad_to_simp_table().items() if v != chr(k))
    return "[" + "".join("\\" + c if c in "\\]^-[" else c for c in chars) + "]"


def canonical_mask(step: str, uniques: np.ndarray) -> np.ndarray:
    """Per distinct value: is it already in the canonical form of `step` (name: simplified and without a
    trailing title such as 先生 or 总)?"""
    out = np.zeros(len(uniques), dtype=bool)
    is_text = text_mask(uniques)
    if step not in CANONICAL or not is_text.any():
        return out
    s = pd.Series(uniques[is_text], dtype="str")
    ok = s.str.fullmatch(CANONICAL[step])
    if step in ("person_name", "pinyin", "address"):
        ok &= ~s.str.contains(_traditional_class(), regex=True)
    if step in ("person_name", "pinyin"):
        ok &= ~s.str.endswith(tuple(HONORIFICS_AFTER))
    out[is_text] = ok.fillna(False).to_numpy(dtype=bool)
    return out


def _transform(step: str) -> Callable[[np.ndarray], np.ndarray]:
    """The shared normaliser's answer for canonical cells, as a function of an array of them."""
    return pinyin_of_keys if step == "pinyin" else (lambda values: values)


def with_shortcut(step: str, shared: Callable, values: pd.Series) -> pd.Series:
    """shared(values), computed only for the cells not already canonical when a checked sample agrees."""
    if step not in CANONICAL:
        return as_column(_first_column(shared(values)))
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)
    canonical = canonical_mask(step, uniques)
    transform = _transform(step)
    if canonical.any():
        picks = np.flatnonzero(canonical)
        sample = picks[np.linspace(0, len(picks) - 1, min(SAMPLE, len(picks))).astype(int)]
        expected = as_column(_first_column(shared(pd.Series(uniques[sample], dtype=object)))).tolist()
        if np.asarray(transform(uniques[sample]), dtype=object).tolist() != expected:
            canonical[:] = False
    if not canonical.any():
        return as_column(_first_column(shared(values)))
    table = np.empty(len(uniques) + 1, dtype=object)
    table[-1] = None
    table[np.flatnonzero(canonical)] = transform(uniques[canonical])
    rest = np.flatnonzero(~canonical)
    if len(rest):
        table[rest] = as_column(_first_column(shared(pd.Series(uniques[rest], dtype=object)))).to_numpy(dtype=object)
    return pd.Series(table[codes], dtype=object)


def _first_column(result):
    return result.iloc[:, 0] if isinstance(result, pd.DataFrame) else result
