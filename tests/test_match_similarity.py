"""String metrics: published values, and the pure-Python back end agreeing with rapidfuzz."""
from __future__ import annotations

import random

import numpy as np
import pytest

from udfs.match import similarity
from udfs.match.similarity import (PurePythonBackend, RapidfuzzBackend, jaro_winkler_one, levenshtein_one,
                                   osa_distance_one, pairwise)


@pytest.mark.parametrize("a, b, expected", [
    # Winkler (1990) / the Jaro–Winkler article's worked examples
    ("MARTHA", "MARHTA", 0.961),
    ("DWAYNE", "DUANE", 0.840),
    ("DIXON", "DICKSONX", 0.813),
])
def test_jaro_winkler_published_values(a, b, expected):
    assert jaro_winkler_one(a, b) == pytest.approx(expected, abs=0.001)
    assert pairwise("jaro_winkler", [a], [b])[0] == pytest.approx(expected, abs=0.001)


def test_levenshtein_kitten_sitting():
    # 3 edits over 7 characters (the textbook example)
    assert levenshtein_one("kitten", "sitting") == pytest.approx(1 - 3 / 7)
    assert pairwise("levenshtein", ["kitten"], ["sitting"])[0] == pytest.approx(1 - 3 / 7)


def test_osa_counts_a_swap_as_one_edit():
    assert osa_distance_one("13800138000", "13800183000") == 1
    assert pairwise("osa_distance", ["13800138000"], ["13800183000"])[0] == 1
    assert pairwise("osa_distance", ["abc"], ["abc"])[0] == 0


def test_missing_values_score_nan():
    out = pairwise("jaro_winkler", ["张伟", None, "x"], [None, "李娜", "x"])
    assert np.isnan(out[0]) and np.isnan(out[1]) and out[2] == 1.0


def test_pure_python_backend_agrees_with_rapidfuzz():
    rng = random.Random(4)
    alphabet = "abcde张伟玮李 "
    a = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9))) for _ in range(300)]
    b = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9))) for _ in range(300)]
    fast, slow = RapidfuzzBackend(), PurePythonBackend()
    for metric in ("jaro_winkler", "levenshtein", "osa_distance", "token_set"):
        np.testing.assert_allclose(slow.pairwise(metric, a, b), fast.pairwise(metric, a, b), atol=1e-4,
                                   err_msg=metric)


def test_backend_can_be_swapped():
    try:
        similarity.set_backend(PurePythonBackend())
        assert similarity.backend_name() == "python"
        assert pairwise("jaro_winkler", ["MARTHA"], ["MARHTA"])[0] == pytest.approx(0.961, abs=0.001)
    finally:
        similarity.set_backend(RapidfuzzBackend())
