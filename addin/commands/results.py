"""The CLI's side of writing: tell the user what the writer noted (a renamed result sheet, sheets not carried over)."""
from __future__ import annotations

from addin.book.file import write_to_file
from addin.jobs.results import Results, combine, reading_lines

__all__ = ["Results", "combine", "reading_lines", "tell", "write_to_file"]


def tell(notes: list[tuple[str, str]]) -> None:
    from .common import err

    for zh, en in notes:
        err.print(f"注意：{zh}", style="yellow")
        err.print(f"Note: {en}", style="dim")
