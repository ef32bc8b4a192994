"""Group differences that are real: Welch t / two-proportion z against scipy, Holm against statsmodels, ★ only
on a planted difference, none on null data, no conclusion for small groups."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from udfs.score.survey import analyse_survey
from udfs.score.survey.groups import holm, wide_comparison


def _stores(n: int = 150, gap: float = 0.0, seed: int = 0) -> pd.DataFrame:
    """Two stores (县城店 / 乡镇店), 6 items on 1–5 and an overall item; 乡镇店 answers Q3 `gap` points lower."""
    rng = np.random.default_rng(seed)
    store = np.repeat(["县城店", "乡镇店"], n)
    theta = rng.normal(0, 1, 2 * n)
    df = pd.DataFrame({"门店": store})
    for j in range(1, 7):
        shift = np.where((store == "乡镇店") & (j == 3), -gap, 0.0)
        df[f"Q{j} 服务"] = np.clip(np.rint(3.6 + 0.7 * theta + shift + rng.normal(0, 0.8, 2 * n)), 1, 5)
    df["总体满意度"] = np.clip(np.rint(3.6 + 0.8 * theta + rng.normal(0, 0.6, 2 * n)), 1, 5)
    return df.astype(object)


def test_planted_difference_is_marked_and_nothing_else_is():
    df = _stores(gap=0.6, seed=11)
    long = analyse_survey(df, bootstrap=0).groups["门店"]
    sig = long[long["significant"]]
    assert "题目：Q3 服务" in set(sig["figure"])
    items = sig[sig["figure"].str.startswith("题目：")]
    assert set(items["figure"]) == {"题目：Q3 服务"}
    wide = wide_comparison(long).set_index("指标")
    assert wide.loc["题目：Q3 服务", "乡镇店 显著"].startswith("★")
    assert wide.loc["题目：Q1 服务", "乡镇店 显著"] == ""


@pytest.mark.parametrize("seed", [101, 202, 303])
def test_null_data_gets_no_marks(seed):
    long = analyse_survey(_stores(seed=seed), bootstrap=0).groups["门店"]
    assert long["p"].notna().any() and not long["significant"].any()


def test_p_values_equal_scipy_and_holm_equals_statsmodels():
    df = _stores(gap=0.3, seed=5)
    res = analyse_survey(df, bootstrap=0)
    long = res.groups["门店"].set_index(["group", "figure"])
    a = df[df["门店"] == "乡镇店"]
    b = df[df["门店"] == "县城店"]
    for j in range(1, 7):
        col = f"Q{j} 服务"
        expected = stats.ttest_ind((a[col].astype(float) - 1) / 4 * 100, (b[col].astype(float) - 1) / 4 * 100,
                                   equal_var=False).pvalue
        assert long.loc[("乡镇店", f"题目：{col}"), "p"] == pytest.approx(expected, rel=1e-9)
    top_a, top_b = int((a["总体满意度"].astype(float) >= 4).sum()), int((b["总体满意度"].astype(float) >= 4).sum())
    table = [[top_a, len(a) - top_a], [top_b, len(b) - top_b]]
    chi2 = stats.chi2_contingency(table, correction=False)[1]
    assert long.loc[("乡镇店", "CSAT（前两档占比）"), "p"] == pytest.approx(chi2, rel=1e-9)
    multitest = pytest.importorskip("statsmodels.stats.multitest")
    p = res.groups["门店"]["p"].to_numpy()
    ok = np.isfinite(p)
    assert holm(p)[ok] == pytest.approx(multitest.multipletests(p[ok], method="holm")[1], rel=1e-12)


def test_small_groups_get_figures_but_no_conclusion():
    df = _stores(n=60, gap=1.5, seed=8)
    df.loc[:9, "门店"] = "新店"                                    # 10 respondents
    long = analyse_survey(df, bootstrap=0, min_group=30).groups["门店"]
    small = long[long["group"] == "新店"]
    assert len(small) and small["p"].isna().all() and not small["significant"].any()
    assert small.set_index("figure").loc["样本量", "value"] == 10
    assert long[long["group"] == "乡镇店"]["significant"].any()     # the big gap still shows
