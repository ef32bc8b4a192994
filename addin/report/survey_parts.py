"""Cell formats and small drawing helpers shared by the 满意度报告 sections."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from addin.write.page_setup import fit_header_row

_LEVEL_COLOURS = ["#C0392B", "#E67E22", "#BDC3C7", "#5DADE2", "#1F618D", "#154360", "#0B2F4A",
                  "#7D3C98", "#117A65", "#B7950B", "#6E2C00"]
_QUADRANT_COLOURS = {"重点改进": "#C0392B", "继续保持": "#1F618D", "次要改进": "#E67E22", "过度投入": "#7F8C8D"}
_WIDE = 11  # columns the findings and titles span
COLUMN_WIDTHS = (7, 22)   # the first two columns (序号, 题目 / 指标); every other one is NUMBER_WIDTH
NUMBER_WIDTH = 11.5


def width_of(col: int) -> float:
    """The width build_survey_sheet gives column `col` (0-based)."""
    return COLUMN_WIDTHS[col] if col < len(COLUMN_WIDTHS) else NUMBER_WIDTH


#: the unit a block of figures is in, named in its header: no column mixes percentages with points
UNIT_LABELS = {"score": "0–100 分", "share": "比例", "points": "百分点", "mean": "均值", "count": "人数"}


def by_unit(records: list[dict], key: str) -> list[tuple[str, list[dict]]]:
    """Records grouped by their unit (`key`), the groups in the order their first record comes."""
    groups: dict[str, list[dict]] = {}
    for r in records:
        groups.setdefault(r[key], []).append(r)
    return list(groups.items())


def header_cells(ws: Any, row: int, headers: list[str], fm: "_Formats", col: int = 0, at_least: float = 0) -> None:
    """A row of header cells, as tall as its longest wrapped header needs (none is cut)."""
    for j, h in enumerate(headers):
        ws.write_string(row, col + j, h, fm.head)
    fit_header_row(ws, row, col, headers, width_of, at_least)
# fill and font per effect strength of a significant difference (很小 and 小 share the lightest shade)
_NEGATIVE = {"很小": ("#FDEDEC", "#922B21"), "小": ("#FDEDEC", "#922B21"), "中": ("#F5B7B1", "#922B21"),
             "大": ("#E74C3C", "#FFFFFF")}
_POSITIVE = {"很小": ("#EAF2F8", "#1B4F72"), "小": ("#EAF2F8", "#1B4F72"), "中": ("#AED6F1", "#1B4F72"),
             "大": ("#2E86C1", "#FFFFFF")}


class _Formats:
    """The handful of cell formats the report uses, created once per workbook."""

    def __init__(self, wb: Any):
        base = {"font_name": "Microsoft YaHei", "font_size": 10, "valign": "vcenter"}
        f = lambda **kw: wb.add_format({**base, **kw})  # noqa: E731
        self.title = f(bold=True, font_size=16, font_color="#1F3864")
        self.subtitle = f(font_color="#595959", text_wrap=True)
        self.h2 = f(bold=True, font_size=12, font_color="#1F3864", bottom=2, bottom_color="#1F3864")
        self.finding = f(text_wrap=True, valign="top")
        self.head = f(bold=True, bg_color="#DDEBF7", border=1, border_color="#9BC2E6", text_wrap=True,
                      align="center")
        self.text = f(border=1, border_color="#D9D9D9")
        self.int = f(border=1, border_color="#D9D9D9", num_format="#,##0")
        self.num1 = f(border=1, border_color="#D9D9D9", num_format="0.0")
        self.num2 = f(border=1, border_color="#D9D9D9", num_format="0.00")
        self.pct = f(border=1, border_color="#D9D9D9", num_format="0.0%")
        # a difference is coloured only when its test says it is real (see `significant`)
        self.diff1 = f(border=1, border_color="#D9D9D9", num_format='+0.0;-0.0;0.0')
        self.diffpct = f(border=1, border_color="#D9D9D9", num_format='+0.0%;-0.0%;0.0%')
        self.note = f(font_color="#7F7F7F", italic=True, text_wrap=True)
        self.num3 = f(border=1, border_color="#D9D9D9", num_format="0.000")
        self.star = f(border=1, border_color="#D9D9D9", align="center", bold=True, font_color="#1F3864")
        self._f = f
        self._sig: dict = {}

    def significant(self, kind: str, positive: bool, strength: str) -> Any:
        """A difference cell that passed its test: blue (better) or red (worse), deeper for a larger effect."""
        key = (kind, positive, strength)
        if key not in self._sig:
            shades = _POSITIVE if positive else _NEGATIVE
            fill, font = shades.get(strength, shades["小"])
            num = '+0.0%;-0.0%;0.0%' if kind == "share" else '+0.0;-0.0;0.0'
            self._sig[key] = self._f(border=1, border_color="#D9D9D9", num_format=num, bg_color=fill,
                                     font_color=font, bold=strength in ("中", "大"))
        return self._sig[key]

    def for_kind(self, kind: str, diff: bool = False) -> Any:
        if kind == "share":
            return self.diffpct if diff else self.pct
        if kind == "count":
            return self.int
        return self.diff1 if diff else self.num1


def _write(ws: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    """Write one cell; missing numbers become empty cells (xlsxwriter cannot write NaN)."""
    if value is None or (isinstance(value, (float, np.floating)) and not math.isfinite(value)):
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, (np.integer,)):
        ws.write_number(row, col, int(value), fmt)
    elif isinstance(value, (float, np.floating, int)) and not isinstance(value, bool):
        ws.write_number(row, col, float(value), fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _table(ws: Any, row: int, headers: list[str], rows: list[list[Any]], formats: list[Any], fm: _Formats,
           col: int = 0) -> int:
    """A header row and body rows; returns the row after the table."""
    header_cells(ws, row, headers, fm, col)
    for i, r in enumerate(rows, start=1):
        for j, v in enumerate(r):
            fmt = formats[j](i - 1) if callable(formats[j]) else formats[j]
            _write(ws, row + i, col + j, v, fmt)
    return row + len(rows) + 2


def _section(ws: Any, row: int, text: str, fm: _Formats) -> int:
    ws.merge_range(row, 0, row, _WIDE - 1, text, fm.h2)
    return row + 1


def _ref(sheet: str, r0: int, c0: int, r1: int, c1: int) -> list:
    return [sheet, r0, c0, r1, c1]


def round_down(v: float, step: float) -> float:
    return math.floor(v / step) * step if math.isfinite(v) else 0.0


def round_up(v: float, step: float) -> float:
    return math.ceil(v / step) * step if math.isfinite(v) else 1.0
