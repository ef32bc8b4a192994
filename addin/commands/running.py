"""The one shape of every file command: read the table, check its kind, run the job, write the results."""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from addin.book.file import write_to_file
from addin.jobs.results import Results
from addin.read import Table, read_table
from addin.read.kinds import ensure_kind
from addin.write import WriteReport
from udfs.progress import reporting

from .common import Progress, resolve_output
from .results import tell


@dataclass
class Ran:
    table: Table
    results: Results
    report: WriteReport

    def summary(self, **more: Any) -> dict[str, Any]:
        backup = str(self.report.backup) if self.report.backup else None
        return dict(self.results.summary, output=str(self.report.output), backup=backup, **more)


def read_run_write(path: Path, output: Optional[Path], job: Callable[[Table], Results], *, read_kind: str,
                   command: str | None, forced_kind: str | None = None, in_place: bool = False, print_setup: bool = False,
                   sheet: str | None = None, header_row: int | None = None, role_map: dict | None = None,
                   quiet: bool = True, steps: tuple[str, str, str] = ("读取 Reading…", "分析 Analysing…", "写出 Writing…"),
                   check_kind: Callable[[Table], bool] = lambda t: True, mark: bool | None = None) -> Ran:
    """`job(table)` between reading `path` and writing its results (to `output`, or into `path` with in_place;
    `print_setup` gives the data sheet the print setup it lacks in place too, as a copy always gets it)."""
    target = resolve_output(Path(path), output, in_place)
    with Progress(3, quiet) as progress, (nullcontext() if quiet else reporting(progress.rows)):
        progress.step(steps[0])
        table = read_table(path, sheet, kind=read_kind, header_row=header_row, role_overrides=role_map)
        if command is not None and check_kind(table):
            ensure_kind(table, command, forced_kind)
        progress.step(f"{steps[1]} {len(table.df):,} 行 rows")
        results = job(table)
        progress.step(steps[2])
        report = write_to_file(table, results, target, in_place, mark=mark,
                               print_setup=True if print_setup else None)
        tell(report.notes)
    return Ran(table, results, report)
