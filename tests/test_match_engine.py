"""Duplicate engine: Febrl accuracy, hard negatives, every corruption kind, no chaining, second-file mode."""
from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from benchmarks.chinese_register import CORRUPTIONS, HEADERS, ROLES, _corrupt, _pinyin_table, SOUND_GROUPS, generate_register
from udfs.match.blocking import rule_pairs
from udfs.match.cluster import cluster_pairs
from udfs.match.engine import find_duplicates, find_in_master
from udfs.match.prepare import KeyTable
from udfs.match.settings import BlockingRule, MatchSettings

DATA = Path(__file__).resolve().parent / "data" / "febrl"


@pytest.fixture(scope="module")
def background():
    """A seeded register to embed hand-made cases in (chance agreement is measured on real-looking data)."""
    register, truth = generate_register(500, seed=5)
    return register, truth


def _with_rows(background_register: pd.DataFrame, rows: list[dict]) -> tuple[pd.DataFrame, list[int]]:
    extra = pd.DataFrame([{h: r.get(h) for h in HEADERS} for r in rows], columns=HEADERS)
    df = pd.concat([background_register, extra], ignore_index=True)
    return df, list(range(len(background_register), len(df)))


def _person(name, mobile, city="北京", **more):
    base = {"客户编号": "T" + mobile[-6:], "姓名": name, "手机": mobile, "城市": city, "省份": city + "市"}
    base.update(more)
    return base


# -- Febrl ------------------------------------------------------------------------------------------

def _true_pairs(entity) -> set[tuple[int, int]]:
    rows_by_entity: dict = {}
    for i, e in enumerate(entity):
        rows_by_entity.setdefault(e, []).append(i)
    return {p for rows in rows_by_entity.values() for p in itertools.combinations(rows, 2)}


def test_febrl1_pairwise_f1_at_least_099():
    df = pd.read_csv(DATA / "dataset1.csv", dtype=str, skipinitialspace=True)
    df.columns = [c.strip() for c in df.columns]
    entity = df["rec_id"].str.split("-").str[1].tolist()
    records = df.drop(columns="rec_id")
    result = find_duplicates(records, {c: c for c in records.columns})
    groups = result.rows["重复组"].tolist()
    by_group: dict = {}
    for i, g in enumerate(groups):
        if g is not None:
            by_group.setdefault(g, []).append(i)
    predicted = {p for rows in by_group.values() for p in itertools.combinations(rows, 2)}
    truth = _true_pairs(entity)
    tp = len(predicted & truth)
    precision, recall = tp / len(predicted), tp / len(truth)
    assert len(truth) == 500  # Febrl 1: 500 originals, one duplicate each
    assert 2 * precision * recall / (precision + recall) >= 0.99


# -- hard negatives (DOMAIN.md §2a) ------------------------------------------------------------------

def test_family_sharing_landline_and_address_stays_apart(background):
    home = dict(电话="010-62781234", 地址="北京市海淀区学府路12号3栋501室")
    df, idx = _with_rows(background[0], [
        _person("张建国", "13911112222", 出生日期="1958-04-02", **home),
        _person("张丽", "13911113333", 出生日期="1986-09-17", **home),
        _person("张磊", "13911114444", 出生日期="1990-01-30", **home),
    ])
    rows = find_duplicates(df, ROLES).rows.iloc[idx]
    assert (rows["重复标记"] == "唯一").all(), rows


def test_family_sharing_one_mobile_stays_apart(background):
    home = dict(电话="021-55667788", 地址="上海市浦东新区世纪大道100号8栋1202室")
    df, idx = _with_rows(background[0], [
        _person("刘桂英", "13622223333", "上海", 出生日期="1949-12-01", **home),
        _person("刘洋", "13622223333", "上海", 出生日期="1979-06-15", 邮箱="liuyang1979@163.com", **home),
    ])
    rows = find_duplicates(df, ROLES).rows.iloc[idx]
    assert rows["重复组"].isna().all() or rows["重复组"].iloc[0] != rows["重复组"].iloc[1]
    assert (rows["重复标记"] != "重复").all()


def test_colleagues_sharing_company_phone_and_address_stay_apart(background):
    company = dict(公司名称="北京华通科技有限公司", 电话="010-88889999", 地址="北京市朝阳区建国路88号华通大厦12层",
                   统一社会信用代码="91110105MA01ABCD3X")
    staff = [("王强", "13700001111"), ("李静", "13700002222"), ("陈晨", "13700003333"), ("赵敏", "13700004444"),
             ("周杰", "13700005555")]
    df, idx = _with_rows(background[0], [_person(n, m, **company) for n, m in staff])
    rows = find_duplicates(df, ROLES).rows.iloc[idx]
    assert (rows["重复标记"] == "唯一").all(), rows


def test_two_wang_wei_in_different_cities_stay_apart(background):
    df, idx = _with_rows(background[0], [
        _person("王伟", "13812345678", "北京", 性别="男"),
        _person("王伟", "15987654321", "广州", 性别="男"),
    ])
    rows = find_duplicates(df, ROLES).rows.iloc[idx]
    assert (rows["重复标记"] == "唯一").all(), rows


def test_generated_hard_negatives_are_not_merged():
    register, truth = generate_register(3000, seed=21)
    groups = find_duplicates(register, ROLES).rows["重复组"].fillna(0).astype(int).to_numpy()
    frame = pd.DataFrame({"g": groups, "entity": truth["实体"], "family": truth["家庭"], "company": truth["公司编号"]})
    grouped = frame[frame.g > 0]
    people_per_group = grouped.groupby("g")["entity"].nunique()
    # Families and colleagues are plentiful in the register (hundreds of shared phones) …
    assert (truth["家庭"] >= 0).sum() > 300 and truth["公司编号"].value_counts().max() > 20
    # … and almost no group mixes two real people (the generator's truth, not the engine, decides).
    assert (people_per_group > 1).sum() <= 2


# -- every corruption of DOMAIN.md §2 is caught --------------------------------------------------------

@pytest.mark.parametrize("kind", CORRUPTIONS)
def test_each_corruption_kind_is_caught(background, kind):
    rng = np.random.default_rng(abs(hash(kind)) % 1000)
    original = {"客户编号": "KH9000001", "姓名": "欧阳婷", "性别": "女", "出生日期": "1988-07-14",
                "身份证号": "440103198807142424", "手机": "13825061234", "电话": "020-83334567",
                "邮箱": "ouyangting88@qq.com", "公司名称": "广州宏达贸易有限公司",
                "统一社会信用代码": "91440103MA5ABCDE1K", "省份": "广东省", "城市": "广州",
                "地址": "广州市天河区体育东路118号财富广场西塔20层"}
    copy = dict(original, 客户编号="KH9000002")
    sound_of = {c: g for g in SOUND_GROUPS for c in g}
    assert _corrupt(copy, kind, rng, sound_of, _pinyin_table()), kind
    assert copy != dict(original, 客户编号="KH9000002")  # the corruption changed something
    df, idx = _with_rows(background[0], [original, copy])
    rows = find_duplicates(df, ROLES).rows.iloc[idx]
    assert rows["重复组"].iloc[0] is not None and rows["重复组"].iloc[0] == rows["重复组"].iloc[1], (kind, copy)


def test_homophone_is_explained_in_words(background):
    df, idx = _with_rows(background[0], [
        _person("张伟", "13512340000", 公司名称="杭州新元电子有限公司"),
        _person("张玮", "13512340000", 公司名称="杭州新元电子有限公司"),
    ])
    rows = find_duplicates(df, ROLES).rows.iloc[idx]
    reason = rows["匹配依据"].iloc[0]
    assert "手机相同" in reason and "姓名同音(张伟/张玮)" in reason and "公司相同" in reason
    assert reason.index("手机相同") < reason.index("公司相同")  # strongest evidence first
    assert 0.9 <= rows["相似度"].iloc[0] <= 1.0


# -- groups never chain through one weak link ---------------------------------------------------------

def test_cluster_does_not_join_a_cannot_link_through_a_middle_row():
    # 0–1 strong, 1–2 duplicate but weaker, 0–2 known different people: 2 must not join 0.
    a, b = np.array([0, 1, 0]), np.array([1, 2, 2])
    p = np.array([0.999, 0.95, 0.0001])
    groups = cluster_pairs(3, a, b, p, is_duplicate=p >= 0.9, cannot_link=np.array([False, False, True]))
    assert groups[0] == groups[1] != 0 and groups[2] == 0


def test_cluster_does_not_join_groups_through_a_possible_pair():
    # two tight pairs {0,1} and {2,3} linked only by a 疑似 (0.6) pair 1–2
    a, b = np.array([0, 2, 1]), np.array([1, 3, 2])
    p = np.array([0.99, 0.99, 0.6])
    groups = cluster_pairs(4, a, b, p, is_duplicate=p >= 0.9, cannot_link=np.zeros(3, bool))
    assert groups[0] == groups[1] and groups[2] == groups[3] and groups[0] != groups[2]


def test_engine_splits_a_chain_of_same_name_people(background):
    # A and C: both 张伟, different ID numbers (two people). B has no ID, A's mobile and C's e-mail.
    df, idx = _with_rows(background[0], [
        _person("张伟", "13300001111", 身份证号="110101198001011234", 邮箱="zw_a@163.com"),
        _person("张伟", "13300001111", 邮箱="zhangwei.c@qq.com"),
        _person("张伟", "18900002222", 身份证号="110101199202021236", 邮箱="zhangwei.c@qq.com"),
    ])
    groups = find_duplicates(df, ROLES).rows["重复组"].iloc[idx].tolist()
    assert groups[0] is None or groups[0] != groups[2]
    assert groups[1] is not None  # B still belongs with one of them


# -- structure: linear blocking, saved settings --------------------------------------------------------

def test_a_huge_block_costs_rows_times_window_not_rows_squared():
    n = 2000
    keys = KeyTable(pd.DataFrame({"landline": ["010-88889999"] * n, "name": [f"n{i}" for i in range(n)]}))
    a, b = rule_pairs(keys, BlockingRule(("landline",), sort_by="name", window=12))
    assert len(a) == sum(min(12, n - 1 - i) for i in range(n))  # each row with its next 12 neighbours
    assert len(a) < n * 12 < n * (n - 1) / 2


def test_settings_round_trip_through_json_and_repeat_the_run(background):
    register = background[0]
    first = find_duplicates(register, ROLES)
    text = first.settings.to_json()
    again = MatchSettings.from_json(text)
    assert again.to_dict() == first.settings.to_dict()
    second = find_duplicates(register, ROLES, settings=again)
    pd.testing.assert_frame_equal(first.rows, second.rows)
    assert '"姓名"' in text and '"duplicate_probability": 0.9' in text


def test_thresholds_change_the_verdicts(background):
    register = background[0]
    strict = find_duplicates(register, ROLES, duplicate=0.99999999, possible=0.99999999)
    normal = find_duplicates(register, ROLES)
    assert (strict.rows["重复标记"] == "重复").sum() < (normal.rows["重复标记"] == "重复").sum()


# -- second file: which incoming customers already exist -------------------------------------------------

def test_against_master_finds_existing_customers():
    register, truth = generate_register(1200, seed=8)
    is_copy = truth["副本"].to_numpy()
    first_rows = ~is_copy
    master = register[first_rows].reset_index(drop=True)
    master_entities = set(truth.loc[first_rows, "实体"])
    incoming = register[is_copy].reset_index(drop=True)
    incoming_entity = truth.loc[is_copy, "实体"].to_numpy()
    fresh, _ = generate_register(150, seed=99)  # customers of another register: not in the master
    fresh["手机"] = "199" + fresh["手机"].astype(str).str[-8:]
    incoming = pd.concat([incoming, fresh], ignore_index=True)
    exists = np.concatenate([np.isin(incoming_entity, list(master_entities)), np.zeros(len(fresh), bool)])
    assert exists[: is_copy.sum()].all()  # every copy's original is in the master

    found = find_in_master(incoming, ROLES, master, ROLES)
    flagged = (found["主档状态"] == "已存在").to_numpy()
    assert exists.sum() > 200
    assert (flagged & exists).sum() / exists.sum() >= 0.95
    assert (flagged & ~exists).sum() <= 2
    # the master row named is the right customer
    hits = np.flatnonzero(flagged & exists)
    master_entity = truth.loc[first_rows, "实体"].to_numpy()
    named = master_entity[found["主档行"].to_numpy()[hits].astype(int)]  # master index is 0..m-1
    assert (named == incoming_entity[hits]).mean() >= 0.99


# -- the canonical-form shortcut gives exactly the shared normalisers' keys ---------------------------------

def _counting(monkeypatch, step):
    """Wrap the shared normaliser of `step` so the test sees how many cells it was asked about."""
    from udfs.match import prepare

    shared = prepare.SHARED_STEPS[step]
    seen = []

    def counted(values):
        seen.append(len(values))
        return shared(values)

    monkeypatch.setitem(prepare.SHARED_STEPS, step, counted)
    return shared, seen


@pytest.mark.parametrize("step, column", [("person_name", "姓名"), ("mobile", "手机"), ("landline", "电话"),
                                          ("email", "邮箱"), ("address", "地址")])
def test_shortcut_keys_equal_the_shared_normaliser(background, monkeypatch, step, column):
    from udfs.match import prepare

    values = background[0][column]
    shared, seen = _counting(monkeypatch, step)
    ours = prepare.apply_step(step, values)
    # the shortcut was taken: after checking a sample, the shared normaliser saw only the non-canonical rest
    assert seen[-1] < values.nunique()
    theirs = shared(values)
    # … and every key equals the shared normaliser's own answer
    assert ours.where(ours.notna(), None).tolist() == pd.Series(theirs).where(pd.Series(theirs).notna(), None).tolist()


def test_shortcut_pinyin_equals_the_shared_pinyin(background, monkeypatch):
    from udfs.match import prepare
    from udfs.normalise.names import name_pinyin

    names = prepare.apply_step("person_name", background[0]["姓名"])
    _, seen = _counting(monkeypatch, "pinyin")
    ours = prepare.apply_step("pinyin", names)
    assert seen[-1] < names.nunique()
    assert ours.tolist() == name_pinyin(background[0]["姓名"]).where(lambda s: s.notna(), None).tolist()
