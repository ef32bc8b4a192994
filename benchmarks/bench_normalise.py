"""Time every normaliser and validator on generated messy register columns (100,000 and 1,048,576 rows).

Run: python benchmarks/bench_normalise.py [rows ...]   (default: 100000 1048576)
Prints seconds per column, seconds per 100,000 rows, the number of distinct values, and the
process's peak memory. Target: ≤ 1 s per 100,000 rows per column.
"""
from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from udfs.normalise.amounts import parse_amounts  # noqa: E402
from udfs.normalise.company import company_key  # noqa: E402
from udfs.normalise.dates import parse_dates  # noqa: E402
from udfs.normalise.email import normalise_email  # noqa: E402
from udfs.normalise.gender import normalise_gender  # noqa: E402
from udfs.normalise.names import name_pinyin, person_name_key, split_person_name  # noqa: E402
from udfs.normalise.phone import parse_phones  # noqa: E402
from udfs.normalise.region import canonical_city, canonical_province, split_address  # noqa: E402
from udfs.normalise.text import clean_text, simplified_key  # noqa: E402
from udfs.validate.contact import check_email  # noqa: E402
from udfs.validate.identity import check_resident_id, check_uscc  # noqa: E402

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐許張劉陳楊黃趙")
GIVEN = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英華偉")
CITIES = ["北京", "上海市", "广州", "深圳市", "杭州", "成都市", "武汉", "廣州", "南京市", "重庆"]
PROVINCES = ["广东", "广东省", "北京市", "浙江省", "江苏", "四川省", "湖北", "廣東", "上海", "重庆市"]


def generate(n: int, seed: int = 0) -> dict[str, list]:
    rng = np.random.default_rng(seed)
    mob = rng.integers(13_000_000_000, 19_999_999_999, n)
    forms = rng.integers(0, 6, n)
    mobiles = [
        str(m) if f == 0 else f"+86 {str(m)[:3]} {str(m)[3:7]} {str(m)[7:]}" if f == 1 else
        f"{str(m)[:3]}-{str(m)[3:7]}-{str(m)[7:]}" if f == 2 else float(m) if f == 3 else
        "".join(chr(ord(c) + 0xFEE0) for c in str(m)) if f == 4 else f"0086{m}"
        for m, f in zip(mob.tolist(), forms.tolist())
    ]
    days = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 3650, n), unit="D")
    dforms = rng.integers(0, 5, n)
    dates = [
        d.strftime("%Y-%m-%d") if f == 0 else f"{d.year}年{d.month}月{d.day}日" if f == 1 else
        (d - pd.Timestamp("1899-12-30")).days if f == 2 else d.strftime("%Y/%m/%d") if f == 3 else d.to_pydatetime()
        for d, f in zip(days, dforms.tolist())
    ]
    amounts_raw = np.round(rng.gamma(2.0, 3000.0, n), 2)
    aforms = rng.integers(0, 4, n)
    amounts = [f"¥{a:,.2f}" if f == 0 else f"{a:.0f}元" if f == 1 else a if f == 2 else f"{a / 10000:.2f}万"
               for a, f in zip(amounts_raw.tolist(), aforms.tolist())]
    s_idx = rng.integers(0, len(SURNAMES), n)
    g1 = rng.integers(0, len(GIVEN), n)
    g2 = rng.integers(-1, len(GIVEN), n)
    names = [SURNAMES[a] + GIVEN[b] + (GIVEN[c] if c >= 0 else "") + (" 先生" if (a + b) % 17 == 0 else "")
             for a, b, c in zip(s_idx.tolist(), g1.tolist(), g2.tolist())]
    comp_idx = rng.integers(0, 20000, n)
    companies = [f"{CITIES[i % 10]}{'华为腾讯阿里百度京东美的格力海尔联想小米'[i % 10]}{i}科技有限公司"
                 if i % 3 else f"{'华为腾讯阿里百度京东美的格力海尔联想小米'[i % 10]}{i}科技（{CITIES[i % 10]}）有限責任公司"
                 for i in comp_idx.tolist()]
    emails = [f"User{i}@{'QQ.com' if i % 2 else '163.COM'}" for i in rng.integers(0, 10**7, n).tolist()]
    provinces = [PROVINCES[i] for i in rng.integers(0, 10, n).tolist()]
    cities = [CITIES[i] for i in rng.integers(0, 10, n).tolist()]
    addresses = [f"{p}{c}某某路{k}号" for p, c, k in zip(provinces, cities, rng.integers(1, 3000, n).tolist())]
    genders = [["男", "女", "M", "F", "先生", "女士", None][i] for i in rng.integers(0, 7, n).tolist()]
    ids = []
    w = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    for b, seq in zip(rng.integers(0, 20000, n).tolist(), rng.integers(0, 1000, n).tolist()):
        d = pd.Timestamp("1950-01-01") + pd.Timedelta(days=b)
        first17 = f"440106{d:%Y%m%d}{seq:03d}"
        ids.append(first17 + "10X98765432"[sum(int(x) * y for x, y in zip(first17, w)) % 11])
    usccs = [f"91440300MA5F{i:05d}" + "0" for i in rng.integers(0, 99999, n).tolist()]
    return {"mobile": mobiles, "date": dates, "amount": amounts, "name": names, "company": companies,
            "email": emails, "province": provinces, "city": cities, "address": addresses, "gender": genders,
            "id": ids, "uscc": usccs}


def runs(data: dict[str, list]) -> list[tuple[str, str, object]]:
    return [
        ("clean_text", "name", clean_text), ("simplified_key", "company", simplified_key),
        ("parse_phones", "mobile", parse_phones), ("parse_dates", "date", parse_dates),
        ("parse_amounts", "amount", parse_amounts), ("normalise_email", "email", normalise_email),
        ("check_email", "email", check_email), ("split_person_name", "name", split_person_name),
        ("person_name_key", "name", person_name_key), ("name_pinyin", "name", name_pinyin),
        ("company_key", "company", company_key), ("canonical_province", "province", canonical_province),
        ("canonical_city", "city", canonical_city), ("split_address", "address", split_address),
        ("normalise_gender", "gender", normalise_gender), ("check_resident_id", "id", check_resident_id),
        ("check_uscc", "uscc", check_uscc),
    ]


def main(sizes: list[int]) -> None:
    for n in sizes:
        t0 = time.perf_counter()
        data = generate(n)
        print(f"\n== {n:,} rows (generated in {time.perf_counter() - t0:.1f} s) ==")
        print(f"{'function':<20}{'column':<10}{'distinct':>10}{'seconds':>10}{'s/100k':>9}")
        for name, column, func in runs(data):
            values = pd.Series(data[column], dtype=object)
            distinct = values.nunique()
            t = time.perf_counter()
            func(values)
            sec = time.perf_counter() - t
            flag = "" if sec / n * 1e5 <= 1.0 else "  > target"
            print(f"{name:<20}{column:<10}{distinct:>10,}{sec:>10.2f}{sec / n * 1e5:>9.2f}{flag}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory so far: {peak:,.0f} MB")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100_000, 1_048_576])
