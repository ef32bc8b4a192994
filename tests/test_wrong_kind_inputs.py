"""A sheet of the wrong kind, or odd cells in a scored column, gives a clear answer, never a crash."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from udfs.recognise import role_from_header
from udfs.score.survey.items import to_scores

SAMPLES = Path(__file__).resolve().parents[1] / "workbook_templates" / "samples"


def test_survey_command_on_a_register_says_no_items(cli, tmp_path):
    code, _out, err = cli("survey", SAMPLES / "sample_register.xlsx", "-o", tmp_path / "o.xlsx")
    assert code == 4 and err.startswith("错误：没有找到量表题") and "Traceback" not in err
    assert not (tmp_path / "o.xlsx").exists()


def test_scores_from_a_column_with_dates_and_labels():
    scores, bad = to_scores(pd.Series([dt.date(2024, 1, 1), "满意", 3, None, "说不清楚啊"], dtype=object))
    assert scores.tolist()[1:3] == [4.0, 3.0]
    assert bad.tolist() == [True, False, False, False, True]


def test_age_band_is_not_an_age():
    assert role_from_header("年龄段")[0] == "age_band"
    assert role_from_header("年龄")[0] == "age"
