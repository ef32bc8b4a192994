"""Survey answers joined to register customers are scored as the survey job scores them: a survey answered in
level words (满意 / 一般 …, as most paper and WeChat questionnaires are) must not come out blank.

The expected means are computed here with pandas and an explicit word → level table (the usual five-level
wording of Chinese satisfaction questionnaires), not by kehu."""
from __future__ import annotations

import numpy as np
import pandas as pd

from addin.jobs.customers import satisfaction_by_customer
from addin.read import read_table

LEVELS = {"非常满意": 5, "满意": 4, "一般": 3, "不满意": 2, "非常不满意": 1}


def _survey(tmp_path, seed: int):
    rng = np.random.default_rng(seed)
    ids = [f"C{n:04d}" for n in rng.integers(1, 60, 150)]
    words = list(LEVELS)
    frame = pd.DataFrame({"客户编号": ids,
                          "总体满意度": [words[k] for k in rng.integers(0, 5, 150)],
                          "门店": rng.choice(["南京西路店", "徐家汇店"], 150)})
    path = tmp_path / "满意度.xlsx"
    frame.to_excel(path, index=False)
    return path, frame


def test_label_answers_become_their_levels_per_customer(tmp_path):
    path, frame = _survey(tmp_path, seed=41)
    register_ids = pd.Series([f"C{n:04d}" for n in range(1, 80)], dtype=object)
    got, note = satisfaction_by_customer(read_table(path, kind="survey"), register_ids)
    expect = frame.assign(x=frame["总体满意度"].map(LEVELS)).groupby("客户编号")["x"].mean()
    want = register_ids.map(expect).to_numpy(dtype=float)
    assert np.isfinite(got).sum() == expect.index.isin(register_ids).sum() > 0
    assert np.allclose(got.to_numpy(dtype=float), want, equal_nan=True)
    assert f"关联到客户表 {int(np.isfinite(want).sum())} 位" in note


def test_numeric_answers_keep_their_values(tmp_path):
    rng = np.random.default_rng(7)
    frame = pd.DataFrame({"客户编号": [f"K{n}" for n in rng.integers(0, 30, 90)],
                          "总体满意度": rng.integers(1, 6, 90)})
    path = tmp_path / "s.xlsx"
    frame.to_excel(path, index=False)
    register_ids = pd.Series([f"K{n}" for n in range(40)], dtype=object)
    got, _ = satisfaction_by_customer(read_table(path, kind="survey"), register_ids)
    want = register_ids.map(frame.groupby("客户编号")["总体满意度"].mean()).to_numpy(dtype=float)
    assert np.allclose(got.to_numpy(dtype=float), want, equal_nan=True)
