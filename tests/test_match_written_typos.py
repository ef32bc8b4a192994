"""Duplicates as people type them: one wrong character, surname readings, identifier evidence, household
mobiles, numeric-cell mobiles, birth dates from IDs, landline extensions. Hand-made pairs; the expected
verdicts come from how users judge such rows (DOMAIN.md §2a, issue 20), not from running kehu."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmarks.chinese_register import HEADERS, ROLES, _pinyin_table, generate_register
from benchmarks.register_typos import WRITTEN_CORRUPTIONS, corrupt_written
from udfs.match.compare import CLOSE, HOMOPHONE, compare_pairs
from udfs.match.chinese_names import SIBLING, TYPO_GIVEN, TYPO_SURNAME
from udfs.match.engine import _prepare, find_duplicates
from udfs.match.cells import numeric_cell_text


@pytest.fixture(scope="module")
def background():
    return generate_register(600, seed=41)[0]


def _with(background, rows):
    extra = pd.DataFrame([{h: r.get(h) for h in HEADERS} for r in rows], columns=HEADERS)
    df = pd.concat([background, extra], ignore_index=True)
    return df, list(range(len(background), len(df)))


def _row(name, mobile=None, **more):
    base = {"客户编号": "T" + str(abs(hash((name, mobile))) % 10**6), "姓名": name, "手机": mobile, "城市": "杭州",
            "省份": "浙江省"}
    base.update(more)
    return base


def _flags(background, rows):
    df, idx = _with(background, rows)
    out = find_duplicates(df, ROLES).rows.iloc[idx]
    return out


def _same_group(rows) -> bool:
    g = rows["重复组"].tolist()
    return g[0] is not None and g[0] == g[1]


def _name_level(background, a, b):
    df, idx = _with(background, [_row(a, "13300000001"), _row(b, "13300000002")])
    settings, keys = _prepare(df, ROLES, None, None, None)
    levels = compare_pairs(keys, np.array([idx[0]]), np.array([idx[1]]), settings.comparisons)
    return int(levels["name"].iloc[0])


# -- name comparison by character ---------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [("覃敏", "秦敏"), ("单丽华", "善丽华"), ("解晓东", "谢晓东"), ("曾静", "增静"),
                                  ("仇建国", "裘建国"), ("区家明", "欧家明"), ("朴志勇", "瓢志勇"), ("查海", "渣海"),
                                  ("尉迟恭", "玉迟恭")])
def test_surname_readings_count_as_the_same_sound(background, a, b):
    assert _name_level(background, a, b) == HOMOPHONE


def test_one_wrong_character_is_graded_by_length_and_position(background):
    assert _name_level(background, "白琪云", "白凤云") == TYPO_GIVEN     # three characters: usually a typo
    assert _name_level(background, "王成", "王磊") == SIBLING            # two characters: a brother looks like this
    assert _name_level(background, "方瑞强", "万瑞强") == TYPO_SURNAME   # surname written wrong, given name agrees
    assert _name_level(background, "张伟", "張偉") == 0                  # traditional form: the same name


def test_three_character_typo_with_same_mobile_and_email_is_a_duplicate(background):
    common = dict(邮箱="baiqiyun1990@163.com", 地址="杭州市西湖区文三路90号2栋301室")
    rows = _flags(background, [_row("白琪云", "13857112345", **common), _row("白凤云", "13857112345", **common)])
    assert _same_group(rows) and (rows["重复标记"] == "重复").all()


def test_identifiers_outweigh_a_two_character_name_difference(background):
    # 王成 / 王磊 with mobile, e-mail, ID number and address all equal: one customer, whatever the name says
    same = dict(邮箱="wangcheng88@qq.com", 身份证号="330106198801012316", 地址="杭州市上城区解放路8号")
    rows = _flags(background, [_row("王成", "13957100001", **same), _row("王磊", "13957100001", **same)])
    assert _same_group(rows)


def test_siblings_sharing_a_mobile_and_home_stay_apart(background):
    home = dict(电话="0571-86001234", 地址="杭州市拱墅区湖墅南路66号5栋1201室")
    rows = _flags(background, [_row("王成", "13957100002", 性别="男", **home),
                               _row("王磊", "13957100002", 性别="男", **home)])
    assert not ((rows["重复标记"] == "重复").all() and _same_group(rows))


def test_shared_site_facts_never_outweigh_a_name_difference(background):
    site = dict(公司名称="杭州恒信科技有限公司", 电话="0571-88886666", 地址="杭州市滨江区江南大道100号恒信大厦8层",
                统一社会信用代码="91330108MA27XYZ12K")
    rows = _flags(background, [_row("李静怡", "13800571111", **site), _row("李静雯", "13800572222", 性别="女", **site),
                               _row("李静娜", "13800573333", **site)])
    assert (rows["重复标记"] != "重复").all(), rows


def test_generation_name_siblings_with_other_birth_dates_stay_apart(background):
    home = dict(地址="杭州市余杭区临平大道1号3栋501室")
    rows = _flags(background, [_row("罗建国", "13700001111", 出生日期="1962-03-01", 性别="男", **home),
                               _row("罗建军", "13700001111", 出生日期="1966-11-20", 性别="男", **home)])
    assert not _same_group(rows)


# -- keys that survive real cells ------------------------------------------------------------------------------

def test_numeric_cell_mobiles_keep_their_digits_and_rounded_ones_do_not():
    assert numeric_cell_text("13800138000.0") == "13800138000"
    assert numeric_cell_text(13800138000.0) == "13800138000"
    assert numeric_cell_text("1.3800138000E+10") == "13800138000"
    assert numeric_cell_text("1.38001E+10") == "1.38001E+10"  # digits gone: left for the normaliser to report


def test_mobile_written_as_numeric_text_still_matches(background):
    rows = _flags(background, [_row("郑晓峰", "13588889999", 邮箱="zxf@126.com"),
                               _row("郑晓峰", "13588889999.0"), _row("郑晓锋", "1.3588889999E+10")])
    g = rows["重复组"].tolist()
    assert g[0] is not None and g[0] == g[1] == g[2]


def test_birth_date_key_comes_from_a_valid_id_number(background):
    df, idx = _with(background, [_row("冯小刚", None, 身份证号="11010519491231002X"),
                                 _row("冯小钢", None, 身份证号="110105194912310021")])  # wrong check digit
    settings, keys = _prepare(df, ROLES, None, None, None)
    birth = keys.values("birth")
    assert birth[idx[0]] == "19491231" and birth[idx[1]] is None


def test_landline_with_extension_or_without_area_code_is_close(background):
    df, idx = _with(background, [_row("甲", None, 电话="0571-87654321"), _row("乙", None, 电话="0571-87654321转802"),
                                 _row("丙", None, 电话="87654321")])
    settings, keys = _prepare(df, ROLES, None, None, None)
    a, b = np.array([idx[0], idx[0]]), np.array([idx[1], idx[2]])
    assert (compare_pairs(keys, a, b, settings.comparisons)["landline"].to_numpy() == CLOSE).all()


def test_share_of_rows_without_any_blocking_key_is_reported(background):
    df, _ = _with(background, [{"客户编号": "X1", "性别": "男"}])
    summary = find_duplicates(df, ROLES).summary
    assert summary["rows_without_key"] >= 1
    assert summary["rows_without_key_share"] == pytest.approx(summary["rows_without_key"] / len(df))


# -- every written corruption of the benchmark is caught on a full record ----------------------------------------

@pytest.mark.parametrize("kind", WRITTEN_CORRUPTIONS)
def test_each_written_corruption_is_caught(background, kind):
    original = {"客户编号": "KH9100001", "姓名": "覃子薇", "性别": "女", "出生日期": "1990-05-06",
                "身份证号": "450103199005064521", "手机": "13907712345", "电话": "0771-5612345",
                "邮箱": "qinziwei90@163.com", "公司名称": "南宁东方贸易有限公司", "统一社会信用代码": "91450103MA5KABCD1X",
                "省份": "广西壮族自治区", "城市": "南宁", "地址": "南宁市青秀区民族大道100号东方大厦9层"}
    copy = dict(original, 客户编号="KH9100002")
    rng = np.random.default_rng(7)
    pool = "伟丽静敏磊军洋勇艳杰涛明霞平辉宇欣浩博"
    assert corrupt_written(copy, kind, rng, pool, _pinyin_table(), "18677001234"), kind
    assert copy != dict(original, 客户编号="KH9100002")
    rows = _flags(background, [original, copy])
    assert _same_group(rows), (kind, copy["姓名"], copy["手机"])


@pytest.mark.parametrize("a, b, level", [("Smith John", "John Smith", HOMOPHONE), ("Chan Tai Man", "Tai Man Chan", HOMOPHONE),
                                         ("J. Smith", "John Smith", CLOSE), ("T. M. Chan", "Tai Man Chan", CLOSE),
                                         ("John Smith", "Jane Smyth", None)])
def test_latin_names_fold_word_order_and_initials(background, a, b, level):
    found = _name_level(background, a, b)
    if level is None:
        assert found not in (HOMOPHONE, CLOSE)
    else:
        assert found == level
