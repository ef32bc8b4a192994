"""The column kernels (issue 19) give exactly the per-value normalisers' answers, with and without pyarrow.

The columns are generated from what registers hold (DOMAIN.md): the benchmark generator's mobiles,
names, companies and addresses, plus Taiwan / Hong Kong numbers, full-width and mixed-width digits,
labels, extensions, placeholders, traditional characters, invisible characters, odd Unicode letters and
non-text cells — over 50,000 distinct values. The references are the per-value functions, and for the
text cleaning also the pre-kernel implementation written out again below (translate, NFKC, split).
"""
from __future__ import annotations

import random
import unicodedata

import numpy as np
import pandas as pd
import pytest

from benchmarks.bench_normalise import generate
from udfs.normalise import _kernels, phone, text
from udfs.normalise.company import company_key_one, company_keys_of_unique
from udfs.normalise.phone_fast import parse_unique_cells
from udfs.normalise.region import split_address_one, split_unique_addresses
from udfs.normalise.text_columns import clean_many, simplified_key_many, simplified_many

ODD_CHARS = "0123456789０１２３４５６７８９ -+()（）\u3000\u200b\u00a0\t\n\x0b廣州長沙市区ABCxß\ufb01é\u0301ΣİǄ#转@"


def _phone_cells(rng: random.Random, n: int) -> list:
    cells = []
    for _ in range(n):
        m = "1" + rng.choice("0123456789") + "".join(rng.choice("0123456789") for _ in range(9))
        form = rng.randrange(14)
        cells.append([
            m, f"+86 {m[:3]} {m[3:7]} {m[7:]}", f"{m[:3]}-{m[3:7]}-{m[7:]}", float(m), int(m),
            m.translate(str.maketrans("0123456789", "０１２３４５６７８９")), f"0086{m}", f"86{m}",
            f"手机：{m}", f"{m}\n", f" {m} ", f"0912-{m[2:5]}-{m[5:8]}", f"+852 {m[3:7]} {m[7:]}",
            "".join(rng.choice(ODD_CHARS) for _ in range(rng.randint(0, 14))),
        ][form])
    cells += ["13333333333", "13000000000", "13456789012", "12345678901", "１３８００１３８０００\n",
              "\u3000１３８００１３８０００ ", "13８00138000", True, None, 1.38e10, -13800138000.0]
    return cells


def _text_cells(rng: random.Random, n: int) -> list:
    d = generate(n // 3, seed=rng.randrange(10**6))
    cells = d["name"] + d["company"] + d["address"]
    cells += ["".join(rng.choice(ODD_CHARS) for _ in range(rng.randint(0, 10))) for _ in range(n // 3)]
    cells += [1.5, 2.0, 10**17, True, pd.Timestamp("2024-01-02 03:04"), "\ud800x", "", " ", "ᾼ"]
    return cells


def _distinct(cells: list) -> np.ndarray:
    u = np.asarray(pd.unique(pd.Series(cells, dtype=object)), dtype=object)
    return u[[not (v is None or (isinstance(v, float) and v != v)) for v in u]]


@pytest.fixture(params=[True, False], ids=["pyarrow", "pure-python"])
def engine(request, monkeypatch):
    # pyarrow is in the test extra: both paths always run here (a missing pyarrow is a failure, not a skip)
    assert not request.param or _kernels._arrow(), "pyarrow (test extra) is needed for the Arrow path"
    monkeypatch.setattr(_kernels, "USE_ARROW", request.param)
    return request.param


def test_phone_kernel_equals_the_per_value_parser(engine):
    uniques = _distinct(_phone_cells(random.Random(19), 60_000))
    assert len(uniques) >= 50_000
    assert list(zip(*parse_unique_cells(uniques))) == [phone._parse_cell(u) for u in uniques]


def _previous_clean_str(t: str) -> str | None:
    """clean_one's text path as it was before the kernels (translate every time)."""
    t = t.translate(text._DELETE_INVISIBLE)
    for _ in range(3):
        if unicodedata.is_normalized("NFKC", t):
            break
        t = unicodedata.normalize("NFKC", t).translate(text._DELETE_INVISIBLE)
    return " ".join(t.split()) or None


def test_text_kernels_equal_the_per_value_cleaners(engine):
    uniques = _distinct(_text_cells(random.Random(23), 66_000))
    assert len(uniques) >= 50_000
    cleaned = clean_many(uniques)
    assert cleaned == [text.clean_one(u) for u in uniques]
    assert [c for u, c in zip(uniques, cleaned) if isinstance(u, str)] == \
        [_previous_clean_str(u) for u in uniques if isinstance(u, str)]
    table = text._trad_to_simp_table()
    assert simplified_many(cleaned) == [None if c is None else c.translate(table) for c in cleaned]
    assert simplified_key_many(uniques) == [text.simplified_one(u) for u in uniques]


def test_address_and_company_kernels_equal_the_per_value_functions(engine):
    uniques = _distinct(_text_cells(random.Random(29), 54_000))
    assert split_unique_addresses(uniques) == [split_address_one(u) for u in uniques]
    assert company_keys_of_unique(uniques) == [company_key_one(u) for u in uniques]


def test_regex_engines_agree_on_groups(monkeypatch):
    texts = ["+86 138 0013 8000", "138-0013-8000", "x13800138000", "", "13800138000\n", "0086 13800138000 "]
    pattern = r"[ ]*(?:(?:\+|00)?86[ -]*)?(1[3-9][0-9])[ -]?([0-9]{4})[ -]?([0-9]{4})[ ]*"
    monkeypatch.setattr(_kernels, "USE_ARROW", False)
    pure = [list(c) for c in _kernels.full_match_groups(texts, pattern, 3)]
    # Python's fullmatch: "…\n" is not matched (a final newline is not a space here), blanks neither
    assert pure[0] == ["138", "138", None, None, None, "138"] and pure[2][5] == "8000"
    if _kernels._arrow():
        assert [list(c) for c in _kernels._arrow_groups(texts, pattern, 3)] == pure


def test_uscc_kernel_equals_the_per_value_check():
    from udfs.validate.identity import USCC_ALPHABET, _uscc_problems_of_unique, uscc_check_char, uscc_one

    rng = random.Random(31)
    cells = generate(30_000, seed=8)["uscc"]
    for _ in range(30_000):  # valid, wrong check character, letters outside the alphabet, cut short
        body = "".join(rng.choice(USCC_ALPHABET + "IOZSVa- ") for _ in range(17))
        good = all(c in USCC_ALPHABET for c in body) and rng.random() < 0.5
        code = body + (uscc_check_char(body) if good else rng.choice(USCC_ALPHABET))
        cells.append(code if rng.random() < 0.9 else code[:rng.randint(0, 19)])
    cells += ["９１４４０３００ＭＡ５Ｆ００００１０", 1.0, True, "#N/A", " 91440300MA5F000010", "é" * 18]
    uniques = _distinct(cells)
    assert len(uniques) >= 50_000
    assert _uscc_problems_of_unique(uniques) == [uscc_one(u) for u in uniques]


def test_resident_id_kernel_equals_the_per_value_check():
    """check_resident_id's whole-column path gives resident_id_one's answer for every cell."""
    from udfs.validate.identity import check_resident_id, id_check_char, resident_id_one

    rng = random.Random(37)
    cells = []
    for _ in range(55_000):  # real and impossible birth dates, years past what nanoseconds hold, bad checks
        year = rng.choice([1850, 1899, 1900, 1950, 1999, 2000, 2024, 2030, 2262, 2263, 9999, 1677, 0])
        first17 = (rng.choice(["44", "11", "99", "83"]) + "0106" + f"{year:04d}{rng.randint(0, 13):02d}"
                   f"{rng.randint(0, 32):02d}{rng.randint(0, 999):03d}")
        cells.append(first17 + (id_check_char(first17) if rng.random() < 0.8 else rng.choice("0123456789X")))
    cells += ["44010619000229123X", "440106200002291234", "440106190002281234"]
    for born in (pd.Timestamp.today() + pd.Timedelta(days=d) for d in (-1, 0, 1)):  # born today: valid
        cells += [f"440106{born:%Y%m%d}12{k}" + id_check_char(f"440106{born:%Y%m%d}12{k}") for k in range(10)]
    # and, mixed in, what the column kernel leaves to resident_id_one: IDs with a small x, separators, full
    # width, Latin-1 or other digits, 15 digits, numbers, booleans, errors, blanks (once per distinct value)
    dirty = []
    for id18 in rng.sample(cells, 3_000):
        dirty += [id18[:17] + "x", id18[:6] + " " + id18[6:], id18[:6] + "-" + id18[6:14] + "-" + id18[14:],
                  id18.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")), "²" + id18[1:],
                  id18[:6] + id18[8:17], id18[:17] + "Y", id18[:17] + "é", "a" * 18,
                  float(id18[:15]), int(id18[:17])]
    dirty += [None, float("nan"), "", "  ", True, False, 0, 1.5, 1e17, "#N/A", "4.40106E+17", "\ud800" * 18, None]
    cells = [c for pair in zip(cells, rng.choices(dirty, k=len(cells))) for c in pair] + dirty
    want = [(None, None, None, None) if c is None or (isinstance(c, float) and c != c) else resident_id_one(c)
            for c in cells]  # (a missing cell gets nothing, like every check)
    assert any(w[3] for w in want[-len(dirty):]) and len(cells) > 100_000
    # text and blanks alone (the column kernel's usual case), also as pandas' str dtype (which holds no surrogate)
    texts = [k for k, c in enumerate(cells) if c is None or isinstance(c, str) and c.isprintable()]
    for column, expected in [(pd.Series(cells, dtype=object), want),
                             (pd.Series([cells[k] for k in texts], dtype=object), [want[k] for k in texts]),
                             (pd.Series([cells[k] for k in texts], dtype="str"), [want[k] for k in texts])]:
        got = check_resident_id(column)
        assert got["id18"].tolist() == [w[0] for w in expected]
        assert got["problem"].tolist() == [w[3] for w in expected]
        assert got["gender"].tolist() == [w[2] for w in expected]
        assert got["birth_date"].dtype == "datetime64[ns]"
        births = [None if pd.isna(b) else pd.Timestamp(b) for b in got["birth_date"]]
        assert births == [w[1] for w in expected]


def _address_cells(rng: random.Random) -> list:
    """Addresses that share their first characters with shorter or longer ones, shortest first: a reused
    parse must never be one that stopped at the end of a shorter text (广州 before 广州市, 朝阳 before 朝阳区)."""
    places = ["北京", "北京市", "北京市市辖区", "广东", "广东省", "广州", "广州市", "朝阳", "朝阳区", "长春市朝阳区",
              "吉林省长春市", "内蒙古", "内蒙古自治区", "呼和浩特", "中国", "中华人民共和国", "中国 ", "重庆市渝中区",
              "上海浦东新区", "廣東省廣州市天河區", "新疆维吾尔自治区", "阿里", "阿里巴巴", "海南", "海南航空", "吉林"]
    tails = ["", "区", "县", "旗", "市", "省", "路1号", "某某路", " 朝阳区", "天河区体育西路", "南山区", "渝中区"]
    cells = sorted({a + b + c for a in places for b in places[:8] + [""] for c in tails}, key=len)
    cells += [p[:k] for p in places for k in range(1, len(p))]
    rng.shuffle(cells[len(cells) // 2:])
    return cells


def test_address_parses_are_reused_only_where_they_hold(engine):
    uniques = _distinct(_address_cells(random.Random(31)))
    assert len(uniques) > 2_500
    assert split_unique_addresses(uniques) == [split_address_one(u) for u in uniques]


def _amount_cells(rng: random.Random, n: int) -> list:
    d = generate(n, seed=rng.randrange(10**6))["amount"]
    digits = "0123456789０１２３４５６７８９,.，。 万元¥￥-+()e"
    cells = list(d) + ["".join(rng.choice(digits) for _ in range(rng.randint(0, 9))) for _ in range(n // 4)]
    cells += ["", " ", "¥", "元", "万", "1,5", "1,500", "1,500.", "12,34", "1.2万", "1.2万元", "¥1.2万", "0.58万",
              "1e5", "9" * 400, "9" * 400 + "万", "00012", "12.", ".5", "¥-5", "-5", "(100)", "约300", "300左右",
              "$5", "ＲＭＢ１００", "１２３", "1 000", "1,000,000.123456789", "3.14159265358979", "0.0000001",
              "1,234万", "１，２３４", True, False, 5, np.float64(2.5), float("inf"), float("-inf"), -0.0, "#N/A",
              "12元整", "5块", "١٢٣", "¥1,234.5678901万"]
    return cells


def test_amount_kernel_equals_the_per_value_parser(engine):
    from udfs.normalise import amounts

    uniques = _distinct(_amount_cells(random.Random(37), 40_000))
    assert len(uniques) >= 30_000
    values, problems = amounts._parse_many(uniques)
    expected = [amounts._parse_one(u) for u in uniques]
    assert problems == [p for _, p in expected]
    np.testing.assert_array_equal(values, np.array([x for x, _ in expected], dtype=float))  # NaN equals NaN here
