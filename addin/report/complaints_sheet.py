"""Draw the 投诉分析 sheet: headline figures, monthly trend, breakdowns, resolution time, reopenings, themes."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from udfs.score.complaints.analysis import ComplaintResults

from .blocks import CHART_ROWS, chart, formats, section, table

SHEET_NAME = "投诉分析"
_KINDS = {"联系数": "int", "投诉数": "int", "已结": "int", "未结": "int", "占比": "pct", "解决率": "pct",
          "处理天数中位数": "dec", "处理满意度": "dec2", "曾结案": "int", "重开": "int", "重开率": "pct",
          "已解决（有日期）": "int", "中位数（天）": "dec", "平均（天）": "dec", "90%分位（天）": "dec",
          "工作日中位数": "dec", "工作日平均": "dec", "工作日90%分位": "dec", "投诉提及数": "int", "占投诉": "pct",
          "负面占比": "pct", "未结占比": "pct", "全部联系提及数": "int", "次数": "int", "客户数": "int",
          "每百位客户投诉": "dec", "合计": "int"}


def _pct(x: Any) -> str:
    return "—" if x is None or (isinstance(x, float) and not np.isfinite(x)) else f"{x:.1%}"


def _days(x: Any) -> str:
    return "—" if x is None or (isinstance(x, float) and not np.isfinite(x)) else f"{x:.1f} 天"


def build_complaints_sheet(wb: Any, ws: Any, res: ComplaintResults, rate: pd.DataFrame | None = None,
                           link_line: str | None = None) -> None:
    f = formats(wb)
    h = res.headline
    ws.hide_gridlines(2)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_column(0, 0, 14)
    ws.set_column(1, 11, 12)
    ws.write(0, 0, "投诉与联系记录分析 Complaint and contact log", f["title"])
    ws.set_row(0, 28)
    span = f"{h['first']:%Y-%m-%d} 至 {h['last']:%Y-%m-%d}" if pd.notna(h["first"]) else "无日期"
    ws.write(1, 0, f"分析日期 {res.as_of:%Y-%m-%d}    联系记录 {h['contacts']:,} 条（{span}）    "
                   f"其中投诉 {h['complaints']:,} 条    有问题的记录 {h['problems']:,} 条（见「联系问题」）", f["subtitle"])
    row = 2
    for note in res.notes + ([link_line] if link_line else []):
        ws.write(row, 0, note, f["note"])
        row += 1
    row += 1
    kpis = [("解决率", _pct(h["resolution_rate"])), ("首次解决率", _pct(h["first_contact_resolution"])),
            ("处理时长中位数", _days(h["median_days"])), ("未结", f"{h['open']:,}"),
            ("逾期未结", f"{h['overdue']:,}"), ("重复投诉客户", f"{h['repeat_complainers']:,}")]
    for j, (label, value) in enumerate(kpis):
        ws.merge_range(row, 2 * j, row, 2 * j + 1, label, f["kpi_label"])
        ws.merge_range(row + 1, 2 * j, row + 1, 2 * j + 1, value, f["kpi"])
    ws.set_row(row + 1, 26)
    row += 3

    trend = res.trend
    if len(trend):
        row = section(ws, f, row, "一、每月联系量趋势 Monthly trend", 12)
        first, last = table(ws, f, row, trend, _KINDS)
        at = last + 2
        series = [(c, j) for j, c in enumerate(trend.columns) if c not in ("月份", "合计")][:6]
        chart(wb, ws, SHEET_NAME, (at, 0), "line", "每月联系量（按类型）", (0, 0, 0), series, first, last, width=900)
        row = at + CHART_ROWS + 1

    row = section(ws, f, row, "二、处理时长 Resolution time（自然日；工作日按中国法定节假日和调休）", 12)
    _, last = table(ws, f, row, res.times, _KINDS)
    row = last + 2

    n = 2
    for label, df in res.by.items():
        if label == "月份":
            continue
        n += 1
        row = section(ws, f, row, f"{_cn(n)}、按{label} By {label}", 12)
        shown = df.head(25)
        first, last = table(ws, f, row, shown, _KINDS)
        if len(df) > 25:
            ws.write(last + 1, 0, f"（另有 {len(df) - 25} 项未列出）", f["note"])
            last += 1
        at = last + 2
        kind = "pie" if label in ("类型", "渠道") else "bar"
        chart(wb, ws, SHEET_NAME, (at, 0), kind, f"{label}：联系数", (0, 0, 0), [("联系数", 1)], first,
              first + min(len(shown), 15) - 1, width=440)
        chart(wb, ws, SHEET_NAME, (at, 5), "bar", f"{label}：解决率", (0, 0, 0), [("解决率", 6)], first,
              first + min(len(shown), 15) - 1, percent=True, width=440)
        row = at + CHART_ROWS + 1

    if len(res.reopenings):
        n += 1
        row = section(ws, f, row, f"{_cn(n)}、处理人重开情况 Reopenings（结案后 7 天内同一客户再次来电，或状态为重新打开）", 12)
        _, last = table(ws, f, row, res.reopenings, _KINDS)
        row = last + 2
    n += 1
    row = section(ws, f, row, f"{_cn(n)}、投诉主题（来自客户原话）Complaint themes", 12)
    first, last = table(ws, f, row, res.themes, _KINDS)
    mentioned = first + int((res.themes["投诉提及数"] > 0).sum()) - 1
    k_first = k_last = None
    if len(res.keywords):
        k_first, k_last = table(ws, f, row, res.keywords.head(15), _KINDS, col=8)
    at = max(last, k_last or last) + 2
    chart(wb, ws, SHEET_NAME, (at, 0), "bar", "投诉主题：提及数", (0, 0, 0), [("投诉提及数", 1)], first, mentioned,
          width=440)
    if k_first is not None:
        chart(wb, ws, SHEET_NAME, (at, 5), "bar", "投诉高频词", (0, 0, 8), [("次数", 9)], k_first, k_last, width=440)
    last = at
    row = last + CHART_ROWS + 1
    if rate is not None and len(rate):
        n += 1
        row = section(ws, f, row, f"{_cn(n)}、每百位客户投诉数（按客户档案区域）Complaints per 100 customers", 12)
        _, last = table(ws, f, row, rate, _KINDS)
        row = last + 2
    sla = "、".join(f"{k} {v} 天" for k, v in res.sla.items())
    ws.write(row, 0, f"说明：解决率 = 已解决或已关闭 ÷ 状态可识别的记录；逾期时限：{sla}（其他类型 5 天），"
                     "名单见「逾期未结」；重复投诉名单见「重复投诉」。", f["note"])


def _cn(n: int) -> str:
    return "一二三四五六七八九十"[n - 1] if 1 <= n <= 10 else f"十{'一二三四五六七八九'[n - 11]}" if n < 20 else str(n)
