"""Text cleaning and traditional→simplified keys."""
import unicodedata

import pandas as pd

from udfs.normalise.text import clean_text, simplified_key


def test_width_folding_and_whitespace():
    got = clean_text(["１２３ＡＢＣ", "\u3000北京\u3000 市  ", "（北京）", "a\tb\nc", "Ｔｅｌ．"])
    assert list(got) == ["123ABC", "北京 市", "(北京)", "a b c", "Tel."]


def test_invisible_characters_removed():
    raw = ["张\u200b伟", "\ufeff客户", "王\u00ad芳", "李\u200d娜\u2060"]
    assert list(clean_text(raw)) == ["张伟", "客户", "王芳", "李娜"]


def test_blank_becomes_none_and_numbers_become_text():
    got = clean_text([None, float("nan"), "", " \u3000 ", 13800138000.0, 1.5, 7])
    assert list(got) == [None, None, None, None, "13800138000", "1.5", "7"]


def test_clean_text_keeps_traditional_characters():
    assert clean_text(["廣州 有限責任公司"]).iloc[0] == "廣州 有限責任公司"


def test_simplified_key_folds_traditional_and_case():
    got = simplified_key(["張偉", "有限責任公司", "廣州", "ABC Ｃo", "張 偉"])
    assert list(got) == ["张伟", "有限责任公司", "广州", "abc co", "张 伟"]


def test_simplified_key_agrees_with_zhconv_on_single_characters():
    # Independent reference: zhconv's own converter, character by character.
    import zhconv

    text = "東華門醫院歷史資料庫壓縮檔案與藝術團體組織"
    expected = "".join(zhconv.convert(c, "zh-cn") for c in text)
    assert simplified_key([text]).iloc[0] == expected.lower()


def test_output_is_nfkc_normalised():
    for v in clean_text(["ｶﾞ", "①", "ﬁ"]):
        assert unicodedata.is_normalized("NFKC", v)


def test_index_kept():
    s = pd.Series(["a", "b"], index=["x", "y"])
    assert list(clean_text(s).index) == ["x", "y"]
