"""Time the complaint-log job and the survey comment analysis on large inputs.

File reading is excluded (as in bench_segment.py): the log's columns are built the way the reader hands them
over (object columns of Python datetimes, numbers and text). The log comes from make_complaint_log.py; about
one text in seven carries an order number, so a 1,000,000-contact log has ~140,000 distinct texts.
Targets (issue 15, 2 cores): 1,000,000 contacts with free text ≤ 60 s and ≤ 4 GB; 100,000 survey comments
themed ≤ 15 s.
Run: python benchmarks/bench_complaints.py [--contacts N] [--comments N]
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from any folder

from benchmarks.make_complaint_log import make_log, make_register  # noqa: E402
from udfs.recognise import recognise_columns  # noqa: E402
from udfs.score.complaints.analysis import analyse_log  # noqa: E402
from udfs.score.complaints.link import link_contacts  # noqa: E402
from udfs.text.comments import analyse_comments  # noqa: E402


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def bench_log(n: int) -> None:
    t0 = time.perf_counter()
    register = make_register(max(n // 7, 100), 1)
    log, _ = make_log(n, 2, register)
    for col in ("受理时间", "解决时间"):  # what the reader gives: Python datetimes / None in object columns
        log[col] = pd.Series(log[col].dt.to_pydatetime(), dtype=object).where(log[col].notna(), None)
    log = log.astype(object)
    t1 = time.perf_counter()
    print(f"log of {n:,} contacts generated in {t1 - t0:.1f} s; {log['客户原话'].nunique():,} distinct texts; "
          f"peak memory so far {_peak_gb():.2f} GB")
    c1 = time.process_time()
    roles = recognise_columns(log, "complaints")
    t2 = time.perf_counter()
    res = analyse_log(log, roles, as_of="2025-01-15")
    t3 = time.perf_counter()
    link_contacts(log, roles, register, recognise_columns(register, "register"), res.contacts)
    t4 = time.perf_counter()
    cpu = time.process_time() - c1  # the machine is shared: CPU seconds say what the job itself costs
    print(f"complaint log, {n:,} contacts: recognise {t2 - t1:.1f} s; analyse (figures, working days, overdue, "
          f"repeat complainers, themes, sentiment, keywords) {t3 - t2:.1f} s; link to a {len(register):,}-customer "
          f"register {t4 - t3:.1f} s; total {t4 - t1:.1f} s wall, {cpu:.1f} s CPU (target ≤ 60 s); "
          f"load average {os.getloadavg()[0]:.1f}; peak memory {_peak_gb():.2f} GB (target ≤ 4 GB)")


def bench_comments(n: int) -> None:
    rng = np.random.default_rng(3)
    head = np.array(["送货太慢", "店员态度很好", "价格有点贵", "质量不错", "售后电话打不通", "APP老是闪退", "門店環境很乾淨",
                     "排队太久", "发票开错了", "没问题", "维修师傅很专业", "The staff were friendly", "性价比很高"])
    tail = np.array(["", "，希望改进", "，谢谢", "，下次还来", "，不太满意", "。", "，其他都还好", "，太失望了"])
    extra = rng.integers(0, 500, n).astype(str)
    text = np.char.add(np.char.add(rng.choice(head, n), rng.choice(tail, n)),
                       np.where(rng.random(n) < 0.5, np.char.add("（第", np.char.add(extra, "次来）")), ""))
    text = text.astype(object)
    text[rng.random(n) < 0.2] = None
    score = rng.normal(70, 15, n)
    flags = np.where(score < np.quantile(score, 0.2), "最不满意", np.where(score > np.quantile(score, 0.8), "最满意", None))
    t0, c0 = time.perf_counter(), time.process_time()
    ca = analyse_comments(text, score, flags)
    t1, c1 = time.perf_counter(), time.process_time()
    print(f"survey comments, {n:,} answers ({pd.Series(text).nunique():,} distinct): themes, sentiment, "
          f"satisfaction comparison, representatives, keywords {t1 - t0:.1f} s wall, {c1 - c0:.1f} s CPU "
          f"(target ≤ 15 s); {ca.answered:,} answered")


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--contacts", type=int, default=1_000_000)
    p.add_argument("--comments", type=int, default=100_000)
    a = p.parse_args()
    bench_comments(a.comments)
    bench_log(a.contacts)
