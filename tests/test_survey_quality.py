"""Quality flags that do not bias: all-top answers kept and named, speeding and straight-lining only flagged,
duplicates and the 2/3 rule exclude; ECSI indices on all 250 respondents against pandas."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from udfs.score.survey import analyse_survey, recognise_survey

DATA = Path(__file__).resolve().parent / "data"
BLOCKS = {"imag": ("企业形象", 5), "expe": ("顾客预期", 5), "qual": ("感知质量", 5), "val": ("感知价值", 4),
          "sat": ("顾客满意", 4), "loy": ("顾客忠诚", 4)}


@pytest.fixture(scope="module")
def ecsi() -> pd.DataFrame:
    return pd.read_csv(DATA / "satisfaction.csv")


def items_sheet(with_text: bool = True) -> pd.DataFrame:
    """The 题目 sheet users write: 题目编号, 题目, 维度, 权重, 最小值, 最大值 (scale 0–10)."""
    rows = [(f"{b}{i}", f"{name}第{i}题", name, 1, 0, 10) for b, (name, k) in BLOCKS.items() for i in range(1, k + 1)]
    df = pd.DataFrame(rows, columns=["题目编号", "题目", "维度", "权重", "最小值", "最大值"])
    return df if with_text else df.drop(columns=["题目"])


def test_the_all_ten_respondent_is_kept_and_named(ecsi):
    items = [f"{b}{i}" for b, (_, k) in BLOCKS.items() for i in range(1, k + 1)]
    all_top = (ecsi[items] == 10).all(axis=1)
    assert all_top.sum() == 1                                   # the data has exactly one such respondent
    res = analyse_survey(ecsi, items_sheet=items_sheet())
    assert res.response["valid"] == 250 and res.response["invalid"] == 0
    row = res.quality[all_top.to_numpy()].iloc[0]
    assert row["valid"] and row["ALL_TOP"] and "全部最高分" in row["reasons"] and row["excluded_by"] is None
    assert any("全部最高分" in f and "仍计入" in f for f in res.findings)
    table = res.invalid_table()
    assert list(table["处理"]) == ["保留（仅标记）"]


def test_all_250_indices_equal_an_independent_pandas_computation(ecsi):
    res = analyse_survey(ecsi, items_sheet=items_sheet())
    score = ecsi.drop(columns=["id", "gender"]) / 10 * 100                        # 0–10 → 0–100
    dims = res.dimensions.set_index("dimension")["value"]
    for block, (name, k) in BLOCKS.items():
        cols = [f"{block}{i}" for i in range(1, k + 1)]
        assert dims[name] == pytest.approx(score[cols].mean().mean(), abs=1e-9)
    assert dims["综合满意度"] == pytest.approx(score.mean().mean(), abs=1e-9)
    items = res.items.set_index("code")
    assert list(items.loc[score.columns, "score"]) == pytest.approx(list(score.mean()), abs=1e-9)
    assert list(items.loc[score.columns, "top2"]) == pytest.approx(list((ecsi[score.columns] >= 9).mean()), abs=1e-9)
    # no overall item: CSAT is each respondent's top-2 share, averaged over respondents
    csat = res.indices.set_index("index").loc["CSAT 满意率", "value"]
    assert csat == pytest.approx((ecsi[score.columns] >= 9).mean(axis=1).mean(), abs=1e-9)
    # the dimensions are the ECSI constructs, so the report carries the path model
    assert res.model is not None and res.model.plan.kind == "ECSI" and res.model.n == 250


def test_excluding_straight_lining_on_request_reports_both_headlines(ecsi):
    res = analyse_survey(ecsi, items_sheet=items_sheet(), exclude="straightline")
    assert res.response["valid"] == 249 and res.response["invalid"] == 1
    ind = res.indices.set_index("index")["value"]
    score = ecsi.drop(columns=["id", "gender"]) / 10 * 100
    assert ind["综合满意度（含被排除问卷）"] == pytest.approx(score.mean().mean(), abs=1e-9)
    keep = ~(ecsi[score.columns] == 10).all(axis=1)
    assert ind["综合满意度（加权）"] == pytest.approx(score[keep].mean().mean(), abs=1e-9)
    assert ind["综合满意度（加权）"] < ind["综合满意度（含被排除问卷）"]              # dropping a delighted customer biases down
    assert any("排除后" in f and "含被排除问卷" in f for f in res.findings)


def test_question_text_column_beside_the_code_keeps_every_dimension(ecsi):
    with_text = analyse_survey(ecsi, items_sheet=items_sheet(True))
    without = analyse_survey(ecsi, items_sheet=items_sheet(False))
    assert {q.code: q.dimension for q in with_text.spec.items} == {q.code: q.dimension for q in without.spec.items}
    assert with_text.spec.items[0].text == "企业形象第1题"
    a = with_text.dimensions.set_index("dimension")["value"]
    b = without.dimensions.set_index("dimension")["value"]
    assert a.to_dict() == pytest.approx(b.to_dict())


def _survey(n: int = 60, seed: int = 3) -> pd.DataFrame:
    """A 1–5 survey with an id, a duration and 8 items; answers vary within each respondent."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(0, 1, n)
    df = pd.DataFrame({"编号": [f"K{i:03d}" for i in range(n)],
                       "用时（秒）": rng.integers(200, 600, n).astype(float)})
    for j in range(8):
        df[f"Q{j + 1} 服务"] = np.clip(np.rint(3.4 + theta + rng.normal(0, 0.9, n)), 1, 5)
    return df.astype(object)


def test_speeding_straight_lining_off_scale_flagged_not_excluded_by_default():
    df = _survey()
    df.loc[5, "用时（秒）"] = 20.0                               # far under a third of the median
    df.loc[7, [f"Q{j} 服务" for j in range(1, 9)]] = 3            # the same middle answer throughout
    df.loc[9, [f"Q{j} 服务" for j in range(1, 9)]] = 1            # all the lowest
    df.loc[11, "Q2 服务"] = 9                                    # off the 1–5 scale
    df.loc[12, "Q3 服务"] = "满意度很高"                         # unreadable
    df.loc[13] = df.loc[4]                                       # the same respondent again
    res = analyse_survey(df)
    q = res.quality
    assert q.loc[5, "TOO_FAST"] and q.loc[5, "valid"]
    assert q.loc[7, "STRAIGHT_LINING"] and q.loc[7, "valid"] and q.loc[9, "ALL_BOTTOM"] and "全部最低分" in q.loc[9, "reasons"]
    assert q.loc[11, "OUT_OF_RANGE"] and q.loc[11, "valid"] and q.loc[11, "off_scale"] == 1
    assert q.loc[13, "DUPLICATE"] and not q.loc[13, "valid"]
    assert res.response["invalid"] == 1
    extra = q.index[q["flagged"]].difference([5, 7, 9, 11, 12, 13])
    assert (q.loc[extra, "ALL_TOP"] | q.loc[extra, "ALL_BOTTOM"]).all()   # generated delighted customers, kept
    assert res.response["flagged"] == 6 + len(extra) and q.loc[extra, "valid"].all()
    assert res.off_scale["Q2 服务"] == 1 and res.off_scale["Q3 服务"] == 1
    assert any("2 个答案超出量表" in f for f in res.findings)
    strict = analyse_survey(df, exclude=["straightline", "speeding", "offscale"])
    assert set(strict.quality.index[~strict.quality["valid"]]) == {5, 7, 9, 11, 12, 13} | set(extra)


def test_unknown_exclusion_is_a_clear_error():
    from udfs.score.survey import SurveyInputError

    with pytest.raises(SurveyInputError) as e:
        analyse_survey(_survey(), exclude="fast")
    assert "straightline" in e.value.zh


def test_cli_exclude_option(tmp_path):
    from addin.commands.survey import run_survey

    sample = Path(__file__).resolve().parents[1] / "workbook_templates" / "samples" / "sample_survey.xlsx"
    s = run_survey(sample, tmp_path / "out.xlsx", quiet=True, exclude="straightline,speeding,offscale")
    assert s["response"]["invalid"] == 12 and s["response"]["flagged"] == 12


def test_extremes_never_split_tied_respondents():
    from udfs.score.survey.extremes import extreme_flags

    scores = pd.Series([50.0, 60, 60, 60, 70, 80, 90, 90, 90, 100])
    flags = extreme_flags(scores, 0.2)                           # 2 a side, but ties at 60 and 90 come along
    assert list(flags[flags == "最不满意"].index) == [0, 1, 2, 3]
    assert list(flags[flags == "最满意"].index) == [6, 7, 8, 9]
    same = extreme_flags(pd.Series([5.0] * 10), 0.2)
    assert same.isna().all()                                     # all tied: nobody is more satisfied than another


@pytest.mark.parametrize("option", [{"exclude": "fast"}, {"interval": "exact"}, {"scheme": "ols"}])
def test_bad_survey_options_are_usage_errors_in_both_languages(tmp_path, option):
    from addin.commands.survey import run_survey
    from addin.errors import ExitCode, KehuError

    sample = Path(__file__).resolve().parents[1] / "workbook_templates" / "samples" / "sample_survey.xlsx"
    with pytest.raises(KehuError) as e:
        run_survey(sample, tmp_path / "out.xlsx", quiet=True, **option)
    assert e.value.code == ExitCode.USAGE and e.value.zh and e.value.en
    assert not (tmp_path / "out.xlsx").exists()
