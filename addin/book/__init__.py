"""The workbook port: where a job's Results are rendered (a saved file, the open workbook, xlwings Lite)."""
from __future__ import annotations

from .file import FileBook, write_to_file
from .port import WorkbookPort

__all__ = ["FileBook", "WorkbookPort", "write_to_file"]
