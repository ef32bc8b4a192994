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
from benchmarks import splink_compare  # noqa: E402
from benchmarks.dedupe_accuracy import by_corruption, look_alike_rates  # noqa: E402
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
        if i == 3 and splink_compare.available():
            g, seconds = splink_compare.febrl_groups(df)
            print(_line(f"dataset{i} splink ({seconds:.1f} s)", pair_scores(g, entity)))
        out[f"febrl{i}"] = s["f1"]
    return out


#: The matcher was tuned on TUNING_SEED only. The evaluation seeds were drawn once, before measuring, from
#: sha256(b"kehu issue 20 evaluation seeds 2026-12-01") (three 8-hex-digit slices mod 1000003), and their
#: results were not looked at while tuning.
TUNING_SEED = 7
EVALUATION_SEEDS = (921020, 522168, 521579)


def febrl_cli_report() -> dict:
    """Febrl 1–3 as a user runs them: `kehu dedupe datasetN.csv` with no options, scored from the output file."""
    import shutil
    import tempfile

    print("Febrl through the plain CLI (`kehu dedupe datasetN.csv`, no options; target F1 ≥ 0.995)")
    out = {}
    kehu = [sys.executable, "-m", "addin.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        for i in (1, 2, 3):
            src = Path(tmp) / f"dataset{i}.csv"
            shutil.copy(FEBRL_DIR / src.name, src)
            t = time.perf_counter()
            run = subprocess.run(kehu + ["dedupe", str(src), "--quiet"], capture_output=True, text=True, cwd=tmp,
                                 env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
            elapsed = time.perf_counter() - t
            outputs = [p for p in Path(tmp).glob(f"dataset{i}*.xlsx")]
            if run.returncode != 0 or not outputs:
                print(f"  dataset{i}: exit {run.returncode} {run.stdout.strip()[-200:]} {run.stderr.strip()[-200:]}")
                continue
            sheet = pd.read_excel(outputs[0], sheet_name=0, dtype=object, engine="openpyxl")
            sheet.columns = [str(c).strip() for c in sheet.columns]
            entity = sheet["rec_id"].astype(str).str.extract(r"rec-(\d+)-")[0].astype(int).to_numpy()
            s = pair_scores(pd.to_numeric(sheet["重复组"], errors="coerce").to_numpy(), entity)
            print(_line(f"dataset{i} kehu dedupe ({elapsed:.1f} s end to end)", s))
            out[f"febrl{i}_cli"] = s["f1"]
    return out


def chinese_report(n_rows: int = 20_000, seeds: tuple[int, ...] = EVALUATION_SEEDS) -> dict:
    print(f"Generated Chinese register, {n_rows} rows per seed, seeds {', '.join(map(str, seeds))} "
          "(targets: F1 ≥ 0.99, precision ≥ 0.99, written name typos recall ≥ 0.95, look-alikes ≤ 0.5 %)")
    kinds: dict[str, list] = {}
    looks: dict[str, list] = {}
    overall = []
    for seed in seeds:
        register, truth = generate_register(n_rows, seed=seed, numeric_mobiles=True, written_typos=True)
        t = time.perf_counter()
        result = find_duplicates(register, ROLES)
        elapsed = time.perf_counter() - t
        groups = result.rows["重复组"].to_numpy()
        s = pair_scores(groups, truth["实体"].to_numpy())
        overall.append(s)
        print(_line(f"seed {seed} kehu ({elapsed:.2f} s)", s))
        if seed == seeds[0]:
            for cols in (["姓名", "手机"], ["姓名", "手机", "邮箱", "公司名称"]):
                base = pair_scores(exact_groups(register, cols), truth["实体"].to_numpy())
                print(_line("  exact raw " + "+".join(cols), base))
        for k, v in by_corruption(groups, truth).items():
            kinds.setdefault(k, []).append(v)
        if seed == seeds[0] and splink_compare.available():
            g, seconds = splink_compare.register_groups(register)
            sp = pair_scores(g, truth["实体"].to_numpy())
            typo = by_corruption(g, truth)["written name typo (any)"]
            looks_sp = look_alike_rates(g, truth)
            print(_line(f"  splink, same register ({seconds:.1f} s)", sp,
                        f"  written typos R={typo['recall']:.3f} P={typo['precision']:.3f}; look-alikes joined: "
                        + ", ".join(f"{k.strip()} {v[2]:.2%}" for k, v in looks_sp.items() if "of which" not in k)))
        for k, v in look_alike_rates(groups, truth).items():
            looks.setdefault(k, []).append(v)
        print(f"  flagged 疑似重复 rows: {int((result.rows['重复标记'] == '疑似重复').sum())}; "
              f"rows with no blocking key: {result.summary.get('rows_without_key_share', float('nan')):.3%}")
    print("  by corruption kind (pairs involving a copy with that kind, summed over the seeds):")
    for k, vs in sorted(kinds.items(), key=lambda kv: kv[0]):
        tp = sum(v["recall"] * v["true_pairs"] for v in vs)
        true, pred = sum(v["true_pairs"] for v in vs), sum(v["predicted_pairs"] for v in vs)
        tp_p = sum(v["precision"] * v["predicted_pairs"] for v in vs)
        p, r = (tp_p / pred if pred else 1.0), (tp / true if true else 1.0)
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"    {k:<28} P={p:.4f} R={r:.4f} F1={f:.4f}  (true pairs {true})")
    print("  look-alikes (pairs of different customers; share joined into one group, summed over the seeds):")
    for k, vs in looks.items():
        n, bad = sum(v[0] for v in vs), sum(v[1] for v in vs)
        print(f"    {k:<28} {bad:>5} of {n:>7} = {bad / n if n else 0:.3%}")
    tp = sum(s["recall"] * s["true_pairs"] for s in overall)
    true, pred = sum(s["true_pairs"] for s in overall), sum(s["predicted_pairs"] for s in overall)
    p, r = tp / pred if pred else 1.0, tp / true if true else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"  all seeds: P={p:.4f} R={r:.4f} F1={f1:.4f}")
    return {"chinese": f1}


def speed_report(sizes: list[int]) -> None:
    print("Speed (generated Chinese register; each size in a fresh process; 2 cores shared with other work:")
    print("  wall time varies with load, CPU time is the steadier figure)")
    print("  splink reference: 3.2 s at 5,000, 10.7 s at 20,000 records → 10× target: ≤ 1.07 s at 20,000")
    for n in sizes:
        cmd = [sys.executable, __file__, "--one-size", str(n)]
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        print("  " + (out.stdout.strip() or out.stderr.strip().splitlines()[-1]))


def cli_speed(n: int = 100_000) -> None:
    """Engine and `kehu dedupe FILE` end to end on the same n-row register (.xlsx in, .xlsx out), each in a
    fresh process, in one run: wall and CPU seconds, the load average, and end to end ÷ engine (issue 19:
    ≤ 2; issue 20: end to end ≤ 15 s, engine ≤ 4 s)."""
    import os
    import tempfile

    register, _ = generate_register(n, seed=11, numeric_mobiles=True, written_typos=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "客户档案.xlsx"
        register.to_excel(src, index=False, engine="xlsxwriter")
        register.to_pickle(Path(tmp) / "register.pkl")
        load = os.getloadavg()
        engine = subprocess.run([sys.executable, __file__, "--engine-on", str(Path(tmp) / "register.pkl")],
                                capture_output=True, text=True, cwd=ROOT, env=env)
        t, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        run = subprocess.run([sys.executable, "-m", "addin.cli", "dedupe", str(src), "--quiet"], capture_output=True,
                             text=True, cwd=ROOT, env=env)
        elapsed, after = time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN)
        stages = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "dedupe_stages.py"), str(src),
                                 str(Path(tmp) / "stages.xlsx")],
                                capture_output=True, text=True, cwd=ROOT, env=env)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    status = "exit 0" if run.returncode == 0 else f"exit {run.returncode}: {run.stderr.strip()[-200:]}"
    try:
        engine_wall, engine_cpu = (float(x) for x in engine.stdout.split()[:2])
    except ValueError:
        print("  engine run failed: " + (engine.stderr.strip().splitlines() or ["?"])[-1])
        engine_wall = engine_cpu = float("nan")
    print(f"  same register, {n:,} rows (load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the start):")
    print(f"    engine (find_duplicates):  {engine_wall:6.1f} s wall, {engine_cpu:6.1f} s CPU (target ≤ 4 s)")
    print(f"    kehu dedupe end to end:    {elapsed:6.1f} s wall, {cpu:6.1f} s CPU ({status}; target ≤ 15 s)")
    print(f"    end to end ÷ engine:       {elapsed / engine_wall:6.2f} wall, {cpu / engine_cpu:6.2f} CPU (target ≤ 2)")
    print("    end to end by stage (one more run, in process, timers around each stage):")
    for line in ([t for t in stages.stdout.splitlines() if " s wall " in t]
                 or [f"failed: {stages.stderr.strip()[-200:]}"]):
        print("      " + line)


def engine_on(path: str) -> None:
    """Print the engine's wall and CPU seconds on a pickled register (a fresh process, for cli_speed)."""
    register = pd.read_pickle(path)
    gc.collect()
    t, cpu = time.perf_counter(), time.process_time()
    find_duplicates(register, ROLES)
    print(f"{time.perf_counter() - t:.3f} {time.process_time() - cpu:.3f}")


def one_size(n: int) -> None:
    register, truth = generate_register(n, seed=11)
    gc.collect()
    t, cpu = time.perf_counter(), time.process_time()
    result = find_duplicates(register, ROLES)
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
    s = pair_scores(result.rows["重复组"].to_numpy(), truth["实体"].to_numpy())
    stages = ", ".join(f"{k} {v:.2f}" for k, v in result.summary["seconds"].items())
    print(f"{n:>9,} rows: {elapsed:7.2f} s wall, {cpu:7.2f} s CPU (load {__import__('os').getloadavg()[0]:.1f})  peak RSS {peak_gb:.2f} GB (incl. generator)  F1={s['f1']:.4f}"
          f"  candidate pairs {result.summary['candidate_pairs']:,}  [{stages}]")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--max-rows", type=int, default=1_048_576)
    parser.add_argument("--one-size", type=int)
    parser.add_argument("--engine-on", help=argparse.SUPPRESS)
    parser.add_argument("--chinese-rows", type=int, default=20_000)
    parser.add_argument("--tune", action="store_true", help="the tuning seed only (never the evaluation seeds)")
    parser.add_argument("--speed-only", action="store_true", help="only the engine and end-to-end speed at 100,000")
    args = parser.parse_args()
    if args.one_size:
        one_size(args.one_size)
        return
    if args.engine_on:
        engine_on(args.engine_on)
        return
    if args.speed_only:
        cli_speed(100_000)
        speed_report([100_000])
        return
    febrl_report()
    febrl_cli_report()
    chinese_report(args.chinese_rows, (TUNING_SEED,) if args.tune else EVALUATION_SEEDS)
    if not args.skip_speed:
        cli_speed(100_000)
        speed_report([n for n in (5_000, 10_000, 20_000, 100_000, 1_048_576) if n <= args.max_rows])


if __name__ == "__main__":
    main()
