"""Turn comparison levels into a match probability per pair (Fellegi–Sunter, log2 Bayes factors).

weight(field, level) = log2(m / u): m is set openly in the settings (how often true duplicates agree at
that level), u is measured on the data (how often two random rows agree at that level). Exact agreement
on a term-frequency field uses the frequency of the value itself as u, so a shared 王伟 or a shared
switchboard number counts for less than a rare name or a personal mobile. Fields of one `group`
(company, company landline, USCC, address) describe one shared fact and contribute only their strongest
weight (DOMAIN.md §2a). The prior is the expected share of rows that have a duplicate.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from udfs.match.compare import CLOSE, DIFFER, EXACT, LEVEL_NAMES, N_LEVELS, NULL, PAIRS_PER_STEP, compare_pairs
from udfs.match.prepare import KeyTable
from udfs.match.settings import MatchSettings

DUPLICATE, POSSIBLE, DIFFERENT = "重复", "疑似重复", "不同"


@dataclass
class Scores:
    """Per candidate pair: probability, total log2 odds, the weight of each comparison, vetoed flag."""

    probability: np.ndarray
    bits: np.ndarray
    weights: pd.DataFrame
    vetoed: np.ndarray
    verdict: np.ndarray


def random_pairs(n: int, settings: MatchSettings) -> tuple[np.ndarray, np.ndarray]:
    """The seeded random row pairs (positions) the u-probabilities are measured on; they depend only on n."""
    rng = np.random.default_rng(settings.seed)
    k = min(settings.random_pairs, max(n * (n - 1) // 2, 1))
    a = rng.integers(0, n, size=k) if n > 1 else np.zeros(0, np.int64)
    b = rng.integers(0, n, size=k) if n > 1 else np.zeros(0, np.int64)
    keep = a != b
    return a[keep], b[keep]


def exact_pair_counts(keys: KeyTable, name: str) -> tuple[float, float]:
    """(row pairs sharing a value of key `name`, row pairs where both have one), from value counts."""
    codes = keys.codes(name)
    counts = np.bincount(codes[codes >= 0]).astype(np.float64)
    n_present = counts.sum()
    return float((counts * (counts - 1)).sum() / 2), n_present * (n_present - 1) / 2


def estimate_u(keys: KeyTable, settings: MatchSettings, *, pairs: tuple[np.ndarray, np.ndarray] | None = None,
               exact_counts: Callable[[str], tuple[float, float]] | None = None) -> dict[str, dict[str, float]]:
    """u-probability of each level of each comparison, from random row pairs (seeded).

    Exact agreement is computed from value frequencies (Σ f²) rather than sampled, since it is
    exact and cheap; the graded levels come from the sample. A caller holding the table elsewhere (the
    Spark stage) passes `keys` for the sampled rows only, `pairs` as positions into them, and
    `exact_counts(key)` → (pairs sharing a value, all pairs) measured on the whole table.
    """
    a, b = pairs if pairs is not None else random_pairs(len(keys), settings)
    exact_counts = exact_counts or (lambda name: exact_pair_counts(keys, name))
    levels = compare_pairs(keys, a, b, settings.comparisons)
    alpha = settings.prior_pairs
    u: dict[str, dict[str, float]] = {}
    for comp in settings.comparisons:
        lv = levels[comp.key].to_numpy()
        present = lv != NULL
        total = int(present.sum())
        same_pairs, all_pairs = exact_counts(comp.key)
        out = {}
        for code, name in LEVEL_NAMES.items():
            if name not in comp.m or name == "differ":
                continue
            prior = u_prior(comp, name)
            # Shrunk towards the prior by `prior_pairs` pseudo-pairs, so a 20-row table does not
            # conclude that a shared name is common just because two of its rows share it.
            if code == EXACT:
                out[name] = (same_pairs + alpha * prior) / (all_pairs + alpha)
            else:
                out[name] = (float((lv[present] == code).sum()) + alpha * prior) / (total + alpha)
        out["differ"] = max(1.0 - sum(out.values()), 1e-6)
        u[comp.key] = out
    return u


DEFAULT_U_PRIOR = {"exact": 1e-4, "homophone": 1e-4, "close": 1e-3, "partial": 1e-2}


def u_prior(comp, level: str) -> float:
    return (comp.u_prior or {}).get(level, DEFAULT_U_PRIOR.get(level, 1e-3))


def level_weights(settings: MatchSettings, u: dict[str, dict[str, float]]) -> dict[str, np.ndarray]:
    """comparison key → array of log2(m/u) indexed by level code; unused levels map to the next weaker one."""
    table = {}
    for comp in settings.comparisons:
        w = np.zeros(N_LEVELS)
        for code, name in LEVEL_NAMES.items():
            use = name if name in comp.m else _fallback_level(name, comp.m)
            w[code] = np.log2(comp.m[use] / u[comp.key][use])
        table[comp.key] = w
    return table


def _fallback_level(name: str, m: dict[str, float]) -> str:
    """A level a method produced but the settings do not weigh: use the next weaker one listed."""
    order = list(LEVEL_NAMES.values())
    for candidate in order[order.index(name):]:
        if candidate in m:
            return candidate
    return "differ"


def prior_bits(settings: MatchSettings, n_rows: int) -> float:
    """log2 prior odds that two random rows are one customer."""
    pairs_expected = settings.expected_duplicate_share * n_rows / 2
    lam = min(max(pairs_expected / max(n_rows * (n_rows - 1) / 2, 1), 1e-12), 0.5)
    return float(np.log2(lam / (1 - lam)))


def _name_levels(levels: pd.DataFrame, settings: MatchSettings) -> np.ndarray:
    """Level of the person-name comparison per pair (NULL where the settings compare no person name)."""
    names = [c.key for c in settings.comparisons if c.method == "person_name"]
    if not names:
        return np.full(len(levels), NULL, dtype=np.int8)
    return levels[names[0]].to_numpy()


def score_pairs(keys: KeyTable, a: np.ndarray, b: np.ndarray, levels: pd.DataFrame,
                settings: MatchSettings, n_rows: int | None = None) -> Scores:
    """Probability, weights and verdict (重复 / 疑似重复 / 不同) for each candidate pair."""
    table = level_weights(settings, settings.u)
    n_rows = len(keys) if n_rows is None else n_rows
    # one (comparisons × pairs) block filled in place: a frame built from separate columns would copy them all
    # into such a block, twice the memory at the peak (a gigabyte at 12 million pairs)
    names = list(dict.fromkeys(c.key for c in settings.comparisons))   # a key compared twice: the last one counts
    block = np.empty((len(names), len(a)))
    # a pair's score depends on that pair alone: scored a step at a time, the temporaries stay small
    steps = [_score_step(keys, a[part], b[part], levels.iloc[part], settings, n_rows, table, names, block[:, part])
             for part in (slice(start, start + PAIRS_PER_STEP) for start in range(0, max(len(a), 1), PAIRS_PER_STEP))]
    probability, bits, vetoed, verdict = (np.concatenate(parts) for parts in zip(*steps))
    weights = pd.DataFrame(block.T, index=pd.RangeIndex(len(a)), columns=names, copy=False)
    return Scores(probability=probability, bits=bits, weights=weights, vetoed=vetoed, verdict=verdict)


def _score_step(keys: KeyTable, a: np.ndarray, b: np.ndarray, levels: pd.DataFrame, settings: MatchSettings,
                n_rows: int, table: dict[str, np.ndarray], names: list[str], block: np.ndarray) -> tuple:
    """score_pairs for some pairs: (probability, bits, vetoed, verdict), their weights written into `block`."""
    def weight(key: str) -> np.ndarray:
        return block[names.index(key)]

    for comp in settings.comparisons:
        lv = levels[comp.key].to_numpy()
        w = weight(comp.key)
        np.copyto(w, np.where(lv == NULL, 0.0, table[comp.key][np.clip(lv, 0, N_LEVELS - 1)]))
        if comp.term_frequency:
            exact = lv == EXACT
            if exact.any():
                # u of this very value: the chance that another row holds it, shrunk like estimate_u
                counts = keys.counts(comp.key)[a[exact]].astype(np.float64)
                n_present = keys.present(comp.key)
                alpha = settings.prior_pairs
                f = ((counts - 1) + alpha * u_prior(comp, "exact")) / ((n_present - 1) + alpha)
                w[exact] = np.log2(comp.m["exact"] / np.maximum(f, 1e-12))
    bits = np.full(len(a), prior_bits(settings, n_rows))
    groups: dict[str, list[tuple[str, np.ndarray]]] = {}  # group → (member, pairs where it is a member)
    name_level = _name_levels(levels, settings)
    names_differ = (name_level != NULL) & (name_level > CLOSE)
    capped = np.isin(name_level, [c for c, n in LEVEL_NAMES.items() if n in settings.shared_capped_at])
    everywhere = np.ones(len(a), dtype=bool)
    identity = np.zeros(len(a), dtype=bool)  # exact agreement on a personal identifier
    for comp in settings.comparisons:
        if comp.group:
            groups.setdefault(comp.group, []).append((comp.key, everywhere))
        elif comp.household_group:
            lv = levels[comp.key].to_numpy()
            codes = [c for c, n in LEVEL_NAMES.items() if n in comp.household_levels]
            household = np.isin(name_level, codes) & (lv != NULL) & (lv != DIFFER)
            for key in comp.personal_with:
                if key in levels.columns:
                    household &= levels[key].to_numpy() != EXACT
            for key in comp.household_if_differ:
                if key in levels.columns:
                    household |= names_differ & (levels[key].to_numpy() == DIFFER) & (lv != NULL) & (lv != DIFFER)
            bits += np.where(household, 0.0, weight(comp.key))
            groups.setdefault(comp.household_group, []).append((comp.key, household))
            if comp.key in settings.identifiers:
                identity |= (lv == EXACT) & ~household
        else:
            bits += weight(comp.key)
            if comp.key in settings.identifiers:
                identity |= levels[comp.key].to_numpy() == EXACT
    capped &= ~identity
    for members in groups.values():
        present = np.stack([(levels[k].to_numpy() != NULL) & where for k, where in members], axis=1)
        w = np.stack([weight(k) for k, _ in members], axis=1)
        w = np.where(present, w, -np.inf)
        strongest = w.max(axis=1)
        strongest = np.where(capped, np.minimum(strongest, settings.shared_bits_when_names_differ), strongest)
        bits += np.where(np.isfinite(strongest), strongest, 0.0)
    probability = 1.0 / (1.0 + np.exp2(-bits))
    vetoed = np.zeros(len(a), dtype=bool)
    for veto in settings.vetoes:
        hit = np.all(np.stack([levels[k].to_numpy() == DIFFER for k in veto], axis=1), axis=1)
        for key in settings.veto_lifted_by.get("+".join(veto), []):
            if key in levels.columns:
                hit &= levels[key].to_numpy() != EXACT
        vetoed |= hit
    verdict = np.full(len(a), DIFFERENT, dtype=object)
    verdict[probability >= settings.possible_probability] = POSSIBLE
    verdict[(probability >= settings.duplicate_probability) & ~vetoed] = DUPLICATE
    return probability, bits, vetoed, verdict
