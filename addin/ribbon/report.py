"""The 客户分析报告 ribbon button: `kehu report` on the active register sheet, with the orders taken from an
订单 sheet of the same workbook when there is one. handlers.ANALYSES lists it under the button id kehu_report."""
from __future__ import annotations

from typing import Any

from addin.jobs.results import Results

from .handlers import Analysis

REPORT_BUTTON = "kehu_report"
REPORT_LABEL = "客户分析报告"
_ORDER_SHEETS = ("订单", "交易", "销售明细", "order")


def analyse_report_in_book(table: Any, port: Any) -> Results:
    """As `kehu report REGISTER --orders <the workbook's 订单 sheet>`; analysis date today."""
    from addin.commands.report import analyse_report
    from addin.read import table_from_rows

    orders = None
    name = next((s for s in table.book_sheets if s != table.sheet and any(k in s.lower() for k in _ORDER_SHEETS)),
                None)
    if name is not None:
        rows = port.sheet_rows(name) or []
        if rows:
            orders = table_from_rows(rows, path=table.path, sheet=name, sheet_names=table.book_sheets,
                                     kind="orders", source_kind=table.source_kind)
    return analyse_report(table, port, orders_table=orders)


REPORT = Analysis("register", "addin.ribbon.report", "analyse_report_in_book", needs_port=True)
