"""What `--mark` costs: the clean job's write-back with marks (fills, notes, filter) and without, on one
generated register, in the same run; then `kehu unmark` on the marked copy.

Prints wall and CPU seconds of each write (one process, the table read and cleaned once), the number of
notes and conditional-format ranges written, and the load average. Usage:
    python benchmarks/bench_marks.py [ROWS]   (default 100000)
"""
from __future__ import annotations

import copy
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.make_register import make_register  # noqa: E402


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main(rows: int) -> None:
    from addin.book.file import write_to_file
    from addin.commands.clean import analyse_clean
    from addin.read import read_table
    from addin.write.unmark_package import unmark_file

    path = make_register(rows)
    table = read_table(path)
    results = analyse_clean(table)
    folder = Path(tempfile.mkdtemp(prefix="kehu-bench-marks-"))
    print(f"{len(table.rows)} rows, load average {os.getloadavg()[0]:.1f}; "
          f"{len(results.marks.cells)} problem cells to mark")
    figures = {}
    for label, mark in (("without marks", False), ("with marks", True)):
        # write_to_file empties the table's DataFrame: each write gets its own copy
        _, wall, cpu = _timed(lambda: write_to_file(copy.copy(table), results, folder / f"{label}.xlsx", False,
                                                    mark=mark))
        figures[label] = cpu
        print(f"  write {label:14s} {wall:6.2f} s wall {cpu:6.2f} s CPU")
    with zipfile.ZipFile(folder / "with marks.xlsx") as z:
        notes = sum(z.read(n).count(b"<comment ") for n in z.namelist() if "comments" in n)
        sheet = z.read("xl/worksheets/sheet1.xml")
        tail = sheet[sheet.rfind(b"</sheetData>"):]
        formats, cells = tail.count(b"<conditionalFormatting "), tail.count(b" ", tail.find(b"sqref="))
    print(f"  {notes} notes (legend included), {formats} conditional formats over about {cells} ranges")
    print(f"  marks add {figures['with marks'] - figures['without marks']:.2f} s CPU to the write")
    done, wall, cpu = _timed(lambda: unmark_file(folder / "with marks.xlsx", folder / "unmarked.xlsx"))
    print(f"  kehu unmark        {wall:6.2f} s wall {cpu:6.2f} s CPU ({done.notes} notes removed)")
    print(f"  load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
