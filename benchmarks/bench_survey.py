"""Time the survey analysis and report sheet for 10,000 and 100,000 responses × 30 items (reading excluded),
with the satisfaction path model fitted without bootstrap and with 200 bootstrap draws.

    python benchmarks/bench_survey.py [SIZES …] [--before REF] [--repeat N]

Each figure is wall and CPU seconds of one analysis + report sheet, after a warm-up on 2,000 rows (imports and
caches are start-up, not analysis). `--before REF` times the code of git revision REF in the same run (its
tree exported to a temporary folder), alternating with this tree, `--repeat` times each (default 3), and
prints the best and the median of each with the load average.
"""
from __future__ import annotations

import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def make_sheet(n: int, k: int = 30, seed: int = 0) -> pd.DataFrame:
    """Raw cells as the reader delivers them: object columns, numbers with a few level labels and blanks."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(0, 1, n)
    data = {"答卷编号": [f"R{i:07d}" for i in range(n)],
            "门店": rng.choice(["县城店", "乡镇店", "市区店"], n),
            "性别": rng.choice(["男", "女"], n),
            "年龄段": rng.choice(["18-25岁", "26-35岁", "36-45岁", "46岁以上"], n)}
    labels = np.array([None, "非常不满意", "不满意", "一般", "满意", "非常满意"], dtype=object)
    for j in range(k):
        v = np.clip(np.rint(3.5 + 0.8 * theta + rng.normal(0, 0.8, n)), 1, 5).astype(int)
        col = v.astype(float).astype(object)
        as_label = rng.random(n) < 0.03
        col[as_label] = labels[v[as_label]]
        col[rng.random(n) < 0.01] = None
        data[f"{['产品', '服务', '物流', '沟通', '价格'][j % 5]}-Q{j + 1}"] = col
    data["总体满意度"] = np.clip(np.rint(3.5 + theta), 1, 5).astype(float).astype(object)
    data["推荐意愿（0-10）"] = np.clip(np.rint(7 + 2 * theta), 0, 10).astype(float).astype(object)
    data["意见"] = np.where(rng.random(n) < 0.2, "送货慢", None)
    data["用时（秒）"] = np.rint(rng.lognormal(np.log(300), 0.4, n)).astype(float).astype(object)
    return pd.DataFrame(data)


def time_one(n: int, draws: int) -> dict:
    """One timed analysis + report sheet of `n` responses (in this process, with the code on sys.path)."""
    import xlsxwriter
    import scipy.special  # noqa: F401  (imports are start-up, not analysis: scipy.special ~0.3 s, zhconv its dictionary)
    import zhconv  # noqa: F401

    from addin.report.survey_sheet import build_survey_sheet
    from udfs.score.survey import analyse_survey

    df = make_sheet(n)
    analyse_survey(df.head(2000), issued=2400, bootstrap=0)  # warm-up: lazy imports and label caches
    t0, c0 = time.perf_counter(), time.process_time()
    res = analyse_survey(df, issued=int(n * 1.2), bootstrap=draws)
    t1 = time.perf_counter()
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    build_survey_sheet(wb, wb.add_worksheet("满意度报告"), res)
    flagged = res.invalid_table()
    wb.close()
    t2, c2 = time.perf_counter(), time.process_time()
    return {"analysis": t1 - t0, "sheet": t2 - t1, "wall": t2 - t0, "cpu": c2 - c0, "valid": res.response["valid"],
            "flagged": len(flagged), "index": float(res.dimensions.iloc[-1]["value"]),
            "model_n": res.model.n if res.model else 0}


def _child(code: Path, n: int, draws: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(code))
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", str(code), str(n), str(draws)],
                         env=env, capture_output=True, text=True, check=True, cwd=str(code))
    return json.loads(out.stdout.strip().splitlines()[-1])


def _line(label: str, n: int, draws: int, runs: list[dict]) -> str:
    best = min(runs, key=lambda r: r["wall"])
    med_wall = statistics.median(r["wall"] for r in runs)
    med_cpu = statistics.median(r["cpu"] for r in runs)
    return (f"{label:>7} {n:>7,} × 30, {draws:>3} draws: best {best['wall']:5.2f} s wall / {best['cpu']:5.2f} s CPU "
            f"(analysis {best['analysis']:5.2f}, sheet {best['sheet']:4.2f}); median {med_wall:5.2f} s wall / "
            f"{med_cpu:5.2f} s CPU over {len(runs)}  (valid {best['valid']:,}, flagged {best['flagged']:,}, "
            f"index {best['index']:.1f}, model n {best['model_n']:,})")


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        sys.path.insert(0, argv[1])
        print(json.dumps(time_one(int(argv[2]), int(argv[3]))))
        return
    before = argv[argv.index("--before") + 1] if "--before" in argv else None
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    skip = {i + 1 for i, a in enumerate(argv) if a in ("--before", "--repeat")}
    sizes = [int(a) for i, a in enumerate(argv) if not a.startswith("--") and i not in skip] or [10_000, 100_000]
    with tempfile.TemporaryDirectory() as tmp:
        trees = [("this", ROOT)]
        if before:
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", before], capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
            trees.insert(0, (before[:7], Path(tmp)))
        for n in sizes:
            for draws in (0, 200):
                runs: dict[str, list[dict]] = {label: [] for label, _ in trees}
                load = os.getloadavg()
                for _ in range(repeat):  # alternate the trees so that both see the same machine
                    for label, code in trees:
                        runs[label].append(_child(code, n, draws))
                load = tuple(max(a, b) for a, b in zip(load, os.getloadavg()))
                for label, _ in trees:
                    print(_line(label, n, draws, runs[label]))
                print(f"        load average (1, 5, 15 min, the higher of start and end): "
                      f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
