"""`kehu report` on a generated company (benchmarks/make_company.py): 50,000 customers, 1,000,000 order lines.

Writes the register (.xlsx) and the orders (.csv; a million-row .xlsx is past what Excel users keep in one
sheet) to a temporary folder, then times the whole job — read, analyse, write the 客户分析报告 workbook —
and prints wall and CPU seconds and peak memory (target ≤ 60 s, ≤ 4 GB), and whether each planted pattern
was found. Usage: python benchmarks/bench_report.py [--customers N] [--orders N] [--seed S]
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from any folder
sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_company import make_company  # noqa: E402


def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=50_000)
    ap.add_argument("--orders", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=31)
    args = ap.parse_args()
    from addin.commands.report import analyse_report
    from addin.book.file import write_to_file
    from addin.read import read_table

    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        c = make_company(args.customers, args.orders, seed=args.seed)
        c.register.to_excel(d / "客户档案.xlsx", index=False)
        c.orders.to_csv(d / "订单.csv", index=False)
        planted = c.planted
        del c
        print(f"company: {args.customers:,} customers, {args.orders:,} orders (seed {args.seed}); "
              f"peak before the job {peak_gb():.2f} GB")
        t0, c0 = time.perf_counter(), time.process_time()
        table = read_table(d / "客户档案.xlsx", kind="register")
        res = analyse_report(table, orders=d / "订单.csv", as_of="2024-06-30")
        t1 = time.perf_counter()
        write_to_file(table, res, d / "out.xlsx", False)
        t2, cpu = time.perf_counter(), time.process_time() - c0
        print(f"read + analyse {t1 - t0:.1f} s, write {t2 - t1:.1f} s; total {t2 - t0:.1f} s wall, {cpu:.1f} s CPU "
              f"(target ≤ 60 s); peak memory {peak_gb():.2f} GB (target ≤ 4 GB)")
        sec = {s.keywords["sec"].key: s.keywords["sec"] for s in
               (sh.build for sh in res.sheets if hasattr(sh, "build")) if "sec" in s.keywords}
        rules = next(b for b in sec["cross"].blocks if b.title.startswith("产品关联")).table
        ret = next(b for b in sec["retention"].blocks if b.title.startswith("留存表")).table.dropna(subset=["第3期"])
        region = next(b for b in sec["business"].blocks if b.title.startswith("按区域")).table
        found = {"pair": {rules.iloc[0]["前项"], rules.iloc[0]["后项"]} == set(planted["pair"]),
                 "fast-churn cohort": ret.sort_values("第3期").iloc[0]["首购期"] == planted["fast_churn_cohort"],
                 "under-spending region": region.sort_values("单均收入").iloc[0]["区域"] == planted["under_spending_region"],
                 "bad orders": res.summary["data_problems"]}
        for k, v in found.items():
            print(f"  {k}: {v}")


if __name__ == "__main__":
    main()
