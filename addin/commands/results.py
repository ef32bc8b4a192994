"""The CLI's side of writing: write a job's Results into a file and tell the user what the writer noted."""
from __future__ import annotations

from pathlib import Path

from addin.book.file import write_to_file as _write_file
from addin.jobs.results import Results, combine, reading_lines
from addin.read import Table
from addin.write import WriteReport

__all__ = ["Results", "combine", "reading_lines", "tell", "write_to_file"]


def write_to_file(table: Table, results: Results, output: Path | None, in_place: bool) -> WriteReport:
    report = _write_file(table, results, output, in_place)
    tell(report.notes)
    return report


def tell(notes: list[tuple[str, str]]) -> None:
    """What the writer did that the user must know (a renamed result sheet, sheets not carried over)."""
    from .common import err

    for zh, en in notes:
        err.print(f"[yellow]注意：{zh}[/]", highlight=False)
        err.print(f"[dim]Note: {en}[/]", highlight=False)
