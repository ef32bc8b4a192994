"""Work done once per distinct value (or pair of values) gives what the per-row version gives."""
from __future__ import annotations

import random

import numpy as np
import pandas as pd

from udfs.normalise._unique import factorize, shared_parses
from udfs.normalise.region import canonical_province
from udfs.validate.consistency import _city_provinces_one, check_city


def test_city_province_mismatch_per_distinct_pair_is_the_per_row_answer():
    rng = random.Random(8)
    cities = ["杭州", "杭州市", "广州", "朝阳", "昆山", "台北", "火星城", "", None, float("nan")]
    provinces = ["浙江", "浙江省", "广东", "北京", "江苏", "台湾", "四川", "", None, float("nan")]
    rows = [(rng.choice(cities), rng.choice(provinces)) for _ in range(3000)]
    city = pd.Series([c for c, _ in rows], dtype=object)
    province = pd.Series([p for _, p in rows], dtype=object)
    got = check_city(city, province).to_numpy(dtype=object)
    # the per-row definition, written out independently of check_city's shortcuts
    canonical = canonical_province(province).to_numpy()
    expected = []
    for (c, _), pv in zip(rows, canonical):
        known = _city_provinces_one(c) if isinstance(c, str) and c.strip() else frozenset()
        if isinstance(c, str) and c.strip() and not known:
            expected.append("CITY_UNKNOWN")
        elif pd.notna(pv) and known and pv not in known:
            expected.append("CITY_PROVINCE_MISMATCH")
        else:
            expected.append(None)
    assert got.tolist() == expected
    assert {"CITY_UNKNOWN", "CITY_PROVINCE_MISMATCH", None} <= set(expected)


def test_a_true_cell_is_not_the_number_one_and_plain_counts_stay_plain():
    counts = pd.Series([1, 0, 1.0, 2, 0, None] * 1000, dtype=object)
    _, codes, uniques = factorize(counts)
    assert [type(u) for u in uniques] == [int, int, int]   # 1 and 1.0 hash alike: one distinct value
    assert (codes[5::6] == -1).all()
    mixed = pd.Series([1, True, 0, False, 1.0, np.bool_(True)], dtype=object)
    with shared_parses():
        _, codes, uniques = factorize(mixed)
    assert len(uniques) == 4 and codes[0] == codes[4] and codes[1] == codes[5] and codes[0] != codes[1]
    assert sorted(map(repr, uniques)) == ["0", "1", "False", "True"]
