"""Are two short codes at most one edit apart? (optimal string alignment distance ≤ 1), for millions of pairs.

Phone numbers, ID numbers and dates are compared on "one character wrong, missing or extra, or two neighbours
swapped". Candidate pairs mostly hold unrelated numbers, so instead of an edit-distance call per pair the
distinct keys are laid out once as a fixed-width grid of code points and every pair is decided by a few
whole-array comparisons of its two grid rows.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

#: widest key laid out on the grid (phones, IDs and dates are shorter; longer keys take the edit-distance path)
MAX_WIDTH = 40
#: pairs decided per step: bounds the temporary arrays (a few (pairs × width) grids) to some tens of MB
CHUNK = 1 << 18


class CodeGrid(NamedTuple):
    grid: np.ndarray            # row i: the code points of key i, padded with 0
    lengths: np.ndarray         # characters per key
    packed: np.ndarray | None   # row i: key i's grid row as 64-bit words, when every code point fits a byte


def code_grid(uniques: np.ndarray) -> CodeGrid | None:
    """The distinct keys laid out for `one_edit_apart`. None when the keys are not all text, are too wide, or
    hold a NUL (which the padding could not be told from)."""
    items = uniques.tolist()
    if not items or set(map(type, items)) != {str}:
        return None
    text = np.array(items, dtype=str)
    width = text.dtype.itemsize // 4
    if width > MAX_WIDTH:
        return None
    grid = text.view(np.uint32).reshape(len(items), width)
    lengths = np.fromiter(map(len, items), dtype=np.int64, count=len(items))
    if not np.array_equal((grid != 0).sum(axis=1), lengths):
        return None
    # digits and dashes fit in a byte: a narrower grid is less memory to move for every pair
    narrow = next(t for t in (np.uint8, np.uint16, np.uint32) if grid.max(initial=0) <= np.iinfo(t).max)
    grid = np.ascontiguousarray(grid.astype(narrow))
    packed = None
    if narrow is np.uint8:   # eight characters to a word: a pair's differing characters in a few word operations
        words = -(-width // 8)
        padded = np.zeros((len(items), words * 8), dtype=np.uint8)
        padded[:, :width] = grid
        packed = padded.view(np.uint64)
    return CodeGrid(grid, lengths, packed)


def one_edit_apart(keys: CodeGrid, codes_a: np.ndarray, codes_b: np.ndarray) -> np.ndarray:
    """For each pair of distinct keys (codes into the grid's rows): one substitution, one swap of neighbours,
    one insertion or one deletion turns one into the other."""
    out = np.zeros(len(codes_a), dtype=bool)
    gap = np.abs(keys.lengths[codes_a] - keys.lengths[codes_b])
    same_length = _same_length_packed if keys.packed is not None else _same_length
    for test, wanted in ((same_length, gap == 0), (_one_inserted, gap == 1)):   # two or more apart: never
        rows = np.flatnonzero(wanted)
        for start in range(0, len(rows), CHUNK):
            part = rows[start:start + CHUNK]
            out[part] = test(keys, codes_a[part], codes_b[part])
    return out


_LOW_BITS = np.uint64(0x0101010101010101)


def _same_length_packed(keys: CodeGrid, ca: np.ndarray, cb: np.ndarray) -> np.ndarray:
    """`_same_length` counting differing characters on the packed words; the grid only for two differences."""
    count = np.zeros(len(ca), dtype=np.uint64)
    for word in range(keys.packed.shape[1]):
        x = keys.packed[ca, word] ^ keys.packed[cb, word]
        # fold each byte onto its lowest bit (1 where that character differs), then add the eight bits up
        x |= x >> np.uint64(4)
        x |= x >> np.uint64(2)
        x |= x >> np.uint64(1)
        count += ((x & _LOW_BITS) * _LOW_BITS) >> np.uint64(56)
    out = count <= 1
    two = np.flatnonzero(count == 2)
    out[two] = _same_length(keys, ca[two], cb[two])
    return out


def _same_length(keys: CodeGrid, ca: np.ndarray, cb: np.ndarray) -> np.ndarray:
    """One position differs, or two neighbours that are each other's swap."""
    grid = keys.grid
    a, b = grid[ca], grid[cb]
    differs = a != b
    count = differs.sum(axis=1)
    rows = np.flatnonzero(count == 2)
    first = differs[rows].argmax(axis=1)
    after = np.minimum(first + 1, grid.shape[1] - 1)
    swapped = (differs[rows, after] & (a[rows, first] == b[rows, after]) & (a[rows, after] == b[rows, first]))
    out = count <= 1
    out[rows] = swapped
    return out


def _one_inserted(keys: CodeGrid, ca: np.ndarray, cb: np.ndarray) -> np.ndarray:
    """The longer without its character at the first mismatch is the shorter (the shorter's a[j] equals the
    longer's b[j + 1] from that mismatch to the shorter's end)."""
    grid, lengths = keys.grid, keys.lengths
    shorter_first = lengths[ca] < lengths[cb]
    first, second = np.where(shorter_first, ca, cb), np.where(shorter_first, cb, ca)
    a, b = grid[first], grid[second]
    mismatch = (a != b).argmax(axis=1)   # exists: the shorter's padding meets the longer's last character
    j = np.arange(grid.shape[1] - 1)
    shifted_differs = (a[:, :-1] != b[:, 1:]) & (j >= mismatch[:, None]) & (j < lengths[first][:, None])
    return ~shifted_differs.any(axis=1)
