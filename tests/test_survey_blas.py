"""The survey analysis runs its matrix products on one BLAS thread (udfs/score/survey/blas.py), and gives the
thread count back afterwards."""
from __future__ import annotations

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_info

import udfs.score.survey.analysis as analysis
from udfs.score.survey.blas import one_blas_thread


def _blas_threads() -> list[int]:
    return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]


def test_one_blas_thread_inside_and_restored_after():
    before = _blas_threads()
    assert before  # numpy's OpenBLAS is loaded, so the check below can fail
    with one_blas_thread():
        assert set(_blas_threads()) == {1}
    assert _blas_threads() == before


def test_analyse_survey_runs_on_one_blas_thread(monkeypatch):
    seen = []
    original = analysis.check_quality

    def spy(*args, **kwargs):
        seen.append(_blas_threads())
        return original(*args, **kwargs)

    monkeypatch.setattr(analysis, "check_quality", spy)
    rng = np.random.default_rng(5)
    df = pd.DataFrame({f"Q{j + 1}": rng.integers(1, 6, 80).astype(float) for j in range(6)})
    before = _blas_threads()
    res = analysis.analyse_survey(df, bootstrap=0)
    assert res.response["valid"] == 80
    assert seen and set(seen[0]) == {1}
    assert _blas_threads() == before
