"""Survey engine: alpha, NPS, the 2/3 rule, the DOMAIN.md worked example, groups, intervals, drivers, labels."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from udfs.score.survey import analyse_survey, cronbach_alpha, nps, recognise_survey, to_scores, weighted_index
from udfs.score.survey.drivers import relative_weights
from udfs.score.survey.indices import acsi_index
from udfs.score.survey.items import ItemSpec
from udfs.score.survey.stats import level_scores, wilson_interval

DATA = Path(__file__).resolve().parent / "data"
BLOCKS = {"imag": 5, "expe": 5, "qual": 5, "val": 4, "sat": 4, "loy": 4}


@pytest.fixture(scope="module")
def ecsi() -> pd.DataFrame:
    return pd.read_csv(DATA / "satisfaction.csv")


# ---- Cronbach's alpha against pingouin ------------------------------------------------------------

@pytest.mark.parametrize("block", list(BLOCKS))
def test_alpha_matches_pingouin_per_block(ecsi, block):
    pg = pytest.importorskip("pingouin")
    cols = [f"{block}{i}" for i in range(1, BLOCKS[block] + 1)]
    expected, _ci = pg.cronbach_alpha(data=ecsi[cols])
    assert cronbach_alpha(ecsi[cols]) == pytest.approx(expected, abs=1e-9)


def test_standardised_alpha_is_alpha_of_z_scores(ecsi):
    pg = pytest.importorskip("pingouin")
    cols = [f"qual{i}" for i in range(1, 6)]
    z = (ecsi[cols] - ecsi[cols].mean()) / ecsi[cols].std(ddof=1)
    expected, _ = pg.cronbach_alpha(data=z)
    assert cronbach_alpha(ecsi[cols], standardised=True) == pytest.approx(expected, abs=1e-9)
    assert cronbach_alpha(ecsi[cols], standardised=True) != pytest.approx(cronbach_alpha(ecsi[cols]), abs=1e-6)


def test_analysis_reports_pingouin_alpha_per_dimension(ecsi):
    pg = pytest.importorskip("pingouin")
    res = analyse_survey(ecsi)
    # dimensions come from the column prefixes; the scale is 0–10 (zeros are answers, not typos)
    assert {q.scale_min for q in res.spec.items} == {0} and {q.scale_max for q in res.spec.items} == {10}
    rel = res.reliability.set_index("dimension")
    valid = ecsi[res.quality["valid"].to_numpy()]
    for block, k in BLOCKS.items():
        cols = [f"{block}{i}" for i in range(1, k + 1)]
        assert rel.loc[block, "alpha"] == pytest.approx(pg.cronbach_alpha(data=valid[cols])[0], abs=1e-9)


# ---- NPS and its standard error (Rocks 2016) -------------------------------------------------------

def test_nps_and_standard_error_hand_built():
    answers = [10, 10, 9, 9, 9, 8, 7, 6, 3, 0]          # 5 promoters, 2 passives, 3 detractors
    r = nps(answers)
    p, d, n = 0.5, 0.3, 10
    assert r["value"] == pytest.approx(20.0)
    assert r["se"] == pytest.approx(100 * math.sqrt((p + d - (p - d) ** 2) / n))   # = 27.568…
    assert r["se"] == pytest.approx(27.5680975, abs=1e-6)
    assert r["low"] == pytest.approx(20 - 1.959964 * r["se"], abs=1e-4)
    assert (r["promoters"], r["passives"], r["detractors"]) == pytest.approx((0.5, 0.2, 0.3))


def test_nps_extremes_and_blanks():
    assert nps([10, 9, 9, None, ""])["value"] == pytest.approx(100) and nps([10, 9, 9])["se"] == 0
    r = nps([0] * 4 + [10] * 4)                          # p = d = 0.5: variance (1 − 0)/n
    assert r["value"] == 0 and r["se"] == pytest.approx(100 * math.sqrt(1 / 8))
    assert nps([11, -1, 5])["n"] == 1                     # off the 0–10 scale: not counted


# ---- the 2/3 rule at its boundary ------------------------------------------------------------------

def _sheet(n_questions: int, answered: list[int]) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    rows = []
    for a in answered:
        row = list(rng.integers(1, 6, n_questions))
        row[0], row[1] = 1, 5                            # never the same answer throughout
        rows.append([v if j < a else None for j, v in enumerate(row)])
    return pd.DataFrame(rows, columns=[f"Q{j + 1}" for j in range(n_questions)], dtype=object)


@pytest.mark.parametrize("n_q, answered, valid", [(9, 6, True), (9, 5, False), (12, 8, True), (12, 7, False),
                                                   (10, 7, True), (10, 6, False)])
def test_two_thirds_rule_boundary(n_q, answered, valid):
    df = _sheet(n_q, [answered] + [n_q] * 5)
    res = analyse_survey(df)
    assert bool(res.quality["valid"].iloc[0]) is valid
    assert ("已答题目不足三分之二" in (res.quality["reasons"].iloc[0] or "")) is (not valid)


def test_threshold_is_configurable():
    df = _sheet(10, [5] + [10] * 5)
    assert not analyse_survey(df).quality["valid"].iloc[0]
    assert analyse_survey(df, threshold=0.5).quality["valid"].iloc[0]


# ---- DOMAIN.md §4 worked example --------------------------------------------------------------------

WORKED = {  # item → (very satisfied, satisfied, dissatisfied) shares of the 180 valid replies
    "产品质量": (0.80, 0.15, 0.05),
    "送货": (0.70, 0.20, 0.10),
    "售后服务": (0.75, 0.15, 0.10),
    "沟通与反馈渠道": (0.85, 0.10, 0.05),
}


def worked_example() -> pd.DataFrame:
    """180 valid replies with the published shares (as level labels), plus 5 returned but blank ones."""
    rng = np.random.default_rng(7)
    cols = {}
    for item, (vs, s, d) in WORKED.items():
        counts = [round(vs * 180), round(s * 180), round(d * 180)]
        col = np.array(["非常满意"] * counts[0] + ["满意"] * counts[1] + ["不满意"] * counts[2], dtype=object)
        rng.shuffle(col)
        cols[item] = list(col) + [None] * 5
    df = pd.DataFrame(cols)
    df.loc[182, "产品质量"] = "满意"                     # one answer of four: still invalid
    return df


def test_worked_example_rates_and_shares():
    res = analyse_survey(worked_example(), issued=200)
    r = res.response
    assert (r["issued"], r["returned"], r["valid"]) == (200, 185, 180)
    assert r["valid_return_rate"] == pytest.approx(0.90)
    assert r["return_rate"] == pytest.approx(185 / 200)
    levels = res.levels.set_index(["code", "label"])["share"]
    for item, (vs, s, d) in WORKED.items():
        assert levels[(item, "非常满意")] == pytest.approx(vs)
        assert levels[(item, "满意")] == pytest.approx(s)
        assert levels[(item, "不满意")] == pytest.approx(d)
        assert levels[(item, "一般")] == 0 and levels[(item, "非常不满意")] == 0
        # linear 0–100 on a 1–5 scale: 5 → 100, 4 → 75, 2 → 25
        expected = vs * 100 + s * 75 + d * 25
        assert res.items.set_index("code").loc[item, "score"] == pytest.approx(expected)
    # equal weights: the overall index is the plain mean of the four item scores
    mean_of_items = np.mean([vs * 100 + s * 75 + d * 25 for vs, s, d in WORKED.values()])
    assert res.dimensions.iloc[-1]["value"] == pytest.approx(mean_of_items)


def test_level_score_table_and_weights():
    df = worked_example()
    items = [ItemSpec(column=c, code=c, text=c, weight=w) for c, w in zip(WORKED, (0.4, 0.3, 0.2, 0.1))]
    spec = recognise_survey(df)
    spec.items = items
    res = analyse_survey(df, spec, score_map="level")
    table = dict(zip((5, 4, 3, 2, 1), (100, 80, 60, 30, 0)))
    scores = {i: vs * table[5] + s * table[4] + d * table[2] for i, (vs, s, d) in WORKED.items()}
    got = res.items.set_index("code")["score"]
    for i in WORKED:
        assert got[i] == pytest.approx(scores[i])
    expected = sum(scores[i] * w for i, w in zip(WORKED, (0.4, 0.3, 0.2, 0.1))) / 1.0
    assert res.dimensions.iloc[-1]["value"] == pytest.approx(expected)
    assert list(level_scores(ItemSpec(None, "", scale_min=1, scale_max=5), [100, 80, 60, 30, 0])) == [0, 30, 60, 80, 100]


# ---- groups ---------------------------------------------------------------------------------------

def test_two_store_group_comparison():
    df = pd.DataFrame({
        "门店": ["县城店"] * 4 + ["乡镇店"] * 3,
        "Q1 服务": [5, 4, 4, 3, 2, 3, 1],
        "Q2 价格": [4, 4, 5, 5, 3, 2, 2],
        "Q3 送货": [5, 5, 4, 4, 1, 2, 3],
    }).astype(object)
    res = analyse_survey(df)
    long = res.groups["门店"]
    cell = long.set_index(["group", "figure"])
    items = ["Q1 服务", "Q2 价格", "Q3 送货"]
    for store, part in df.groupby("门店"):
        expected_scores = {c: ((part[c].astype(float) - 1) / 4 * 100).mean() for c in items}
        overall_scores = {c: ((df[c].astype(float) - 1) / 4 * 100).mean() for c in items}
        for c in items:
            assert cell.loc[(store, f"题目：{c}"), "value"] == pytest.approx(expected_scores[c])
            assert cell.loc[(store, f"题目：{c}"), "diff"] == pytest.approx(expected_scores[c] - overall_scores[c])
        assert cell.loc[(store, "样本量"), "value"] == len(part)
        assert cell.loc[(store, "综合满意度"), "value"] == pytest.approx(np.mean(list(expected_scores.values())))
        top2 = (part[items].astype(float) >= 4).to_numpy().mean()     # no overall item: pooled top-2-box
        assert cell.loc[(store, "CSAT（前两档占比）"), "value"] == pytest.approx(top2)
    assert any("乡镇店" in f for f in res.findings)


# ---- intervals, drivers, ACSI ---------------------------------------------------------------------

@pytest.mark.parametrize("k, n", [(0, 10), (3, 10), (10, 10), (144, 180), (1, 3), (57, 1000)])
def test_wilson_matches_statsmodels(k, n):
    sm = pytest.importorskip("statsmodels.stats.proportion")
    lo, hi = sm.proportion_confint(k, n, alpha=0.05, method="wilson")
    got = wilson_interval(k, n)
    assert float(got[0]) == pytest.approx(lo, abs=1e-12) and float(got[1]) == pytest.approx(hi, abs=1e-12)


def test_relative_weights_sum_to_ols_r2(ecsi):
    x = ecsi[[f"qual{i}" for i in range(1, 6)]].astype(float)
    y = ecsi["sat1"].astype(float)
    raw, r2 = relative_weights(x, y)
    design = np.column_stack([np.ones(len(x)), x.to_numpy()])
    beta, *_ = np.linalg.lstsq(design, y.to_numpy(), rcond=None)
    resid = y.to_numpy() - design @ beta
    ols_r2 = 1 - (resid ** 2).sum() / ((y - y.mean()) ** 2).sum()
    assert r2 == pytest.approx(ols_r2, abs=1e-9)
    assert raw.sum() == pytest.approx(ols_r2, abs=1e-9) and (raw > 0).all()


def test_acsi_index_with_stated_weights(ecsi):
    items = [ItemSpec(column=c, code=c, scale_min=0, scale_max=10) for c in ("sat1", "sat2", "sat3")]
    w = [0.5, 0.3, 0.2]
    got = acsi_index(ecsi, items, weights=w)["value"]
    means = ecsi[["sat1", "sat2", "sat3"]].mean()
    expected = sum(wi * m for wi, m in zip(w, means)) / sum(w) / 10 * 100   # min 0, max 10
    assert got == pytest.approx(expected)


def test_weighted_index_formula():
    assert weighted_index([80, 60, 90], [2, 1, 1]) == pytest.approx((160 + 60 + 90) / 4)
    assert weighted_index([80, None, 90]) == pytest.approx(85)


# ---- answers as labels, recognition of the bundled sample ------------------------------------------

def test_labels_digits_and_full_width_are_read():
    x, bad = to_scores(["非常满意", "满意", " 一般 ", "不满意", "非常不满意", "５", "4分", "滿意", "很好吃", 7, 3.5, None])
    assert list(x[:8]) == [5, 4, 3, 2, 1, 5, 4, 4]
    assert list(bad) == [False] * 8 + [True, True, True, False]
    rev, _ = to_scores([1, 5, 2], ItemSpec(None, "", reverse=True))
    assert list(rev) == [5, 1, 4]


def test_sample_survey_recognition_and_planted_invalids():
    from workbook_templates.samples.build_survey import build_answers, build_items

    df, items = build_answers(), build_items()
    # every planted flag excludes only when asked (by default only the 2/3 rule and duplicates do)
    res = analyse_survey(df, items_sheet=items, issued=360, exclude=("straightline", "speeding", "offscale"))
    s = res.spec
    assert [q.code for q in s.items] == [f"Q{i}" for i in range(1, 11)]
    assert s.items[0].weight == 0.15 and s.items[0].dimension == "产品"
    assert s.group_columns == ["门店", "性别", "年龄段"] and s.id_column == "答卷编号"
    assert s.overall.column == "总体满意度" and (s.recommend.scale_min, s.recommend.scale_max) == (0, 10)
    assert s.duration_column == "答题用时（秒）" and s.comments_column == "意见和建议"
    bad = res.quality[~res.quality["valid"]]
    ids = dict(zip(df.loc[bad.index, "答卷编号"], bad["reasons"]))
    planted = {"A0021": "不足", "A0122": "不足", "A0223": "不足", "A0046": "相同", "A0147": "相同",
               "A0068": "过短", "A0169": "过短", "A0270": "过短", "A0089": "超出", "A0190": "超出"}
    for key, word in planted.items():
        assert word in ids[key]
    assert list(bad.index[-2:]) == [300, 301] and all("重复" in ids_ for ids_ in bad["reasons"].iloc[-2:])
    assert len(bad) == 12
