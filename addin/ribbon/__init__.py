"""The 客户工具 ribbon: `dispatch(button_id)` is what every button's VBA calls through RunPython."""
from __future__ import annotations

from .handlers import run_button
from addin.book import FileBook, WorkbookPort


def dispatch(button_id: str) -> None:
    """Entry point for the add-in: run `button_id` on the workbook that called us."""
    import xlwings as xw

    from addin.book.live import XlwingsBook

    run_button(button_id, XlwingsBook(xw.Book.caller()))


__all__ = ["FileBook", "WorkbookPort", "dispatch", "run_button"]
