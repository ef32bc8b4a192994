"""Write-back against the fastest writers here: the columns `kehu clean` adds, written three ways, one run.

  kehu        — write_results splicing the added columns into a copy of the register (benchmarks/make_register.py)
  rustpy      — rustpy-xlsxwriter (Rust) writing the same columns as a DataFrame into a new file
  xlsxwriter  — XlsxWriter in constant_memory mode writing the same cells into a new file
and the ratio kehu / fastest (target, issue 19: ≤ 1.5). Each runs in a fresh process, so the peak RSS printed is
its own; wall and CPU seconds are both printed, with the load average, because the machine is shared.

The added columns are a faithful stand-in for clean's output on this register, made from the register's own
columns (benchmarks.make_register.columns): the nine text columns clean normalises (blank where the source is),
two date columns, a whole-number and an amount column, and a problems column that is mostly blank — the same
14 columns, types and number formats clean adds to it. Making them is not timed.
A second table compares text cells as inline strings (kehu's choice) and as shared strings, for generating and
deflating the added cells alone.

Usage: python benchmarks/bench_write.py [ROWS ...]     (default 100000 1048575, a full sheet; cached)
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.make_register import columns as register_columns  # noqa: E402
from benchmarks.make_register import make_register  # noqa: E402

TEXT = ["姓名", "性别", "手机", "电话", "邮箱", "公司名称", "省份", "城市", "地址"]
PROBLEMS = np.array(["MOBILE_LENGTH 手机号码位数不对", "EMAIL_FORMAT 邮箱格式不对", "DATE_UNREADABLE 日期无法识别"])


def added_columns(n: int) -> list[tuple[str, object, str | None]]:
    """(header, values, number format) for the 14 columns clean adds to the bench register."""
    raw = register_columns(n)
    out: list[tuple[str, object, str | None]] = []
    for name in TEXT:
        values = raw[name].astype(object)
        values[values == ""] = None
        out.append((f"{name}(规范)", values, None))
    first = pd.to_datetime(pd.Series(raw["首次接触日期"]), errors="coerce", format="%Y-%m-%d").to_numpy()
    out.append(("首次接触日期(日期)", first, "yyyy-mm-dd"))
    out.append(("最近购买日期(日期)", raw["最近购买日期"].astype("datetime64[ns]"), "yyyy-mm-dd"))
    out.append(("购买次数(整数)", raw["购买次数"].astype(float), "0"))
    out.append(("累计金额(数值)", raw["累计金额"].astype(float), "#,##0.00"))
    rng = np.random.default_rng(19)
    problems = np.full(n, None, dtype=object)
    hit = rng.random(n) < 0.12
    problems[hit] = PROBLEMS[rng.integers(0, len(PROBLEMS), int(hit.sum()))]
    out.append(("问题", problems, None))
    return out


def run_kehu(register: str, n: int, out: str) -> None:
    from addin.write import AddedColumn, write_results
    cols = [AddedColumn(h, v, number_format=f) for h, v, f in added_columns(n)]
    start = _clock()
    # the sheet's extent as read_table scanned it, as `kehu clean` passes it
    write_results(Path(register), Path(out), sheet="客户档案", header_row=1, rows=np.arange(2, n + 2), columns=cols,
                  extent=(n + 1, 15))
    _report(start)


def run_rustpy(register: str, n: int, out: str) -> None:
    from rustpy_xlsxwriter import FastExcel
    frame = pd.DataFrame({h: v for h, v, _ in added_columns(n)})
    start = _clock()
    FastExcel(out).sheet("客户档案", frame).save()
    _report(start)


def run_xlsxwriter(register: str, n: int, out: str) -> None:
    import xlsxwriter
    cols = added_columns(n)
    lists = [(h, pd.Series(v).tolist(), f) for h, v, f in cols]
    start = _clock()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = book.add_worksheet("客户档案")
    formats = [book.add_format({"num_format": f}) if f else None for _, _, f in lists]
    for j, (header, _, _) in enumerate(lists):
        sheet.write_string(0, j, header)
    for i in range(n):   # constant_memory mode takes cells a row at a time
        for j, (_, values, _) in enumerate(lists):
            v = values[i]
            if v is None or v is pd.NaT or (isinstance(v, float) and v != v):
                continue
            if isinstance(v, str):
                sheet.write_string(i + 1, j, v)
            elif isinstance(v, pd.Timestamp):
                sheet.write_datetime(i + 1, j, v.to_pydatetime(), formats[j])
            else:
                sheet.write_number(i + 1, j, v, formats[j])
    book.close()
    _report(start)


def run_text_forms(register: str, n: int, out: str) -> None:
    """Inline vs shared strings for the text columns: make the cells' XML (and, shared, the string table) and
    deflate it with the codec kehu uses; nothing is written to disk."""
    from addin.write.cell_parts import column_parts, row_cells_grid
    from addin.write.deflate import compressor
    texts = [(h, v) for h, v, f in added_columns(n) if f is None]
    rows = np.arange(2, n + 2)
    letters = [chr(ord("P") + j) for j in range(len(texts))]
    result = {}
    for form in ("inline", "shared"):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        deflate, size, table = compressor(fast=True), 0, b""
        for lo in range(0, n, 100_000):
            block = slice(lo, min(lo + 100_000, n))
            if form == "inline":
                parts = [column_parts(v[block], lambda kind: 0) for _, v in texts]
            else:   # the index of each text in a shared-string table, as a number cell of type "s"
                parts = []
                for _, v in texts:
                    codes = pd.Series(v[block]).astype(object)
                    index = np.where(pd.isna(codes), "", pd.factorize(codes)[0].astype(str)).astype(object)
                    parts.append(column_parts(pd.Series(index).replace("", None).to_numpy(dtype=object),
                                              lambda kind: 0))
                    parts[-1].parts = ['" t="s"><v>', parts[-1].parts[1], "</v></c>"]
            grid = row_cells_grid(rows[block], letters, parts)
            size += len(deflate.compress("".join(grid.ravel().tolist()).encode("utf-8")))
        if form == "shared":
            uniques = pd.unique(np.concatenate([pd.Series(v).dropna().to_numpy(dtype=object) for _, v in texts]))
            table = "".join(f"<si><t>{t}</t></si>" for t in uniques.tolist()).encode("utf-8")
            size += len(deflate.compress(table))
        size += len(deflate.flush())
        result[form] = {"wall": time.perf_counter() - start_wall, "cpu": time.process_time() - start_cpu,
                        "deflated_mb": size / 1e6}
    print(json.dumps(result))


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _report(start: tuple[float, float]) -> None:
    wall, cpu = time.perf_counter() - start[0], time.process_time() - start[1]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"wall": wall, "cpu": cpu, "peak_mb": peak}))


RUNNERS = {"kehu": run_kehu, "rustpy": run_rustpy, "xlsxwriter": run_xlsxwriter, "text-forms": run_text_forms}


def _child(kind: str, register: Path, n: int, out: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", kind, str(register), str(n), str(out)],
                          capture_output=True, text=True)
    if proc.returncode:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(sizes: list[int]) -> None:
    from addin.write.deflate import codec
    print(f"deflate codec: {codec()[0]}")
    for n in sizes:
        register = make_register(n)
        print(f"\n{n:,} rows × 14 added columns   (load average before: {os.getloadavg()[0]:.1f})")
        print(f"{'writer':<12} {'wall s':>8} {'CPU s':>8} {'peak MB':>8} {'file MB':>8}")
        with tempfile.TemporaryDirectory(dir=register.parent) as folder:
            figures = {}
            for kind in ("kehu", "rustpy", "xlsxwriter"):
                out = Path(folder) / f"{kind}.xlsx"
                r = figures[kind] = _child(kind, register, n, out)
                if "error" in r:
                    print(f"{kind:<12} failed: {r['error']}")
                    continue
                print(f"{kind:<12} {r['wall']:>8.2f} {r['cpu']:>8.2f} {r['peak_mb']:>8.0f} "
                      f"{out.stat().st_size / 1e6:>8.1f}", flush=True)
                out.unlink()
            others = {k: v for k, v in figures.items() if k != "kehu" and "error" not in v}
            if others and "error" not in figures["kehu"]:
                fastest = min(others, key=lambda k: others[k]["wall"])
                print(f"kehu / fastest ({fastest}): wall {figures['kehu']['wall'] / others[fastest]['wall']:.2f}, "
                      f"CPU {figures['kehu']['cpu'] / others[fastest]['cpu']:.2f}   (target ≤ 1.5)")
            forms = _child("text-forms", register, n, Path(folder) / "unused")
            if "error" not in forms:
                print("text cells (10 columns), made and deflated:  " + "   ".join(
                    f"{k} {v['wall']:.2f} s wall / {v['cpu']:.2f} s CPU, {v['deflated_mb']:.1f} MB"
                    for k, v in forms.items()))
        print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, register, rows, out = sys.argv[2:6]
        RUNNERS[kind](register, int(rows), out)
    else:
        main([int(a) for a in sys.argv[1:]] or [100_000, 1_048_575])
