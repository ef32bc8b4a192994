"""Recognition judges each column by its distinct answers weighted by their counts (`AnswerCounts`); the verdicts must
be those of judging every cell, as the reader used to. The cell-by-cell reference below is the former code. Checked on
answers typed every way respondents type them, on every column of the public corpus workbooks, the ECSI data, the
sample survey and the benchmark's sheet."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from udfs.score.survey.items import ItemSpec, recognise_survey, to_scores
from udfs.score.survey.scales import (FIVE_LEVEL_LABELS, STANDARD_SCALES, VERSUS_LABELS, _NUMBER, AnswerCounts,
                                      _mostly_level_labels, _mostly_versus_labels, _norm, _scale_fit, _simplified)

HERE = Path(__file__).resolve().parent


# --- the cell-by-cell reference (the code before AnswerCounts) ---------------------------------------------------
def ref_scale_fit(values: pd.Series, min_distinct: int = 2):
    s = values.dropna()
    if len(s) == 0:
        return None
    probe = ItemSpec(column=None, code="", scale_min=0, scale_max=10)
    x, bad = to_scores(s, probe)
    if x.isna().any():
        lab, _ = to_scores(s[x.isna()], ItemSpec(column=None, code=""))
        x = x.fillna(lab)
        bad = bad & x.isna()
    x_all = pd.to_numeric(s, errors="coerce")
    readable = x.notna()
    if readable.mean() < 0.9 or x[readable].nunique() < min_distinct:
        off_scale_numbers = bad & x_all.notna()
        if (readable | off_scale_numbers).mean() < 0.9 or x[readable].nunique() < min_distinct:
            return None
    xv = x[readable].to_numpy()
    for lo, hi in STANDARD_SCALES:
        if ((xv >= lo) & (xv <= hi)).sum() >= 0.98 * len(s):
            return (lo, hi)
    return None


def ref_level_labels(values: pd.Series) -> bool:
    s = values.dropna()
    if len(s) == 0 or s.nunique() > 30:
        return False
    uniq = {v: _simplified(_norm(v)) in FIVE_LEVEL_LABELS for v in pd.unique(s.astype(str))}
    return s.astype(str).map(uniq).mean() >= 0.9


def ref_versus_labels(values: pd.Series) -> bool:
    s = values.dropna()
    if len(s) == 0:
        return False
    counts = s.astype(str).value_counts()
    if len(counts) > 20 or not any(not _NUMBER.fullmatch(v) for v in counts.index):
        return False
    kinds = pd.Series([VERSUS_LABELS.get(_simplified(_norm(v))) for v in counts.index], index=counts.index)
    share = counts[kinds.notna().to_numpy()].sum() / counts.sum()
    return share >= 0.8 and kinds.isin(["better", "worse"]).any()


def ref_text_share(values: pd.Series) -> float:
    return values.map(lambda v: isinstance(v, str)).mean()


def same_verdicts(col: pd.Series, where: str) -> None:
    a = AnswerCounts.of(col)
    for k in (1, 2):
        assert _scale_fit(a, k) == ref_scale_fit(col, k), (where, k)
    assert _mostly_level_labels(a) == ref_level_labels(col), where
    assert _mostly_versus_labels(a) == ref_versus_labels(col), where
    if len(col):
        assert a.counts[a.texts()].sum() / a.rows == ref_text_share(col), where


# --- answers typed every way -----------------------------------------------------------------------------------------
TYPED = [1, 2, 3, 4, 5, 1.0, 5.0, True, "3", "４", "4分", " 5 ", "满意", "非常满意", "一般", "不满意", "非常不满意", "滿意",
         "很好", 9, 0, 3.5, -1, -0.0, 0.0, 1e-5, "N/A", "", None, np.nan, 7, 10, "10", "好", dt.datetime(2024, 3, 4),
         dt.date(2024, 3, 4), "更好", "差不多", "更差", "好一些", "better"]


@pytest.mark.parametrize("seed", range(40))
def test_counts_give_the_cell_by_cell_verdicts_on_typed_answers(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 300))
    # a few of the typed values, one of them dominant, so that every verdict comes out both ways over the seeds
    pool = np.array(TYPED, dtype=object)[rng.choice(len(TYPED), int(rng.integers(1, 12)), replace=False)]
    p = rng.dirichlet(np.full(len(pool), 0.3))
    col = pd.Series(rng.choice(pool, n, p=p), dtype=object)
    same_verdicts(col, f"seed {seed}")


def test_the_typed_answers_reach_every_verdict():
    """The seeds above are only a check if the verdicts they compare take both values."""
    seen = {"fit": set(), "level": set(), "versus": set()}
    for seed in range(40):
        rng = np.random.default_rng(seed)
        n = int(rng.integers(1, 300))
        pool = np.array(TYPED, dtype=object)[rng.choice(len(TYPED), int(rng.integers(1, 12)), replace=False)]
        col = pd.Series(rng.choice(pool, n, p=rng.dirichlet(np.full(len(pool), 0.3))), dtype=object)
        seen["fit"].add(ref_scale_fit(col, 1) is None)
        seen["level"].add(ref_level_labels(col))
        seen["versus"].add(ref_versus_labels(col))
    assert all(v == {True, False} for v in seen.values()), seen


@pytest.mark.parametrize("make", [
    lambda: pd.Series(np.arange(50) % 5 + 1.0),                                   # a float column
    lambda: pd.Series(np.arange(50) % 7 + 1),                                     # an int column
    lambda: pd.Series(np.arange(50) % 2 == 0),                                    # a bool column
    lambda: pd.Series(pd.date_range("2024-01-01", periods=50)),                   # dates
    lambda: pd.Series(["满意", "一般", None] * 20, dtype="str"),                   # pandas text (Arrow) column
    lambda: pd.Series(["更好", "差不多", "更差", None] * 10, dtype="str"),
    lambda: pd.Series(["1", 1, 1.0, True, "2", 2] * 10, dtype=object),           # equal values, different texts
    lambda: pd.Series([None] * 10, dtype=object),
    lambda: pd.Series([], dtype=object),
])
def test_counts_give_the_cell_by_cell_verdicts_on_every_dtype(make):
    same_verdicts(make(), "dtype")


# --- real sheets -----------------------------------------------------------------------------------------------------
def _sheets_of(path: Path):
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception:
        return
    for name in book.sheet_names:
        try:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception:
            continue
        if len(rows) < 2:
            continue
        width = max(len(r) for r in rows)
        body = [[None if v == "" else v for v in r] + [None] * (width - len(r)) for r in rows[1:]]
        yield name, pd.DataFrame(body, dtype=object)


def test_counts_give_the_cell_by_cell_verdicts_on_the_corpus_workbooks():
    files = sorted((HERE / "data" / "corpus").iterdir())
    columns = 0
    for path in files:
        for name, frame in _sheets_of(path):
            for j in range(frame.shape[1]):
                same_verdicts(frame.iloc[:, j], f"{path.name}!{name} column {j}")
                columns += 1
    assert columns > 300  # the corpus was read, not skipped


def test_counts_give_the_cell_by_cell_verdicts_on_survey_sheets():
    import sys

    sys.path.insert(0, str(HERE.parent / "benchmarks"))
    from bench_survey import make_sheet

    frames = [pd.read_csv(HERE / "data" / "satisfaction.csv", dtype=object), make_sheet(3000, seed=3)]
    frames += [f for _, f in _sheets_of(HERE.parent / "workbook_templates" / "samples" / "sample_survey.xlsx")]
    for frame in frames:
        sample = frame.iloc[:: max(1, len(frame) // 2000)]
        for j in range(frame.shape[1]):
            same_verdicts(sample.iloc[:, j], f"column {frame.columns[j]}")


def test_recognition_finds_the_benchmark_sheets_items():
    import sys

    sys.path.insert(0, str(HERE.parent / "benchmarks"))
    from bench_survey import make_sheet

    spec = recognise_survey(make_sheet(5000, seed=1))
    assert [q.code for q in spec.items] == [f"{['产品', '服务', '物流', '沟通', '价格'][j % 5]}-Q{j + 1}" for j in range(30)]
    assert {(q.scale_min, q.scale_max) for q in spec.items} == {(1, 5)}
    assert spec.overall.code == "总体满意度" and spec.recommend.code == "推荐意愿（0-10）"
    assert spec.group_columns == ["门店", "性别", "年龄段"] and spec.id_column == "答卷编号"
    assert spec.duration_column == "用时（秒）" and spec.comments_column == "意见"
