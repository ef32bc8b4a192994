"""The comparison keys of a run and the per-key arrays every stage derives from them (codes, ranks,
frequencies, per-distinct-value derivations), each computed once."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pandas as pd


class KeyTable:
    """The comparison keys of a run plus per-key arrays derived once and reused by every stage:
    integer codes (-1 = missing), sort ranks, value frequencies and per-distinct-value derivations."""

    def __init__(self, frame: pd.DataFrame, factorized: dict[str, tuple[np.ndarray, np.ndarray]] | None = None):
        """factorized: key → (codes, distinct keys) already known to the caller, exactly what
        pd.factorize(frame[key]) gives (build_keys has them from its last step), so they are not redone."""
        self.frame = frame
        self._cache: dict = {("factorized", name): pair for name, pair in (factorized or {}).items()}

    def __len__(self) -> int:
        return len(self.frame)

    def __contains__(self, name: str) -> bool:
        return name in self.frame.columns

    def values(self, name: str) -> np.ndarray:
        return self._cached(("values", name), lambda: self.frame[name].to_numpy(dtype=object))

    def _factorized(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        def make():
            codes, uniques = pd.factorize(self.frame[name], use_na_sentinel=True)
            return codes.astype(np.int64), np.asarray(uniques, dtype=object)
        return self._cached(("factorized", name), make)

    def codes(self, name: str) -> np.ndarray:
        """Integer code per row, equal codes for equal keys, -1 where the key is missing."""
        return self._factorized(name)[0]

    def present(self, name: str) -> float:
        """How many rows hold this key at all (the table's size for term-frequency weights).

        The Spark engine overrides it with the whole table's count when it scores one batch of pairs."""
        return float((self.codes(name) >= 0).sum())

    def uniques(self, name: str) -> np.ndarray:
        return self._factorized(name)[1]

    def rank(self, name: str) -> np.ndarray:
        """Position of each row's key in sorted order of the distinct keys (missing sorts last)."""
        def make():
            codes, uniques = self._factorized(name)
            order = np.argsort(uniques.astype(str), kind="stable")
            rank_of_code = np.empty(len(uniques) + 1, dtype=np.int64)
            rank_of_code[order] = np.arange(len(uniques))
            rank_of_code[-1] = len(uniques)
            return rank_of_code[codes]
        return self._cached(("rank", name), make)

    def frequency(self, name: str) -> np.ndarray:
        """Share of rows with a key that hold this row's key (0 where missing)."""
        def make():
            codes, uniques = self._factorized(name)
            present = codes >= 0
            counts = np.bincount(codes[present], minlength=len(uniques)).astype(np.float64)
            out = np.zeros(len(codes))
            out[present] = counts[codes[present]] / max(counts.sum(), 1.0)
            return out
        return self._cached(("frequency", name), make)

    def counts(self, name: str) -> np.ndarray:
        """How many rows hold this row's key (0 where missing)."""
        def make():
            codes, uniques = self._factorized(name)
            present = codes >= 0
            per_value = np.bincount(codes[present], minlength=len(uniques))
            out = np.zeros(len(codes), dtype=np.int64)
            out[present] = per_value[codes[present]]
            return out
        return self._cached(("counts", name), make)

    def value_shares(self, name: str) -> np.ndarray:
        """Share of each distinct key among present rows."""
        codes, uniques = self._factorized(name)
        counts = np.bincount(codes[codes >= 0], minlength=len(uniques)).astype(np.float64)
        return counts / counts.sum() if counts.sum() else counts

    def derived(self, name: str, label: str, func: Callable[[str], Any], missing: Any = None) -> np.ndarray:
        """func applied once per distinct key, spread back over the rows (cached under `label`)."""
        def make():
            codes, uniques = self._factorized(name)
            table = np.empty(len(uniques) + 1, dtype=object)
            table[: len(uniques)] = [func(u) for u in uniques]  # one call per distinct key
            table[-1] = missing
            return table[codes]
        return self._cached(("derived", name, label), make)

    def derived_column(self, name: str, label: str, func: Callable[[np.ndarray], Any], missing: Any = None,
                       dtype: Any = object) -> np.ndarray:
        """Like `derived`, with func taking the whole array of distinct keys at once (a column kernel)."""
        def make():
            codes, uniques = self._factorized(name)
            table = np.empty(len(uniques) + 1, dtype=dtype)
            if len(uniques):
                table[: len(uniques)] = func(uniques)
            table[-1] = missing
            return table[codes]
        return self._cached(("derived", name, label), make)

    def _cached(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]
