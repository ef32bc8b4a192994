"""Person names, name keys and pinyin; e-mail; gender."""
import pandas as pd
import pytest
from pypinyin import Style, lazy_pinyin

from udfs.normalise.email import normalise_email
from udfs.normalise.gender import normalise_gender
from udfs.normalise.names import name_pinyin, person_name_key, split_person_name


@pytest.mark.parametrize("raw, name, honorific", [
    ("张 伟", "张伟", None), ("王先生", "王", "先生"), ("李总", "李", "总"), ("刘老师", "刘", "老师"),
    ("张伟（经理）", "张伟", "经理"), ("欧阳 娜娜 女士", "欧阳娜娜", "女士"), ("陈小姐", "陈", "小姐"),
    ("Mr. john SMITH", "John Smith", "Mr."), ("o'neil JEAN-LUC", "O'Neil Jean-Luc", None),
    ("阿卜杜•热合曼", "阿卜杜·热合曼", None), ("李晓哥", "李晓哥", None), ("　赵　敏　", "赵敏", None),
    ("王总经理", "王", "总经理"), (None, None, None),
])
def test_split_person_name(raw, name, honorific):
    got = split_person_name([raw]).iloc[0]
    assert (got["name"], got["honorific"]) == (name, honorific)


def test_name_key_folds_traditional_spaces_and_titles():
    keys = person_name_key(["張偉", "张 伟", "张伟先生", "John SMITH", "john smith", "王芳"])
    assert keys.tolist() == ["张伟", "张伟", "张伟", "johnsmith", "johnsmith", "王芳"]


def test_pinyin_homophones_agree_and_match_pypinyin():
    got = name_pinyin(["张伟", "张玮", "張偉", "李娜", "王芳"]).tolist()
    assert got[0] == got[1] == got[2] == "zhangwei"
    # Independent reference: pypinyin's own phrase-aware converter.
    assert got[3] == "".join(lazy_pinyin("李娜", style=Style.NORMAL))
    assert got[4] == "".join(lazy_pinyin("王芳", style=Style.NORMAL))


def test_pinyin_surname_readings():
    assert name_pinyin(["曾小明", "单田芳"]).tolist() == ["zengxiaoming", "shantianfang"]


@pytest.mark.parametrize("raw, expected", [
    (" ZhangSan＠QQ.COM ", "zhangsan@qq.com"), ("Foo.Bar@Example.COM.", "Foo.Bar@example.com"),
    ("a@163。com", "a@163.com"), ("张三 <ZS@Sina.com>", "zs@sina.com"), ("mailto:x@y.cn;", "x@y.cn"),
    ("li si@126.com", "lisi@126.com"), ("ＡＢＣ＠ｇｍａｉｌ．ｃｏｍ", "abc@gmail.com"), (None, None), ("  ", None),
])
def test_normalise_email(raw, expected):
    assert normalise_email([raw]).iloc[0] == expected


def test_gender_codings():
    raw = ["男", "M", "male", "先生", "Ｍ", "1", 1, "女", "f", "Female", "女士", "小姐", 2.0, "x", None, "未知"]
    assert normalise_gender(raw).tolist() == ["男"] * 7 + ["女"] * 6 + [None] * 3


def test_index_kept():
    s = pd.Series(["王先生"], index=[42])
    assert list(split_person_name(s).index) == [42]
