"""Property tests: every normaliser is idempotent on its own output and never raises on arbitrary cells."""
import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from udfs.normalise.amounts import amount_problems, parse_amounts
from udfs.normalise.company import company_key
from udfs.normalise.dates import date_problems, parse_dates
from udfs.normalise.email import normalise_email
from udfs.normalise.gender import normalise_gender
from udfs.normalise.names import name_pinyin, person_name_key, split_person_name
from udfs.normalise.phone import normalise_landline, normalise_mobile, normalise_phone, parse_phones
from udfs.normalise.region import canonical_city, canonical_province, split_address
from udfs.normalise.text import clean_text, simplified_key

# Characters registers are made of: digits (both widths), phone and date punctuation, Chinese
# units, region and company words, traditional forms, invisible and odd whitespace.
REGISTER_ALPHABET = (
    "0123456789０１２３４５６７８９+-()（）. /:：,，@＠年月日号万元¥￥E e xX#转"
    "北京市广东省廣州天河区朝阳有限公司責任股份集团张伟張偉先生女士总李王芳 Co.,Ltd"
    "\u200b\u3000\ufeff\t\nÄäǅİß"
)
cells = st.one_of(
    st.none(),
    st.just(float("nan")),
    st.text(max_size=20),
    st.text(alphabet=REGISTER_ALPHABET, max_size=24),
    st.integers(min_value=-10**18, max_value=10**18),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
columns = st.lists(cells, min_size=1, max_size=8)
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def same(a: pd.Series, b: pd.Series) -> bool:
    """Equal element by element, with missing == missing."""
    for x, y in zip(a.tolist(), b.tolist()):
        if pd.isna(x) and pd.isna(y):
            continue
        if isinstance(x, float) and isinstance(y, float):
            if not math.isclose(x, y, rel_tol=1e-12, abs_tol=0):
                return False
        elif x != y:
            return False
    return len(a) == len(b)


IDEMPOTENT = {
    "clean_text": clean_text,
    "simplified_key": simplified_key,
    "parse_dates": parse_dates,
    "parse_amounts": parse_amounts,
    "normalise_mobile": normalise_mobile,
    "normalise_mobile_e164": lambda v: normalise_mobile(v, e164=True),
    "normalise_landline": normalise_landline,
    "normalise_phone": normalise_phone,
    "normalise_email": normalise_email,
    "split_person_name": lambda v: split_person_name(v)["name"],
    "person_name_key": person_name_key,
    "name_pinyin": name_pinyin,
    "company_key": company_key,
    "canonical_province": canonical_province,
    "canonical_city": canonical_city,
    "normalise_gender": normalise_gender,
}


@pytest.mark.parametrize("name", sorted(IDEMPOTENT))
def test_idempotent_and_total(name):
    f = IDEMPOTENT[name]

    @SETTINGS
    @given(columns)
    def check(values):
        once = f(values)
        assert len(once) == len(values)
        twice = f(once)
        assert same(once, twice), (values, once.tolist(), twice.tolist())

    check()


@SETTINGS
@given(columns)
def test_problem_finders_never_raise(values):
    assert len(date_problems(values)) == len(values)
    assert len(amount_problems(values)) == len(values)
    assert parse_phones(values).shape == (len(values), 4)
    assert split_address(values).shape == (len(values), 4)


def test_idempotent_on_real_messy_examples():
    messy = ["+86 138 0013 8000", "(010)12345678转8", "張 偉 先生", "华为技术（北京）有限公司", "Ｍ", "2024年3月5日",
             "¥2,288.38", " ZhangSan＠QQ.COM ", "廣州", "1.38001E+10", None, "ß", "ßA", "A´", "ß㑗", "ŉ"]
    for name, f in IDEMPOTENT.items():
        once = f(messy)
        assert same(once, f(once)), name
