"""The phone parser's column kernel: the plain mobiles and landlines most registers hold, recognised all at once.

`parse_unique_cells(uniques)` gives exactly `[_parse_cell(u) for u in uniques]`, field by field: mobiles written as
11 ASCII or 11 full-width digits (with +86 / 0086 / 86, spaces or dashes) and numeric cells holding
11 digits that start with 1 are read column-wise (a regex over the whole column, NumPy on the digits'
code points); so are, in a mainland register with pyarrow installed, valid landlines written the plain
way (010-12345678, (0755)87654321), with Arrow's string kernels. Every other cell goes through the
per-value parser.
"""
from __future__ import annotations

import numpy as np

from udfs.normalise import phone as _phone
from udfs.normalise._kernels import _arrow, arrow_available, full_match_groups
from udfs.normalise._unique import Columns
from udfs.normalise.phone_region import current_region

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
# _PLAIN_LANDLINE with ASCII digits and ASCII spaces only (where RE2 and Python agree), anchored at the very
# end (Python's $ also matches before a final newline: such cells take the slow path).
_ASCII_LANDLINE = r"^[(（]?(?P<a>0[0-9]{2,3})[)）]?[-\t\n\r\f ]?(?P<b>[0-9]{3,4})[-\t\n\r\f ]?(?P<c>[0-9]{4})$"


def parse_unique_cells(uniques: np.ndarray) -> Columns:
    """Distinct phone cells → their (kind, number, e164, problem) columns, as `_parse_cell` gives them."""
    n = len(uniques)
    digits = np.full(n, None, dtype=object)
    is_text = np.fromiter((u.__class__ is str for u in uniques), bool, n)
    text_at = np.flatnonzero(is_text)
    if len(text_at):
        texts = uniques[text_at]
        g1, g2, g3 = full_match_groups(texts.tolist(), _ASCII_MOBILE, 3)
        hit = g1 != None  # noqa: E711 (element-wise on an object array)
        digits[text_at[hit]] = g1[hit] + g2[hit] + g3[hit]   # element-wise str concatenation
        wide = np.flatnonzero(~hit & ~np.fromiter((t.isascii() for t in texts), bool, len(texts)))
        if len(wide):  # full-width digits are not ASCII: only those texts can be wide mobiles
            (found,) = full_match_groups(texts[wide].tolist(), _WIDE_MOBILE, 1)
            got = found != None  # noqa: E711
            digits[text_at[wide[got]]] = [w.translate(_UNWIDEN) for w in found[got]]
    for i in np.flatnonzero(~is_text).tolist():
        u = uniques[i]
        if u.__class__ is float or u.__class__ is int:
            x = abs(u)
            if 1e10 <= x < 2e10 and (u.__class__ is int or x.is_integer()):
                digits[i] = str(int(x))
    kind, e164, problem = (np.full(n, None, dtype=object) for _ in range(3))
    number = digits.copy()
    mobile = digits != None  # noqa: E711
    if mobile.any():
        kind[mobile] = "mobile"
        e164[mobile] = "+86" + digits[mobile]
        problem[mobile] = _mobile_problems(digits[mobile].tolist())
    slow = ~mobile
    text_left = np.flatnonzero(slow & is_text)
    if len(text_left) and current_region() == "CN" and arrow_available():
        found = _plain_landlines(uniques[text_left].tolist())
        if found is not None:
            hit, numbers, e164s = found
            at = text_left[hit]
            kind[at], number[at], e164[at] = "landline", numbers, e164s
            slow[at] = False
    rest = np.flatnonzero(slow)
    if len(rest):
        parse = _phone._parse_cell
        parsed = [parse(u) for u in uniques[rest].tolist()]
        for column, values in zip((kind, number, e164, problem), zip(*parsed)):
            column[rest] = values
    return Columns((kind, number, e164, problem))


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


def _plain_landlines(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The texts that _parse_cell reads as a valid mainland landline by its plain-landline regex:
    (which of them, their numbers 0755-87654321, their E.164 forms), or None when Arrow cannot take them.

    What _parse_cell does with such a text, column-wise: area code + local number (_split_area: 3 digits
    after 01 / 02, else 4), _landline's checks (a known area code, 7 or 8 local digits, 8 after a 3-digit
    code, no leading 0). A text that fails any check, or whose digits start with 00, gets a problem code
    or a Taiwan reading from the per-value parser, so it is left to it.
    """
    pa, pc = _arrow()
    try:
        arr = pa.array(texts, type=pa.large_string())
    except (UnicodeEncodeError, pa.ArrowException):  # lone surrogates cannot be UTF-8
        return None
    found = pc.extract_regex(arr, _ASCII_LANDLINE)
    matched = pc.is_valid(found)
    none, dash = pa.scalar("", pa.large_string()), pa.scalar("-", pa.large_string())
    digits = pc.binary_join_element_wise(*(pc.struct_field(found, [g]) for g in range(3)), none)
    short_area = pc.is_in(pc.utf8_slice_codeunits(digits, 1, 2), value_set=pa.array(["1", "2"], pa.large_string()))
    area = pc.if_else(short_area, pc.utf8_slice_codeunits(digits, 0, 3), pc.utf8_slice_codeunits(digits, 0, 4))
    local = pc.if_else(short_area, pc.utf8_slice_codeunits(digits, 3), pc.utf8_slice_codeunits(digits, 4))
    length = pc.utf8_length(local)
    areas = [a for a in pc.unique(pc.filter(area, matched)).to_pylist() if _phone._area_code_valid(a)]
    good = pc.and_kleene(matched, pc.and_(
        pc.and_(pc.invert(pc.starts_with(digits, "00")), pc.is_in(area, value_set=pa.array(areas, pa.large_string()))),
        pc.and_(pc.invert(pc.starts_with(local, "0")),
                pc.or_(pc.equal(length, 8), pc.and_(pc.equal(length, 7), pc.invert(short_area))))))
    hit = pc.fill_null(good, False).to_numpy(zero_copy_only=False)
    area, local = pc.filter(area, good), pc.filter(local, good)
    numbers = pc.binary_join_element_wise(area, local, dash)
    e164s = pc.binary_join_element_wise(pa.scalar("+86", pa.large_string()), pc.utf8_slice_codeunits(area, 1), local,
                                        none)
    return hit, _objects(numbers), _objects(e164s)


def _objects(column) -> np.ndarray:
    return np.asarray(column.to_numpy(zero_copy_only=False), dtype=object)
