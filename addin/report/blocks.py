"""Building blocks shared by the 投诉分析 and 意见分析 report sheets: formats, a titled table, a native chart."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pandas as pd

from addin.write.page_setup import fit_header_row

REPORT_COLUMN_WIDTH = 12   # what 投诉分析, 意见分析 and the 客户分析报告 sections give their figure columns
CHART_ROWS = 16          # rows a 300 px chart covers at the default row height
COLOURS = ["#2F5597", "#C00000", "#70AD47", "#FFC000", "#5B9BD5", "#ED7D31", "#7030A0", "#A5A5A5"]


def formats(wb: Any) -> dict[str, Any]:
    base = {"font_name": "Microsoft YaHei", "font_size": 10}
    mk = lambda **kw: wb.add_format(dict(base, **kw))  # noqa: E731
    return {
        "title": mk(bold=True, font_size=16, font_color="#1F3864"),
        "subtitle": mk(font_color="#404040"),
        "section": mk(bold=True, font_size=12, font_color="#FFFFFF", bg_color="#2F5597"),
        "head": mk(bold=True, bg_color="#D9E1F2", border=1, text_wrap=True, valign="vcenter"),
        "cell": mk(border=1), "wrap": mk(border=1, text_wrap=True, valign="top"),
        "int": mk(border=1, num_format="#,##0"), "pct": mk(border=1, num_format="0.0%"),
        "dec": mk(border=1, num_format="0.0"), "dec2": mk(border=1, num_format="0.00"),
        "p": mk(border=1, num_format="0.000"), "date": mk(border=1, num_format="yyyy-mm-dd"),
        "note": mk(italic=True, font_color="#595959"), "bad": mk(border=1, font_color="#C00000", bold=True),
        "kpi": mk(bold=True, font_size=14, font_color="#1F3864", align="center", border=1),
        "kpi_label": mk(font_color="#404040", align="center", border=1, bg_color="#F2F2F2"),
    }


def section(ws: Any, f: dict, row: int, title: str, width: int = 8) -> int:
    ws.merge_range(row, 0, row, width - 1, title, f["section"])
    ws.set_row(row, 22)
    return row + 1


def table(ws: Any, f: dict, row: int, df: pd.DataFrame, kinds: dict[str, str] | None = None, col: int = 0,
          highlight: dict[str, Any] | None = None,
          width_of: Callable[[int], float] = lambda c: REPORT_COLUMN_WIDTH) -> tuple[int, int]:
    """Write df with a header at `row`; kinds maps a column to int / pct / dec / dec2 / p / date / wrap.
    `width_of(col)` is the width the sheet gave a column: the header row is made tall enough for its wrapped
    headers. Returns (first data row, last data row) — last < first when df is empty."""
    kinds = kinds or {}
    for j, name in enumerate(df.columns):
        ws.write(row, col + j, str(name), f["head"])
    fit_header_row(ws, row, col, [str(c) for c in df.columns], width_of)
    for i, rec in enumerate(df.itertuples(index=False), start=row + 1):  # report tables have tens of rows
        for j, (name, v) in enumerate(zip(df.columns, rec)):
            fmt = f[kinds.get(name, "cell")]
            if highlight and name in highlight and v == highlight[name]:
                fmt = f["bad"]
            if v is None or (isinstance(v, float) and not np.isfinite(v)) or v is pd.NaT:
                ws.write_blank(i, col + j, None, fmt)
            elif isinstance(v, pd.Timestamp):
                ws.write_datetime(i, col + j, v.to_pydatetime(), fmt)
            elif isinstance(v, (np.integer, np.floating, int, float)) and not isinstance(v, bool):
                ws.write_number(i, col + j, float(v), fmt)
            else:
                ws.write(i, col + j, str(v), fmt)
    return row + 1, row + len(df)


def chart(wb: Any, ws: Any, sheet: str, at: tuple[int, int], kind: str, title: str, cats: tuple[int, int, int],
          series: list[tuple[str, int]], first: int, last: int, *, percent: bool = False, width: int = 620,
          subtype: str | None = None) -> None:
    """A native chart of rows first..last: categories in column cats[2], each series (name, column)."""
    if last < first:
        return
    c = wb.add_chart({"type": kind, **({"subtype": subtype} if subtype else {})})
    for k, (name, col) in enumerate(series):
        s = {"name": name, "categories": [sheet, first, cats[2], last, cats[2]],
             "values": [sheet, first, col, last, col]}
        if kind in ("line",):
            s["line"] = {"color": COLOURS[k % len(COLOURS)], "width": 2.25}
            s["marker"] = {"type": "circle", "size": 4}
        elif kind != "pie":
            s["fill"] = {"color": COLOURS[k % len(COLOURS)]}
        c.add_series(s)
    c.set_title({"name": title, "name_font": {"size": 11, "bold": True}})
    c.set_size({"width": width, "height": 300})
    if kind != "pie":
        c.set_legend({"position": "bottom"} if len(series) > 1 else {"none": True})
        axis = {"num_format": "0%", "min": 0, "max": 1} if percent else {"min": 0}  # bars start at zero
        (c.set_x_axis if kind == "bar" else c.set_y_axis)(dict(axis, major_gridlines={"visible": True,
                                                                                        "line": {"color": "#D9D9D9"}}))
        if kind == "bar":  # the first row of the table at the top, as it reads
            c.set_y_axis({"reverse": True})
    ws.insert_chart(at[0], at[1], c, {"x_offset": 4, "y_offset": 4})
