"""Draw the 客户分析 report sheet with xlsxwriter: segment, type and tier tables with native bar and pie charts."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from udfs.score.segment.summary import SegmentSummary

SHEET_NAME = "客户分析"

_TABLE_COL = 0          # tables start in column A
_CHART_WIDTH = 440      # px; two charts side by side span about the table area (A–G)
_CHART_ROWS = 16        # rows one chart occupies at the default row height (300 px / 20 px)
_PERCENT = {"客户占比", "金额占比"}
_MONEY = {"累计金额", "平均金额"}
_WIDTHS = {"细分": 14, "客户类型": 12, "价值等级": 10, "客户数": 9, "客户占比": 10, "累计金额": 14,
           "金额占比": 10, "平均金额": 12, "平均满意度": 11, "满意度样本数": 12, "建议": 50}
_TIER_LABEL = {"A": "A 类（前 80% 收入）", "B": "B 类（其后 15%）", "C": "C 类（最后 5%）"}
_COLOURS = ["#2F5597", "#5B9BD5", "#70AD47", "#A9D18E", "#FFC000", "#F4B183",
            "#ED7D31", "#C00000", "#7030A0", "#A5A5A5", "#595959", "#BDD7EE"]
_TYPE_COLOURS = {"忠诚客户": "#2F5597", "潜在客户": "#70AD47", "边缘客户": "#FFC000", "流失客户": "#C00000"}


def build_segment_sheet(wb: Any, ws: Any, results: SegmentSummary) -> None:
    """Fill `ws` (a fresh xlsxwriter worksheet of `wb`) with the customer-analysis report."""
    f = _formats(wb)
    n_customers = int(results.by_type["客户数"].sum())
    revenue = float(results.by_type["累计金额"].sum())
    ws.hide_gridlines(2)
    ws.set_landscape()
    ws.set_paper(9)            # A4
    ws.fit_to_pages(1, 0)      # one page wide when printed
    ws.set_column(0, 0, 16)
    widths = {}
    for table in (results.by_segment, results.by_type, results.by_tier):
        for i, col in enumerate(table.columns):
            widths[i] = max(widths.get(i, 0), _WIDTHS.get(col, 11))
    for i, w in widths.items():
        if i:
            ws.set_column(i, i, w)

    ws.merge_range(0, 0, 0, 6, "客户分析 Customer analysis", f["title"])
    ws.set_row(0, 30)
    follow = results.followup
    overdue = int((follow["逾期"] == "逾期").sum()) if len(follow) else 0
    ws.write(1, 0, f"分析日期：{results.as_of}    客户数：{n_customers:,}    累计金额：{revenue:,.0f}    "
                   f"待跟进：{len(follow):,} 位，其中逾期 {overdue:,} 位（名单见「待跟进」工作表）", f["subtitle"])
    ws.write(2, 0, results.method, f["note"])
    for i, note in enumerate(results.notes):
        ws.write(3 + i, 0, note, f["note"])

    row = 4 + len(results.notes) + 1
    by_tier = results.by_tier.assign(价值等级=results.by_tier["价值等级"].map(_TIER_LABEL).fillna(results.by_tier["价值等级"]))
    sections = [
        ("一、按 RFM 细分 By RFM segment", results.by_segment, "bar", "bar"),
        ("二、按客户类型 By customer type", results.by_type, "pie", "column"),
        ("三、按价值等级（ABC）By value tier", by_tier, "column", "pie"),
    ]
    breaks = []
    for title, table, count_chart, money_chart in sections:
        if row > 12:
            breaks.append(row)  # each section starts a printed page
        ws.merge_range(row, 0, row, 6, title, f["section"])
        ws.set_row(row, 22)
        first, last = _write_table(ws, row + 1, table, f)
        label = table.columns[0]
        charts_at = last + 3  # below the table (after its 合计 row), two charts side by side
        _chart(wb, ws, charts_at, 0, count_chart, f"{label}：客户数", first, last, 0,
               list(table.columns).index("客户数"), label)
        _chart(wb, ws, charts_at, _CHART_WIDTH + 10, money_chart, f"{label}：累计金额", first, last, 0,
               list(table.columns).index("累计金额"), label)
        row = charts_at + _CHART_ROWS + 1
    ws.set_h_pagebreaks(breaks)
    ws.write(row, 0, "说明：客户占比、金额占比分别为该组客户数、累计金额占全部客户的比例；尚无购买的客户不参与 RFM 评分，"
                     "归为潜在客户、C 类。", f["note"])


def _formats(wb: Any) -> dict[str, Any]:
    base = {"font_size": 10, "valign": "vcenter"}
    cell = {**base, "border": 1, "border_color": "#BFBFBF"}
    return {
        "title": wb.add_format({"bold": True, "font_size": 16, "font_color": "#1F3864", "valign": "vcenter"}),
        "subtitle": wb.add_format({**base, "font_size": 11, "bold": True}),
        "note": wb.add_format({**base, "font_color": "#595959", "italic": True}),
        "section": wb.add_format({**base, "bold": True, "font_size": 12, "font_color": "#FFFFFF", "bg_color": "#2F5597"}),
        "header": wb.add_format({**cell, "bold": True, "bg_color": "#DDEBF7", "align": "center", "text_wrap": True}),
        "text": wb.add_format(cell),
        "wrap": wb.add_format({**cell, "text_wrap": False, "font_color": "#404040"}),
        "int": wb.add_format({**cell, "num_format": "#,##0"}),
        "money": wb.add_format({**cell, "num_format": "#,##0"}),
        "pct": wb.add_format({**cell, "num_format": "0.0%"}),
        "score": wb.add_format({**cell, "num_format": "0.00"}),
        "total_text": wb.add_format({**cell, "bold": True, "top": 2}),
        "total_int": wb.add_format({**cell, "bold": True, "top": 2, "num_format": "#,##0"}),
        "total_pct": wb.add_format({**cell, "bold": True, "top": 2, "num_format": "0.0%"}),
    }


def _write_table(ws: Any, top: int, table: pd.DataFrame, f: dict[str, Any]) -> tuple[int, int]:
    """Header at `top`, data below, a 合计 row last; returns (first data row, last data row) for charts."""
    for j, col in enumerate(table.columns):
        ws.write(top, _TABLE_COL + j, col, f["header"])
    for i, rec in enumerate(table.itertuples(index=False, name=None)):
        r = top + 1 + i
        for j, (col, v) in enumerate(zip(table.columns, rec)):
            ws.write(r, _TABLE_COL + j, *_cell(col, v, f))
    first, last = top + 1, top + len(table)
    total_row = last + 1
    ws.write(total_row, _TABLE_COL, "合计", f["total_text"])
    for j, col in enumerate(table.columns[1:], start=1):
        if col in ("客户数", "累计金额", "客户占比", "金额占比"):
            value = float(pd.to_numeric(table[col], errors="coerce").fillna(0).sum())
            fmt = f["total_pct"] if col in _PERCENT else f["total_int"]
            ws.write_number(total_row, _TABLE_COL + j, value, fmt)
        else:
            ws.write_blank(total_row, _TABLE_COL + j, None, f["total_text"])
    return first, last


def _cell(col: str, v: Any, f: dict[str, Any]) -> tuple[Any, Any]:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "", f["text"]
    if col in _PERCENT:
        return float(v), f["pct"]
    if col in _MONEY:
        return float(v), f["money"]
    if col == "平均满意度":
        return float(v), f["score"]
    if isinstance(v, (int, np.integer, float, np.floating)):
        return float(v), f["int"]
    return str(v), f["wrap"] if col == "建议" else f["text"]


def _chart(wb: Any, ws: Any, row: int, x_offset: int, kind: str, title: str, first: int, last: int,
           cat_col: int, val_col: int, label: str) -> None:
    if last < first:
        return
    chart = wb.add_chart({"type": kind})
    name = ws.get_name()
    n = last - first + 1
    series: dict[str, Any] = {
        "name": title,
        "categories": [name, first, _TABLE_COL + cat_col, last, _TABLE_COL + cat_col],
        "values": [name, first, _TABLE_COL + val_col, last, _TABLE_COL + val_col],
    }
    colours = _palette(ws, label, n)
    if kind == "pie":
        series["points"] = [{"fill": {"color": c}} for c in colours]
        series["data_labels"] = {"percentage": True, "leader_lines": True, "font": {"size": 9}}
    else:
        series["fill"] = {"color": "#2F5597" if "金额" not in title else "#ED7D31"}
        series["data_labels"] = {"value": True, "font": {"size": 8}, "num_format": "#,##0"}
        series["gap"] = 60
    chart.add_series(series)
    chart.set_title({"name": title, "name_font": {"size": 11, "bold": True}})
    chart.set_legend({"position": "right", "font": {"size": 9}} if kind == "pie" else {"none": True})
    if kind == "bar":
        chart.set_y_axis({"reverse": True, "num_font": {"size": 9}})  # categories read top-down like the table
        chart.set_x_axis({"num_format": "#,##0", "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}}})
    elif kind == "column":
        chart.set_x_axis({"num_font": {"size": 9}})
        chart.set_y_axis({"num_format": "#,##0", "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}}})
    chart.set_size({"width": _CHART_WIDTH, "height": 300})
    ws.insert_chart(row, 0, chart, {"x_offset": 5 + x_offset, "y_offset": 5})


def _palette(ws: Any, label: str, n: int) -> list[str]:
    if label == "客户类型":
        return list(_TYPE_COLOURS.values())[:n]
    return [_COLOURS[i % len(_COLOURS)] for i in range(n)]
