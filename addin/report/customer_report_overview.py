"""The 客户分析报告 overview: the key figures, what each section found, and two charts — one printed page."""
from __future__ import annotations

from typing import Any

import numpy as np

from udfs.score.report.sections import CustomerReport

from .blocks import chart, formats, section, table

OVERVIEW = "客户分析报告"


def build_overview(wb: Any, ws: Any, report: CustomerReport, sheet_names: dict[str, str]) -> None:
    f = formats(wb)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 7, 13)
    ws.write(0, 0, "客户分析报告", f["title"])
    ws.write(1, 0, f"分析日期 {report.as_of}。每个数字的算法见各节工作表的「说明」。", f["subtitle"])
    row = section(ws, f, 3, "关键数字", 8)
    for i, (label, value, kind, note) in enumerate(report.kpis):
        r, c = row + 2 * (i // 4), 2 * (i % 4)
        ws.merge_range(r, c, r, c + 1, label, f["kpi_label"])
        fmt = wb.add_format({"bold": True, "font_size": 14, "font_color": "#1F3864", "align": "center", "border": 1,
                             "num_format": "0.0%" if kind == "pct" else "#,##0"})
        v = float(value) if value is not None and np.isfinite(float(value)) else ""
        ws.merge_range(r + 1, c, r + 1, c + 1, v, fmt)
        ws.set_row(r + 1, 24)  # the 14-point figure needs a taller row, or it overlaps its label when printed
    row += 2 * ((len(report.kpis) + 3) // 4) + 1
    row = section(ws, f, row, "各节", 8)
    for sec in report.sections:
        where = sheet_names.get(sec.key, sec.title)
        text = f"跳过：{sec.skipped}" if sec.skipped and not sec.blocks else f"{len(sec.blocks)} 张表，来源：{sec.source}"
        ws.write_url(row, 0, f"internal:'{where}'!A1", string=sec.title)
        ws.merge_range(row, 1, row, 7, text, f["cell"])
        row += 1
    if report.problem_counts is not None:
        ws.write(row, 0, f"问题订单 {int(report.problem_counts['订单数'].sum())} 条，见「数据问题」，未计入任何数字。", f["note"])
        row += 1
    row += 1
    types = next((s for s in report.sections if s.key == "types" and s.blocks), None)
    if types is not None:
        t = types.blocks[0].table[["客户类型", "客户数", "收入占比"]]
        first, last = table(ws, f, row, t, {"客户数": "int", "收入占比": "pct"})
        chart(wb, ws, ws.get_name(), (row, 4), "bar", "各类客户的收入占比", (0, 0, 0), [("收入占比", 2)], first, last,
              percent=True, width=460)
        row = last + 12
    ws.set_portrait()
    ws.fit_to_pages(1, 1)
    ws.set_paper(9)   # A4
