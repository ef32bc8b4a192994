"""The 客户分析报告's 总览: its key figures, one card per section (linked to the section's sheet) and the chart
of revenue by customer type — the general overview page (overview.py), one printed page."""
from __future__ import annotations

from typing import Any

from udfs.score.report.sections import CustomerReport

from .overview import OVERVIEW_SHEET, build_overview_sheet
from .overview_pages import report_page

OVERVIEW = OVERVIEW_SHEET


def build_overview(wb: Any, ws: Any, report: CustomerReport, sheet_names: dict[str, str],
                   source: dict | None = None) -> None:
    build_overview_sheet(wb, ws, report_page(report, sheet_names, source or {}))
