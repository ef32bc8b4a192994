"""The 投诉分析 ribbon button: the complaint-log analysis on the active sheet, linked to the workbook's
客户档案 sheet when there is one. handlers.ANALYSES lists it under the button id kehu_complaints (written out
there, since this module imports handlers)."""
from __future__ import annotations

from typing import Any

from addin.jobs.results import Results

from .handlers import Analysis

COMPLAINTS_BUTTON = "kehu_complaints"
COMPLAINTS_LABEL = "投诉分析"
_REGISTER_SHEETS = ("客户档案", "客户表", "客户名单", "会员", "register", "customers")


def analyse_complaints_in_book(table: Any, port: Any) -> Results:
    """As `kehu complaints`, with the register taken from a 客户档案-like sheet of the same workbook."""
    from addin.commands.complaints import analyse_complaints
    from addin.read import table_from_rows

    register = None
    name = next((s for s in table.book_sheets if s != table.sheet and any(k in s.lower() for k in _REGISTER_SHEETS)),
                None)
    if name is not None:
        rows = port.sheet_rows(name) or []
        if rows:
            register = table_from_rows(rows, path=table.path, sheet=name, sheet_names=table.book_sheets,
                                       kind="register", source_kind=table.source_kind)
    results = analyse_complaints(table, port, register=register)
    if register is not None:
        results.lines.append(f"· 客户档案「{name}」的联系次数等列未改动；如需加到客户档案，请用命令行 kehu complaints --register。")
    return results


COMPLAINTS = Analysis("complaints", "addin.ribbon.complaints", "analyse_complaints_in_book", needs_port=True)
