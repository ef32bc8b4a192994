"""One sheet per section of the 客户分析报告: its tables, each with the note saying how it was computed, and charts."""
from __future__ import annotations

from typing import Any

from udfs.score.report.sections import Block, Section

from .blocks import CHART_ROWS, chart, formats, section, table

WIDTH = 9


def build_section_sheet(wb: Any, ws: Any, sec: Section, as_of: str) -> None:
    f = formats(wb)
    ws.set_column(0, 0, 22)
    ws.set_column(1, WIDTH - 1, 12)
    ws.write(0, 0, f"客户分析报告 · {sec.title}", f["title"])
    ws.write(1, 0, f"数据来源：{sec.source}；分析日期 {as_of}", f["subtitle"])
    row = 3
    if sec.skipped:
        ws.write(row, 0, f"本节跳过：{sec.skipped}", f["note"])
        row += 2
    for block in sec.blocks:
        row = write_block(wb, ws, f, row, block)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)


def write_block(wb: Any, ws: Any, f: dict, row: int, block: Block, *, col: int = 0, width: int = WIDTH,
                chart_width: int = 620) -> int:
    row = section(ws, f, row, block.title, width) if col == 0 else _title(ws, f, row, col, block.title)
    if block.note:
        ws.write(row, col, "说明：" + block.note, f["note"])
        row += 1
    first, last = table(ws, f, row, block.table, block.kinds, col=col)
    row = max(last, row) + 2
    if block.chart is not None and last >= first and block.chart.category in block.table.columns:
        names = list(block.table.columns)
        cat = col + names.index(block.chart.category)
        series = [(v, col + names.index(v)) for v in block.chart.values if v in names]
        chart(wb, ws, ws.get_name(), (row, col), block.chart.kind, block.title, (0, 0, cat), series, first, last,
              percent=block.chart.percent, width=chart_width)
        row += CHART_ROWS + 1
    return row


def _title(ws: Any, f: dict, row: int, col: int, title: str) -> int:
    ws.write(row, col, title, f["head"])
    return row + 1
