"""Accuracy and speed of the duplicate engine: Febrl 1–3, a generated Chinese register, 10k → 1M rows.

Prints pairwise precision / recall / F1 at the 重复 level (pairs inside one predicted group that are one
true customer), next to an exact-match baseline, then run time and peak memory by register size.
Usage: python benchmarks/bench_dedupe.py [--skip-speed] [--max-rows N]
References measured on this machine (issue 4): splink 5.0 F1 0.988 at p ≥ 0.9 (0.996 clustered) on
Febrl3, 3.2 s on 5,000 and 10.7 s on 20,000 records; recordlinkage 0.972; exact name + birth 0.474.
"""
from __future__ import annotations

import argparse
import gc
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.chinese_register import ROLES, generate_register  # noqa: E402
from udfs.match.engine import find_duplicates  # noqa: E402

FEBRL_DIR = ROOT / "tests" / "data" / "febrl"


def load_febrl(i: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Febrl data set i → (records without rec_id, true entity per row from rec-N-org / rec-N-dup-k)."""
    df = pd.read_csv(FEBRL_DIR / f"dataset{i}.csv", dtype=str, skipinitialspace=True)
    df.columns = [c.strip() for c in df.columns]
    df = df.apply(lambda c: c.str.strip())
    entity = df["rec_id"].str.extract(r"rec-(\d+)-")[0].astype(int).to_numpy()
    return df.drop(columns="rec_id"), entity


def pair_scores(predicted: np.ndarray, truth: np.ndarray) -> dict:
    """Pairwise precision/recall/F1 of a grouping, counted with combinatorics (no pair lists).

    predicted: group id per row, 0 (or NaN) for rows in no group; truth: entity per row.
    """
    pred = pd.Series(predicted).fillna(0).astype(np.int64).to_numpy()
    pred = np.where(pred > 0, pred, -np.arange(1, len(pred) + 1))  # ungrouped rows are their own group

    def pairs(counts: np.ndarray) -> int:
        return int((counts * (counts - 1) // 2).sum())

    predicted_pairs = pairs(pd.Series(pred).value_counts().to_numpy())
    true_pairs = pairs(pd.Series(truth).value_counts().to_numpy())
    both = pairs(pd.DataFrame({"p": pred, "t": truth}).value_counts().to_numpy())
    precision = both / predicted_pairs if predicted_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "true_pairs": true_pairs,
            "predicted_pairs": predicted_pairs}


def exact_groups(df: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """What Remove Duplicates does: rows equal on the raw columns (all present) form a group."""
    sub = df[columns].astype(str).where(df[columns].notna(), None)
    complete = sub.notna().all(axis=1).to_numpy()
    codes = sub.groupby(columns, dropna=False, sort=False).ngroup().to_numpy() + 1
    sizes = pd.Series(codes).map(pd.Series(codes).value_counts()).to_numpy()
    return np.where(complete & (sizes > 1), codes, 0)


def _line(name: str, s: dict, extra: str = "") -> str:
    return (f"  {name:<38} P={s['precision']:.4f} R={s['recall']:.4f} F1={s['f1']:.4f}"
            f"  (true pairs {s['true_pairs']}, predicted {s['predicted_pairs']}){extra}")


def febrl_report() -> dict:
    print("Febrl (pairwise, 重复 level; target F1 ≥ 0.99)")
    out = {}
    for i in (1, 2, 3):
        df, entity = load_febrl(i)
        roles = {c: c for c in df.columns}
        t = time.perf_counter()
        result = find_duplicates(df, roles)
        elapsed = time.perf_counter() - t
        s = pair_scores(result.rows["重复组"].to_numpy(), entity)
        base = pair_scores(exact_groups(df, ["given_name", "surname", "date_of_birth"]), entity)
        print(_line(f"dataset{i} kehu ({len(df)} rows, {elapsed:.2f} s)", s))
        print(_line(f"dataset{i} exact name + birth date", base))
        out[f"febrl{i}"] = s["f1"]
    return out


def chinese_report(n_rows: int = 20_000, seed: int = 7) -> dict:
    print(f"Generated Chinese register, {n_rows} rows (target F1 ≥ 0.97)")
    register, truth = generate_register(n_rows, seed=seed)
    t = time.perf_counter()
    result = find_duplicates(register, ROLES)
    elapsed = time.perf_counter() - t
    entity = truth["实体"].to_numpy()
    s = pair_scores(result.rows["重复组"].to_numpy(), entity)
    print(_line(f"kehu ({elapsed:.2f} s)", s))
    for cols in (["姓名", "手机"], ["姓名", "手机", "邮箱", "公司名称"], [c for c in register.columns if c not in ("客户编号", "最近购买日期")]):
        base = pair_scores(exact_groups(register, cols), entity)
        print(_line("exact raw " + "+".join(cols[:4]) + ("…" if len(cols) > 4 else ""), base))
    # hard negatives: pairs in one predicted group that are different people of one family / company
    grp = pd.Series(result.rows["重复组"].to_numpy()).fillna(0).astype(int).to_numpy()
    frame = pd.DataFrame({"g": grp, "e": entity, "fam": truth["家庭"].to_numpy(), "co": truth["公司编号"].to_numpy()})
    grouped = frame[frame.g > 0]
    mixed = grouped.groupby("g")["e"].nunique()
    bad = grouped[grouped.g.isin(mixed[mixed > 1].index)]
    fam = int(bad[bad.fam >= 0].groupby("g")["fam"].nunique().eq(1).sum())
    print(f"  groups mixing people: {int((mixed > 1).sum())} (of which one family: {fam}); "
          f"flagged 疑似重复 rows: {int((result.rows['重复标记'] == '疑似重复').sum())}")
    by_kind = {}
    dup_rows = truth["损坏"].astype(str) != ""
    for kind in sorted({k for v in truth.loc[dup_rows, "损坏"] for k in str(v).split(",") if k}):
        rows = truth.index[truth["损坏"].astype(str).str.contains(kind)]
        caught = (grp[rows] > 0).mean()
        by_kind[kind] = caught
    print("  duplicate rows caught by corruption kind: " + ", ".join(f"{k} {v:.3f}" for k, v in by_kind.items()))
    return {"chinese": s["f1"]}


def speed_report(sizes: list[int]) -> None:
    print("Speed (generated Chinese register; each size in a fresh process; 2 cores shared with other work:")
    print("  wall time varies with load, CPU time is the steadier figure)")
    print("  splink reference: 3.2 s at 5,000, 10.7 s at 20,000 records → 10× target: ≤ 1.07 s at 20,000")
    for n in sizes:
        cmd = [sys.executable, __file__, "--one-size", str(n)]
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        print("  " + (out.stdout.strip() or out.stderr.strip().splitlines()[-1]))


def one_size(n: int) -> None:
    register, truth = generate_register(n, seed=11)
    gc.collect()
    t, cpu = time.perf_counter(), time.process_time()
    result = find_duplicates(register, ROLES)
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
    s = pair_scores(result.rows["重复组"].to_numpy(), truth["实体"].to_numpy())
    stages = ", ".join(f"{k} {v:.2f}" for k, v in result.summary["seconds"].items())
    print(f"{n:>9,} rows: {elapsed:7.2f} s wall, {cpu:7.2f} s CPU  peak RSS {peak_gb:.2f} GB (incl. generator)  F1={s['f1']:.4f}"
          f"  candidate pairs {result.summary['candidate_pairs']:,}  [{stages}]")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--max-rows", type=int, default=1_048_576)
    parser.add_argument("--one-size", type=int)
    parser.add_argument("--chinese-rows", type=int, default=20_000)
    args = parser.parse_args()
    if args.one_size:
        one_size(args.one_size)
        return
    febrl_report()
    chinese_report(args.chinese_rows)
    if not args.skip_speed:
        speed_report([n for n in (5_000, 10_000, 20_000, 100_000, 1_048_576) if n <= args.max_rows])


if __name__ == "__main__":
    main()
