"""The few distribution functions the survey statistics need (normal, Student t, binomial), on numpy and math.

Written here rather than taken from scipy so the engine stays light: the single-file executable and
xlwings Lite carry no scipy. The tests check every function against scipy.
"""
from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

import numpy as np

_erfc = np.vectorize(math.erfc, otypes=[float])


def norm_cdf(x: Any) -> np.ndarray:
    """Standard normal distribution function Φ(x) (vectorised)."""
    return 0.5 * _erfc(-np.asarray(x, dtype=float) / math.sqrt(2))


def norm_ppf(p: float) -> float:
    """Standard normal quantile Φ⁻¹(p)."""
    return NormalDist().inv_cdf(p)


def _betainc(a: np.ndarray, b: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Regularised incomplete beta I_x(a, b) by its continued fraction (modified Lentz), vectorised."""
    a, b, x = np.broadcast_arrays(np.asarray(a, float), np.asarray(b, float), np.asarray(x, float))
    out = np.full(x.shape, np.nan)
    out[x <= 0] = 0.0
    out[x >= 1] = 1.0
    inside = (x > 0) & (x < 1)
    if not inside.any():
        return out
    a_, b_, x_ = a[inside], b[inside], x[inside]
    # the fraction converges fast for x < (a + 1)/(a + b + 2); beyond, use I_x(a, b) = 1 − I_{1−x}(b, a)
    flip = x_ > (a_ + 1) / (a_ + b_ + 2)
    a2, b2, x2 = np.where(flip, b_, a_), np.where(flip, a_, b_), np.where(flip, 1 - x_, x_)
    lg = np.vectorize(math.lgamma, otypes=[float])
    front = np.exp(lg(a2 + b2) - lg(a2) - lg(b2) + a2 * np.log(x2) + b2 * np.log1p(-x2)) / a2
    tiny = 1e-300
    f, c, d = np.ones_like(x2), np.ones_like(x2), np.zeros_like(x2)
    d = 1 - (a2 + b2) * x2 / (a2 + 1)
    d = 1 / np.where(np.abs(d) < tiny, tiny, d)
    f = d.copy()
    for m in range(1, 5000):
        for even in (True, False):
            if even:
                num = m * (b2 - m) * x2 / ((a2 + 2 * m - 1) * (a2 + 2 * m))
            else:
                num = -(a2 + m) * (a2 + b2 + m) * x2 / ((a2 + 2 * m) * (a2 + 2 * m + 1))
            d = 1 + num * d
            d = 1 / np.where(np.abs(d) < tiny, tiny, d)
            c = 1 + num / c
            c = np.where(np.abs(c) < tiny, tiny, c)
            step = c * d
            f = f * step
        if not np.any(np.abs(step - 1) >= 1e-15):  # NaN never holds the loop
            break
    value = front * f
    out[inside] = np.where(flip, 1 - value, value)
    return out


#: From this many degrees of freedom on, Hill's expansion (relative error < 2e-10) replaces the continued
#: fraction, which needs thousands of steps there (survey groups have tens of thousands of respondents).
HILL_FROM_DF = 1000


def _t_two_sided_hill(t: np.ndarray, df: np.ndarray) -> np.ndarray:
    """Hill (1970), Algorithm 395: the t tail through a normal deviate, for large df."""
    a = df - 0.5
    b = 48 * a * a
    y = a * np.log1p(t * t / df)
    y = (((((-0.4 * y - 3.3) * y - 24) * y - 85.5) / (0.8 * y * y + 100 + b) + y + 3) / b + 1) * np.sqrt(y)
    return 2 * norm_cdf(-y)


def t_two_sided_p(t: Any, df: Any) -> np.ndarray:
    """P(|T| ≥ |t|) for Student's t with `df` degrees of freedom (vectorised; NaN stays NaN)."""
    t, df = np.broadcast_arrays(np.asarray(t, float), np.asarray(df, float))
    out = np.full(t.shape, np.nan)
    ok = np.isfinite(t) & np.isfinite(df) & (df > 0)
    large = ok & (df >= HILL_FROM_DF)
    small = ok & ~large
    out[large] = _t_two_sided_hill(t[large], df[large])
    out[small] = _betainc(df[small] / 2, 0.5, df[small] / (df[small] + t[small] ** 2))
    big = np.isinf(t) & np.isfinite(df)
    out[big] = 0.0
    return out


def t_ppf(p: float, df: float) -> float:
    """Student t quantile: Newton's method from the normal quantile on the t distribution function."""
    if not 0 < p < 1 or df <= 0:
        return float("nan")
    if p == 0.5:
        return 0.0
    t = norm_ppf(p)
    log_c = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    for _ in range(50):
        tail = 0.5 * float(t_two_sided_p(t, df))
        cdf = 1 - tail if t > 0 else tail
        pdf = math.exp(log_c - (df + 1) / 2 * math.log1p(t * t / df))
        step = (cdf - p) / pdf
        t -= step
        if abs(step) < 1e-12 * max(1.0, abs(t)):
            break
    return t


def binom_two_sided_p(k: int, n: int, p: float = 0.5) -> float:
    """Exact two-sided binomial test: the probability of every count no more likely than `k` (as scipy's binomtest)."""
    if n == 0:
        return 1.0
    i = np.arange(n + 1)
    log_fact = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, n + 1)))])
    log_pmf = log_fact[n] - log_fact[i] - log_fact[n - i] + i * math.log(p) + (n - i) * math.log1p(-p)
    pmf = np.exp(log_pmf)
    return float(min(1.0, pmf[pmf <= pmf[k] * (1 + 1e-7)].sum()))
