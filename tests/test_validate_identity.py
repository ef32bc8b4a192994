"""Resident ID (GB 11643) and unified social credit code (GB 32100), with check characters computed independently."""
import string

import pandas as pd
import pytest

from udfs.validate.identity import check_resident_id, check_uscc

VALID_ID = "11010519491231002X"      # published example
VALID_USCC = "91350100M000100Y43"    # published example


def id_check(first17: str) -> str:
    """Independent GB 11643 formula: weight of position i (1-based from the right, check = 1) is
    2^(i-1) mod 11; the check value is (12 - sum mod 11) mod 11, written X for 10."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


USCC_CHARS = string.digits + "".join(c for c in string.ascii_uppercase if c not in "IOZSV")


def uscc_check(first17: str) -> str:
    """Independent GB 32100 formula: weights are 3^i mod 31; check = 31 - sum mod 31, 31 written 0."""
    total = sum(USCC_CHARS.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return USCC_CHARS[(31 - total % 31) % 31]


def test_published_examples_agree_with_independent_formulas():
    assert id_check(VALID_ID[:17]) == VALID_ID[17]
    assert uscc_check(VALID_USCC[:17]) == VALID_USCC[17]
    assert len(USCC_CHARS) == 31


def test_valid_id():
    row = check_resident_id([VALID_ID]).iloc[0]
    assert row["problem"] is None
    assert row["id18"] == VALID_ID
    assert row["birth_date"] == pd.Timestamp("1949-12-31")
    assert row["gender"] == "女"  # 17th digit 2 is even


def test_every_single_digit_change_is_caught():
    # Changing any one of the 17 digits changes the weighted sum by a non-multiple of 11.
    for pos in range(17):
        d = VALID_ID[pos]
        altered = VALID_ID[:pos] + str((int(d) + 3) % 10) + VALID_ID[pos + 1:]
        problem = check_resident_id([altered]).iloc[0]["problem"]
        assert problem in {"ID_CHECKSUM", "ID_BIRTH_DATE", "ID_REGION"}, (pos, altered, problem)


def test_altered_check_character_and_transposition():
    assert check_resident_id(["110105194912310021"]).iloc[0]["problem"] == "ID_CHECKSUM"
    swapped = VALID_ID[:15] + VALID_ID[16] + VALID_ID[15] + VALID_ID[17]  # …002X → …020X
    assert swapped == "11010519491231020X"
    assert check_resident_id([swapped]).iloc[0]["problem"] == "ID_CHECKSUM"


def test_generated_valid_ids_pass_and_gender_follows_17th_digit():
    ids = []
    for seq, birth in [("001", "19900101"), ("002", "20001231"), ("123", "19800229"), ("998", "19691120")]:
        first17 = "440106" + birth + seq
        ids.append(first17 + id_check(first17))
    got = check_resident_id(ids)
    assert got["problem"].isna().all()
    assert got["gender"].tolist() == ["男", "女", "男", "女"]


def test_fifteen_digit_id_is_converted():
    row = check_resident_id(["110105491231002"]).iloc[0]
    assert row["id18"] == VALID_ID  # 15-digit form of the published example
    assert row["problem"] == "ID_OLD_FORMAT"
    assert row["birth_date"] == pd.Timestamp("1949-12-31")


@pytest.mark.parametrize("cell, problem", [
    ("11010519491231002", "ID_LENGTH"), ("1101051949123100A2", "ID_CHARS"), ("990105194912310028", "ID_REGION"),
    ("110105194913310020", "ID_BIRTH_DATE"), ("110105299912310020", "ID_BIRTH_DATE"),
    (110105194912310020.0, "ID_ROUNDED"), ("1.10105E+17", "ID_ROUNDED"), ("#N/A", "CELL_ERROR"),
])
def test_id_problems(cell, problem):
    assert check_resident_id([cell]).iloc[0]["problem"] == problem


def test_id_formatting_tolerated():
    got = check_resident_id(["11010519491231002x", " 110105 19491231 002X ", "１１０１０５１９４９１２３１００２Ｘ"])
    assert got["problem"].isna().all() and set(got["id18"]) == {VALID_ID}


def test_valid_uscc_and_alterations():
    assert check_uscc([VALID_USCC]).iloc[0] is None
    assert check_uscc(["91350100m000100y43", "9135 0100 M000 100Y43"]).tolist() == [None, None]
    wrong_check = VALID_USCC[:17] + ("4" if VALID_USCC[17] != "4" else "5")
    assert check_uscc([wrong_check]).iloc[0] == "USCC_CHECKSUM"
    assert check_uscc(["91350100M000100Y4"]).iloc[0] == "USCC_LENGTH"
    assert check_uscc(["9135010OM000100Y43"]).iloc[0] == "USCC_CHARS"   # letter O for zero
    assert check_uscc(["91350100M000100I43"]).iloc[0] == "USCC_CHARS"   # I is not in the alphabet


def test_every_single_character_change_in_uscc_is_caught():
    for pos in range(17):
        c = VALID_USCC[pos]
        other = USCC_CHARS[(USCC_CHARS.index(c) + 7) % 31]
        altered = VALID_USCC[:pos] + other + VALID_USCC[pos + 1:]
        assert check_uscc([altered]).iloc[0] == "USCC_CHECKSUM", altered


def test_generated_uscc_pass():
    bodies = ["91440300MA5F00000", "12100000400000000", "52110000MJ0000000"]
    codes = [b + uscc_check(b) for b in bodies]
    assert check_uscc(codes).isna().all()
