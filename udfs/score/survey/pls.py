"""PLS path modelling (Lohmöller's algorithm, Mode A, centroid / factorial / path schemes) on numpy.

Everything a Mode A model needs is in the items' correlation matrix, so the iteration and every
bootstrap draw work on p × p matrices, never on the n respondents again (bootstrap draws get their
correlation matrices from one matrix product over the rows).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

SCHEMES = ("centroid", "factorial", "path")


@dataclass(frozen=True)
class PathModel:
    """Constructs, their items (reflective, Mode A) and the inner model: `inner[j, i] = 1` when i → j."""

    constructs: tuple[str, ...]
    blocks: tuple[tuple[str, ...], ...]
    inner: np.ndarray

    def __post_init__(self):
        inner = np.asarray(self.inner, dtype=float)
        k = len(self.constructs)
        if inner.shape != (k, k) or len(self.blocks) != k:
            raise ValueError("inner model and blocks must have one row per construct")
        if np.any(np.diag(inner)) or not _acyclic(inner):
            raise ValueError("the inner model must be recursive (no construct causes itself)")
        object.__setattr__(self, "inner", inner)

    @property
    def items(self) -> list[str]:
        return [c for b in self.blocks for c in b]

    def paths(self) -> list[tuple[str, str]]:
        """(from, to) for every arrow, in construct order of the target."""
        return [(self.constructs[i], self.constructs[j]) for j in range(len(self.constructs))
                for i in range(len(self.constructs)) if self.inner[j, i]]


def _acyclic(inner: np.ndarray) -> bool:
    reach = inner.copy()
    for _ in range(len(inner)):
        reach = np.clip(reach + reach @ inner, 0, 1)
    return not np.any(np.diag(reach))


def _masks(model: PathModel) -> tuple[np.ndarray, np.ndarray]:
    """Block membership as a p × J 0/1 matrix and each item's construct number."""
    sizes = [len(b) for b in model.blocks]
    owner = np.repeat(np.arange(len(sizes)), sizes)
    member = np.zeros((len(owner), len(sizes)))
    member[np.arange(len(owner)), owner] = 1.0
    return member, owner


def _inner_weights(c: np.ndarray, inner: np.ndarray, scheme: str) -> np.ndarray:
    """E with Z_j = Σ_i E[j, i] Y_i, from the current construct correlations `c`."""
    adjacent = (inner + inner.T) > 0
    if scheme == "centroid":
        return np.sign(c) * adjacent
    if scheme == "factorial":
        return c * adjacent
    e = c * inner.T  # followers (j → k): their correlation with j
    for j in range(len(inner)):  # a handful of constructs: one small regression each
        pred = np.flatnonzero(inner[j])
        if len(pred):
            e[j, pred] = np.linalg.solve(c[np.ix_(pred, pred)], c[pred, j])
    return e


def outer_weights(r: np.ndarray, model: PathModel, scheme: str = "centroid", tol: float = 1e-6,
                  max_iter: int = 300) -> np.ndarray:
    """Standardised Mode A outer weights (one per item, each construct of unit variance) from the item correlations."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown inner scheme {scheme!r}; use one of {SCHEMES}")
    member, owner = _masks(model)
    w = np.ones(len(owner))
    for _ in range(max_iter):
        wm = member * w[:, None]
        w = w / np.sqrt(np.diag(wm.T @ r @ wm))[owner]   # every construct to unit variance
        wm = member * w[:, None]
        c = wm.T @ r @ wm
        e = _inner_weights(c, model.inner, scheme)
        new = (r @ wm @ e.T)[np.arange(len(owner)), owner]  # cov(x_i, Z_j) for i in block j
        wm_new = member * new[:, None]
        new = new / np.sqrt(np.diag(wm_new.T @ r @ wm_new))[owner]
        done = np.sum((np.abs(new) - np.abs(w)) ** 2) < tol
        w = new
        if done:
            break
    # a construct's sign is arbitrary: turn each so that its items load positively on the whole
    wm = member * w[:, None]
    load = (r @ wm)[np.arange(len(owner)), owner] / np.sqrt(np.diag(r))
    flip = np.sign(member.T @ load)
    flip[flip == 0] = 1
    return w * flip[owner]


def inner_estimates(r: np.ndarray, model: PathModel, w: np.ndarray) -> dict[str, np.ndarray]:
    """Loadings, construct correlations, path coefficients (B[j, i] for i → j) and R² from given weights."""
    member, owner = _masks(model)
    wm = member * w[:, None]
    c = wm.T @ r @ wm
    loadings = (r @ wm)[np.arange(len(owner)), owner] / np.sqrt(np.diag(r))  # correlations, also from covariances
    k = len(model.constructs)
    b = np.zeros((k, k))
    r2 = np.full(k, np.nan)
    for j in range(k):
        pred = np.flatnonzero(model.inner[j])
        if len(pred):
            b[j, pred] = np.linalg.solve(c[np.ix_(pred, pred)], c[pred, j])
            r2[j] = float(b[j, pred] @ c[pred, j])
    return {"loadings": loadings, "lv_corr": c, "paths": b, "r2": r2}


def total_effects(b: np.ndarray) -> np.ndarray:
    """Direct plus indirect effects: (I − B)⁻¹ − I for a recursive model."""
    eye = np.eye(len(b))
    return np.linalg.solve(eye - b, eye) - eye


def moments(x: np.ndarray, scaled: bool = True) -> np.ndarray:
    """Item correlations (`scaled`, items standardised) or covariances (items only centred, as plspm's scaled=FALSE)."""
    return np.corrcoef(x, rowvar=False) if scaled else np.cov(x, rowvar=False)


def bootstrap_moments(x: np.ndarray, draws: int, seed: int = 0, scaled: bool = True,
                      chunk: int = 20_000) -> np.ndarray:
    """Correlation (or covariance) matrices of `draws` bootstrap resamples of the rows of `x` (draws × p × p).

    Each draw is a vector of resampling counts c; Σ c·x·xᵀ for all draws at once is one matrix product
    of the counts with the rows' outer products (upper triangle only), taken in chunks of rows.
    """
    n, p = x.shape
    rng = np.random.default_rng(seed)
    counts = np.zeros((draws, n), dtype=np.float32)
    for d in range(draws):  # one bincount per draw: draws × n indices without a draws × n int64 matrix
        counts[d] = np.bincount(rng.integers(0, n, n), minlength=n)
    iu = np.triu_indices(p)
    centre = x.mean(axis=0)
    xc = (x - centre).astype(np.float64)
    sums = np.zeros((draws, p))
    prods = np.zeros((draws, len(iu[0])))
    for s in range(0, n, chunk):
        part = xc[s:s + chunk]
        c = counts[:, s:s + chunk].astype(np.float64)
        sums += c @ part
        prods += c @ (part[:, iu[0]] * part[:, iu[1]])
    mean = sums / n
    cov = np.zeros((draws, p, p))
    cov[:, iu[0], iu[1]] = prods / n - mean[:, iu[0]] * mean[:, iu[1]]
    cov = cov + np.transpose(cov, (0, 2, 1)) * (1 - np.eye(p))
    if not scaled:
        return cov
    sd = np.sqrt(np.einsum("dii->di", cov))
    with np.errstate(invalid="ignore", divide="ignore"):
        return cov / sd[:, :, None] / sd[:, None, :]


def fit(x: np.ndarray, model: PathModel, scheme: str = "centroid", bootstrap: int = 0, seed: int = 0,
        scaled: bool = True) -> dict[str, np.ndarray]:
    """Fit the model on complete rows `x` (columns in `model.items` order); with `bootstrap` draws, also
    the paths', total effects' and loadings' bootstrap distributions. `scaled=False` (items on one scale)
    centres the items without standardising them, as the published ECSI analyses do."""
    r = moments(x, scaled)
    w = outer_weights(r, model, scheme)
    est = inner_estimates(r, model, w)
    est["weights"] = w
    est["corr"] = r if scaled else r / np.sqrt(np.outer(np.diag(r), np.diag(r)))
    est["total"] = total_effects(est["paths"])
    if bootstrap:
        rs = bootstrap_moments(x, bootstrap, seed, scaled)
        paths, totals, loads = [], [], []
        for rb in rs:  # each draw is a p × p problem: cheap
            if not np.isfinite(rb).all():
                continue
            wb = outer_weights(rb, model, scheme)
            eb = inner_estimates(rb, model, wb)
            paths.append(eb["paths"])
            totals.append(total_effects(eb["paths"]))
            loads.append(eb["loadings"])
        est["paths_boot"] = np.array(paths)
        est["total_boot"] = np.array(totals)
        est["loadings_boot"] = np.array(loads)
    return est


def block_quality(r: np.ndarray, model: PathModel, loadings: np.ndarray) -> dict[str, np.ndarray]:
    """Per construct: AVE (mean squared loading), Dillon–Goldstein ρ and the standardised α of its items."""
    _member, owner = _masks(model)
    k = len(model.constructs)
    ave, rho, alpha_std = np.full(k, np.nan), np.full(k, np.nan), np.full(k, np.nan)
    start = 0
    for j, block in enumerate(model.blocks):
        idx = np.arange(start, start + len(block))
        start += len(block)
        lam = loadings[idx]
        ave[j] = float(np.mean(lam ** 2))
        rho[j] = float(lam.sum() ** 2 / (lam.sum() ** 2 + np.sum(1 - lam ** 2)))
        m = len(idx)
        if m > 1:
            sub = r[np.ix_(idx, idx)]
            rbar = (sub.sum() - m) / (m * (m - 1))
            alpha_std[j] = float(m * rbar / (1 + (m - 1) * rbar))
    return {"ave": ave, "dg_rho": rho, "alpha_std": alpha_std}


def goodness_of_fit(model: PathModel, loadings: np.ndarray, r2: np.ndarray) -> float:
    """GoF = √(mean communality over blocks of ≥ 2 items × mean R² of the endogenous constructs)."""
    sizes = np.array([len(b) for b in model.blocks])
    owner = np.repeat(np.arange(len(sizes)), sizes)
    multi = sizes[owner] > 1
    comm = float(np.mean(loadings[multi] ** 2)) if multi.any() else float(np.mean(loadings ** 2))
    endo = np.isfinite(r2)
    return float(np.sqrt(comm * np.mean(r2[endo]))) if endo.any() else float("nan")


def make_model(constructs: Sequence[str], blocks: Sequence[Sequence[str]],
               arrows: Sequence[tuple[str, str]]) -> PathModel:
    """A model from construct names, their items and (from, to) arrows."""
    pos = {c: i for i, c in enumerate(constructs)}
    inner = np.zeros((len(constructs), len(constructs)))
    for a, b in arrows:
        inner[pos[b], pos[a]] = 1.0
    return PathModel(tuple(constructs), tuple(tuple(b) for b in blocks), inner)
