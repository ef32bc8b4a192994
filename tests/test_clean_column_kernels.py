"""The cleaning run's column kernels and its shared factorisation give exactly what the per-value code gives.

Issue 19 (normalise + validate of `kehu clean`): plain landlines read column-wise, a column factorised once and
shared by every normaliser and validator of the run, blank cells read off that factorisation. Each is compared
with the per-value function it replaces (or the run without sharing) on register columns in DOMAIN.md's forms
(mainland, Taiwan, Hong Kong and Macau numbers, extensions, full-width digits, labels) and on generated strings.
"""
from __future__ import annotations

import contextlib
import random

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.bench_normalise import register_columns
from udfs import cleaning
from udfs.columns import is_blank
from udfs.normalise import _kernels, _unique, phone
from udfs.normalise.phone_fast import parse_unique_cells
from udfs.normalise.phone_region import phone_region

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PHONE_CHARS = "0123456789０１２３４５６７８９()（）-+ \t\n\v\f\r\u3000\xa0\x1c转#x分机:：手机电话,/"
AREAS = ["010", "020", "021", "022", "023", "024", "025", "027", "028", "029", "0755", "0571", "0311", "0851",
         "0991", "099", "0000", "001", "02", "0123", "0200", "07550", "0086", "089", "03", "04"]


@pytest.fixture(params=[True, False], ids=["pyarrow", "pure-python"])
def engine(request, monkeypatch):
    assert not request.param or _kernels._arrow(), "pyarrow (test extra) is needed for the Arrow path"
    monkeypatch.setattr(_kernels, "USE_ARROW", request.param)
    return request.param


def _landline_cells(rng: random.Random, n: int) -> list:
    """Landlines as registers write them: area codes valid and not, 5–9 local digits, brackets of both widths,
    spaces, dashes, tabs, extensions, full-width digits, a final newline; mobiles and foreign numbers between."""
    cells = []
    for _ in range(n):
        area, local = rng.choice(AREAS), "".join(rng.choice("0123456789") for _ in range(rng.randint(5, 9)))
        cut = rng.randint(2, max(2, len(local) - 2))
        cells.append(rng.choice([
            f"{area}-{local}", f"({area}){local}", f"（{area}）{local}", f"{area} {local[:cut]} {local[cut:]}",
            f"{area}-{local[:cut]}-{local[cut:]}", f"{area}{local}", f"{area}-{local}转{local[:3]}",
            f"{area}-{local}-{local[:3]}", f"{area}\t{local}", f"{area}-{local}\n", f" {area}-{local}",
            f"{area}\v{local}", f"{area}\u3000{local}", f"电话：{area}-{local}", f"+86 {area[1:]} {local}",
            f"{area}-{local}".translate(str.maketrans("0123456789", "０１２３４５６７８９")),
            f"(02){local[:4]}-{local[4:]}",
            f"0912-{local[:3]}-{local[3:6]}", f"+852 {local[:4]} {local[4:]}", f"1{local}{area}"[:11],
        ]))
    return cells + ["010-12345678", "(010)12345678", "0755 8765 4321", "(0755)87654321", "010-02345678",
                    "021-1234567", "0571-1234567", "0000-1234567", "0086-1380013", "010-1234-5678", "(010-12345678",
                    "010)-12345678", "（010)12345678", "10-12345678", ""]


def _distinct(cells: list) -> np.ndarray:
    return _unique.factorize(pd.Series(cells, dtype=object))[2]


@pytest.mark.parametrize("region", ["CN", "TW", "HK"])
def test_landline_kernel_equals_the_per_value_parser(engine, region):
    uniques = _distinct(_landline_cells(random.Random(19), 40_000))
    assert len(uniques) > 30_000
    with phone_region(region):
        got = list(zip(*parse_unique_cells(uniques)))
        want = [phone._parse_cell(u) for u in uniques]
    assert got == want
    landlines = sum(w[0] == "landline" and w[3] is None for w in want)
    assert region != "CN" or landlines > 5_000   # the kernel's cells are really among them


@SETTINGS
@given(st.lists(st.one_of(st.text(alphabet=PHONE_CHARS, max_size=16),
                          st.builds(lambda a, b, c, d: f"{a}{b}{c}{d}", st.sampled_from(["", "(", "（"]),
                                    st.sampled_from(AREAS), st.sampled_from(["", "-", " ", ")", "）", ")-", "\t"]),
                                    st.text(alphabet="0123456789- ", max_size=10)),
                          st.text(max_size=12)), max_size=40))
def test_landline_kernel_equals_the_per_value_parser_on_generated_text(cells):
    uniques = _distinct(cells)
    assert list(zip(*parse_unique_cells(uniques))) == [phone._parse_cell(u) for u in uniques]


CELLS = st.one_of(st.none(), st.just(float("nan")), st.just(pd.NaT), st.sampled_from(["", " ", "\u3000", "\t\n",
                  "\xa0", "x", " x ", "0", "\u200b"]), st.text(max_size=4), st.integers(-2, 2), st.booleans(),
                  st.floats(allow_nan=False, width=32), st.just(np.datetime64("NaT")))


@SETTINGS
@given(st.lists(CELLS, max_size=30))
def test_blank_cells_from_the_shared_factorisation_equal_is_blank(cells):
    col = pd.Series(cells, dtype=object)
    want = is_blank(col).to_numpy()
    with _unique.shared_parses():
        shared = _unique.blank_cells(col)
        again = _unique.blank_cells(col.astype(object))   # another Series over the same column
    assert shared.tolist() == want.tolist() and again.tolist() == want.tolist()
    assert _unique.blank_cells(col).tolist() == want.tolist()


@SETTINGS
@given(st.lists(st.tuples(CELLS, CELLS, CELLS), min_size=1, max_size=30), st.booleans())
def test_all_blank_reads_later_columns_only_where_needed_and_equals_and_of_is_blank(rows, shared):
    from udfs.validate.values import all_blank

    columns = [pd.Series([r[k] for r in rows], dtype=object) for k in range(3)]
    want = np.logical_and.reduce([is_blank(c).to_numpy() for c in columns])
    with _unique.shared_parses() if shared else contextlib.nullcontext():
        assert all_blank(columns).tolist() == want.tolist()


def test_a_shared_factorisation_is_one_column_s_only():
    a = pd.Series(["010-12345678", True, 1, None, "x"], dtype=object)
    b = pd.Series(["010-12345678", 1, True, None, "y"], dtype=object)   # same length, other cells
    with _unique.shared_parses():
        fa, fb, fa_again = _unique.factorize(a), _unique.factorize(b), _unique.factorize(a.astype(object))
        sliced = _unique.factorize(a[1:])
    for (_, codes, uniques), col in ((fa, a), (fb, b), (fa_again, a), (sliced, a[1:])):
        assert [None if k < 0 else uniques[k] for k in codes] == [None if v is None else v for v in col]
        assert [type(uniques[k]) for k in codes if k >= 0] == [type(v) for v in col if v is not None]
    assert fa_again[1] is fa[1] and not fa[1].flags.writeable


def _messy_register(n: int, seed: int) -> pd.DataFrame:
    """bench_normalise's register columns (DOMAIN.md's forms) as a sheet, with hostile cells mixed in."""
    data = register_columns(n, seed)
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "客户编号": [f"C{i % (n - 50):06d}" for i in range(n)], "姓名": data["name"], "性别": data["gender"],
        "手机": data["mobile"], "电话": _landline_cells(random.Random(seed), n)[:n], "邮箱": data["email"],
        "公司名称": data["company"], "省份": data["province"], "城市": data["city"], "地址": data["address"],
        "首次接触日期": data["date"], "最近购买日期": data["date"][::-1], "累计金额": data["amount"],
        "购买次数": [int(k) for k in rng.integers(0, 30, n)],
        "备注": [[None, "", "老客户", " "][k % 4] for k in range(n)],
    }, dtype=object)
    hostile = [None, float("nan"), "", " ", "\u3000", True, 0, 1.5, "#N/A", pd.Timestamp("2024-01-02"), "\u200b"]
    for column in frame.columns:
        rows = rng.choice(n, 40, replace=False)
        frame.loc[rows, column] = [hostile[k % len(hostile)] for k in range(40)]
    frame.iloc[-3:] = None   # wholly blank rows are skipped
    return frame


ROLES = {"客户编号": "customer_id", "姓名": "name", "性别": "gender", "手机": "mobile", "电话": "landline",
         "邮箱": "email", "公司名称": "company", "省份": "province", "城市": "city", "地址": "address",
         "首次接触日期": "first_contact", "最近购买日期": "last_purchase", "累计金额": "total_spend",
         "购买次数": "purchase_count", "备注": "remarks"}


@pytest.mark.parametrize("region", [None, "TW"])
def test_cleaning_with_shared_factorisations_equals_cleaning_without(monkeypatch, region):
    frame = _messy_register(6_000, seed=5)
    shared = cleaning.clean_register(frame, ROLES, today="2025-06-30", region=region)
    monkeypatch.setattr(cleaning, "shared_parses", contextlib.nullcontext)   # every call on its own
    alone = cleaning.clean_register(frame, ROLES, today="2025-06-30", region=region)
    pd.testing.assert_frame_equal(shared.normalised, alone.normalised)
    pd.testing.assert_frame_equal(shared.problems, alone.problems)
    pd.testing.assert_series_equal(shared.messages, alone.messages)
    assert len(shared.problems) > 1_000 and shared.problems["code"].nunique() > 10


EMAIL_CHARS = "aZ09._%+-@<>\"':;, 。﹫＠ＡＢ\u3000\u200b\n!#$&*/=?^`{|}~éx"


def _email_cells(rng: random.Random, n: int) -> list:
    """E-mail cells as registers hold them: provider and company domains in any case, full-width ＠ and letters,
    。 for the dot, mailto:, names in angle brackets, stray spaces and punctuation, typo domains, special-use
    top-level domains, over-long mailbox names and domains, and random text."""
    domains = ["qq.com", "QQ.COM", "163.com", "gmail.con", "qq.con", "Company.CN", "x.arpa", "x.ARPA", "b.c0m",
               "sub.example.com.", "-bad.com", "a.b", "xn--fiqs8s.cn", "vip.qq.com", "localhost", "edu.tw", "hk"]
    cells = []
    for _ in range(n):
        user = "".join(rng.choice("abcXYZ019._-+") for _ in range(rng.randint(1, 12)))
        d = rng.choice(domains)
        cells.append(rng.choice([
            f"{user}@{d}", f"{user}＠{d}", f"{user}@{d.replace('.', '。')}", f"mailto:{user}@{d}",
            f"张三 <{user}@{d}>", f" {user} @ {d} ", f"{user}@{d};", f"'{user}@{d}'", f"{user}@@{d}",
            f"{'a' * 65}@{d}", f"{user}@{'b' * 250}.com", f"{user}@{d}\n", user, f"{user}.@{d}", f".{user}@{d}",
            "".join(rng.choice(EMAIL_CHARS) for _ in range(rng.randint(0, 14))),
        ]))
    return cells + ["", " ", "#N/A", "User1@QQ.com", "user1@qq.com", 5, 1.5, True]


def test_email_kernels_equal_the_per_value_functions(engine):
    from udfs.normalise.email import _normalise_many, normalise_email_one
    from udfs.validate.contact import _email_problems_of_unique, email_problem_one

    uniques = _distinct(_email_cells(random.Random(41), 40_000))
    assert len(uniques) > 30_000
    assert _normalise_many(uniques) == [normalise_email_one(u) for u in uniques]
    want = [email_problem_one(u) for u in uniques]
    assert _email_problems_of_unique(uniques) == want
    assert {"EMAIL_SYNTAX", "EMAIL_DOMAIN_TYPO", None} <= set(want)


@SETTINGS
@given(st.lists(st.one_of(st.text(alphabet=EMAIL_CHARS, max_size=20), st.emails(), st.text(max_size=10)),
                max_size=30))
def test_email_kernels_equal_the_per_value_functions_on_generated_text(cells):
    from udfs.normalise.email import _normalise_many, normalise_email_one
    from udfs.validate.contact import _email_problems_of_unique, email_problem_one

    uniques = _distinct(cells)
    assert _normalise_many(uniques) == [normalise_email_one(u) for u in uniques]
    assert _email_problems_of_unique(uniques) == [email_problem_one(u) for u in uniques]


def _same(a: list[tuple], b: list[tuple]) -> bool:
    """Tuples equal field by field, in type too, NaN equal to NaN."""
    return len(a) == len(b) and all(
        len(x) == len(y) and all(type(p) is type(q) and (p == q or (p != p and q != q)) for p, q in zip(x, y))
        for x, y in zip(a, b))


@pytest.mark.parametrize("home", ["CNY", "TWD", "HKD", None])
def test_money_kernel_equals_the_per_value_parser(home):
    from udfs.normalise.money import _money_many, _money_one

    rng = np.random.default_rng(43)
    cells = np.round(rng.gamma(2.0, 3000.0, 30_000), 2).tolist() + register_columns(5_000, 3)["amount"]
    cells += [float("inf"), float("-inf"), -0.0, 0.0, 1e308, 5e-324, np.float64(2.5), 7, True, "NT$1,200", "1,500元"]
    uniques = _distinct(cells)
    assert _same(list(zip(*_money_many(uniques, home))), [_money_one(u, home) for u in uniques])


@SETTINGS
@given(st.lists(st.one_of(st.floats(), st.integers(), st.booleans(),
                          st.text(alphabet="0123456789.,$¥元NT ", max_size=8)), max_size=30))
def test_money_kernel_equals_the_per_value_parser_on_generated_cells(cells):
    from udfs.normalise.money import _money_many, _money_one

    uniques = _distinct(cells)
    assert _same(list(zip(*_money_many(uniques, "CNY"))), [_money_one(u, "CNY") for u in uniques])
