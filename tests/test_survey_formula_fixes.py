"""The survey formulas fixed: inferred scales, off-scale answers reported (never silently dropped), several-column
CSAT, KEHU_VALID's text, the NPS interval for one respondent, KEHU_SATMODEL, and the level score map's label."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from udfs.formulas.survey import (KEHU_CSAT, KEHU_DISTRIBUTION, KEHU_ITEMSCORE, KEHU_NPS, KEHU_SATMODEL, KEHU_TOPBOX,
                                  KEHU_VALID)
from udfs.score.survey import analyse_survey

DATA = Path(__file__).resolve().parent / "data"


def col(values) -> tuple:
    return tuple((None if v is None or (isinstance(v, float) and math.isnan(v)) else v,) for v in values)


def rows(df: pd.DataFrame, header: bool = False) -> tuple:
    body = [tuple(r) for r in df.itertuples(index=False, name=None)]
    return tuple(([tuple(df.columns)] if header else []) + body)


@pytest.fixture(scope="module")
def ecsi() -> pd.DataFrame:
    return pd.read_csv(DATA / "satisfaction.csv")


def test_csat_on_ten_point_answers_infers_the_scale_or_says_they_are_off(ecsi):
    x = ecsi["sat1"]
    assert KEHU_CSAT(col(x)) == pytest.approx((x >= 9).mean())           # 0–10 inferred: top two = 9, 10
    message = KEHU_CSAT(col(x), 1, 5)
    n_off = int(((x < 1) | (x > 5)).sum())
    assert isinstance(message, str) and f"有 {n_off} 个答案不在 1–5 分量表内" in message


def test_csat_on_several_columns_averages_respondents(ecsi):
    cols = ["sat1", "sat2", "sat3", "sat4"]
    got = KEHU_CSAT(rows(ecsi[cols]))
    assert got == pytest.approx((ecsi[cols] >= 9).mean(axis=1).mean())


def test_labels_on_a_ten_point_scale_and_zeros_on_one_to_ten_are_reported():
    answers = [8, 9, "满意", 10, 7, 0, 6]
    assert "1 个答案不在 0–10" in KEHU_CSAT(col(answers), 0, 10)
    assert "1 个答案不在 1–10" in KEHU_ITEMSCORE(col([1, 10, 0, 5]), 1, 10)
    assert KEHU_ITEMSCORE(col([1, 10, 5]), 1, 10) == pytest.approx(np.mean([0, 100, 4 / 9 * 100]))
    assert "1 个答案" in KEHU_TOPBOX(col([5, 4, 9]), 1, 5)
    table = KEHU_DISTRIBUTION(col([5, 4, 9, "很好吃"]), 1, 5)
    assert table[-1] == ["", "超出量表或无法识别", 2, ""] and sum(r[2] for r in table[1:-1]) == 2


def test_level_score_table_only_on_five_level_scales(ecsi):
    assert "5 级量表" in KEHU_ITEMSCORE(col(ecsi["sat1"]), 0, 10, "level")
    res = analyse_survey(ecsi[["sat1", "sat2", "sat3"]], score_map="level", bootstrap=0)
    assert "按线性计分" in res.settings["score_map_text"]
    assert res.items.set_index("code").loc["sat1", "score"] == pytest.approx(ecsi["sat1"].mean() * 10)


def test_valid_says_valid_or_the_reason():
    rng = np.random.default_rng(0)
    others = pd.DataFrame(rng.integers(1, 6, (60, 6)))                 # ordinary answers, so the 1–5 scale shows
    others.iloc[:, 0], others.iloc[:, 1] = 1, 5                          # (never the same answer throughout)
    answers = pd.concat([pd.DataFrame([[5, 4, 3, 4, 5, 4], [5, None, None, None, None, 4], [5, 5, 5, 5, 5, 5],
                                       [3, 3, 3, 3, 3, 3], [4, 9, 3, 4, 5, 4]]), others]).astype(object)
    got = [r[0] for r in KEHU_VALID(rows(answers))]
    assert set(got[5:]) == {"有效"}
    assert got[:5] == ["有效", "无效：已答题目不足三分之二", "有效（标记：所有题目答案相同（全部最高分））",
                   "有效（标记：所有题目答案相同）", "有效（标记：有答案超出量表或无法识别）"]


def test_nps_for_one_respondent_is_wide_and_the_method_can_be_chosen():
    value, se, low, high, n = KEHU_NPS(col([10]), True)[0]
    assert (value, n) == (100, 1) and low < 0 < high
    wald = KEHU_NPS(col([10]), True, "wald")[0]
    assert wald[2] == wald[3] == 100                                      # Wald collapses: why it is not the default
    assert "不在 0–10" in KEHU_NPS(col([10, 11]))


def test_satmodel_spills_the_index_table(ecsi):
    from udfs.score.survey import recognise_survey
    from udfs.score.survey.quality import answer_matrix
    from udfs.score.survey.satmodel import fit_satisfaction_model, plan_model

    items = [c for c in ecsi.columns if c not in ("id", "gender")]
    names = {"imag": "企业形象", "expe": "顾客预期", "qual": "感知质量", "val": "感知价值", "sat": "顾客满意", "loy": "顾客忠诚"}
    dims = [[names[c.rstrip("0123456789")] for c in items]]
    table = KEHU_SATMODEL(rows(ecsi[items], header=True), dims)
    assert table[0][:3] == ["构念", "题数", "指数(0–100)"] and [r[0] for r in table[1:7]] == list(names.values())
    spec = recognise_survey(ecsi)
    x, _ = answer_matrix(ecsi, spec)
    m = fit_satisfaction_model(x, plan_model(spec), bootstrap=0)
    assert [r[2] for r in table[1:7]] == pytest.approx(list(m.constructs["index"]), abs=1e-9)
    assert table[5][4] == pytest.approx(0.707, abs=5e-4)                 # R² of 顾客满意, as published
    assert table[-1][0] == "GoF" and table[-1][1] == pytest.approx(m.gof)
    bad = KEHU_SATMODEL(rows(ecsi[items[:3]], header=True), [["产品", "产品", "服务"]])
    assert "ECSI" in bad[0][0]


def test_readme_formula_table_lists_every_survey_formula():
    import re

    import udfs.formulas.survey as survey

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `=(KEHU_\w+)\(", readme, re.M))
    defined = {n for n in dir(survey) if n.startswith("KEHU_")}
    assert defined - {"KEHU_TOPBOX"} <= listed       # KEHU_TOPBOX is KEHU_CSAT's helper, shown by its help text
    row = re.search(r"^\| `=KEHU_VALID\(.*$", readme, re.M).group(0)
    assert "有效（标记：…）" in row and "无效：" in row  # the words KEHU_VALID really returns (tested above)
