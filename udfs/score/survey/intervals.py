"""Confidence intervals that match their statistic: Wilson / adjusted-Wald shares, NPS (Rocks 2016), respondent means, bootstrap."""
from __future__ import annotations

from typing import Any

import numpy as np

from udfs.score.survey.stats import wilson_interval, z_value

#: What each method is called in the report's notes.
METHOD_TEXT = {
    "wilson": "Wilson 区间",
    "adjusted-wald": "调整 Wald 区间",
    "wald": "Wald 区间",
    "t": "按受访者的 t 区间",
    "bootstrap": "自助法百分位区间",
}
SHARE_METHODS = ("wilson", "adjusted-wald", "wald", "bootstrap")
NPS_METHODS = ("adjusted-wald", "wald", "bootstrap")

#: Draws of the percentile bootstrap.
BOOTSTRAP_DRAWS = 2000


def proportion_interval(k: Any, n: Any, confidence: float = 0.95, method: str = "wilson") -> tuple[np.ndarray, np.ndarray]:
    """Interval for a share k/n: Wilson, adjusted Wald (Agresti–Coull: z²/2 successes and failures added) or Wald."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    if method == "wilson":
        return wilson_interval(k, n, confidence)
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "adjusted-wald":
            nt = n + z * z
            p = (k + z * z / 2) / nt
            half = z * np.sqrt(p * (1 - p) / nt)
        elif method == "wald":
            p = k / n
            half = z * np.sqrt(p * (1 - p) / n)
        else:
            raise ValueError(f"unknown interval method {method!r}")
        return np.clip(p - half, 0, 1), np.clip(p + half, 0, 1)


def nps_interval(promoters: int, detractors: int, n: int, confidence: float = 0.95,
                 method: str = "adjusted-wald") -> tuple[float, float]:
    """Interval for NPS in points. Adjusted Wald (Rocks 2016): ¾ added to promoters and to detractors, 3 to n;
    Wald: the plain trinomial standard error √((p + d − (p − d)²)/n)."""
    if n == 0:
        return float("nan"), float("nan")
    if method == "adjusted-wald":
        promoters, detractors, n = promoters + 0.75, detractors + 0.75, n + 3
    elif method != "wald":
        raise ValueError(f"unknown NPS interval method {method!r}")
    p, d = promoters / n, detractors / n
    se = np.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)
    z = z_value(confidence)
    return float(max(-1.0, p - d - z * se) * 100), float(min(1.0, p - d + z * se) * 100)


def mean_interval(values: Any, confidence: float = 0.95, bounds: tuple[float, float] | None = None) -> tuple[float, float]:
    """t interval for the mean of per-respondent values; fewer than two respondents give the whole range `bounds`."""
    from udfs.score.survey.distributions import t_ppf

    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if len(v) < 2:
        return bounds if bounds is not None else (float("nan"), float("nan"))
    m = float(v.mean())
    half = float(t_ppf(0.5 + confidence / 2, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v)))
    lo, hi = m - half, m + half
    if bounds is not None:
        lo, hi = max(bounds[0], lo), min(bounds[1], hi)
    return lo, hi


def bootstrap_mean_interval(values: Any, confidence: float = 0.95, draws: int = BOOTSTRAP_DRAWS,
                            seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap interval of a mean of per-respondent values (all draws as one count-matrix product)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    n = len(v)
    if n == 0:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    means = np.empty(draws)
    step = max(1, 2_000_000 // n)  # draws per block, so the index block stays ~16 MB
    for s in range(0, draws, step):
        idx = rng.integers(0, n, (min(step, draws - s), n))
        means[s:s + len(idx)] = v[idx].mean(axis=1)
    a = (1 - confidence) / 2
    return float(np.quantile(means, a)), float(np.quantile(means, 1 - a))


def share_interval(values: Any, confidence: float = 0.95, method: str = "wilson",
                   seed: int = 0) -> tuple[float, float]:
    """Interval for the mean of per-respondent shares: exact 0/1 values → the share methods; fractional
    shares (one respondent's top-box share over several items) → respondent t interval, since answers
    within a respondent are not independent. One respondent gives the share interval of n = 1 (wide)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if method == "bootstrap":
        return bootstrap_mean_interval(v, confidence, seed=seed)
    binary = np.isin(v, (0.0, 1.0)).all()
    if binary or len(v) < 2:
        lo, hi = proportion_interval(v.sum(), len(v), confidence, method)
        return float(lo), float(hi)
    return mean_interval(v, confidence, bounds=(0.0, 1.0))


def describe(method: str, binary: bool = True) -> str:
    """The method's name for the note beside an interval."""
    if not binary and method != "bootstrap":
        return METHOD_TEXT["t"]
    return METHOD_TEXT[method]
