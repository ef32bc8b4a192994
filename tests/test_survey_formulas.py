"""Each KEHU_ survey formula, fed Excel-shaped ranges, gives the same figure as the report on the same data."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from udfs.formulas.survey import (KEHU_ALPHA, KEHU_CSAT, KEHU_DISTRIBUTION, KEHU_ITEMSCORE, KEHU_NPS, KEHU_SATINDEX,
                                  KEHU_TOPBOX, KEHU_VALID)
from udfs.score.survey import analyse_survey


def rng_(values) -> tuple:
    """A column as Excel hands it over: tuple of 1-tuples, blanks as None."""
    return tuple((None if v is None or (isinstance(v, float) and math.isnan(v)) else v,) for v in values)


def block(df: pd.DataFrame) -> tuple:
    return tuple(tuple(None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in row)
                 for row in df.itertuples(index=False, name=None))


@pytest.fixture(scope="module")
def sample():
    from workbook_templates.samples.build_survey import build_answers, build_items

    df = build_answers()
    # every planted problem excluded, so the answers fed to the formulas are the clean ones the report counts
    res = analyse_survey(df, items_sheet=build_items(), issued=360, exclude=("straightline", "speeding", "offscale"))
    return df, df[res.quality["valid"].to_numpy()], res


def test_csat_and_nps_match_report(sample):
    _df, valid, res = sample
    ind = res.indices.set_index("index")["value"]
    assert KEHU_CSAT(rng_(valid["总体满意度"])) == pytest.approx(ind["CSAT 满意率"])
    rec = rng_(valid["向朋友推荐的可能性（0-10）"])
    assert KEHU_NPS(rec) == pytest.approx(ind["NPS 净推荐值"])
    value, se, low, high, n = KEHU_NPS(rec, True)[0]
    x = pd.to_numeric(valid["向朋友推荐的可能性（0-10）"]).to_numpy()
    p, d = (x >= 9).mean(), (x <= 6).mean()
    assert se == pytest.approx(100 * np.sqrt((p + d - (p - d) ** 2) / len(x)))
    assert (low, high, n) == pytest.approx((res.indices.set_index("index").loc["NPS 净推荐值", "low"],
                                            res.indices.set_index("index").loc["NPS 净推荐值", "high"], len(x)))


def test_item_scores_topbox_and_index_match_report(sample):
    _df, valid, res = sample
    items = res.items.set_index("code")
    scores, weights = [], []
    for q in res.spec.items:
        col = rng_(valid[q.column])            # answers include level labels such as 满意
        assert KEHU_ITEMSCORE(col) == pytest.approx(items.loc[q.code, "score"])
        assert KEHU_TOPBOX(col) == pytest.approx(items.loc[q.code, "top2"])
        assert KEHU_TOPBOX(col, 1, 5, 2, True) == pytest.approx(items.loc[q.code, "bottom2"])
        scores.append(KEHU_ITEMSCORE(col))
        weights.append(q.weight)
    overall = res.dimensions.set_index("dimension").loc["综合满意度", "value"]
    assert KEHU_SATINDEX(rng_(scores), rng_(weights)) == pytest.approx(overall)
    # the level table 100/80/60/30/0 written best level first, as a row range
    level = analyse_survey(_df, res.spec, score_map="level", exclude=res.settings["exclude"]).items.set_index("code")
    q = res.spec.items[0]
    assert KEHU_ITEMSCORE(rng_(valid[q.column]), 1, 5, ((100, 80, 60, 30, 0),)) == pytest.approx(level.loc[q.code, "score"])
    assert KEHU_ITEMSCORE(rng_(valid[q.column]), 1, 5, "level") == pytest.approx(level.loc[q.code, "score"])


def test_alpha_matches_report(sample):
    _df, valid, res = sample
    rel = res.reliability.set_index("dimension")["alpha"]
    for dim in res.spec.dimensions():
        cols = [q.column for q in res.spec.items if q.dimension == dim]
        assert KEHU_ALPHA(block(valid[cols]), False, 1, 5) == pytest.approx(rel[dim])


def test_valid_matches_two_thirds_flag(sample):
    df, _valid, res = sample
    cols = [q.column for q in res.spec.scored()]
    got = [r[0] for r in KEHU_VALID(block(df[cols]))]
    # "有效 / reason" as the README says: the 2/3 rule decides, other problems are only flagged
    assert [not g.startswith("无效") for g in got] == list(~res.quality["TOO_FEW_ANSWERS"])
    assert [g for g in got if g.startswith("无效")] == ["无效：已答题目不足三分之二"] * 3


def test_distribution_matches_report(sample):
    _df, valid, res = sample
    q = res.spec.items[2]
    table = KEHU_DISTRIBUTION(rng_(valid[q.column]))
    assert table[0] == ["等级", "名称", "人数", "占比"]
    rep = res.levels[res.levels["code"] == q.code]
    assert [r[0] for r in table[1:]] == [1, 2, 3, 4, 5]
    assert [r[1] for r in table[1:]] == ["非常不满意", "不满意", "一般", "满意", "非常满意"]
    assert [r[2] for r in table[1:]] == list(rep["count"])
    assert [r[3] for r in table[1:]] == pytest.approx(list(rep["share"]))
    assert sum(r[2] for r in table[1:]) == res.items.set_index("code").loc[q.code, "n"]
