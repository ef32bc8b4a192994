"""The workbook port: where a job's Results are rendered (a saved file, the open workbook, xlwings Lite)."""
from __future__ import annotations

from .port import WorkbookPort

__all__ = ["FileBook", "WorkbookPort", "write_to_file"]


def __getattr__(name: str):
    """The file book on first use: it brings the lossless writer (lxml), which the Lite book does not need."""
    if name in ("FileBook", "write_to_file"):
        from . import file

        return getattr(file, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
