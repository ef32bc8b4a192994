"""Segment rules: the defaults cover all 125 score combinations exactly once; user rules are checked and loaded."""
from __future__ import annotations

import csv
import itertools

import pandas as pd
import pytest

from udfs.errors import InputProblem
from udfs.score.segment import assign_segments, default_rules, load_rules
from udfs.score.segment.segments import DEFAULT_RULES_PATH

ELEVEN = ["Champions", "Loyal Customers", "Potential Loyalist", "New Customers", "Promising", "Need Attention",
          "About To Sleep", "At Risk", "Can't Lose Them", "Hibernating", "Lost"]


def _boxes():
    with open(DEFAULT_RULES_PATH, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_default_rules_cover_each_of_125_combinations_exactly_once():
    # Independent of the loader: read the CSV with the csv module and count the boxes holding each cell.
    boxes = _boxes()
    for r, f, m in itertools.product(range(1, 6), repeat=3):
        holding = [b["Segment"] for b in boxes
                   if int(b["R最低"]) <= r <= int(b["R最高"]) and int(b["F最低"]) <= f <= int(b["F最高"])
                   and int(b["M最低"]) <= m <= int(b["M最高"])]
        assert len(holding) == 1, (r, f, m, holding)


def test_default_rules_name_the_eleven_segments_in_chinese_and_english():
    rules = default_rules()
    assert rules.segments["Segment"].tolist() == ELEVEN
    assert rules.segments["细分"].str.match(r"^[\u4e00-\u9fff]+$").all()
    assert rules.segments["细分"].nunique() == 11


def test_assign_segments_on_every_combination_agrees_with_the_boxes():
    cells = list(itertools.product(range(1, 6), repeat=3))
    r, f, m = zip(*cells)
    got = assign_segments(r, f, m)["Segment"].tolist()
    boxes = _boxes()
    expected = [next(b["Segment"] for b in boxes if int(b["R最低"]) <= a <= int(b["R最高"])
                     and int(b["F最低"]) <= c <= int(b["F最高"]) and int(b["M最低"]) <= d <= int(b["M最高"]))
                for a, c, d in cells]
    assert got == expected
    assert pd.Series(got).value_counts().sum() == 125 and set(got) == set(ELEVEN)


@pytest.mark.parametrize("rfm,segment", [((5, 5, 5), "Champions"), ((1, 1, 1), "Lost"), ((5, 1, 3), "New Customers"),
                                         ((4, 1, 1), "Promising"), ((1, 5, 5), "Can't Lose Them"),
                                         ((2, 5, 1), "At Risk"), ((3, 3, 3), "Need Attention"), ((2, 1, 5), "Hibernating")])
def test_landmark_cells(rfm, segment):
    assert assign_segments(*[[v] for v in rfm])["Segment"][0] == segment


def test_missing_or_out_of_range_scores_give_no_segment():
    out = assign_segments([5, None, 6], [5, 5, 5], [5, 5, 5])
    assert out["细分"][0] == "冠军客户"
    assert pd.isna(out["细分"][1]) and pd.isna(out["细分"][2])


def _rules_frame():
    return pd.read_csv(DEFAULT_RULES_PATH, dtype=str, keep_default_na=False)


def test_a_gap_is_reported_with_the_missing_codes():
    t = _rules_frame()
    t = t[t["Segment"] != "New Customers"]  # R5 F1 M1-5
    with pytest.raises(InputProblem) as e:
        load_rules(t)
    assert "511" in e.value.zh and "515" in e.value.zh and "missing" in e.value.en


def test_an_overlap_is_reported():
    t = _rules_frame()
    t.loc[len(t)] = ["新规则", "Extra", "1", "1", "1", "1", "1", "1", "", "", ""]
    with pytest.raises(InputProblem) as e:
        load_rules(t)
    assert "111" in e.value.zh and "重复" in e.value.zh


def test_bad_bounds_are_reported_with_the_row():
    t = _rules_frame()
    t.loc[0, "R最低"] = "六"
    with pytest.raises(InputProblem) as e:
        load_rules(t)
    assert "第 2 行" in e.value.zh


def test_user_rules_from_csv_and_workbook_with_english_headers(tmp_path):
    # A two-segment scheme: recent (R 4-5) vs the rest; English headers; types given.
    t = pd.DataFrame({"segment": ["Active", "Dormant"], "r_min": [4, 1], "r_max": [5, 3], "f_min": [1, 1],
                      "f_max": [5, 5], "m_min": [1, 1], "m_max": [5, 5], "type": ["忠诚客户", ""]})
    csv_path = tmp_path / "rules.csv"
    t.to_csv(csv_path, index=False)
    xlsx = tmp_path / "rules.xlsx"
    with pd.ExcelWriter(xlsx) as w:
        pd.DataFrame({"x": [1]}).to_excel(w, sheet_name="其他", index=False)
        t.to_excel(w, sheet_name="细分规则", index=False)
    for source in (csv_path, xlsx):
        rules = load_rules(source)
        assert rules.segments["Segment"].tolist() == ["Active", "Dormant"]
        assert rules.segments["客户类型"].tolist() == ["忠诚客户", "边缘客户"]  # blank type → 边缘客户
        assert assign_segments([5, 3], [1, 1], [1, 1], rules)["Segment"].tolist() == ["Active", "Dormant"]
