"""The engine's own normal, t and binomial functions (numpy only) against scipy."""
from __future__ import annotations

import numpy as np
import pytest

stats = pytest.importorskip("scipy.stats")

from udfs.score.survey.distributions import binom_two_sided_p, norm_cdf, norm_ppf, t_ppf, t_two_sided_p  # noqa: E402


@pytest.mark.parametrize("df", [1, 2.5, 7, 29.4, 298, 999.9, 1000, 5_000, 120_000, 1e9])
def test_t_two_sided_p_equals_scipy(df):
    t = np.array([0.0, 0.05, 0.7, 1.0, 1.96, 2.6, -3.3, 5.0, 12.0])
    assert t_two_sided_p(t, df) == pytest.approx(2 * stats.t.sf(np.abs(t), df), rel=1e-9, abs=1e-300)
    assert np.isnan(t_two_sided_p(np.nan, df)) and t_two_sided_p(np.inf, df) == 0


@pytest.mark.parametrize("df", [1, 4, 30, 299, 99_999])
@pytest.mark.parametrize("p", [0.6, 0.95, 0.975, 0.995])
def test_t_quantile_equals_scipy(df, p):
    assert t_ppf(p, df) == pytest.approx(stats.t.ppf(p, df), rel=1e-9)


def test_normal_functions_equal_scipy():
    x = np.linspace(-6, 6, 25)
    assert norm_cdf(x) == pytest.approx(stats.norm.cdf(x), rel=1e-12, abs=1e-300)
    assert norm_ppf(0.975) == pytest.approx(stats.norm.ppf(0.975), rel=1e-12)


@pytest.mark.parametrize("k,n,p", [(0, 5, 0.5), (38, 61, 0.5), (3, 40, 0.5), (120, 200, 0.5), (7, 20, 0.3)])
def test_exact_binomial_test_equals_scipy(k, n, p):
    assert binom_two_sided_p(k, n, p) == pytest.approx(stats.binomtest(k, n, p).pvalue, rel=1e-9)
