"""Cleaning formulas: registration under xlwings' real Windows decorators, and the same answers as the engine."""
import datetime as dt

import pandas as pd
import pytest

from tests.xlwings_windows import import_fresh, vba_wrappers, windows_decorators

FORMULAS = ["KEHU_MOBILE", "KEHU_PHONE", "KEHU_EMAIL", "KEHU_IDCHECK", "KEHU_USCCCHECK", "KEHU_NAMEKEY",
            "KEHU_NAME", "KEHU_COMPANYKEY", "KEHU_DATE", "KEHU_AMOUNT", "KEHU_GENDER", "KEHU_TEXT",
            "KEHU_PROVINCE", "KEHU_CITY", "KEHU_ADDRESS", "KEHU_CHECK"]


@pytest.fixture(scope="module")
def registered():
    with windows_decorators() as udfs_mod:
        module = import_fresh("udfs.formulas.clean")
        vba = vba_wrappers(udfs_mod, "udfs.formulas.clean", module)
        meta = {name: getattr(module, name).__xlfunc__ for name in FORMULAS}
    import_fresh("udfs.formulas.clean")  # back to the plain Linux functions for other tests
    return meta, vba


def test_registered_with_category_and_2d_ranges(registered):
    meta, _ = registered
    for name, xlf in meta.items():
        assert xlf["name"] == name
        assert xlf["category"] == "kehu 客户工具"
        first = xlf["args"][0]
        assert first["options"].get("ndim") == 2, name
        assert first["doc"] and "/" in first["doc"]  # Chinese / English help text
        assert xlf["ret"]["doc"].strip()[0] > "\u2e80"  # help text starts in Chinese


def test_vba_wrappers_generated(registered):
    _, vba = registered
    for name in FORMULAS:
        assert f"Function {name}(" in vba
    assert "Function KEHU_MOBILE(values, Optional e164)" in vba
    assert "Function KEHU_CHECK(table, Optional roles)" in vba


def excel_column(values, blank_tail=5):
    """What Excel hands a UDF for a whole-column reference: a tuple of 1-tuples, blanks as None."""
    return tuple((v,) for v in list(values) + [None] * blank_tail)


def test_formulas_trim_and_match_the_engine():
    from udfs.formulas import clean as f
    from udfs.normalise.amounts import parse_amounts
    from udfs.normalise.phone import normalise_mobile

    mobiles = ["+86 138 0013 8000", "１３８００１３８０００", 13800138000.0, "010-12345678", None, "1.38001E+10"]
    got = f.KEHU_MOBILE(excel_column(mobiles))
    assert len(got) == len(mobiles)  # trailing blank rows trimmed
    expected = ["" if v is None else v for v in normalise_mobile(mobiles)]
    assert [r[0] for r in got] == expected == ["13800138000"] * 3 + ["", "", ""]
    assert f.KEHU_MOBILE(excel_column(["13800138000"]), True) == [["+8613800138000"]]
    assert [r[0] for r in f.KEHU_AMOUNT(excel_column(["¥2,288.38", "1.2万"]))] == list(parse_amounts(["¥2,288.38", "1.2万"]))


def test_date_formula_returns_datetimes():
    from udfs.formulas import clean as f

    got = f.KEHU_DATE(excel_column([45356, "2024年3月5日", "abc"]))
    assert got == [[dt.datetime(2024, 3, 5)], [dt.datetime(2024, 3, 5)], [""]]


def test_id_and_uscc_formulas():
    from udfs.formulas import clean as f
    from udfs.validate.problems import describe

    assert f.KEHU_IDCHECK(excel_column(["11010519491231002X", "110105194912310021"])) == [
        [""], [describe("ID_CHECKSUM").zh]]
    detail = f.KEHU_IDCHECK(excel_column(["110105491231002"]), True)
    assert detail[0][:3] == ["11010519491231002X", dt.datetime(1949, 12, 31), "女"]
    assert f.KEHU_USCCCHECK(excel_column(["91350100M000100Y43", "91350100M000100Y44"])) == [
        [""], [describe("USCC_CHECKSUM").zh]]


def test_keys_and_splits():
    from udfs.formulas import clean as f

    assert f.KEHU_COMPANYKEY(excel_column(["華為技術有限責任公司"])) == [["华为技术"]]
    assert f.KEHU_NAMEKEY(excel_column(["張偉先生"])) == [["张伟"]]
    assert f.KEHU_NAMEKEY(excel_column(["张玮"]), True) == [["zhangwei"]]
    assert f.KEHU_NAME(excel_column(["王先生"])) == [["王", "先生"]]
    assert f.KEHU_ADDRESS(excel_column(["广东省广州市天河区体育西路1号"])) == [["广东省", "广州市", "天河区", "体育西路1号"]]


def test_check_formula_equals_engine_problem_list():
    from udfs.formulas import clean as f
    from udfs.validate.register import check_register, row_messages

    header = ["客户编号", "姓名", "手机", "身份证号", "邮箱"]
    rows = [["C1", "张伟", "13800138000", "11010519491231002X", "a@qq.com"],
            ["C2", None, "1.38001E+10", "110105194912310021", "b@qq.con"],
            ["C3", "王芳", "12812345678", None, None]]
    roles = {"客户编号": "customer_id", "姓名": "name", "手机": "mobile", "身份证号": "id_number", "邮箱": "email"}
    table = tuple(tuple(r) for r in [header] + rows + [[None] * 5] * 3)
    engine = row_messages(check_register(pd.DataFrame(rows, columns=header), roles), len(rows))
    expected = [["" if m is None else m] for m in engine]
    assert f.KEHU_CHECK(table, "客户编号=customer_id;姓名=name;手机=mobile;身份证号=id_number;邮箱=email") == expected
    assert f.KEHU_CHECK(table, (("customer_id", "name", "mobile", "id_number", "email"),)) == expected
    assert expected[0] == [""] and "手机" in expected[2][0]


def test_check_formula_rejects_unknown_roles():
    from udfs.formulas import clean as f

    with pytest.raises(ValueError, match="unknown roles"):
        f.KEHU_CHECK((("姓名",), ("张伟",)), "姓名=nom")


def test_check_formula_without_roles_uses_column_recognition():
    from udfs.formulas import clean as f
    from udfs.recognise import recognise_columns
    from udfs.formulas._xl import table_in
    from udfs.validate.register import check_register, row_messages

    table = (("姓名", "手机"), ("张伟", "1380013800"), ("李娜", "13800138000"))
    df = table_in(table)
    expected = row_messages(check_register(df, recognise_columns(df)), 2)
    assert f.KEHU_CHECK(table) == [["" if m is None else m] for m in expected]
    assert "手机" in f.KEHU_CHECK(table)[0][0]
