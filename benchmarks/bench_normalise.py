"""Time every normaliser and validator on generated messy register columns, before and after, in one run.

Run: python benchmarks/bench_normalise.py [rows ...] [--before REF]   (default: 100000; REF default main)
"before" is the code of git revision REF (its `udfs/` extracted into a temporary folder and run in a
child process on the same generated columns, in the same run); "after" is this checkout. Printed per
function: CPU µs per 1,000 rows before and after, their ratio, the after wall seconds and the number of
distinct values; then the load average. `--before none` times only this checkout.
Columns: `register_columns` — the generator below plus what DOMAIN.md says registers also hold (Taiwan
and Hong Kong numbers, landlines with extensions, labels, ROC and compact dates, NT$/HK$ amounts, names
with English or titles, traditional addresses), and a landline, numeric amount, customer-number and remarks
column like make_register's. The last row, `clean_register · sheet`, is `kehu clean`'s whole normalise +
validate step on make_register's sheet (its "distinct" is the number of columns), not counted in the total.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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


def runs() -> list[tuple[str, str, object]]:
    """(function name, generated column, function) for every normaliser and validator timed."""
    from udfs.normalise.amounts import parse_amounts
    from udfs.normalise.company import company_key
    from udfs.normalise.dates import parse_dates
    from udfs.normalise.email import normalise_email
    from udfs.normalise.gender import normalise_gender
    from udfs.normalise.names import name_pinyin, person_name_key, split_person_name
    from udfs.normalise.phone import parse_phones
    from udfs.normalise.region import canonical_city, canonical_province, split_address
    from udfs.normalise.text import clean_text, simplified_key
    from udfs.normalise.money import parse_money
    from udfs.validate.contact import check_email, check_mobile, check_phone
    from udfs.validate.values import check_amounts, check_required
    from udfs.validate.identity import check_resident_id, check_uscc
    # the same name twice (parse_phones, clean_text) is the same function on another column: keys are name · column
    return [
        ("clean_text", "name", clean_text), ("simplified_key", "company", simplified_key),
        ("parse_phones", "mobile", parse_phones), ("parse_dates", "date", parse_dates),
        ("parse_amounts", "amount", parse_amounts), ("normalise_email", "email", normalise_email),
        ("check_email", "email", check_email), ("split_person_name", "name", split_person_name),
        ("person_name_key", "name", person_name_key), ("name_pinyin", "name", name_pinyin),
        ("company_key", "company", company_key), ("canonical_province", "province", canonical_province),
        ("canonical_city", "city", canonical_city), ("split_address", "address", split_address),
        ("normalise_gender", "gender", normalise_gender), ("check_resident_id", "id", check_resident_id),
        ("check_uscc", "uscc", check_uscc), ("parse_phones", "landline", parse_phones),
        ("check_phone", "landline", check_phone), ("check_mobile", "mobile", check_mobile),
        ("parse_money", "spend", parse_money), ("check_amounts", "spend", check_amounts),
        ("clean_text", "customer_id", clean_text), ("check_required", "remarks", check_required),
    ]


def register_columns(n: int, seed: int = 0) -> dict[str, list]:
    """`generate`'s columns with a share of each replaced by the other forms registers hold (DOMAIN.md)."""
    data = generate(n, seed)
    rng = np.random.default_rng(seed + 100)

    def replace(column: str, share: float, make) -> None:
        for i in rng.choice(n, int(n * share), replace=False).tolist():
            data[column][i] = make(i)

    digits = rng.integers(0, 10, (n, 8))
    local = ["".join(map(str, row)) for row in digits.tolist()]
    replace("mobile", 0.15, lambda i: [
        f"0912-{local[i][:3]}-{local[i][3:6]}", f"+852 9{local[i][:3]} {local[i][3:7]}", f"010-{local[i]}",
        f"0755-{local[i][:7]}转{local[i][:3]}", f"手机：138{local[i]}", f"(02){local[i][:4]}-{local[i][4:]}",
        f"+886 9{local[i][:2]} {local[i][2:5]} {local[i][5:8]}", "13800138000 / 13900139000"][i % 8])
    replace("date", 0.10, lambda i: [
        f"民國{100 + i % 14}年{1 + i % 12}月{1 + i % 28}日", f"{100 + i % 14}/{1 + i % 12}/{1 + i % 28}",
        f"20{10 + i % 14}{1 + i % 12:02d}{1 + i % 28:02d}", f"{1 + i % 28:02d}/{1 + i % 12:02d}/20{10 + i % 14}",
        "二〇二四年三月五日", f"20{10 + i % 14}.{1 + i % 12}.{1 + i % 28}", "#N/A", "待定"][i % 8])
    replace("amount", 0.10, lambda i: [f"NT${i % 9000:,}", f"HK$ {i % 5000}.50", f"RMB {i % 7000}", "面议"][i % 4])
    replace("name", 0.05, lambda i: ["陳大文 Chan Tai Man", f"{data['name'][i]}经理", f"{data['name'][i]}（女士）"][i % 3])
    # the columns make_register's sheet holds besides: landlines (with the forms above mixed in), amounts as
    # numbers, customer numbers, remarks with blanks
    areas = ["10", "20", "21", "755", "571", "28"]  # 3-digit codes take 8 local digits, 4-digit ones 7 or 8
    data["landline"] = [f"0{areas[i % 6]}-{2 + i % 7}{local[i][:7 if len(areas[i % 6]) == 2 else 6 + i // 6 % 2]}"
                        for i in range(n)]
    replace("landline", 0.10, lambda i: [f"(010){local[i]}", f"0755 {local[i][:4]} {local[i][4:7]}",
                                         f"021-{local[i]}转{i % 900}", f"(02){local[i][:4]}-{local[i][4:]}",
                                         f"{local[i]}", "010-12345678-801", "400-820-8820", "无"][i % 8])
    data["spend"] = np.round(rng.gamma(2.0, 3000.0, n), 2).tolist()
    data["customer_id"] = [f"C{i:08d}" for i in range(n)]
    data["remarks"] = [["老客户", "重点跟进", None, "", "需要发票"][i % 5] for i in range(n)]
    replace("address", 0.10, lambda i: [f"廣東省廣州市天河區某某路{i % 900}號", f"中国 上海市浦东新区{i % 900}弄",
                                        f"北京朝阳区{i % 900}号院", f"台北市信義區{i % 900}號"][i % 4])
    return data


def time_all(n: int, seed: int) -> dict[str, tuple[float, float, int]]:
    """{function: (CPU seconds, wall seconds, distinct values)} on `register_columns(n, seed)`."""
    data = register_columns(n, seed)
    out = {}
    for name, column, func in runs():
        values = pd.Series(data[column], dtype=object)
        func(values[:200])  # imports and tables loaded once, as in a session
        wall, cpu = time.perf_counter(), time.process_time()
        func(values)
        out[f"{name} · {column}"] = (time.process_time() - cpu, time.perf_counter() - wall, int(values.nunique()))
    out["clean_register · sheet"] = _clean_step(n)
    return out


def _clean_step(n: int) -> tuple[float, float, int]:
    """`kehu clean`'s normalise + validate (udfs.cleaning.clean_register: every normaliser and check of a
    register, sharing parses) on make_register's n-row sheet as kehu reads it."""
    from addin.read import read_table
    from benchmarks.make_register import make_register
    from udfs.cleaning import clean_register

    table = read_table(make_register(n))
    clean_register(table.df[:200], table.roles, today="2025-06-30")
    wall, cpu = time.perf_counter(), time.process_time()
    clean_register(table.df, table.roles, today="2025-06-30")
    return time.process_time() - cpu, time.perf_counter() - wall, len(table.df.columns)


def revision_child(ref: str, script: str, n: int, seed: int) -> dict | None:
    """The JSON a benchmark `script` prints with `--child TREE N SEED`, run on the udfs/ of git revision `ref`
    (None when that revision cannot be archived or run): the 'before' figures, measured in the same run."""
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory(prefix="kehu-before-") as tree:
        archive = subprocess.run(["git", "-C", str(root), "archive", ref, "udfs"], capture_output=True)
        if archive.returncode:
            print(f"(no 'before' figures: git archive {ref} failed: {archive.stderr.decode().strip()})")
            return None
        subprocess.run(["tar", "-x", "-C", tree], input=archive.stdout, check=True)
        child = subprocess.run([sys.executable, script, "--child", tree, str(n), str(seed)],
                               capture_output=True, text=True)
        if child.returncode:
            print(f"(no 'before' figures: {ref}'s code failed: {child.stderr.strip()[-300:]})")
            return None
        return json.loads(child.stdout.strip().splitlines()[-1])


def time_revision(ref: str, n: int, seed: int) -> dict[str, tuple[float, float, int]] | None:
    """time_all for the udfs/ of git revision `ref`, in a child process (None when it cannot run)."""
    got = revision_child(ref, __file__, n, seed)
    return None if got is None else {k: tuple(v) for k, v in got.items()}


def main(sizes: list[int], before: str | None, seed: int = 0) -> None:
    for n in sizes:
        old = time_revision(before, n, seed) if before else None
        new = time_all(n, seed)
        rev = subprocess.run(["git", "rev-parse", "--short", before], capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parents[1]).stdout.strip() if before else "—"
        print(f"\n== {n:,} rows, seed {seed}: CPU µs per 1,000 rows; before = {before} ({rev}), after = this checkout ==")
        print(f"{'function · column':<34}{'distinct':>10}{'before':>10}{'after':>10}{'after/before':>14}"
              f"{'after wall s':>14}")
        totals = [0.0, 0.0]
        for name, (cpu, wall, distinct) in new.items():
            whole = name.startswith("clean_register")  # the run of all of them together: not added to the total
            per = cpu * 1e6 / (n / 1000)
            was = old[name][0] * 1e6 / (n / 1000) if old and name in old else None
            totals[0] += old[name][0] if was is not None and not whole else 0.0
            totals[1] += cpu if not whole else 0.0
            ratio = f"{per / was:>14.2f}" if was else f"{'':>14}"
            print(f"{name:<34}{distinct:>10,}{(f'{was:,.0f}' if was else '—'):>10}{per:>10,.0f}{ratio}{wall:>14.2f}")
        if old:
            print(f"{'all of them (CPU s)':<44}{totals[0]:>10.2f}{totals[1]:>10.2f}{totals[1] / totals[0]:>14.2f}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory of this process: {peak:,.0f} MB; load average {os.getloadavg()[0]:.1f} "
              f"{os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}")


def _child(tree: str, n: int, seed: int) -> None:
    sys.path.insert(0, tree)  # that revision's udfs before this checkout's
    print(json.dumps(time_all(n, seed)))


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--child"]:
        _child(args[1], int(args[2]), int(args[3]))
        sys.exit(0)
    ref = "main"
    if "--before" in args:
        k = args.index("--before")
        ref = args[k + 1]
        del args[k:k + 2]
    main([int(a) for a in args] or [100_000], None if ref == "none" else ref)
