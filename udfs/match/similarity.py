"""String similarity of aligned pairs of values (a[k] with b[k]), scored 0–1, through a swappable back end.

The engine compares hundreds of thousands of candidate pairs at a time, so every metric here works on two
equal-length arrays and returns one float array. The default back end is rapidfuzz's `process.cpdist`
(element-wise, multi-threaded C++). `PurePythonBackend` gives the same answers without rapidfuzz, for
places such as xlwings Lite (Pyodide) where no rapidfuzz wheel exists; `set_backend` slots it in.
Missing values (None/NaN) on either side score NaN.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import pandas as pd

from udfs.errors import InputProblem

METRICS = ("jaro_winkler", "levenshtein", "token_set", "osa_distance")


class RapidfuzzBackend:
    """Element-wise scorers from rapidfuzz (C++), run over two string lists."""

    name = "rapidfuzz"

    def __init__(self) -> None:
        from rapidfuzz import distance, fuzz, process

        self._process = process
        self._scorers = {
            "jaro_winkler": (distance.JaroWinkler.normalized_similarity, 1.0),
            "levenshtein": (distance.Levenshtein.normalized_similarity, 1.0),
            "token_set": (fuzz.token_set_ratio, 0.01),  # fuzz ratios are 0–100
            # edits counting a swap of two neighbours as one (a distance, not a 0–1 score)
            "osa_distance": (distance.OSA.distance, 1.0),
        }

    def pairwise(self, metric: str, a: Sequence[str], b: Sequence[str], bound: float | None = None) -> np.ndarray:
        scorer, scale = self._scorers[metric]
        cutoff = {}
        if bound is not None and (metric == "osa_distance" or bound > _MARGIN):   # lets rapidfuzz stop early
            # scores just under the bound still come back as before: float32 may round them up to it
            cutoff = {"score_cutoff": bound if metric == "osa_distance" else (bound - _MARGIN) / scale}
        out = self._process.cpdist(list(a), list(b), scorer=scorer, workers=-1, dtype=np.float32, **cutoff)
        return _bounded(metric, out.astype(np.float64) * scale, bound)


class PurePythonBackend:
    """The same metrics in plain Python: slower, for environments without rapidfuzz."""

    name = "python"

    def pairwise(self, metric: str, a: Sequence[str], b: Sequence[str], bound: float | None = None) -> np.ndarray:
        func = {"jaro_winkler": jaro_winkler_one, "levenshtein": levenshtein_one, "token_set": token_set_one,
                "osa_distance": osa_distance_one}[metric]
        # One call per distinct pair: the caller has already removed repeated pairs.
        return _bounded(metric, np.fromiter((func(x, y) for x, y in zip(a, b)), dtype=np.float64, count=len(a)),
                        bound)


#: how far under a score bound rapidfuzz is still asked for the score (float32 rounding stays on the safe side)
_MARGIN = 1e-6


def _bounded(metric: str, values: np.ndarray, bound: float | None) -> np.ndarray:
    """What `pairwise(..., bound=…)` returns, whichever back end computed the values: distances above the
    bound as bound + 1, scores below bound − margin as 0."""
    if bound is None:
        return values
    if metric == "osa_distance":
        return np.minimum(values, bound + 1)
    return np.where(values < bound - _MARGIN, 0.0, values)


def jaro_winkler_one(s1: str, s2: str, prefix_weight: float = 0.1) -> float:
    """Jaro–Winkler similarity of two strings (the common-prefix bonus is applied when Jaro > 0.7)."""
    if s1 == s2:
        return 1.0
    n1, n2 = len(s1), len(s2)
    if not n1 or not n2:
        return 0.0
    reach = max(max(n1, n2) // 2 - 1, 0)
    used2 = [False] * n2
    match1 = []
    for i, ch in enumerate(s1):
        for j in range(max(0, i - reach), min(n2, i + reach + 1)):
            if not used2[j] and s2[j] == ch:
                used2[j] = True
                match1.append(ch)
                break
    m = len(match1)
    if not m:
        return 0.0
    match2 = [s2[j] for j in range(n2) if used2[j]]
    transpositions = sum(x != y for x, y in zip(match1, match2)) // 2  # whole transpositions, as rapidfuzz counts
    jaro = (m / n1 + m / n2 + (m - transpositions) / m) / 3
    if jaro <= 0.7:
        return jaro
    prefix = 0
    for x, y in zip(s1[:4], s2[:4]):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * prefix_weight * (1 - jaro)


def levenshtein_one(s1: str, s2: str) -> float:
    """1 − edit distance / length of the longer string."""
    if s1 == s2:
        return 1.0
    longest = max(len(s1), len(s2))
    previous = list(range(len(s2) + 1))
    for i, c1 in enumerate(s1, 1):
        current = [i]
        for j, c2 in enumerate(s2, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (c1 != c2)))
        previous = current
    return 1.0 - previous[-1] / longest


def osa_distance_one(s1: str, s2: str) -> float:
    """Edit distance where swapping two neighbouring characters is one edit (optimal string alignment)."""
    n1, n2 = len(s1), len(s2)
    d = [[0] * (n2 + 1) for _ in range(n1 + 1)]
    for i in range(n1 + 1):
        d[i][0] = i
    for j in range(n2 + 1):
        d[0][j] = j
    for i in range(1, n1 + 1):
        for j in range(1, n2 + 1):
            cost = s1[i - 1] != s2[j - 1]
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and s1[i - 1] == s2[j - 2] and s1[i - 2] == s2[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return float(d[n1][n2])


def token_set_one(s1: str, s2: str) -> float:
    """Token-set ratio as rapidfuzz defines it: best indel ratio among intersection/difference strings."""
    t1, t2 = set(s1.split()), set(s2.split())
    if not t1 or not t2:
        return 0.0
    common = " ".join(sorted(t1 & t2))
    diff1 = " ".join(sorted(t1 - t2))
    diff2 = " ".join(sorted(t2 - t1))
    if common and (not diff1 or not diff2):
        return 1.0
    joined1 = (common + " " + diff1).strip()
    joined2 = (common + " " + diff2).strip()
    candidates = [_indel_ratio(joined1, joined2)]
    if common:
        candidates += [_indel_ratio(common, joined1), _indel_ratio(common, joined2)]
    return max(candidates)


def _indel_ratio(s1: str, s2: str) -> float:
    """1 − (insertions + deletions) / (len1 + len2), via the longest common subsequence."""
    total = len(s1) + len(s2)
    if not total:
        return 1.0
    previous = [0] * (len(s2) + 1)
    for c1 in s1:
        current = [0]
        for j, c2 in enumerate(s2, 1):
            current.append(previous[j - 1] + 1 if c1 == c2 else max(previous[j], current[j - 1]))
        previous = current
    return 2 * previous[-1] / total


def _default_backend():
    try:
        return RapidfuzzBackend()
    except ImportError:  # Pyodide / xlwings Lite: no rapidfuzz wheel
        return PurePythonBackend()


_backend = _default_backend()


def set_backend(backend) -> None:
    """Use another back end (an object with `name` and `pairwise(metric, a, b)`)."""
    global _backend
    _backend = backend


def backend_name() -> str:
    return _backend.name


def pairwise(metric: str, a: Sequence, b: Sequence) -> np.ndarray:
    """Similarity of a[k] and b[k] for every k, 0–1 (osa_distance: edits); NaN where either side is missing."""
    codes_a, uniq_a = pd.factorize(np.asarray(a, dtype=object), use_na_sentinel=True)
    codes_b, uniq_b = pd.factorize(np.asarray(b, dtype=object), use_na_sentinel=True)
    return pairwise_coded(metric, codes_a, np.asarray(uniq_a, dtype=object), codes_b, np.asarray(uniq_b, dtype=object))


def pairwise_coded(metric: str, codes_a: np.ndarray, uniques_a: np.ndarray, codes_b: np.ndarray,
                   uniques_b: np.ndarray, bound: float | None = None) -> np.ndarray:
    """`pairwise` for values given as integer codes into arrays of distinct strings (-1 = missing).

    Each distinct (a, b) pair is scored once: candidate pairs repeat values a lot (same surname,
    same city), so scoring distinct pairs is what keeps the cost down. bound: the least score (the most
    edits, for osa_distance) the caller tells apart; scores below it come back as 0 (distances above it as
    bound + 1), which lets the back end skip most of the work on unlike pairs.
    """
    if metric not in METRICS:
        raise InputProblem(f"查重设置里有未知的相似度算法“{metric}”（可用：{'、'.join(METRICS)}）。",
                           f"Unknown metric {metric!r}; choose from {', '.join(METRICS)}.")
    codes_a = np.asarray(codes_a, dtype=np.int64)
    codes_b = np.asarray(codes_b, dtype=np.int64)
    out = np.full(len(codes_a), np.nan)
    present = np.flatnonzero((codes_a >= 0) & (codes_b >= 0))
    if not len(present):
        return out
    width = len(uniques_b) + 1
    # hashing the pair codes (one pass) finds the distinct pairs faster than sorting them would
    inverse, distinct = pd.factorize(codes_a[present] * width + codes_b[present])
    xa = uniques_a[distinct // width]
    xb = uniques_b[distinct % width]
    values = np.empty(len(distinct))
    same = xa == xb
    values[same] = 0.0 if metric == "osa_distance" else 1.0
    if (~same).any():
        values[~same] = _backend.pairwise(metric, _as_strings(xa[~same]), _as_strings(xb[~same]), bound=bound)
    out[present] = values[inverse]
    return out


def _as_strings(values: np.ndarray) -> list[str]:
    """The values as a list of str (keys already are: then no per-value str() call)."""
    if pd.api.types.infer_dtype(values, skipna=False) == "string":
        return values.tolist()
    return [str(v) for v in values.tolist()]


def similarity_function(metric: str) -> Callable[[str, str], float]:
    """One-pair version of a metric, for formulas that compare two cells."""
    def one(x: str, y: str) -> float:
        return float(pairwise(metric, [x], [y])[0])
    return one
