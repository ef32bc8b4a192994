"""BG/NBD churn model (Fader, Hardie & Lee 2005, "Counting your customers the easy way").

Per customer: x = repeat purchases, t_x = time of the last purchase, T = time since the first, all counted
from the first purchase in one time unit (weeks here). The likelihood is the paper's equation (6); the
conditional expectation is its equation (10), whose Gauss hypergeometric function comes from scipy.special.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import betaln, digamma, gammaln, hyp2f1


@dataclass(frozen=True)
class BgNbd:
    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    customers: int

    def describe(self) -> str:
        return (f"BG/NBD（Fader-Hardie-Lee 2005）极大似然拟合：r={self.r:.3f}，α={self.alpha:.3f}，"
                f"a={self.a:.3f}，b={self.b:.3f}（{self.customers} 位客户）")


def _columns(x: Any, t_x: Any, T: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, t_x, T = (np.asarray(v, dtype="float64") for v in (x, t_x, T))
    if not (x.shape == t_x.shape == T.shape):
        raise ValueError("x, t_x and T must have the same length")
    return x, t_x, T


def log_likelihood_terms(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    """ln L_i of each customer (FHL 2005 eq. 6), written in logs so large x and T do not overflow."""
    r, alpha, a, b = params
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = betaln(a, b + x) - betaln(a, b)
    a3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + t_x), -np.inf)
    return a1 + a2 + np.logaddexp(a3, a4)


def log_likelihood_gradient(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray,
                            weights: np.ndarray) -> tuple[float, np.ndarray]:
    """Σ w·ln L and its gradient in (r, α, a, b), differentiated by hand from eq. (6) (digamma for the Γ terms)."""
    r, alpha, a, b = params
    a3 = -(r + x) * np.log(alpha + T)
    rep = x > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(rep, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + t_x), -np.inf)
    mix = np.logaddexp(a3, a4)
    w3, w4 = np.exp(a3 - mix), np.exp(a4 - mix)   # the two terms' shares of L_i's bracket
    ll = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + betaln(a, b + x) - betaln(a, b) + mix
    psi_abx, psi_ab = digamma(a + b + x), digamma(a + b)
    d_r = digamma(r + x) - digamma(r) + np.log(alpha) - w3 * np.log(alpha + T) - w4 * np.log(alpha + t_x)
    d_alpha = r / alpha - w3 * (r + x) / (alpha + T) - w4 * (r + x) / (alpha + t_x)
    d_a = psi_ab - psi_abx + w4 / a
    with np.errstate(divide="ignore", invalid="ignore"):
        d_b = digamma(b + x) - digamma(b) + psi_ab - psi_abx - np.where(rep, w4 / (b + x - 1), 0.0)
    grad = np.array([np.dot(weights, g) for g in (d_r, d_alpha, d_a, d_b)])
    return float(np.dot(weights, ll)), grad


def fit_bgnbd(x: Any, t_x: Any, T: Any) -> BgNbd:
    """Maximum-likelihood r, α, a, b. Identical (x, t_x, T) triples are counted once with a weight."""
    x, t_x, T = _columns(x, t_x, T)
    ok = np.isfinite(x) & np.isfinite(t_x) & np.isfinite(T) & (T > 0) & (x >= 0)
    triples = pd.DataFrame({"x": x[ok], "t": t_x[ok], "T": T[ok]}).value_counts().reset_index()
    ux, ut, uT, w = (triples[c].to_numpy(dtype="float64") for c in ("x", "t", "T", "count"))
    if len(ux) == 0:
        raise ValueError("no customer with a first purchase before the analysis date")
    scale = max(float(np.mean(uT)), 1e-9)  # α is a time scale: start it near the data's own

    def nll(log_params: np.ndarray) -> tuple[float, np.ndarray]:
        params = np.exp(log_params)
        value, grad = log_likelihood_gradient(params, ux, ut, uT, w)
        if not np.isfinite(value):
            return 1e300, np.zeros(4)
        return -value, -grad * params   # chain rule for the log parameters

    start = np.log([1.0, scale, 1.0, 1.0])
    # Quasi-Newton with the exact gradient, on log parameters (so they stay positive): a few dozen likelihood
    # evaluations where a simplex needs over a thousand, which matters with 50,000 distinct customers.
    best = minimize(nll, start, jac=True, method="L-BFGS-B", options={"ftol": 1e-14, "gtol": 1e-9, "maxiter": 500})
    r, alpha, a, b = np.exp(best.x)
    return BgNbd(float(r), float(alpha), float(a), float(b), -float(best.fun), int(ok.sum()))


def probability_alive(model: BgNbd, x: Any, t_x: Any, T: Any) -> np.ndarray:
    """P(still active | x, t_x, T) — FHL 2005 eq. (11)'s denominator form; 1 for customers with no repeat."""
    x, t_x, T = _columns(x, t_x, T)
    r, alpha, a, b = model.r, model.alpha, model.a, model.b
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_ratio = np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
        p = np.where(x > 0, 1.0 / (1.0 + np.exp(log_ratio)), 1.0)
    return p


def expected_purchases(model: BgNbd, t: float, x: Any, t_x: Any, T: Any) -> np.ndarray:
    """E[purchases in the next t units | x, t_x, T] — FHL 2005 eq. (10)."""
    x, t_x, T = _columns(x, t_x, T)
    r, alpha, a, b = model.r, model.alpha, model.a, model.b
    z = t / (alpha + T + t)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        head = (a + b + x - 1) / (a - 1)
        tail = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z)
    return head * tail * probability_alive(model, x, t_x, T)


def customer_summary(first: Any, last: Any, repeat_purchases: Any, as_of: Any, unit_days: float = 7.0) -> pd.DataFrame:
    """Per customer dates → the model's x, t_x, T in units of `unit_days` (weeks by default)."""
    f = pd.to_datetime(pd.Series(first)).to_numpy(dtype="datetime64[ns]")
    l = pd.to_datetime(pd.Series(last)).to_numpy(dtype="datetime64[ns]")
    day0 = np.datetime64(pd.Timestamp(as_of), "ns")
    unit = np.timedelta64(int(unit_days * 86400), "s").astype("timedelta64[ns]")
    return pd.DataFrame({"x": np.asarray(repeat_purchases, dtype="float64"),
                         "t_x": (l - f) / unit, "T": (day0 - f) / unit})
