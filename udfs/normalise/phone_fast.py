"""The phone parser's column kernel: the plain mobiles most registers hold, recognised all at once.

`parse_unique_cells(uniques)` gives exactly `[_parse_cell(u) for u in uniques]`: mobiles written as
11 ASCII or 11 full-width digits (with +86 / 0086 / 86, spaces or dashes) and numeric cells holding
11 digits that start with 1 are read column-wise (a regex over the whole column, NumPy on the digits'
code points); every other cell goes through the per-value parser.
"""
from __future__ import annotations

import numpy as np

from udfs.normalise import phone as _phone
from udfs.normalise._kernels import full_match_groups

# _PLAIN_MOBILE (and _CLEAN_MOBILE) restricted to ASCII digits and ASCII whitespace, the cells on which
# both mean the same as here. \v and \x1c-\x1f (Python whitespace too) are left to the slow path, and so
# is a final newline: _CLEAN_MOBILE's $ matches before it and the number keeps it.
_WS = r"[ \t\n\r\f]"
_END = r"(?:[ \t\n\r\f]*[ \t\r\f])?"
_ASCII_MOBILE = (rf"{_WS}*(?:(?:\+|00)?86[ \t\n\r\f-]*)?(1[3-9][0-9])[ \t\n\r\f-]?([0-9]{{4}})"
                 rf"[ \t\n\r\f-]?([0-9]{{4}}){_END}")
# Eleven full-width digits (１３８…) and nothing else but spaces: no ASCII digit, so none of the
# parser's first three regexes matches, and NFKC folding leaves 11 ASCII digits that start with 1,
# which the general path reads as _mobile(folded) in every region.
_WIDE_MOBILE = "[ \u3000]*(１[０-９]{10})[ \u3000]*"
_UNWIDEN = str.maketrans("０１２３４５６７８９", "0123456789")
_FAKE_TAILS = (np.frombuffer(b"2345678901", np.uint8), np.frombuffer(b"3456789012", np.uint8))


def parse_unique_cells(uniques: np.ndarray) -> list[tuple]:
    """Distinct phone cells → (kind, number, e164, problem) each, as `_parse_cell` gives them."""
    n = len(uniques)
    digits = np.full(n, None, dtype=object)
    is_text = np.fromiter((u.__class__ is str for u in uniques), bool, n)
    text_at = np.flatnonzero(is_text)
    if len(text_at):
        texts = uniques[text_at].tolist()
        g1, g2, g3 = full_match_groups(texts, _ASCII_MOBILE, 3)
        hit = np.fromiter((g is not None for g in g1), bool, len(texts))
        digits[text_at[hit]] = [a + b + c for a, b, c in zip(g1[hit], g2[hit], g3[hit])]
        rest = np.flatnonzero(~hit)
        if len(rest):
            (wide,) = full_match_groups([texts[i] for i in rest], _WIDE_MOBILE, 1)
            got = np.fromiter((w is not None for w in wide), bool, len(rest))
            digits[text_at[rest[got]]] = [w.translate(_UNWIDEN) for w in wide[got]]
    for i in np.flatnonzero(~is_text).tolist():
        u = uniques[i]
        if u.__class__ is float or u.__class__ is int:
            x = abs(u)
            if 1e10 <= x < 2e10 and (u.__class__ is int or x.is_integer()):
                digits[i] = str(int(x))
    fast = np.flatnonzero(digits != None)  # noqa: E711 (element-wise on an object array)
    kind = np.full(n, None, dtype=object)
    number = digits
    e164 = np.full(n, None, dtype=object)
    problem = np.full(n, None, dtype=object)
    if len(fast):
        numbers = digits[fast].tolist()
        kind[fast] = "mobile"
        e164[fast] = ["+86" + d for d in numbers]
        problem[fast] = _mobile_problems(numbers)
    slow = np.flatnonzero(digits == None)  # noqa: E711
    if len(slow):
        parse = _phone._parse_cell
        parsed = [parse(u) for u in uniques[slow].tolist()]
        for column, values in zip((kind, number, e164, problem), zip(*parsed)):
            column[slow] = values
    return list(zip(kind.tolist(), number.tolist(), e164.tolist(), problem.tolist()))


def _mobile_problems(numbers: list[str]) -> np.ndarray:
    """_mobile's problem code for 11-digit ASCII numbers, computed on a (n, 11) array of digit codes."""
    d = np.frombuffer("".join(numbers).encode("ascii"), np.uint8).reshape(-1, 11)
    prefix_bad = (d[:, 1] < ord("3")) | (d[:, 1] > ord("9"))
    one_digit_tail = (d[:, 2:] == d[:, 2:3]).all(axis=1)
    counting = (d[:, 1:] == _FAKE_TAILS[0]).all(axis=1) | (d[:, 1:] == _FAKE_TAILS[1]).all(axis=1)
    zeros = (d[:, 3:] == ord("0")).all(axis=1)
    fake = ~prefix_bad & (one_digit_tail | counting | zeros)
    codes = np.full(len(numbers), None, dtype=object)
    codes[prefix_bad] = _phone.MOBILE_PREFIX
    codes[fake] = _phone.MOBILE_FAKE
    return codes
