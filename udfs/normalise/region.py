"""Canonical Chinese province / city names and address splitting (省 / 市 / 区 prefix separated from the rest).

Data: regions.json beside this module — the 34 provincial-level divisions, the prefecture-
level cities and the county-level districts of GB/T 2260 (as shipped in cpca 0.5.5's
adcodes.csv, MIT licence), with short forms (广东, 广州, 延边, 内蒙古).
Input may be traditional (廣州), full-width, spaced or short; output is always the full
simplified name (广东省, 广州市, 北京市).
"""
from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any, NamedTuple

import pandas as pd

from udfs.columns import as_column
from udfs.normalise._unique import map_unique, map_unique_frame
from udfs.normalise.text import clean_one, to_simplified
from udfs.normalise.text_columns import clean_many, simplified_many


class _Tables(NamedTuple):
    province_by_name: dict[str, str]      # full or short name → full name
    province_by_code: dict[str, str]      # '44' → 广东省
    city_by_name: dict[str, list[tuple[str, str]]]  # name/short → [(full, province full)]
    district_by_name: dict[str, list[tuple[str, str, str]]]  # name → [(full, city, province)]
    municipalities: frozenset[str]        # 北京市 上海市 天津市 重庆市 (province = city)
    province_index: dict[str, tuple[str, ...]]  # first two characters → names, longest first
    city_index: dict[str, tuple[str, ...]]
    district_index: dict[str, tuple[str, ...]]


@functools.lru_cache(maxsize=1)
def _tables() -> _Tables:
    data = json.loads(resources.files("udfs.normalise").joinpath("regions.json").read_text("utf-8"))
    province_by_name: dict[str, str] = {}
    province_by_code: dict[str, str] = {}
    for code, full, short in data["provinces"]:
        province_by_code[code] = full
        province_by_name[full] = full
        province_by_name[short] = full
    municipalities = frozenset({"北京市", "上海市", "天津市", "重庆市"})
    city_by_name: dict[str, list[tuple[str, str]]] = {}
    for m in municipalities:  # 北京 as a city is 北京市 in 北京市
        city_by_name.setdefault(m, []).append((m, m))
        city_by_name.setdefault(m[:-1], []).append((m, m))
    city_of_code: dict[str, str] = {}
    for code, full, short in data["cities"]:
        prov = province_by_code[code[:2]]
        city_of_code[code] = full
        for name in {full, short}:
            city_by_name.setdefault(name, []).append((full, prov))
    district_by_name: dict[str, list[tuple[str, str, str]]] = {}
    for code, full in data["districts"]:
        prov = province_by_code[code[:2]]
        city = prov if prov in municipalities else city_of_code.get(code[:4])
        district_by_name.setdefault(full, []).append((full, city, prov))

    def index(names) -> dict[str, tuple[str, ...]]:
        by_start: dict[str, list[str]] = {}
        for n in names:
            if len(n) >= 2:
                by_start.setdefault(n[:2], []).append(n)
        return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in by_start.items()}

    return _Tables(province_by_name, province_by_code, city_by_name, district_by_name, municipalities,
                   index(province_by_name), index(city_by_name), index(district_by_name))


def name_at(text: str, pos: int, index: dict[str, tuple[str, ...]]) -> str | None:
    """The longest indexed name starting at `pos` (内蒙古自治区 before 内蒙古, 广州市 before 广州).

    Looking up the first two characters leaves one to three candidates, far cheaper than a
    regex alternation of thousands of place names.
    """
    for name in index.get(text[pos:pos + 2], ()):
        if text.startswith(name, pos):
            return name
    return None


def _key(v: Any) -> str | None:
    text = clean_one(v)
    if text is None:
        return None
    return to_simplified(text).replace(" ", "")


def province_one(v: Any) -> str | None:
    """One cell → full province name, or None when it is not a province."""
    key = _key(v)
    if key is None:
        return None
    t = _tables()
    if key in t.province_by_name:
        return t.province_by_name[key]
    if key.endswith("省") and key[:-1] in t.province_by_name:
        return t.province_by_name[key[:-1]]
    return None


def city_one(v: Any) -> str | None:
    """One cell → full prefecture-level city name (北京 → 北京市), or None."""
    key = _key(v)
    if key is None:
        return None
    t = _tables()
    hits = t.city_by_name.get(key) or (t.city_by_name.get(key[:-1]) if key.endswith("市") else None)
    if hits and len({h[0] for h in hits}) == 1:
        return hits[0][0]
    return None


def canonical_province(values: Any) -> pd.Series:
    """Column → full simplified province names (广东 / 廣東省 → 广东省); None when not recognised."""
    return map_unique(values, province_one)


def canonical_city(values: Any) -> pd.Series:
    """Column → full simplified city names (廣州 → 广州市, 北京 → 北京市); None when not recognised."""
    return map_unique(values, city_one)


SPLIT_COLUMNS = ["province", "city", "district", "rest"]

#: An address may begin with the country; compiled once (re.match's cache lookup costs per address).
_COUNTRY_LEAD = re.compile(r"\s*(中国|中华人民共和国)?\s*")


def split_address_one(v: Any, province: str | None = None, city: str | None = None
                      ) -> tuple[str | None, str | None, str | None, str | None]:
    """One address → (province, city, district, rest); a known province/city helps pick districts."""
    text = clean_one(v)
    if text is None:
        return province, city, None, None
    return _split_clean(text, to_simplified(text), province, city)


def split_unique_addresses(values) -> list[tuple]:
    """[split_address_one(v) for v in values], cleaning and 繁→简 done column-wise.

    Where an address's province/city/district are is decided by its first few characters (the place
    names and what follows them); the parse records how far it read, and any later address that starts
    with those same characters gets the same answer without a parse (only `rest` is its own).
    """
    texts = clean_many(values)
    out: list[tuple] = []
    known: dict[str, tuple] = {}   # characters read → (province, city, district, position)
    lengths: list[int] = []        # how many characters the known parses read
    for text, s in zip(texts, simplified_many(texts)):
        if text is None:
            out.append((None, None, None, None))
            continue
        for length in lengths:
            found = known.get(s[:length])
            if found is not None:
                break
        else:
            *found, reach = _parse_places(s, None, None)
            found = tuple(found)
            if reach <= len(s):  # it did not look past the end: every longer text starting so parses so
                if reach not in lengths:
                    lengths.append(reach)
                known[s[:reach]] = found
        prov, cit, dist, pos = found
        out.append((prov, cit, dist, text[pos:].strip(" ,") or None))
    return out


def _split_clean(text: str, s: str, province: str | None, city: str | None) -> tuple:
    """split_address_one on cleaned `text` and its simplified form `s`."""
    found_prov, found_city, found_dist, pos, _ = _parse_places(s, province, city)
    # to_simplified maps character for character, so positions in `s` are positions in `text`
    # and `rest` keeps the user's own (possibly traditional) characters.
    rest = text[pos:].strip(" ,")
    return (found_prov or _none(province), found_city or _none(city), found_dist, rest or None)


def _parse_places(s: str, province: str | None, city: str | None) -> tuple:
    """(province, city, district, where the rest starts, how far into `s` the parse looked).

    The last figure counts every character any step could have compared (a name look-up reads as far
    as its longest candidate), so the answer holds for any text that starts with s[:that].
    """
    t = _tables()
    found_prov = found_city = found_dist = None
    # cleaned text starts with no space, so only a text starting with 中 can begin with the country
    if s.startswith("中"):
        pos = _COUNTRY_LEAD.match(s).end()
        reach = max(pos + 1, len("中华人民共和国"))
    else:
        pos, reach = 0, 1

    m = name_at(s, pos, t.province_index)
    reach = max(reach, pos + _candidates_reach(s, pos, t.province_index))
    if m:
        found_prov = t.province_by_name[m]
        pos = _skip_suffix(s, pos + len(m), "省")
        reach = max(reach, pos + 1 + len("市辖区"))
        if found_prov in t.municipalities:  # 北京市 is its own city; skip 市辖区 filler
            found_city = found_prov
            pos = _skip_suffix(s, pos, "市辖区")
    m = name_at(s, pos, t.city_index) if found_city is None else None
    if found_city is None:
        reach = max(reach, pos + _candidates_reach(s, pos, t.city_index) + 1)
    if m and s[pos + len(m):pos + len(m) + 1] in ("区", "县", "旗") and m not in t.municipalities:
        m = None  # 朝阳区 is a district, not 朝阳 (市) followed by 区
    if m:
        hits = t.city_by_name[m]
        want = found_prov or province
        if len(hits) == 1:  # the usual case, one city of that name: no list to filter
            chosen = hits if want is None or hits[0][1] == want else ()
        else:
            chosen = [h for h in hits if want is None or h[1] == want]
        if len(chosen) == 1 or len({h[0] for h in chosen}) == 1:
            found_city = chosen[0][0]
            found_prov = found_prov or chosen[0][1]
            pos = _skip_suffix(s, pos + len(m), "市")
            reach = max(reach, pos + 1 + len("市辖区"))
            if found_city in t.municipalities:
                pos = _skip_suffix(s, pos, "市辖区")
    m = name_at(s, pos, t.district_index)
    reach = max(reach, pos + _candidates_reach(s, pos, t.district_index))
    if m:
        hits = t.district_by_name[m]
        want_city = found_city or city
        want_prov = found_prov or province
        chosen = [h for h in hits if (want_city is None or h[1] == want_city)
                  and (want_prov is None or h[2] == want_prov)]
        if len(chosen) == 1:
            found_dist, dcity, dprov = chosen[0]
            found_city = found_city or dcity
            found_prov = found_prov or dprov
            pos += len(m)
    return found_prov, found_city, found_dist, pos, reach


def _candidates_reach(s: str, pos: int, index: dict[str, tuple[str, ...]]) -> int:
    """How many characters from `pos` name_at may compare: its longest candidate, or the two it looks up."""
    candidates = index.get(s[pos:pos + 2])
    return max(2, len(candidates[0])) if candidates else 2


def _none(v: Any) -> str | None:
    return v if isinstance(v, str) and v else None


def _skip_suffix(s: str, pos: int, suffix: str) -> int:
    return pos + len(suffix) if s.startswith(suffix, pos) else pos


def split_address(values: Any, province: Any = None, city: Any = None) -> pd.DataFrame:
    """Addresses → DataFrame[province, city, district, rest].

    The province/city/district prefix is recognised (full, short or traditional names) and
    separated; `rest` keeps the remaining text as written (cleaned, not simplified).
    `province` / `city` (columns or single values) fill in or disambiguate when the address
    leaves them out: 朝阳区 is Beijing's with city=北京市 and Changchun's with city=长春市.
    """
    s = as_column(values)
    if province is None and city is None:
        return map_unique_frame(s, split_address_one, SPLIT_COLUMNS, batch=split_unique_addresses)
    prov = _broadcast(province, len(s), canonical_province)
    cit = _broadcast(city, len(s), canonical_city)
    keyed = pd.Series(list(zip(s.tolist(), prov, cit)), index=s.index, dtype=object)
    return map_unique_frame(keyed, lambda u: split_address_one(*u), SPLIT_COLUMNS)


def _broadcast(v: Any, n: int, canon) -> list:
    if v is None:
        return [None] * n
    if isinstance(v, str):
        return [canon([v]).iloc[0]] * n
    col = canon(v)
    if len(col) != n:
        raise ValueError("province/city column length differs from the addresses")
    return col.tolist()
