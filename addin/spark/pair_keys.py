"""A batch of pairs as a local KeyTable, so kehu's own compare/score/explain code runs on it unchanged.

A batch holds m pairs with both rows' keys side by side (a_<key>, b_<key>). Stacked, they are a 2m-row
KeyTable where pair i is (i, m + i). Comparisons depend only on the two rows' values; the one thing that
depends on the whole table, a term-frequency weight, reads the value's count over the whole table (joined
in by Spark) and the number of rows holding the key, both through `counts`/`present`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from udfs.match.keytable import KeyTable
from udfs.match.settings import MatchSettings

COUNT = "n_"  # prefix of the whole-table count of a row's value (term-frequency keys only)


class BatchKeys(KeyTable):
    """A KeyTable over some rows of a larger table: counts and present sizes are the whole table's."""

    def __init__(self, frame: pd.DataFrame, counts: dict[str, np.ndarray], present: dict[str, float]):
        super().__init__(frame)
        self._table_counts, self._table_present = counts, present

    def counts(self, name: str) -> np.ndarray:
        return self._table_counts[name] if name in self._table_counts else super().counts(name)

    def present(self, name: str) -> float:
        return self._table_present[name] if name in self._table_present else super().present(name)


def tf_keys(settings: MatchSettings) -> list[str]:
    """Comparison keys whose exact agreement is weighed by the value's own frequency."""
    return [c.key for c in settings.comparisons if c.term_frequency]


def plain(values: pd.Series) -> np.ndarray:
    """Object array with None for missing (what build_keys gives locally)."""
    out = values.to_numpy(dtype=object)
    return np.where(pd.isna(out), None, out)


def stacked(batch: pd.DataFrame, names: list[str], tf: list[str], present: dict[str, float]
            ) -> tuple[BatchKeys, np.ndarray, np.ndarray]:
    """(keys of a-rows then b-rows, positions of a, positions of b) for a batch of joined pairs."""
    m = len(batch)
    frame = pd.DataFrame({n: np.concatenate([plain(batch[f"a_{n}"]), plain(batch[f"b_{n}"])]) for n in names})
    # only counts[a] of exactly agreeing pairs are read: the b-rows may repeat the a-row's count
    counts = {k: np.concatenate([batch[COUNT + k].fillna(0).to_numpy(np.int64)] * 2) for k in tf}
    return BatchKeys(frame, counts, present), np.arange(m), np.arange(m, 2 * m)


def member_keys(members: pd.DataFrame, names: list[str], tf: list[str], present: dict[str, float]) -> BatchKeys:
    """Keys of a set of rows (one component's members), with their whole-table value counts."""
    frame = pd.DataFrame({n: plain(members[n]) for n in names})
    counts = {k: members[COUNT + k].fillna(0).to_numpy(np.int64) for k in tf}
    return BatchKeys(frame, counts, present)
