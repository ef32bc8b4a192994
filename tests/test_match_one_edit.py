"""one_edit_apart (the grid test behind "close" phones, IDs and dates) against the edit distance itself,
and similarity bounds against unbounded scores."""
from __future__ import annotations

import random

import numpy as np
import pytest

from udfs.match import similarity
from udfs.match.one_edit import code_grid, one_edit_apart
from udfs.match.similarity import PurePythonBackend, RapidfuzzBackend, osa_distance_one


def _mutated(rng: random.Random, text: str, alphabet: str) -> str:
    """text with one random edit (substitution, insertion, deletion, swap of neighbours) or a fresh string."""
    kind, i = rng.randrange(5), rng.randrange(len(text))
    if kind == 0:
        return text[:i] + rng.choice(alphabet) + text[i + 1:]
    if kind == 1:
        return text[:i] + rng.choice(alphabet) + text[i:]
    if kind == 2 and len(text) > 1:
        return text[:i] + text[i + 1:]
    if kind == 3 and len(text) > 1:
        i = min(i, len(text) - 2)
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 19)))


@pytest.mark.parametrize("alphabet", ["0123456789-", "01", "0123456789-张伟陈", "ab\U0001F600c"])
@pytest.mark.parametrize("seed", [1, 2])
def test_one_edit_apart_is_osa_distance_at_most_one(alphabet, seed):
    rng = random.Random(seed)
    base = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 19))) for _ in range(1500)]
    edited = [_mutated(rng, _mutated(rng, t, alphabet), alphabet) if rng.random() < 0.3 else _mutated(rng, t, alphabet)
              for t in base]
    uniques = np.array(sorted(set(base + edited)), dtype=object)
    position = {v: i for i, v in enumerate(uniques.tolist())}
    pairs = [(position[x], position[y]) for x, y in zip(base, edited)]
    pairs += [(rng.randrange(len(uniques)), rng.randrange(len(uniques))) for _ in range(3000)]
    pairs = [(x, y) for x, y in pairs if x != y]   # the engine asks about distinct keys only
    ca, cb = np.array([x for x, _ in pairs]), np.array([y for _, y in pairs])
    grid = code_grid(uniques)
    assert grid is not None
    assert (grid.packed is not None) == (max(map(ord, alphabet)) < 256)
    want = np.array([osa_distance_one(uniques[x], uniques[y]) <= 1 for x, y in pairs])
    assert want.sum() > 300 and (~want).sum() > 300   # both answers are exercised
    np.testing.assert_array_equal(one_edit_apart(grid, ca, cb), want)


def test_edits_at_the_ends_and_across_the_packed_words():
    pairs = [("13800138000", "13800138001"),   # last character
             ("13800138000", "31800138000"),   # swap at the start
             ("13800138000", "13800138060"),   # one word holds 8 characters: the second word
             ("12345678", "12345687"),         # swap across the end of the first word
             ("1234567890", "123456789"),      # deletion at the end
             ("1234567890", "01234567890"),    # insertion at the start
             ("1234567890", "1234567809"),     # swap at the end
             ("12345678", "12345678a"),
             ("12345678", "21345687"),         # two swaps: two edits
             ("12345678", "12435687"),
             ("1234", "12")]
    uniques = np.array(sorted({v for pair in pairs for v in pair}), dtype=object)
    position = {v: i for i, v in enumerate(uniques.tolist())}
    ca = np.array([position[x] for x, _ in pairs])
    cb = np.array([position[y] for _, y in pairs])
    got = one_edit_apart(code_grid(uniques), ca, cb)
    assert got.tolist() == [osa_distance_one(x, y) <= 1 for x, y in pairs]
    assert got.tolist() == [True] * 8 + [False] * 3


def test_keys_the_grid_cannot_hold_take_the_edit_distance_path():
    assert code_grid(np.array(["a\x00b", "ab"], dtype=object)) is None    # NUL looks like padding
    assert code_grid(np.array(["12", 12], dtype=object)) is None          # not all text
    assert code_grid(np.array(["x" * 41, "y"], dtype=object)) is None     # too wide for the grid


@pytest.mark.parametrize("backend", [RapidfuzzBackend(), PurePythonBackend()], ids=lambda b: b.name)
@pytest.mark.parametrize("metric,bound", [("jaro_winkler", 0.85), ("levenshtein", 0.7), ("token_set", 0.8),
                                          ("osa_distance", 1)])
def test_a_bound_keeps_every_score_at_or_above_it(backend, metric, bound):
    rng = random.Random(5)
    words = ["".join(rng.choice("abcde 张伟") for _ in range(rng.randint(1, 9))) for _ in range(400)]
    a, b = words[:200], [_mutated(rng, w, "abcde 张伟") if rng.random() < 0.6 else w[::-1] for w in words[200:]]
    previous = similarity._backend
    similarity.set_backend(backend)
    try:
        uniques = np.array(sorted(set(a + b)), dtype=object)
        position = {v: i for i, v in enumerate(uniques.tolist())}
        ca, cb = np.array([position[v] for v in a]), np.array([position[v] for v in b])
        free = similarity.pairwise_coded(metric, ca, uniques, cb, uniques)
        bounded = similarity.pairwise_coded(metric, ca, uniques, cb, uniques, bound=bound)
    finally:
        similarity.set_backend(previous)
    if metric == "osa_distance":
        np.testing.assert_array_equal(bounded, np.minimum(free, bound + 1))
        assert (free > bound + 1).any()
    else:
        kept = free >= bound
        np.testing.assert_allclose(bounded[kept], free[kept])
        assert kept.any() and (~kept).any()
        assert (bounded[~kept] <= free[~kept]).all() and (bounded[~kept] < bound).all()
