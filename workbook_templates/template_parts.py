"""Pieces both workbook templates share: styles, cached values for formulas, validations, instructions."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd
import xlsxwriter


HERE = Path(__file__).resolve().parent
REGISTER_PATH = HERE / "客户档案模板.xlsx"
SURVEY_PATH = HERE / "满意度调查模板.xlsx"

#: Stored as the files' creation time so that a rebuild is identical.
CREATED = dt.datetime(2026, 1, 1, 9, 0, 0)
#: The "today" behind the cached values of date-dependent kehu formulas (RFM recency, customer type).
#: In Excel the formulas use the real today; the cached values are only what the sample showed on this date.
SAMPLE_AS_OF = dt.datetime(2026, 6, 30)
#: Rows below the header that carry data validation and conditional formatting (room for the user's rows).
INPUT_ROWS = 1000
#: calcId of current Excel builds: an older id would make Excel recalculate everything on open.
EXCEL_CALC_ID = 191029

DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"
FONT = "微软雅黑"

GENDERS = ["男", "女"]
STATUSES = ["意向客户", "签单客户", "无效客户", "丢单客户"]
CUSTOMER_TYPES = ["忠诚客户", "潜在客户", "边缘客户", "流失客户"]
CHANNELS = ["老客户介绍", "展会", "官网", "电话咨询", "微信", "广告投放", "地推", "其他"]


# ---- shared pieces ------------------------------------------------------------------------------------

class Styles:
    """The formats of one workbook, made once (xlsxwriter formats belong to their workbook)."""

    def __init__(self, wb: xlsxwriter.Workbook):
        base = {"font_name": FONT, "font_size": 10, "valign": "vcenter"}
        self.add = lambda **kw: wb.add_format({**base, **kw})
        self.title = self.add(bold=True, font_size=16, font_color="#1F3864")
        self.hint = self.add(font_color="#595959", italic=True)
        self.text = self.add(num_format="@")
        self.plain = self.add()
        self.wrap = self.add(text_wrap=True, valign="top")
        self.date = self.add(num_format=DATE_FORMAT, align="left")
        self.int = self.add(num_format="0")
        self.money = self.add(num_format=MONEY_FORMAT)
        self.pct = self.add(num_format="0.0%")
        self.score = self.add(num_format="0.0")
        self.ratio = self.add(num_format="0.000")
        self.table_head = self.add(bold=True, font_color="#FFFFFF", bg_color="#1F4E79", border=1,
                                   border_color="#BFBFBF", text_wrap=True)
        self.result_head = self.add(bold=True, font_color="#FFFFFF", bg_color="#2E7D6B", border=1,
                                    border_color="#BFBFBF", text_wrap=True)
        self.result = self.add(bg_color="#EEF6F3", border=1, border_color="#D9D9D9")
        self.result_date = self.add(bg_color="#EEF6F3", border=1, border_color="#D9D9D9", num_format=DATE_FORMAT)
        self.section = self.add(bold=True, font_size=12, font_color="#FFFFFF", bg_color="#1F4E79")
        self.kehu_section = self.add(bold=True, font_size=12, font_color="#FFFFFF", bg_color="#2E7D6B")
        self.th = self.add(bold=True, bg_color="#DDEBF7", border=1, border_color="#BFBFBF", text_wrap=True,
                           align="center")
        self.label = self.add(border=1, border_color="#D9D9D9")
        self.note = self.add(font_color="#7F7F7F", border=1, border_color="#D9D9D9", text_wrap=True)
        cell = {"border": 1, "border_color": "#D9D9D9"}
        self.f_int = self.add(num_format="0", **cell)
        self.f_money = self.add(num_format=MONEY_FORMAT, **cell)
        self.f_pct = self.add(num_format="0.0%", **cell)
        self.f_score = self.add(num_format="0.0", **cell)
        self.f_num = self.add(num_format="0.00", **cell)
        self.f_ratio = self.add(num_format="0.000", **cell)
        self.f_text = self.add(**cell)
        self.input = self.add(num_format="0", bg_color="#FFF2CC", border=2, border_color="#BF8F00", bold=True)
        self.h1 = self.add(bold=True, font_size=13, font_color="#1F3864")
        self.body = self.add(text_wrap=True, valign="top")
        # conditional-format fills (only the fill and font are used by Excel for these)
        self.cf_problem = wb.add_format({"bg_color": "#FFF2CC", "font_color": "#7F6000"})
        self.cf_duplicate = wb.add_format({"bg_color": "#FCE4D6", "font_color": "#C65911", "bold": True})
        self.cf_overdue = wb.add_format({"bg_color": "#F8CBAD", "font_color": "#9C0006", "bold": True})
        self.cf_signed = wb.add_format({"bg_color": "#E2EFDA", "font_color": "#375623"})
        self.cf_flag = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})


def new_workbook(path: Path, title: str, subject: str) -> xlsxwriter.Workbook:
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"title": title, "subject": subject, "author": "kehu 客户工具", "company": "kehu",
                       "comments": "由 workbook_templates/build_templates.py 生成", "created": CREATED})
    wb.set_calc_mode("auto", calc_id=EXCEL_CALC_ID)
    # Cached values are right for every formula (see the module docstring); a full recalculation on
    # open would only destroy the KEHU results where the add-in is not installed.
    wb.calc_on_load = False
    return wb


def write_value(ws, row: int, col: int, value: Any, fmt=None) -> None:
    """One Python value into a cell with the right xlsxwriter call (dates as dates, None as blank)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
    elif isinstance(value, (dt.datetime, dt.date)):
        ws.write_datetime(row, col, value, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    elif isinstance(value, (bool, np.bool_)):
        ws.write_boolean(row, col, bool(value), fmt)
    else:
        ws.write_number(row, col, float(value), fmt)


def excel_serial(value: dt.datetime) -> float:
    return (value - dt.datetime(1899, 12, 30)).total_seconds() / 86400


class _CachedText(str):
    """Text that stays text as a spilled formula's cached value.

    xlsxwriter marks an array formula's cached value as text only when float() fails on it, so a
    normalised mobile "13800138000" would be stored as a number; refusing float() keeps it text.
    """

    def __float__(self) -> float:
        raise ValueError("cached text")


def cached(value: Any) -> Any:
    """A formula's cached value as xlsxwriter takes it: numbers, text, or '' for blank."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (dt.datetime, dt.date)):
        return excel_serial(pd.Timestamp(value).to_pydatetime())
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    return str(value)


def write_spill(ws, row: int, col: int, formula: str, grid: Sequence[Sequence[Any]], fmts: Sequence[Any]) -> None:
    """A spilled kehu formula in (row, col) with its whole result cached: the anchor cell holds the formula
    and the first value, the other cells of the spill range hold plain values, as Excel itself saves them."""
    height, width = len(grid), max(len(r) for r in grid)
    first = cached(grid[0][0])
    ws.write_dynamic_array_formula(row, col, row + height - 1, col + width - 1, formula, fmts[0],
                                   _CachedText(first) if isinstance(first, str) else first)
    for i, line in enumerate(grid):
        for j, value in enumerate(line):
            if i or j:
                fmt = fmts[min(j, len(fmts) - 1)]
                write_value(ws, row + i, col + j, None if value == "" else value, fmt)


def rows_arg(values: Sequence[Any]) -> list[list[Any]]:
    """A Table column as xlwings hands it to a UDF declared ndim=2: one list per row, None for blanks."""
    return [[v] for v in values]


@dataclass
class Field:
    """One register column: header, width, cell kind and the comment shown on its header."""

    header: str
    width: float
    kind: str          # text | number-text | date | int | money
    comment: str


def header_comment(ws, row: int, col: int, text: str) -> None:
    ws.write_comment(row, col, text, {"author": "kehu", "x_scale": 2.2, "y_scale": 1.4,
                                      "font_name": FONT, "font_size": 9})


def instructions_sheet(wb, st: Styles, title: str, sections: Sequence[tuple[str, Sequence[str]]]) -> None:
    """使用说明: headed paragraphs in one wide column."""
    ws = wb.add_worksheet("使用说明")
    ws.hide_gridlines(2)
    ws.set_column(0, 0, 2)
    ws.set_column(1, 1, 72)        # about 36 Chinese characters a line; fits A4 portrait
    ws.write(0, 1, title, st.title)
    ws.set_row(0, 28)
    row = 2
    for head, lines in sections:
        ws.write(row, 1, head, st.h1)
        ws.set_row(row, 22)
        row += 1
        for line in lines:
            ws.write_string(row, 1, line, st.body)
            ws.set_row(row, 16 * max(1, -(-len(line) // 34)))  # wrapped lines of ~34 characters
            row += 1
        row += 1
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def list_validation(ws, first_row: int, col: int, items: Sequence[str], title: str, field_name: str) -> None:
    ws.data_validation(first_row, col, first_row + INPUT_ROWS - 1, col, {
        "validate": "list", "source": list(items),
        "input_title": title[:32], "input_message": ("可选：" + "、".join(items))[:255],
        "error_title": "输入有误 Invalid entry",
        "error_message": f"请从下拉列表中选择{field_name}。\nPlease pick a value from the list.",
        "error_type": "warning"})


def date_validation(ws, first_row: int, col: int, field_name: str) -> None:
    ws.data_validation(first_row, col, first_row + INPUT_ROWS - 1, col, {
        "validate": "date", "criteria": "between",
        "minimum": dt.date(1990, 1, 1), "maximum": dt.date(2099, 12, 31),
        "input_title": field_name, "input_message": "日期，例如 2025-03-05",
        "error_title": "日期有误 Invalid date",
        "error_message": f"{field_name}应为 1990-01-01 至 2099-12-31 之间的日期。\n"
                         f"Enter a date between 1990-01-01 and 2099-12-31.",
        "error_type": "warning"})


def number_validation(ws, first_row: int, col: int, kind: str, low: float, high: float | None,
                      field_name: str, message: str) -> None:
    options = {"validate": kind, "input_title": field_name, "input_message": message,
               "error_title": "数值有误 Invalid number", "error_type": "stop"}
    if high is None:
        options.update(criteria=">=", value=low,
                       error_message=f"{field_name}应为不小于 {low:g} 的数。\nEnter a number ≥ {low:g}.")
    else:
        options.update(criteria="between", minimum=low, maximum=high,
                       error_message=f"{field_name}应在 {low:g} 到 {high:g} 之间。\n"
                                     f"Enter a number from {low:g} to {high:g}.")
    ws.data_validation(first_row, col, first_row + INPUT_ROWS - 1, col, options)


def format_of(st: Styles, key: str):
    return {"int": st.f_int, "money": st.f_money, "pct": st.f_pct, "num": st.f_num, "score": st.f_score,
            "ratio": st.f_ratio, "text": st.f_text}[key]
