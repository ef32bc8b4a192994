"""The 总览 sheet every job writes: its headline figures as cards, each linking to the sheet that explains it,
one or two native charts with their small tables, all on one printed A4 page.

A job describes its page as an `Overview` (plain data: texts are kehu's simplified Chinese, localised as the
sheet is drawn, like every BuiltSheet) and `overview_sheet` turns it into the sheet. Two overviews of one run
(`kehu clean --dedupe`) are merged into one page by `merge_overviews`.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from addin.write import BuiltSheet

from .blocks import formats, section

OVERVIEW_SHEET = "总览"
CARDS_PER_ROW = 4
_COLUMNS = 2 * CARDS_PER_ROW          # a card spans two columns
_COLUMN_WIDTH = 12.5                  # 8 × 12.5 characters ≈ the printable width of portrait A4 at 100 %
_CHART_ROWS = 15                      # rows a chart covers (300 px at the default 20 px row)
_NUMBER = {"int": "#,##0", "pct": "0.0%", "dec": "0.0", "dec2": "0.00", "money": "¥#,##0"}


@dataclass(frozen=True)
class Figure:
    """One headline figure: its label, value and kind (int / pct / dec / dec2 / money / text), the sheet
    that explains it (the card links there) and an optional line under the value (an interval, a share)."""
    label: str
    value: Any
    kind: str = "int"
    sheet: str | None = None
    note: str = ""
    alert: bool = False               # drawn in red: something to act on (errors, overdue calls)


@dataclass(frozen=True)
class Chart:
    """A native chart of a small table: categories in the first column, values in the second."""
    title: str
    data: pd.DataFrame
    kind: str = "bar"                 # bar (horizontal), column or pie
    percent: bool = False


@dataclass
class Overview:
    title: str
    subtitle: str = ""
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class OverviewSheet(BuiltSheet):
    """The 总览 BuiltSheet, which keeps the page it draws so two jobs of one run can share one page."""
    overview: Overview | None = None


def overview_sheet(overview: Overview) -> OverviewSheet:
    return OverviewSheet(OVERVIEW_SHEET, partial(build_overview_sheet, overview=overview), overview)


def merge_overviews(first: Overview, second: Overview) -> Overview:
    """One page for two jobs of one run: the first's title, both jobs' figures, at most two charts."""
    shown = {fig.label for fig in first.figures}   # both count the rows read: say it once
    return Overview(first.title, first.subtitle, first.figures + [g for g in second.figures if g.label not in shown],
                    (first.charts + second.charts)[:2], first.notes + second.notes)


def build_overview_sheet(wb: Any, ws: Any, overview: Overview) -> None:
    """Draw `overview` on the fresh xlsxwriter worksheet `ws`: portrait A4, fitted to one page."""
    f = formats(wb)
    value_format = {k: wb.add_format({"bold": True, "font_size": 16, "font_color": "#1F3864", "align": "center",
                                      "valign": "vcenter", "border": 1, "num_format": n}) for k, n in _NUMBER.items()}
    value_format["text"] = wb.add_format({"bold": True, "font_size": 12, "font_color": "#1F3864", "align": "center",
                                          "valign": "vcenter", "border": 1, "text_wrap": True})
    value_format["long_text"] = wb.add_format({"font_size": 9, "font_color": "#404040", "align": "center",
                                               "valign": "vcenter", "border": 1, "text_wrap": True})
    alert = wb.add_format({"bold": True, "font_size": 16, "font_color": "#C00000", "align": "center",
                           "valign": "vcenter", "border": 1, "num_format": "#,##0"})
    link = wb.add_format({"font_color": "#0563C1", "underline": 1, "align": "center", "valign": "vcenter",
                          "border": 1, "bg_color": "#F2F2F2", "text_wrap": True})
    plain_label = wb.add_format({"font_color": "#404040", "align": "center", "valign": "vcenter", "border": 1,
                                 "bg_color": "#F2F2F2", "text_wrap": True})
    small = wb.add_format({"font_size": 9, "font_color": "#595959", "align": "center", "valign": "top",
                           "border": 1, "text_wrap": True})
    ws.hide_gridlines(2)
    ws.set_column(0, _COLUMNS - 1, _COLUMN_WIDTH)
    ws.merge_range(0, 0, 0, _COLUMNS - 1, overview.title, f["title"])
    ws.set_row(0, 28)
    if overview.subtitle:
        ws.merge_range(1, 0, 1, _COLUMNS - 1, overview.subtitle, f["subtitle"])
    row = section(ws, f, 3, "关键数字（点击名称查看明细）", _COLUMNS)
    for i, fig in enumerate(overview.figures):
        r, c = row + 3 * (i // CARDS_PER_ROW), 2 * (i % CARDS_PER_ROW)
        if fig.sheet:
            ws.merge_range(r, c, r, c + 1, "", link)
            ws.write_url(r, c, f"internal:'{fig.sheet}'!A1", link, string=fig.label, tip=fig.sheet)
        else:
            ws.merge_range(r, c, r, c + 1, fig.label, plain_label)
        kind = "long_text" if fig.kind == "text" and len(str(fig.value)) > 8 else fig.kind   # a sentence, not a figure
        fmt = alert if fig.alert else value_format.get(kind, value_format["int"])
        ws.merge_range(r + 1, c, r + 1, c + 1, _shown(fig.value, fig.kind), fmt)
        ws.merge_range(r + 2, c, r + 2, c + 1, fig.note, small)
    rows_of_cards = (len(overview.figures) + CARDS_PER_ROW - 1) // CARDS_PER_ROW
    for k in range(rows_of_cards):
        ws.set_row(row + 3 * k, 30)       # a label may wrap onto two lines
        ws.set_row(row + 3 * k + 1, 30)   # the 16-point value needs a taller row
        ws.set_row(row + 3 * k + 2, 26)
    row += 3 * rows_of_cards + 1
    if overview.charts:
        row = section(ws, f, row, "图表", _COLUMNS) + 1
        for ch in overview.charts[:2]:
            _chart_with_table(wb, ws, f, row, ch)
            row += _CHART_ROWS + 1
    for note in overview.notes:
        ws.merge_range(row, 0, row, _COLUMNS - 1, note, f["note"])
        row += 1
    ws.set_portrait()
    ws.set_paper(9)                       # A4
    ws.fit_to_pages(1, 1)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer("&L&F&C&A&R&P / &N")
    ws.print_area(0, 0, max(row, 1), _COLUMNS - 1)


def _shown(value: Any, kind: str) -> Any:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "—"
    if kind == "text":
        return str(value)
    return float(value)


def _chart_with_table(wb: Any, ws: Any, f: dict, row: int, ch: Chart) -> None:
    """The chart's small table in columns A–C (its numbers can be read and checked), the chart beside it.
    A category spans two columns so long problem names are not cut off."""
    data = ch.data.iloc[:12].reset_index(drop=True)
    value_fmt = f["pct"] if ch.percent else f["int"]
    ws.merge_range(row, 0, row, 1, str(data.columns[0]), f["head"])
    ws.write(row, 2, str(data.columns[1]), f["head"])
    for i, (category, value) in enumerate(zip(data.iloc[:, 0], data.iloc[:, 1]), start=row + 1):
        ws.merge_range(i, 0, i, 1, str(category), f["cell"])
        if value is None or (isinstance(value, float) and not np.isfinite(value)):
            ws.write_blank(i, 2, None, value_fmt)
        else:
            ws.write_number(i, 2, float(value), value_fmt)
    first, last = row + 1, row + len(data)
    if last < first:
        return
    chart = wb.add_chart({"type": ch.kind})
    name = ws.get_name()
    series = {"name": ch.title, "categories": [name, first, 0, last, 0], "values": [name, first, 2, last, 2]}
    if ch.kind == "pie":
        series["data_labels"] = {"percentage": True, "font": {"size": 9}}
    else:
        series["fill"] = {"color": "#2F5597"}
        series["data_labels"] = {"value": True, "font": {"size": 8}, "num_format": "0.0%" if ch.percent else "#,##0"}
        series["gap"] = 60
    chart.add_series(series)
    chart.set_title({"name": ch.title, "name_font": {"size": 11, "bold": True}})
    chart.set_legend({"position": "right", "font": {"size": 9}} if ch.kind == "pie" else {"none": True})
    if ch.kind == "bar":
        chart.set_y_axis({"reverse": True, "num_font": {"size": 9}})   # categories read top-down like the table
        chart.set_x_axis({"min": 0, "num_format": "0%" if ch.percent else "#,##0"})
    elif ch.kind == "column":
        chart.set_y_axis({"min": 0, "num_format": "0%" if ch.percent else "#,##0"})
    chart.set_size({"width": 455, "height": 290})   # columns D–H: the chart stays inside the page
    ws.insert_chart(row, 3, chart, {"x_offset": 6, "y_offset": 2})


def with_overview(results: Any, overview: Overview) -> Any:
    """The job's Results with its 总览 sheet first among the added sheets."""
    return dataclasses.replace(results, sheets=[overview_sheet(overview), *results.sheets])
