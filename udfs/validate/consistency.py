"""Cross-field checks: gender vs resident ID, birth date vs resident ID, age vs birth date, city vs province."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from udfs.normalise.dates import parse_dates
from udfs.normalise.gender import normalise_gender
from udfs.normalise.region import _tables, canonical_province
from udfs.normalise._unique import factorize, map_unique
from udfs.validate.identity import check_resident_id
from udfs.validate.values import parse_counts


def _codes(mask: np.ndarray, code: str, index) -> pd.Series:
    return pd.Series(np.where(mask, code, None), index=index, dtype=object)


def check_id_gender(id_numbers: Any, gender: Any) -> pd.Series:
    """GENDER_ID_MISMATCH where a valid ID's 17th digit (odd 男, even 女) contradicts the gender column."""
    ids = check_resident_id(id_numbers)
    g = normalise_gender(gender)
    bad = ids["gender"].notna().to_numpy() & g.notna().to_numpy() & (ids["gender"].to_numpy() != g.to_numpy())
    return _codes(bad, "GENDER_ID_MISMATCH", ids.index)


def check_id_birth(id_numbers: Any, birth_dates: Any) -> pd.Series:
    """BIRTH_ID_MISMATCH where a valid ID's birth date differs from the birth-date column."""
    ids = check_resident_id(id_numbers)
    b = parse_dates(birth_dates).dt.normalize()
    bad = (ids["birth_date"].notna() & b.notna()).to_numpy() & (ids["birth_date"].to_numpy() != b.to_numpy())
    return _codes(bad, "BIRTH_ID_MISMATCH", ids.index)


def age_on(birth: pd.Series, today: Any = None) -> pd.Series:
    """Whole years between each birth date and `today` (float, NaN where unknown)."""
    t = pd.Timestamp(today).normalize() if today is not None else pd.Timestamp.today().normalize()
    b = pd.to_datetime(birth)
    years = t.year - b.dt.year
    before_birthday = (b.dt.month > t.month) | ((b.dt.month == t.month) & (b.dt.day > t.day))
    return (years - before_birthday.astype(float)).astype(float)


def check_age(ages: Any) -> pd.Series:
    """AGE_INVALID where an age is not a whole number from 0 to 120 (blank is fine)."""
    from udfs.validate.values import check_counts

    a = parse_counts(ages)
    problems = check_counts(ages).to_numpy(dtype=object)
    bad = (pd.notna(problems)) | ((a < 0) | (a > 120)).to_numpy()
    return _codes(bad, "AGE_INVALID", a.index)


def check_birth_age(birth_dates: Any, ages: Any, *, today: Any = None, tolerance: int = 1) -> pd.Series:
    """AGE_BIRTH_MISMATCH where the age differs from the age computed from the birth date.

    `tolerance` years are allowed because an age typed last year is still "right" today.
    """
    b = parse_dates(birth_dates)
    expected = age_on(b, today)
    a = parse_counts(ages)
    bad = ((expected - a).abs() > tolerance).to_numpy() & b.notna().to_numpy() & a.notna().to_numpy()
    return _codes(bad, "AGE_BIRTH_MISMATCH", b.index)


def check_province(values: Any) -> pd.Series:
    """PROVINCE_UNKNOWN where a non-blank cell is not a province name."""
    from udfs.normalise.text import clean_text

    known = canonical_province(values)
    bad = clean_text(values).notna().to_numpy() & known.isna().to_numpy()
    return _codes(bad, "PROVINCE_UNKNOWN", known.index)


def _city_provinces_one(v: Any) -> frozenset:
    """A city, district or county-level city name (广州, 昆山市, 朝阳) → the provinces it can lie in."""
    from udfs.normalise.region import _key

    key = _key(v)
    if key is None:
        return frozenset()
    t = _tables()
    provinces = set()
    for name in (key, key + "市", key + "县", key + "区"):
        provinces |= {h[1] for h in t.city_by_name.get(name, [])}
        provinces |= {h[2] for h in t.district_by_name.get(name, [])}
    if key.endswith("市"):
        provinces |= {h[1] for h in t.city_by_name.get(key[:-1], [])}
    return frozenset(provinces)


def check_city(cities: Any, provinces: Any = None) -> pd.Series:
    """CITY_UNKNOWN where a city is not recognised; CITY_PROVINCE_MISMATCH where it lies in another province.

    District and county-level city names (朝阳, 昆山) count as known: registers put them in
    the city column all the time.
    """
    from udfs.normalise.text import clean_text

    city_prov = map_unique(cities, _city_provinces_one, missing=frozenset())
    present = clean_text(cities).notna().to_numpy()
    known = city_prov.map(bool).to_numpy(dtype=bool)
    out = np.where(present & ~known, "CITY_UNKNOWN", None).astype(object)
    if provinces is not None:
        p = canonical_province(provinces).to_numpy()
        mismatch = _per_distinct_pair(p, city_prov.to_numpy(dtype=object), factorize(cities)[1],
                                      lambda pv, cp: pd.notna(pv) and bool(cp) and pv not in cp)
        out[mismatch & pd.isna(out)] = "CITY_PROVINCE_MISMATCH"
    return pd.Series(out, index=city_prov.index, dtype=object)


def _per_distinct_pair(provinces: np.ndarray, city_provinces: np.ndarray, city_codes: np.ndarray, test) -> np.ndarray:
    """test(province, the city's provinces) per row, worked out once per distinct (province, city) pair: a
    register repeats a few hundred such pairs a million times. city_codes: equal for rows of equal cities."""
    province_codes, distinct_provinces = pd.factorize(provinces, use_na_sentinel=True)
    pair = (np.asarray(city_codes, dtype=np.int64) + 1) * (len(distinct_provinces) + 1) + province_codes + 1
    inverse, distinct = pd.factorize(pair)
    first = np.empty(len(distinct), dtype=np.int64)
    first[inverse[::-1]] = np.arange(len(pair) - 1, -1, -1)   # reversed: the earliest row is written last
    answers = np.fromiter((test(provinces[i], city_provinces[i]) for i in first.tolist()), dtype=bool,
                          count=len(first))
    return answers[inverse]
