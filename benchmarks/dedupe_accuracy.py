"""Score a duplicate grouping against the generator's truth: per corruption kind and per look-alike kind.

Pairs are row pairs for precision / recall (a pair counts when both rows are in one predicted group); look-alikes
are pairs of *different* real customers (household members, colleagues, same-name strangers, names one
character apart) and their false-positive rate is the share of such customer pairs that some predicted group
joins. Written independently of the matcher: only the truth table and the group ids are used.
"""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

try:
    from benchmarks.register_typos import NAME_TYPO_KINDS
except ImportError:  # run from benchmarks/
    from register_typos import NAME_TYPO_KINDS


def _pairs_of(labels: np.ndarray) -> set[tuple[int, int]]:
    """Row pairs sharing a label (labels ≤ 0 or NaN: no group)."""
    rows_by: dict = {}
    for i, g in enumerate(labels.tolist()):
        if g is not None and g == g and g > 0:
            rows_by.setdefault(g, []).append(i)
    return {p for rows in rows_by.values() for p in itertools.combinations(rows, 2)}


def _prf(tp: int, predicted: int, true: int) -> dict:
    p = tp / predicted if predicted else 1.0
    r = tp / true if true else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "true_pairs": true, "predicted_pairs": predicted}


def by_corruption(groups: np.ndarray, truth: pd.DataFrame) -> dict[str, dict]:
    """Precision / recall / F1 over the row pairs that involve a copy with each corruption kind."""
    groups = pd.Series(groups).fillna(0).astype(np.int64).to_numpy()
    entity = truth["实体"].to_numpy()
    predicted = _pairs_of(groups)
    true = _pairs_of(entity + 1)
    kinds_of_row = [set(k for k in str(v).split(",") if k) for v in truth["损坏"]]
    all_kinds = sorted(set().union(*kinds_of_row))
    labels = {k: {k} for k in all_kinds}
    labels["written name typo (any)"] = set(NAME_TYPO_KINDS)
    labels["no corruption"] = set()
    out = {}
    for label, kinds in labels.items():
        if kinds:
            rows = {i for i, ks in enumerate(kinds_of_row) if ks & kinds}
        else:
            rows = {i for i, ks in enumerate(kinds_of_row) if not ks and truth["副本"].iloc[i]}
        t = {p for p in true if p[0] in rows or p[1] in rows}
        pr = {p for p in predicted if p[0] in rows or p[1] in rows}
        out[label] = _prf(len(t & pr), len(pr), len(t))
    return out


def look_alike_pairs(truth: pd.DataFrame) -> dict[str, set[tuple[int, int]]]:
    """Pairs of different real customers that look alike, by kind (customer = 实体)."""
    ent = truth.drop_duplicates("实体").set_index("实体")
    out: dict[str, set] = {}

    def within(col: str, mask=None) -> set:
        frame = ent if mask is None else ent[mask]
        pairs = set()
        for _key, members in frame.groupby(col).groups.items():
            members = sorted(members)
            if len(members) > 1:
                pairs.update(itertools.combinations(members, 2))
        return pairs

    family = within("家庭", ent["家庭"] >= 0)
    out["household"] = family
    mobile_of = ent["真实手机"]
    out["household sharing a mobile"] = {p for p in family if mobile_of[p[0]] == mobile_of[p[1]]}
    out["colleague"] = within("公司编号", ent["公司编号"] >= 0) - family
    out["same-name stranger"] = within("真实姓名") - family
    one_apart = set()
    names = ent["真实姓名"].astype(str)
    for length in sorted(names.str.len().unique()):
        same_len = names[names.str.len() == length]
        for pos in range(length):
            masked = same_len.str.slice(0, pos) + "?" + same_len.str.slice(pos + 1)
            for _key, members in same_len.groupby(masked.to_numpy()).groups.items():
                members = sorted(members)
                if len(members) > 1:
                    one_apart.update((a, b) for a, b in itertools.combinations(members, 2)
                                     if names[a] != names[b])
    out["names one character apart"] = one_apart
    out["  of which household"] = one_apart & family
    return out


def merged_customer_pairs(groups: np.ndarray, truth: pd.DataFrame) -> set[tuple[int, int]]:
    """Pairs of different real customers that share a predicted group."""
    groups = pd.Series(groups).fillna(0).astype(np.int64).to_numpy()
    frame = pd.DataFrame({"g": groups, "e": truth["实体"].to_numpy()})
    frame = frame[frame.g > 0]
    out = set()
    for _g, ents in frame.groupby("g")["e"]:
        u = sorted(set(ents.tolist()))
        if len(u) > 1:
            out.update(itertools.combinations(u, 2))
    return out


def look_alike_rates(groups: np.ndarray, truth: pd.DataFrame) -> dict[str, tuple[int, int, float]]:
    """kind → (customer pairs of that kind, of which merged, false-positive rate)."""
    merged = merged_customer_pairs(groups, truth)
    out = {}
    for kind, pairs in look_alike_pairs(truth).items():
        bad = len(pairs & merged)
        out[kind] = (len(pairs), bad, bad / len(pairs) if pairs else 0.0)
    return out
