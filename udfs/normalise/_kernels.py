"""Whole-column building blocks for the normalisers: regex extraction over many strings at once.

With pyarrow installed, patterns run in Arrow's RE2 over the whole column in C; without it (the
xlwings Lite wheel, a plain install), the same pattern runs through Python's `re` value by value.
Patterns given here must mean the same in both engines: ASCII classes written out ([0-9], not \\d,
whose Python meaning also takes full-width digits), no look-arounds or back-references (RE2 has none).
The whole string must match (RE2 `^…$` is end-of-text; Python gets `fullmatch`, because its `$` also
matches before a final newline).
"""
from __future__ import annotations

import functools
import re
from typing import Sequence

import numpy as np

#: Set to False (tests do) to take the pure-Python path even when pyarrow is installed.
USE_ARROW = True


@functools.lru_cache(maxsize=1)
def _arrow():
    """(pyarrow, pyarrow.compute) or None when pyarrow is not installed."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        return None
    return pa, pc


def arrow_available() -> bool:
    return USE_ARROW and _arrow() is not None


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def full_match_groups(texts: Sequence[str], pattern: str, groups: int) -> list[np.ndarray]:
    """For each text that `pattern` matches whole, its `groups` captured groups; None elsewhere.

    Returns one object array per group (aligned with `texts`); an unmatched text gives None.
    Every group must take part in every match (RE2 would give "" where Python gives None).
    """
    n = len(texts)
    if n and arrow_available():
        out = _arrow_groups(texts, pattern, groups)
        if out is not None:
            return out
    rx = _compiled(pattern)
    columns = [np.full(n, None, dtype=object) for _ in range(groups)]
    for i, text in enumerate(texts):
        m = rx.fullmatch(text)
        if m is not None:
            for g, value in enumerate(m.groups()):
                columns[g][i] = value
    return columns


def _arrow_groups(texts: Sequence[str], pattern: str, groups: int) -> list[np.ndarray] | None:
    pa, pc = _arrow()
    try:
        arr = pa.array(texts, type=pa.large_string())
    except (UnicodeEncodeError, pa.ArrowException):  # lone surrogates cannot be UTF-8: Python path
        return None
    named = _named(pattern, groups)
    found = pc.extract_regex(arr, f"^(?:{named})$")
    columns = []
    for g in range(groups):
        # struct_field keeps the struct's own nulls (no match) as nulls of the field
        field = pc.struct_field(found, [g])
        columns.append(np.asarray(field.to_numpy(zero_copy_only=False), dtype=object))
    matched = pc.is_valid(found).to_numpy(zero_copy_only=False)
    for column in columns:
        column[~matched] = None
    return columns


@functools.lru_cache(maxsize=64)
def _named(pattern: str, groups: int) -> str:
    """Arrow's extract_regex wants every group named: (…) → (?P<g0>…), in order."""
    out, k, i = [], 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if c == "[":  # a class: copy through its closing bracket
            j = i + 1
            if j < len(pattern) and pattern[j] == "]":
                j += 1
            while pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            out.append(pattern[i:j + 1])
            i = j + 1
            continue
        if c == "(" and not pattern.startswith("(?", i):
            out.append(f"(?P<g{k}>")
            k += 1
        else:
            out.append(c)
        i += 1
    if k != groups:
        raise ValueError(f"pattern has {k} capturing groups, not {groups}")
    return "".join(out)


def code_points(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """All texts' characters as one uint32 array of code points, and where each text ends in it."""
    joined = "".join(texts)
    cps = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    ends = np.cumsum(np.fromiter(map(len, texts), np.int64, len(texts)))
    return cps, ends


def any_per_text(flags: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Per text: is any of its characters flagged? (`flags` aligned with `code_points`' array.)"""
    counts = np.concatenate(([0], np.cumsum(flags, dtype=np.int64)))
    starts = np.concatenate(([0], ends[:-1]))
    return counts[ends] - counts[starts] > 0


def map_code_points(texts: Sequence[str], table: np.ndarray) -> list[str]:
    """Each text with every character c replaced by chr(table[c]): str.translate for one-to-one tables."""
    if not texts:
        return []
    cps, ends = code_points(texts)
    joined = table[cps].tobytes().decode("utf-32-le", "surrogatepass")
    starts = np.concatenate(([0], ends[:-1])).tolist()
    return [joined[a:b] for a, b in zip(starts, ends.tolist())]


def one_to_one_table(mapping: dict[int, str]) -> np.ndarray:
    """A str.translate table of single characters → a code point look-up array over all of Unicode."""
    table = np.arange(0x110000, dtype=np.uint32)
    for k, v in mapping.items():
        table[k] = ord(v)
    return table


def flag_table(chars: Sequence[int]) -> np.ndarray:
    flags = np.zeros(0x110000, dtype=bool)
    flags[list(chars)] = True
    return flags
