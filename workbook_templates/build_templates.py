"""Build the two workbook templates (客户档案模板.xlsx, 满意度调查模板.xlsx): `python -m workbook_templates.build_templates`.

Both are written with xlsxwriter from fixed sample rows, so a rebuild gives the same cells, formulas and
formats (the test suite compares the committed files with a fresh build, cell for cell).

Two kinds of formula live in the templates:

* native formulas (COUNTIFS, SUMIFS, AVERAGEIFS, SUMPRODUCT, IFERROR …) in the summary and report blocks,
  which every spreadsheet computes without kehu. Each gets a cached value computed here with pandas, so a
  reader that does not recalculate (a previewer, calamine, LibreOffice with its default "never recalculate"
  setting) still shows the right number; only formulas that depend on TODAY() are left without one, and
  every spreadsheet computes those on open (volatile, or no cached value at all).
* kehu formulas (KEHU_…, the xlwings UDFs of udfs.formulas). Result columns are one spilled dynamic-array
  formula in the first data row, referencing the Table column; scalar figures are plain formulas. Their
  cached values come from calling the same Python functions on the sample rows, so Excel without the
  add-in shows the sample results instead of blanks until something is recalculated. (LibreOffice always
  recalculates array formulas on load and shows #NAME? there; plain KEHU formulas keep their values.)

The workbook asks for no full recalculation on load (fullCalcOnLoad off, a current calcId): the cached
values are right, and a forced recalculation would turn every KEHU cell into #NAME? where the add-in is
missing.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

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


# ---- the customer register ----------------------------------------------------------------------------

REGISTER_SHEET = "客户档案"
REGISTER_TABLE = "客户档案"
SUMMARY_SHEET = "统计汇总"
REGISTER_HEADER_ROW = 2            # 0-based: title on row 1, legend on row 2, header on row 3

REGISTER_FIELDS = [
    Field("客户编号", 10, "text", "客户编号：每位客户唯一，如 KH0001。重复的编号会标成橙色。"),
    Field("姓名", 9, "text", "姓名：联系人姓名，不要加“先生 / 女士 / 经理”等称呼。"),
    Field("性别", 6, "text", "性别：从下拉列表选择 男 / 女。"),
    Field("手机", 14, "number-text", "手机：11 位手机号，以 1 开头（可带 +86、空格、横线，kehu 会规范）。"
                                    "同一手机号出现两次会标成橙色。"),
    Field("电话", 14, "number-text", "电话：固定电话，区号加号码，如 010-62345678，分机写在后面 -801。"),
    Field("邮箱", 22, "text", "邮箱：如 zhangwei@example.com。"),
    Field("公司名称", 24, "text", "公司名称：营业执照上的全称，如 北京华信科技有限公司。个人客户可留空。"),
    Field("统一社会信用代码", 21, "number-text", "统一社会信用代码：18 位（GB 32100-2015），最后一位是校验码。"),
    Field("身份证号", 21, "number-text", "身份证号：18 位（最后一位可为 X），旧的 15 位号码也可。"
                                        "请按《个人信息保护法》只在必要时收集并妥善保管。"),
    Field("省份", 9, "text", "省份：如 广东省、北京市。"),
    Field("城市", 9, "text", "城市：如 广州市。"),
    Field("地址", 30, "text", "地址：详细地址（区县、街道、门牌号）。"),
    Field("首次接触日期", 12, "date", "首次接触日期：第一次联系或建档的日期，格式 2025-03-05。"),
    Field("最近购买日期", 12, "date", "最近购买日期：最后一次成交的日期；未成交留空。RFM 评分用它计算 R（最近一次）。"),
    Field("购买次数", 8, "int", "购买次数：累计成交次数（整数）。RFM 评分的 F（频率）。"),
    Field("累计金额", 12, "money", "累计金额：累计成交金额（元）。RFM 评分的 M（金额），价值等级 A/B/C 也按它分。"),
    Field("状态", 10, "text", "状态：意向客户 / 签单客户 / 无效客户 / 丢单客户。签单客户以绿色突出显示。"),
    Field("客户类型", 10, "text", "客户类型：忠诚客户 / 潜在客户 / 边缘客户 / 流失客户（人工判断；"
                                 "右侧“建议类型”是 kehu 按 RFM 给出的参考）。"),
    Field("来源渠道", 11, "text", "来源渠道：客户从哪里来，从下拉列表选择。"),
    Field("备注", 34, "text", "备注：每位客户都应有备注（需求、顾虑、上次沟通内容）。空备注标成黄色。"),
    Field("下次跟进日期", 12, "date", "下次跟进日期：意向客户每月、无效/丢单客户每 2–3 个月回访。"
                                     "已过期且未签单的标成红色。"),
]
REGISTER_HEADERS = [f.header for f in REGISTER_FIELDS]
COL = {f.header: i for i, f in enumerate(REGISTER_FIELDS)}


def _d(text: str | None) -> dt.datetime | None:
    return dt.datetime.strptime(text, "%Y-%m-%d") if text else None


#: Sample customers. Planted on purpose: a mobile keyed with spaces (KH0001), one mobile on two rows
#: (KH0002/KH0004), a 10-digit mobile and a bad ID check digit (KH0005), an empty 备注 (KH0005),
#: overdue call-backs (KH0002, KH0006) and a signed customer whose date has passed (KH0001, not flagged).
REGISTER_ROWS: list[dict[str, Any]] = [
    dict(客户编号="KH0001", 姓名="张伟", 性别="男", 手机="138 0013 8000", 电话="010-62345678",
         邮箱="zhangwei@bjhuaxin.com", 公司名称="北京华信科技有限公司", 统一社会信用代码="91110108MA01ABCD1E",
         身份证号="110108198503121233", 省份="北京市", 城市="北京市", 地址="海淀区中关村大街 27 号 1101 室",
         首次接触日期=_d("2023-03-15"), 最近购买日期=_d("2026-05-20"), 购买次数=12, 累计金额=186500.0,
         状态="签单客户", 客户类型="忠诚客户", 来源渠道="老客户介绍", 备注="年度框架合同，每季度回访一次",
         下次跟进日期=_d("2026-06-20")),
    dict(客户编号="KH0002", 姓名="李娜", 性别="女", 手机="13912345678", 电话="021-55501234",
         邮箱="lina@163.com", 公司名称="上海明远贸易有限公司", 统一社会信用代码="91310115MA1K3XY72K",
         身份证号="310115199007281428", 省份="上海市", 城市="上海市", 地址="浦东新区张杨路 500 号 8 楼",
         首次接触日期=_d("2026-04-08"), 最近购买日期=None, 购买次数=0, 累计金额=0.0,
         状态="意向客户", 客户类型="潜在客户", 来源渠道="展会", 备注="展会上留的名片，对 B 型号感兴趣，需报价",
         下次跟进日期=_d("2026-06-10")),
    dict(客户编号="KH0003", 姓名="王强", 性别="男", 手机="13700137000", 电话="0755-86001234",
         邮箱="wangqiang@szdingsheng.cn", 公司名称="深圳市鼎盛电子股份有限公司", 统一社会信用代码="91440300MA5F8GHJ35",
         身份证号="440306197809153019", 省份="广东省", 城市="深圳市", 地址="南山区科技园南区高新南七道 8 号",
         首次接触日期=_d("2022-11-02"), 最近购买日期=_d("2026-03-18"), 购买次数=7, 累计金额=92300.0,
         状态="签单客户", 客户类型="忠诚客户", 来源渠道="官网", 备注="采购部对接，付款及时",
         下次跟进日期=_d("2026-09-18")),
    dict(客户编号="KH0004", 姓名="刘洋", 性别="女", 手机="13912345678", 电话="021-55501235",
         邮箱="liuyang@mingyuan-sh.com", 公司名称="上海明远贸易有限公司", 统一社会信用代码="91310115MA1K3XY72K",
         身份证号=None, 省份="上海市", 城市="上海市", 地址="浦东新区张杨路 500 号 8 楼",
         首次接触日期=_d("2025-09-12"), 最近购买日期=_d("2025-10-30"), 购买次数=1, 累计金额=6800.0,
         状态="签单客户", 客户类型="边缘客户", 来源渠道="电话咨询", 备注="与李娜同一公司，手机号待核实",
         下次跟进日期=_d("2026-10-30")),
    dict(客户编号="KH0005", 姓名="陈静", 性别="女", 手机="1381234567", 电话=None,
         邮箱="chenjing@qq.com", 公司名称=None, 统一社会信用代码=None,
         身份证号="320106199202044521", 省份="江苏省", 城市="南京市", 地址="鼓楼区中山北路 101 号",
         首次接触日期=_d("2026-05-26"), 最近购买日期=None, 购买次数=0, 累计金额=0.0,
         状态="意向客户", 客户类型="潜在客户", 来源渠道="微信", 备注=None,
         下次跟进日期=_d("2026-07-26")),
    dict(客户编号="KH0006", 姓名="赵磊", 性别="男", 手机="15800158000", 电话="028-85001234",
         邮箱="zhaolei@cdtianfu.com", 公司名称="成都天府物流有限公司", 统一社会信用代码="91510107MA6C9KLM5G",
         身份证号="510107198806302355", 省份="四川省", 城市="成都市", 地址="武侯区人民南路四段 12 号",
         首次接触日期=_d("2021-06-01"), 最近购买日期=_d("2024-08-15"), 购买次数=4, 累计金额=24600.0,
         状态="丢单客户", 客户类型="流失客户", 来源渠道="广告投放", 备注="转向竞争对手，价格原因；三个月后再联系",
         下次跟进日期=_d("2026-04-01")),
    dict(客户编号="KH0007", 姓名="周敏", 性别="女", 手机="+86 186-0571-2345", 电话="0571-87651234",
         邮箱="zhoumin@hzxihu.com", 公司名称="杭州西湖茶业有限公司", 统一社会信用代码=None,
         身份证号="330106199501180822", 省份="浙江省", 城市="杭州市", 地址="西湖区龙井路 1 号",
         首次接触日期=_d("2025-12-03"), 最近购买日期=_d("2026-01-09"), 购买次数=1, 累计金额=1200.0,
         状态="无效客户", 客户类型="边缘客户", 来源渠道="地推", 备注="电话多次未接通，两个月后再试",
         下次跟进日期=_d("2026-09-01")),
]


def register_frame() -> pd.DataFrame:
    """The sample rows as a DataFrame in header order (None for blank cells)."""
    return pd.DataFrame(REGISTER_ROWS, columns=REGISTER_HEADERS).astype(object).where(
        lambda d: d.notna(), None)


def _field_format(st: Styles, kind: str):
    return {"text": st.plain, "number-text": st.text, "date": st.date, "int": st.int, "money": st.money}[kind]


def _col(header: str) -> str:
    return xl_col_to_name(COL[header])


@dataclass
class ResultColumn:
    """kehu result columns right of the Table: header(s), formula, and the Python call for cached values."""

    headers: list[str]
    formula: str
    compute: Callable[[pd.DataFrame], list[list[Any]]]
    comment: str
    width: float = 11
    date_columns: tuple[int, ...] = ()


def register_result_columns(first_col: int, header_row: int) -> list[ResultColumn]:
    """The kehu formulas shown next to the register, in order; anchors are computed from `first_col`."""
    from udfs.formulas import (KEHU_CHECK, KEHU_CUSTOMER_TYPE, KEHU_MOBILE, KEHU_RFM, KEHU_SEGMENT,
                               KEHU_TIER)

    t = REGISTER_TABLE
    anchor_row = header_row + 2          # 1-based Excel row of the first data row
    rfm_col = xl_col_to_name(first_col + 3)
    seg_col = xl_col_to_name(first_col + 7)
    rfm_ref = f"ANCHORARRAY({rfm_col}{anchor_row})"

    def all_rows(df: pd.DataFrame) -> list[list[Any]]:
        return [list(df.columns)] + df.values.tolist()

    def rfm(df: pd.DataFrame) -> list[list[Any]]:
        return KEHU_RFM(rows_arg(df["最近购买日期"]), rows_arg(df["购买次数"]), rows_arg(df["累计金额"]),
                        as_of=SAMPLE_AS_OF)

    def segment(df: pd.DataFrame) -> list[list[Any]]:
        scores = rfm(df)
        return KEHU_SEGMENT(*[[[r[k]] for r in scores] for k in range(3)])

    def kind(df: pd.DataFrame) -> list[list[Any]]:
        return KEHU_CUSTOMER_TYPE(segment(df), rows_arg(df["最近购买日期"]), as_of=SAMPLE_AS_OF)

    return [
        ResultColumn(["fx 手机(规范)"], f"=KEHU_MOBILE({t}[手机])",
                     lambda df: KEHU_MOBILE(rows_arg(df["手机"])),
                     "kehu 公式 KEHU_MOBILE：规范后的手机号（去掉 +86、空格、横线）；不是手机号时留空。", 13),
        ResultColumn(["fx 检查结果"], f"=KEHU_CHECK({t}[#All])",
                     lambda df: KEHU_CHECK(all_rows(df)),
                     "kehu 公式 KEHU_CHECK：逐行检查手机、身份证号、信用代码、日期等，列出问题；没有问题时留空。", 30),
        ResultColumn(["fx 价值等级"], f"=KEHU_TIER({t}[累计金额])",
                     lambda df: KEHU_TIER(rows_arg(df["累计金额"])),
                     "kehu 公式 KEHU_TIER：按累计金额占总收入 80% / 15% / 5% 分为 A / B / C 类。", 10),
        ResultColumn(["fx R", "fx F", "fx M", "fx RFM"],
                     f"=KEHU_RFM({t}[最近购买日期],{t}[购买次数],{t}[累计金额])", rfm,
                     "kehu 公式 KEHU_RFM：R 最近一次、F 频率、M 金额，各 1–5 分（分析日期为今天），"
                     "溢出为 R、F、M、RFM 四列。", 5),
        ResultColumn(["fx 细分"],
                     f"=KEHU_SEGMENT(INDEX({rfm_ref},0,1),INDEX({rfm_ref},0,2),INDEX({rfm_ref},0,3))", segment,
                     "kehu 公式 KEHU_SEGMENT：由左侧 R、F、M 分得出 RFM 细分名称。", 12),
        ResultColumn(["fx 建议类型"],
                     f"=KEHU_CUSTOMER_TYPE(ANCHORARRAY({seg_col}{anchor_row}),{t}[最近购买日期])", kind,
                     "kehu 公式 KEHU_CUSTOMER_TYPE：按细分和最近购买日期建议客户类型"
                     "（忠诚 / 潜在 / 边缘 / 流失），供填写“客户类型”参考。", 10),
    ]


def register_summary(df: pd.DataFrame) -> list[tuple[str, list[tuple[str, str, Any, Any]]]]:
    """The 统计汇总 blocks as (key, rows), with the cached value of every formula computed here with pandas.

    The "overall" rows are (label, formula, value, format key, note); the other blocks' rows are
    (label, [(formula, value, format key), …]) with "{r}" standing for the sheet row. Formulas that use
    TODAY() get None: no cached value, every spreadsheet computes them on open.
    """
    t = REGISTER_TABLE
    amount = pd.to_numeric(df["累计金额"]).astype(float)
    mobile = df["手机"]
    filled_mobile = mobile[mobile.notna()]
    dup_mobile = int(filled_mobile.duplicated(keep=False).sum())
    blank = lambda c: df[c].isna()  # noqa: E731
    overall = [
        ("客户总数", f"=COUNTA({t}[客户编号])", int(df["客户编号"].notna().sum()), "int",
         "表中客户编号不为空的行数"),
        ("累计金额合计（元）", f"=SUM({t}[累计金额])", float(amount.sum()), "money", "全部客户累计金额之和"),
        ("签单客户数", f"=COUNTIFS({t}[状态],\"签单客户\")", int((df["状态"] == "签单客户").sum()), "int",
         "状态为“签单客户”的客户"),
        ("手机号重复的行", f"=SUMPRODUCT(({t}[手机]<>\"\")*(COUNTIF({t}[手机],{t}[手机])>1))", dup_mobile, "int",
         "同一手机号出现不止一次（原样比较；写法不同的重复请用 kehu 查找重复）"),
        ("逾期未跟进（未签单）", f"=COUNTIFS({t}[下次跟进日期],\"<\"&TODAY(),{t}[状态],\"<>签单客户\")", None, "int",
         "下次跟进日期早于今天、状态不是签单客户"),
        ("缺少备注", f"=COUNTBLANK({t}[备注])", int(blank("备注").sum()), "int", "备注为空的客户（每位客户都应有备注）"),
        ("缺少联系方式", f"=COUNTIFS({t}[手机],\"\",{t}[电话],\"\")",
         int((blank("手机") & blank("电话")).sum()), "int", "手机和电话都为空"),
    ]
    by_status = []
    for s in STATUSES:
        m = df["状态"] == s
        by_status.append((s, [
            (f"=COUNTIFS({t}[状态],$A{{r}})", int(m.sum()), "int"),
            (f"=SUMIFS({t}[累计金额],{t}[状态],$A{{r}})", float(amount[m].sum()), "money"),
            (f"=IFERROR(AVERAGEIFS({t}[累计金额],{t}[状态],$A{{r}}),\"\")",
             float(amount[m].mean()) if m.any() else "", "money"),
            (f"=COUNTIFS({t}[状态],$A{{r}},{t}[下次跟进日期],\"<\"&TODAY())", None, "int"),
        ]))
    counts = pd.to_numeric(df["购买次数"]).astype(float)
    by_type = []
    for k in CUSTOMER_TYPES:
        m = df["客户类型"] == k
        by_type.append((k, [
            (f"=COUNTIFS({t}[客户类型],$A{{r}})", int(m.sum()), "int"),
            (f"=SUMIFS({t}[累计金额],{t}[客户类型],$A{{r}})", float(amount[m].sum()), "money"),
            (f"=IFERROR(AVERAGEIFS({t}[购买次数],{t}[客户类型],$A{{r}}),\"\")",
             float(counts[m].mean()) if m.any() else "", "num"),
            (f"=IFERROR(SUMIFS({t}[累计金额],{t}[客户类型],$A{{r}})/SUM({t}[累计金额]),\"\")",
             float(amount[m].sum() / amount.sum()) if amount.sum() else "", "pct"),
        ]))
    by_channel = []
    for c in CHANNELS:
        m = df["来源渠道"] == c
        signed = int((m & (df["状态"] == "签单客户")).sum())
        by_channel.append((c, [
            (f"=COUNTIFS({t}[来源渠道],$A{{r}})", int(m.sum()), "int"),
            (f"=COUNTIFS({t}[来源渠道],$A{{r}},{t}[状态],\"签单客户\")", signed, "int"),
            ("=IFERROR(C{r}/B{r},\"\")", signed / int(m.sum()) if m.any() else "", "pct"),
        ]))
    return [("overall", overall), ("状态", by_status), ("客户类型", by_type), ("来源渠道", by_channel)]


SUMMARY_BLOCK_HEADS = {
    "状态": ["状态", "客户数", "累计金额（元）", "平均累计金额（元）", "逾期未跟进"],
    "客户类型": ["客户类型", "客户数", "累计金额（元）", "平均购买次数", "金额占比"],
    "来源渠道": ["来源渠道", "客户数", "签单数", "签单率"],
}
SUMMARY_BLOCK_TITLES = {"状态": "按状态", "客户类型": "按客户类型", "来源渠道": "按来源渠道"}


def _fmt(st: Styles, key: str):
    return {"int": st.f_int, "money": st.f_money, "pct": st.f_pct, "num": st.f_num, "score": st.f_score,
            "ratio": st.f_ratio, "text": st.f_text}[key]


def write_summary_sheet(wb, st: Styles, df: pd.DataFrame) -> None:
    ws = wb.add_worksheet(SUMMARY_SHEET)
    ws.hide_gridlines(2)
    ws.set_column(0, 0, 22)
    ws.set_column(1, 4, 16)
    ws.set_column(5, 5, 4)
    ws.write(0, 0, "客户档案统计汇总", st.title)
    ws.set_row(0, 28)
    ws.write(1, 0, "本页只用 COUNTIFS、SUMIFS、AVERAGEIFS、SUMPRODUCT、IFERROR 等常用函数，"
                   "不需要 kehu 加载项：旧版 Excel、WPS、LibreOffice 都能计算。", st.hint)
    blocks = register_summary(df)
    row = 3
    for key, lines in blocks:
        if key == "overall":
            ws.merge_range(row, 0, row, 4, "总体", st.section)
            row += 1
            ws.write(row, 0, "指标", st.th)
            ws.write(row, 1, "数值", st.th)
            ws.merge_range(row, 2, row, 4, "说明", st.th)
            row += 1
            for label, formula, value, fmt, note in lines:
                ws.write(row, 0, label, st.label)
                ws.write_formula(row, 1, formula, _fmt(st, fmt), cached(value))
                ws.merge_range(row, 2, row, 4, note, st.note)
                row += 1
        else:
            row += 1
            heads = SUMMARY_BLOCK_HEADS[key]
            ws.merge_range(row, 0, row, 4, SUMMARY_BLOCK_TITLES[key], st.section)
            row += 1
            for j, h in enumerate(heads):
                ws.write(row, j, h, st.th)
            row += 1
            for label, cells in lines:
                ws.write(row, 0, label, st.label)
                for j, (formula, value, fmt) in enumerate(cells, start=1):
                    ws.write_formula(row, j, formula.format(r=row + 1), _fmt(st, fmt), cached(value))
                row += 1
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def write_register_sheet(wb, st: Styles, df: pd.DataFrame) -> None:
    ws = wb.add_worksheet(REGISTER_SHEET)
    h = REGISTER_HEADER_ROW
    first, last = h + 1, h + len(df)
    n_fields = len(REGISTER_FIELDS)
    ws.write(0, 0, "客户档案", st.title)
    ws.set_row(0, 28)
    ws.write(1, 0, "图例：黄色＝待补充或格式可疑　橙色＝重复　红色＝逾期未跟进　绿色＝签单客户　"
                   "深绿“fx”表头＝kehu 公式结果列（需要 kehu 加载项，随表格自动扩展）", st.hint)
    ws.add_table(h, 0, last, n_fields - 1, {
        "name": REGISTER_TABLE, "style": "Table Style Medium 2", "autofilter": True,
        "columns": [{"header": f.header, "format": _field_format(st, f.kind), "header_format": st.table_head}
                    for f in REGISTER_FIELDS]})
    for j, f in enumerate(REGISTER_FIELDS):
        ws.set_column(j, j, f.width, _field_format(st, f.kind))
        header_comment(ws, h, j, f.comment)
        for i, value in enumerate(df[f.header].tolist()):
            write_value(ws, first + i, j, value, _field_format(st, f.kind))
    ws.set_row(h, 30)

    # kehu result columns, right of the Table: one spilled formula each in the first data row
    col = n_fields
    for rc in register_result_columns(n_fields, h):
        grid = rc.compute(df)
        for k, head in enumerate(rc.headers):
            ws.write(h, col + k, head, st.result_head)
            ws.set_column(col + k, col + k, rc.width if len(rc.headers) == 1 else 7)
        header_comment(ws, h, col, rc.comment)
        fmts = [st.result_date if k in rc.date_columns else st.result for k in range(len(rc.headers))]
        write_spill(ws, first, col, rc.formula, grid, fmts)
        col += len(rc.headers)
    result_cols = (n_fields, col - 1)

    _register_validation(ws, first)
    _register_conditional_formats(ws, st, first, result_cols)
    ws.freeze_panes(h + 1, 2)
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(h)
    ws.repeat_columns(0, 1)
    ws.activate()


def _register_validation(ws, first: int) -> None:
    list_validation(ws, first, COL["性别"], GENDERS, "性别", "性别")
    list_validation(ws, first, COL["状态"], STATUSES, "状态", "状态")
    list_validation(ws, first, COL["客户类型"], CUSTOMER_TYPES, "客户类型", "客户类型")
    list_validation(ws, first, COL["来源渠道"], CHANNELS, "来源渠道", "来源渠道")
    for name in ("首次接触日期", "最近购买日期", "下次跟进日期"):
        date_validation(ws, first, COL[name], name)
    number_validation(ws, first, COL["购买次数"], "integer", 0, None, "购买次数", "成交次数，整数，未成交填 0")
    number_validation(ws, first, COL["累计金额"], "decimal", 0, None, "累计金额", "累计成交金额（元），未成交填 0")


def _register_conditional_formats(ws, st: Styles, first: int, result_cols: tuple[int, int]) -> None:
    """Problem (yellow), duplicate (orange), overdue (red) and signed (green) flags, all native formulas."""
    top, bottom = first, first + INPUT_ROWS - 1
    r = top + 1  # 1-based row of the first data row, for the relative references below

    def rng(header: str) -> str:
        c = _col(header)
        return f"{c}{top + 1}:{c}{bottom + 1}"

    def cell(header: str) -> str:
        return f"${_col(header)}{r}"

    def absolute(header: str) -> str:
        c = _col(header)
        return f"${c}${top + 1}:${c}${bottom + 1}"

    live = f"{cell('客户编号')}<>\"\""
    for header in ("客户编号", "手机", "身份证号"):
        ws.conditional_format(rng(header), {"type": "formula", "format": st.cf_duplicate,
                                            "criteria": f"=AND({cell(header)}<>\"\",COUNTIF({absolute(header)},"
                                                        f"{cell(header)})>1)"})
    ws.conditional_format(rng("下次跟进日期"), {
        "type": "formula", "format": st.cf_overdue,
        "criteria": f"=AND({cell('下次跟进日期')}<>\"\",{cell('下次跟进日期')}<TODAY(),"
                    f"{cell('状态')}<>\"签单客户\")"})
    ws.conditional_format(rng("状态"), {"type": "cell", "criteria": "==", "value": "\"签单客户\"",
                                        "format": st.cf_signed})
    ws.conditional_format(rng("备注"), {"type": "formula", "format": st.cf_problem,
                                        "criteria": f"=AND({live},{cell('备注')}=\"\")"})
    both = f"{_col('手机')}{top + 1}:{_col('电话')}{bottom + 1}"
    ws.conditional_format(both, {"type": "formula", "format": st.cf_problem,
                                 "criteria": f"=AND({live},{cell('手机')}=\"\",{cell('电话')}=\"\")"})
    digits = f"SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({cell('手机')},\" \",\"\"),\"-\",\"\"),\"+86\",\"\")"
    ws.conditional_format(rng("手机"), {"type": "formula", "format": st.cf_problem,
                                        "criteria": f"=AND({cell('手机')}<>\"\",LEN({digits})<>11)"})
    ws.conditional_format(rng("身份证号"), {"type": "formula", "format": st.cf_problem,
                                          "criteria": f"=AND({cell('身份证号')}<>\"\",LEN({cell('身份证号')})<>18,"
                                                      f"LEN({cell('身份证号')})<>15)"})
    ws.conditional_format(rng("统一社会信用代码"), {
        "type": "formula", "format": st.cf_problem,
        "criteria": f"=AND({cell('统一社会信用代码')}<>\"\",LEN({cell('统一社会信用代码')})<>18)"})
    ws.conditional_format(rng("累计金额"), {"type": "data_bar", "bar_color": "#9BC2E6", "bar_solid": True})
    check = xl_col_to_name(result_cols[0] + 1)
    ws.conditional_format(f"{check}{top + 1}:{check}{bottom + 1}", {
        "type": "formula", "format": st.cf_flag, "criteria": f"=LEN(${check}{r})>0"})


REGISTER_INSTRUCTIONS = [
    ("这个模板包含什么", [
        "“客户档案”工作表：一行一位客户的表格（Excel 表“客户档案”），已填入 7 行示例，可直接覆盖或删除后填写自己的客户。",
        "“统计汇总”工作表：按状态、客户类型、来源渠道汇总客户数和金额，以及重复、逾期、缺备注等提醒。"
        "只用常用函数，不装 kehu 也能算（旧版 Excel、WPS、LibreOffice 均可）。",
        "“使用说明”工作表：就是本页。",
    ]),
    ("怎么填写", [
        "鼠标停在表头上可看到每个字段的说明（批注）。性别、状态、客户类型、来源渠道请从下拉列表选择；日期写成 2025-03-05。",
        "手机、电话、身份证号、统一社会信用代码按文本保存，不会变成 1.38E+10 这样的科学计数法。",
        "在表格最后一行的下一行输入即可新增客户，表格和右侧的 kehu 公式会自动扩展。",
        "每位客户都应有备注；意向客户每月回访，无效和丢单客户每 2–3 个月再联系，签单客户按服务周期回访。",
    ]),
    ("颜色提醒（不需要加载项）", [
        "黄色：待补充或格式可疑（备注为空、手机和电话都空、手机不是 11 位、身份证号不是 15/18 位、信用代码不是 18 位）。",
        "橙色：重复（客户编号、手机、身份证号在表中出现不止一次）。",
        "红色：下次跟进日期已过而状态不是签单客户。绿色：签单客户。累计金额带数据条。",
    ]),
    ("kehu 公式结果列（深绿表头）", [
        "表格右侧表头以 fx 开头的列是 kehu 公式：手机(规范) = KEHU_MOBILE，检查结果 = KEHU_CHECK，价值等级 = KEHU_TIER，"
        "R/F/M/RFM = KEHU_RFM，细分 = KEHU_SEGMENT，建议类型 = KEHU_CUSTOMER_TYPE。每列只有第一行一个公式，结果自动溢出到下面各行。",
        "这些公式需要 Microsoft 365 / Excel 2021 及以上版本并安装 kehu 加载项。文件里保存了示例数据的计算结果；"
        "没有加载项时，重新计算后会显示 #NAME?，LibreOffice 和 WPS 中也可能显示 #NAME?，这不影响左侧数据和“统计汇总”。",
        "示例中的 RFM、细分和建议类型按 2026-06-30 计算；在 Excel 中重新计算时按当天日期。",
    ]),
    ("用 kehu 处理", [
        "功能区“客户工具”选项卡：清洗客户表、查找重复、合并重复、客户细分、校验证件号。",
        "命令行：kehu clean 客户档案.xlsx -o 已清洗.xlsx；kehu segment 客户档案.xlsx -o 客户分析.xlsx；kehu dedupe 客户档案.xlsx。",
    ]),
    ("个人信息保护", [
        "客户资料属于个人信息：只收集业务需要的字段，限制查看和传阅范围，不外发、不泄露，按《个人信息保护法》合法使用。",
    ]),
]


def build_register(path: Path = REGISTER_PATH) -> Path:
    """Write 客户档案模板.xlsx."""
    df = register_frame()
    wb = new_workbook(path, "客户档案模板", "客户档案 customer register template")
    st = Styles(wb)
    write_register_sheet(wb, st, df)
    write_summary_sheet(wb, st, df)
    instructions_sheet(wb, st, "客户档案模板 · 使用说明", REGISTER_INSTRUCTIONS)
    wb.close()
    return path


# ---- the satisfaction survey --------------------------------------------------------------------------

ANSWERS_SHEET = "答卷"
ITEMS_SHEET = "题目"
REPORT_SHEET = "报告"
ANSWERS_HEADER_ROW = 2
LEVELS = {5: "非常满意", 4: "满意", 3: "一般", 2: "不满意", 1: "非常不满意"}
LEVEL_TEXT = "5＝非常满意，4＝满意，3＝一般，2＝不满意，1＝非常不满意"
ISSUED = 10

#: code, question, dimension, weight (the weights add up to 1)
SURVEY_ITEMS = [
    ("Q1", "产品质量", "产品", 0.25),
    ("Q2", "价格合理", "产品", 0.15),
    ("Q3", "服务态度", "服务", 0.20),
    ("Q4", "售后服务", "服务", 0.15),
    ("Q5", "送货速度", "物流", 0.15),
    ("Q6", "投诉处理", "服务", 0.10),
]
ITEM_HEADERS = [f"{c} {t}" for c, t, *_ in SURVEY_ITEMS]
OVERALL = "总体满意度"
RECOMMEND = "推荐意愿（0至10分）"
SCORED_HEADERS = ITEM_HEADERS + [OVERALL, RECOMMEND]
ANSWER_HEADERS = ["答卷编号", "客户编号", "门店", "性别", "年龄段"] + SCORED_HEADERS + ["意见和建议", "答题用时（秒）"]
STORES = ["县城店", "乡镇店", "市区旗舰店"]
AGE_BANDS = ["18-25岁", "26-35岁", "36-45岁", "46-60岁", "60岁以上"]

#: Sample questionnaires. A0005 answered 2 of the 8 scored questions: invalid by the 2/3 rule.
ANSWER_ROWS = [
    ["A0001", "KH0001", "县城店", "男", "36-45岁", 5, 4, 5, 4, 4, 5, 5, 9, "送货很快，服务周到", 210],
    ["A0002", "KH0002", "乡镇店", "女", "26-35岁", 4, 3, 4, 3, 2, 3, 3, 6, "送货太慢了", 185],
    ["A0003", "KH0003", "市区旗舰店", "男", "46-60岁", 5, 4, 5, 5, 4, 4, 5, 10, None, 240],
    ["A0004", "KH0004", "县城店", "女", "18-25岁", 4, 2, 4, 3, 3, 2, 3, 7, "希望价格再优惠些", 160],
    ["A0005", "KH0005", "乡镇店", "男", "60岁以上", 3, 3, None, None, None, None, None, None, None, 95],
    ["A0006", "KH0006", "市区旗舰店", "女", "26-35岁", 5, 4, 4, 4, 5, 4, 4, 8, "店员很热情", 200],
    ["A0007", "KH0007", "县城店", "女", "36-45岁", 2, 2, 3, 2, 3, 1, 2, 3, "投诉后很久没人回复", 175],
    ["A0008", "KH0008", "乡镇店", "男", "26-35岁", 4, 3, 5, 4, 2, None, 4, 8, None, 190],
]


def answers_frame() -> pd.DataFrame:
    return pd.DataFrame(ANSWER_ROWS, columns=ANSWER_HEADERS, dtype=object).where(lambda d: d.notna(), None)


def items_frame() -> pd.DataFrame:
    """The 题目 sheet in the layout udfs.score.survey.items.read_items_sheet reads."""
    return pd.DataFrame({
        "题号": [c for c, *_ in SURVEY_ITEMS],
        "题目": [t for _, t, *_ in SURVEY_ITEMS],
        "维度": [d for _, _, d, _ in SURVEY_ITEMS],
        "权重": [w for *_, w in SURVEY_ITEMS],
        "最小值": 1,
        "最大值": 5,
        "选项": "非常不满意|不满意|一般|满意|非常满意",
        "反向": "否",
    })


def answered_name() -> str:
    """The defined name 已答题数: per questionnaire, how many scored questions have an answer."""
    return "+".join(f"(答卷[{h}]<>\"\")" for h in SCORED_HEADERS)


def survey_figures(answers: pd.DataFrame, items: pd.DataFrame, issued: int) -> dict[str, Any]:
    """What the 报告 sheet's native formulas come to on `answers` (the cached values)."""
    scored = answers[SCORED_HEADERS].apply(pd.to_numeric)
    answered = scored.notna().sum(axis=1)
    valid = answered * 3 >= len(SCORED_HEADERS) * 2      # the 2/3 rule, in whole numbers
    returned = int(answers["答卷编号"].notna().sum())
    n_valid = int(valid.sum())
    per_item = []
    for (code, text, dim, weight), header, lo, hi in zip(SURVEY_ITEMS, ITEM_HEADERS, items["最小值"], items["最大值"]):
        x = scored.loc[valid, header].dropna()
        mean = float(x.mean()) if len(x) else None
        per_item.append({"n": int(len(x)), "mean": mean,
                         "score": (mean - lo) / (hi - lo) * 100 if mean is not None else None,
                         "top2": float((x >= hi - 1).mean()) if len(x) else None, "weight": weight})
    scores = pd.Series([p["score"] for p in per_item], dtype=float)
    ranks = scores.rank(ascending=False, method="min")
    for p, rank in zip(per_item, ranks):
        p["rank"] = int(rank)
    weights = pd.Series([p["weight"] for p in per_item], dtype=float)
    return {"issued": issued, "returned": returned, "questions": len(SCORED_HEADERS), "valid": n_valid,
            "return_rate": returned / issued, "valid_rate": n_valid / returned if returned else None,
            "valid_return_rate": n_valid / issued, "items": per_item,
            "index": float((scores * weights).sum() / weights.sum())}


def write_answers_sheet(wb, st: Styles, answers: pd.DataFrame) -> None:
    ws = wb.add_worksheet(ANSWERS_SHEET)
    h = ANSWERS_HEADER_ROW
    first, last = h + 1, h + len(answers)
    # The title carries the issued count from 报告 so that `kehu survey` reads it ("发放问卷 N 份").
    ws.write_formula(0, 0, f"=\"门店顾客满意度调查（发放问卷 \"&{REPORT_SHEET}!$C$5&\" 份）\"", st.title,
                     f"门店顾客满意度调查（发放问卷 {ISSUED} 份）")
    ws.set_row(0, 28)
    ws.write(1, 0, f"每行一份问卷。评分题填 1–5：{LEVEL_TEXT}；推荐意愿填 0–10。"
                   "发放份数请在“报告”工作表填写。", st.hint)
    widths = {"答卷编号": 9, "客户编号": 9, "门店": 10, "性别": 6, "年龄段": 9, OVERALL: 9, RECOMMEND: 10,
              "意见和建议": 26, "答题用时（秒）": 9}
    fmt = {h_: (st.int if h_ in SCORED_HEADERS or h_ == "答题用时（秒）" else st.plain) for h_ in ANSWER_HEADERS}
    ws.add_table(h, 0, last, len(ANSWER_HEADERS) - 1, {
        "name": "答卷", "style": "Table Style Medium 2",
        "columns": [{"header": c, "format": fmt[c], "header_format": st.table_head} for c in ANSWER_HEADERS]})
    comments = {
        "答卷编号": "答卷编号：每份问卷一个编号，如 A0001。",
        "客户编号": "客户编号：与客户档案中的客户编号一致时，kehu 客户细分可以关联满意度。",
        "门店": "门店：从下拉列表选择，用于分门店比较。",
        "性别": "性别：男 / 女。",
        "年龄段": "年龄段：从下拉列表选择。",
        OVERALL: f"总体满意度：1–5 分（{LEVEL_TEXT}）。",
        RECOMMEND: "推荐意愿：您向朋友推荐我们的可能性有多大？0–10 分，用于计算 NPS。",
        "意见和建议": "意见和建议：顾客的原话，可留空。",
        "答题用时（秒）": "答题用时（秒）：线上问卷导出的用时；明显过快（不到中位数的三分之一）的标成黄色。",
    }
    for (code, text, dim, weight), header in zip(SURVEY_ITEMS, ITEM_HEADERS):
        comments[header] = f"{code} {text}（{dim}维度，权重 {weight:g}）：1–5 分，{LEVEL_TEXT}。"
    for j, c in enumerate(ANSWER_HEADERS):
        ws.set_column(j, j, widths.get(c, 10), fmt[c])
        header_comment(ws, h, j, comments[c])
        for i, value in enumerate(answers[c].tolist()):
            write_value(ws, first + i, j, value, fmt[c])
    ws.set_row(h, 30)

    col = {c: j for j, c in enumerate(ANSWER_HEADERS)}
    bottom = first + INPUT_ROWS - 1
    list_validation(ws, first, col["门店"], STORES, "门店", "门店")
    list_validation(ws, first, col["性别"], GENDERS, "性别", "性别")
    list_validation(ws, first, col["年龄段"], AGE_BANDS, "年龄段", "年龄段")
    for c in ITEM_HEADERS + [OVERALL]:
        ws.data_validation(first, col[c], bottom, col[c], {
            "validate": "list", "source": ["5", "4", "3", "2", "1"],
            "input_title": "1–5 分", "input_message": LEVEL_TEXT,
            "error_title": "评分有误 Invalid score",
            "error_message": f"请填 1–5 的整数：{LEVEL_TEXT}。\nEnter a whole number from 1 to 5.",
            "error_type": "stop"})
    number_validation(ws, first, col[RECOMMEND], "integer", 0, 10, "推荐意愿", "0–10 分：10＝极愿意推荐，0＝完全不愿意")
    number_validation(ws, first, col["答题用时（秒）"], "integer", 0, None, "答题用时（秒）", "整数秒")

    a, b = xl_col_to_name(col[ITEM_HEADERS[0]]), xl_col_to_name(col[OVERALL])
    ws.conditional_format(f"{a}{first + 1}:{b}{bottom + 1}", {
        "type": "3_color_scale", "min_type": "num", "min_value": 1, "mid_type": "num", "mid_value": 3,
        "max_type": "num", "max_value": 5, "min_color": "#F8696B", "mid_color": "#FFEB84", "max_color": "#63BE7B"})
    rec = xl_col_to_name(col[RECOMMEND])
    ws.conditional_format(f"{rec}{first + 1}:{rec}{bottom + 1}", {
        "type": "3_color_scale", "min_type": "num", "min_value": 0, "mid_type": "num", "mid_value": 7,
        "max_type": "num", "max_value": 10, "min_color": "#F8696B", "mid_color": "#FFEB84", "max_color": "#63BE7B"})
    r = first + 1
    rec_end = xl_col_to_name(col[RECOMMEND])
    ws.conditional_format(f"A{r}:A{bottom + 1}", {
        "type": "formula", "format": st.cf_problem,
        "criteria": f"=AND($A{r}<>\"\",COUNT(${a}{r}:${rec_end}{r})*3<{len(SCORED_HEADERS)}*2)"})
    for c in ("答卷编号", "客户编号"):
        x = xl_col_to_name(col[c])
        ws.conditional_format(f"{x}{r}:{x}{bottom + 1}", {
            "type": "formula", "format": st.cf_duplicate,
            "criteria": f"=AND(${x}{r}<>\"\",COUNTIF(${x}${r}:${x}${bottom + 1},${x}{r})>1)"})
    d = xl_col_to_name(col["答题用时（秒）"])
    ws.conditional_format(f"{d}{r}:{d}{bottom + 1}", {
        "type": "formula", "format": st.cf_problem,
        "criteria": f"=AND(${d}{r}<>\"\",${d}{r}<MEDIAN(${d}${r}:${d}${bottom + 1})/3)"})
    ws.freeze_panes(h + 1, 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(h)
    ws.activate()


def write_items_sheet(wb, st: Styles, items: pd.DataFrame) -> None:
    ws = wb.add_worksheet(ITEMS_SHEET)
    n = len(items)
    fmts = {"权重": st.score, "最小值": st.int, "最大值": st.int}
    ws.add_table(0, 0, n, len(items.columns) - 1, {
        "name": "题目", "style": "Table Style Medium 9",
        "columns": [{"header": c, "format": fmts.get(c, st.plain), "header_format": st.table_head}
                    for c in items.columns]})
    notes = {"题号": "题号：与答卷表头开头的编号一致（Q1 对应“Q1 产品质量”）。",
             "题目": "题目：问卷上的问题。", "维度": "维度：题目所属方面（产品、服务、物流……），报告按维度汇总。",
             "权重": "权重：题目在综合满意度中的权重，合计为 1 最直观（不为 1 时按比例计算）。",
             "最小值": "最小值：量表最低分（1）。", "最大值": "最大值：量表最高分（5）。",
             "选项": "选项：各档名称，从低到高，用 | 分隔。", "反向": "反向：是 / 否。反向题（分越高越不满意）kehu 会自动翻转。"}
    widths = {"题号": 7, "题目": 16, "维度": 8, "权重": 8, "最小值": 8, "最大值": 8, "选项": 36, "反向": 7}
    for j, c in enumerate(items.columns):
        ws.set_column(j, j, widths[c], fmts.get(c, st.plain))
        header_comment(ws, 0, j, notes[c])
        for i, value in enumerate(items[c].tolist()):
            write_value(ws, 1 + i, j, value, fmts.get(c, st.plain))
    wcol = list(items.columns).index("权重")
    number_validation(ws, 1, wcol, "decimal", 0, None, "权重", "题目权重（≥ 0）")
    list_validation(ws, 1, list(items.columns).index("反向"), ["否", "是"], "反向", "是或否")
    ws.write(n + 2, 0, "权重合计：", st.plain)
    ws.write_formula(n + 2, 3, "=SUM(题目[权重])", st.score, cached(float(items["权重"].sum())))
    ws.freeze_panes(1, 0)


def write_report_sheet(wb, st: Styles, answers: pd.DataFrame, items: pd.DataFrame) -> None:
    """报告: headline numbers in native formulas, deeper figures in kehu formulas (cached)."""
    from udfs.formulas import KEHU_ALPHA, KEHU_CSAT, KEHU_DISTRIBUTION, KEHU_NPS, KEHU_SATINDEX

    fig = survey_figures(answers, items, ISSUED)
    ws = wb.add_worksheet(REPORT_SHEET)
    ws.hide_gridlines(2)
    ws.set_column(0, 0, 2)
    ws.set_column(1, 1, 24)
    ws.set_column(2, 9, 12)
    ws.write(0, 1, "满意度调查报告", st.title)
    ws.set_row(0, 28)
    ws.write(1, 1, "蓝色标题的数字用常用函数计算（不需要加载项）；深绿标题的深入指标用 kehu 公式（需要 kehu 加载项）。"
                   "有效问卷：至少答了三分之二的计分题。", st.hint)

    ws.merge_range(3, 1, 3, 4, "回收情况", st.section)
    # row 5 (C5) holds the issued count the user types; 答卷!A1 shows it for `kehu survey`
    heads = [
        ("发放问卷（份）", None, ISSUED, "input", "请填写实际发放的问卷份数"),
        ("回收问卷（份）", "=COUNTA(答卷[答卷编号])", fig["returned"], "int", "答卷表中的问卷数"),
        ("计分题数", "=COUNTA(题目[题号])+2", fig["questions"], "int", "评分题 + 总体满意度 + 推荐意愿"),
        ("有效问卷（份）", "=SUMPRODUCT(--(已答题数*3>=C7*2))", fig["valid"], "int", "已答题数 ≥ 计分题数 × 2/3"),
        ("回收率", "=IFERROR(C6/C5,\"\")", fig["return_rate"], "pct", "回收 ÷ 发放"),
        ("有效率", "=IFERROR(C8/C6,\"\")", fig["valid_rate"], "pct", "有效 ÷ 回收"),
        ("有效回收率", "=IFERROR(C8/C5,\"\")", fig["valid_return_rate"], "pct", "有效 ÷ 发放"),
    ]
    for i, (label, formula, value, fmt, note) in enumerate(heads):
        row = 4 + i
        ws.write(row, 1, label, st.label)
        if formula is None:
            ws.write_number(row, 2, value, st.input)
            ws.write_comment(row, 2, "请填写发放的问卷份数（回收率 = 回收 ÷ 发放）。", {"author": "kehu"})
        else:
            ws.write_formula(row, 2, formula, _fmt(st, fmt), cached(value))
        ws.merge_range(row, 3, row, 4, note, st.note)

    top = 12
    ws.merge_range(top, 1, top, 9, "各题满意度（有效问卷）", st.section)
    cols = ["题目", "题号", "维度", "权重", "答题数", "平均分", "满意度（0–100）", "满意率（4–5分）", "排名"]
    for j, c in enumerate(cols):
        ws.write(top + 1, 1 + j, c, st.th)
    first = top + 2
    last = first + len(SURVEY_ITEMS) - 1
    for k, ((code, text, dim, weight), header, p) in enumerate(zip(SURVEY_ITEMS, ITEM_HEADERS, fig["items"])):
        row = first + k
        r = row + 1
        q = f"答卷[{header}]"
        lo, hi = f"INDEX(题目[最小值],{k + 1})", f"INDEX(题目[最大值],{k + 1})"
        cells = [
            (f"=INDEX(题目[题目],{k + 1})", text, "text"),
            (f"=INDEX(题目[题号],{k + 1})", code, "text"),
            (f"=INDEX(题目[维度],{k + 1})", dim, "text"),
            (f"=INDEX(题目[权重],{k + 1})", weight, "num"),
            (f"=SUMPRODUCT(有效问卷*({q}<>\"\"))", p["n"], "int"),
            (f"=IFERROR(SUMPRODUCT(有效问卷*{q})/F{r},\"\")", p["mean"], "num"),
            (f"=IFERROR((G{r}-{lo})/({hi}-{lo})*100,\"\")", p["score"], "score"),
            (f"=IFERROR(SUMPRODUCT(有效问卷*({q}>={hi}-1))/F{r},\"\")", p["top2"], "pct"),
            (f"=IFERROR(RANK(H{r},$H${first + 1}:$H${last + 1}),\"\")", p["rank"], "int"),
        ]
        for j, (formula, value, fmt) in enumerate(cells):
            ws.write_formula(row, 1 + j, formula, _fmt(st, fmt), cached(value))
    ws.conditional_format(f"H{first + 1}:H{last + 1}", {"type": "data_bar", "bar_color": "#9BC2E6",
                                                        "bar_solid": True, "min_type": "num", "min_value": 0,
                                                        "max_type": "num", "max_value": 100})
    row = last + 1
    ws.write(row, 1, "综合满意度指数（0–100）", st.th)
    ws.write_formula(row, 7, f"=IFERROR(SUMPRODUCT(H{first + 1}:H{last + 1},E{first + 1}:E{last + 1})"
                             f"/SUM(E{first + 1}:E{last + 1}),\"\")", _fmt(st, "score"), cached(fig["index"]))
    ws.merge_range(row, 2, row, 6, "Σ(题目满意度 × 权重) ÷ Σ权重", st.note)

    # deeper figures: kehu formulas with cached values from the same Python functions
    deep = row + 2
    ws.merge_range(deep, 1, deep, 9, "深入指标（kehu 公式，需要 kehu 加载项）", st.kehu_section)
    rec = rows_arg(answers[RECOMMEND])
    overall = rows_arg(answers[OVERALL])
    block = answers[ITEM_HEADERS].values.tolist()
    item_scores = [[p["score"]] for p in fig["items"]]
    weights = [[p["weight"]] for p in fig["items"]]
    kehu = [
        ("净推荐值 NPS", f"=KEHU_NPS(答卷[{RECOMMEND}])", KEHU_NPS(rec), "score",
         "推荐者（9–10 分）% − 贬损者（0–6 分）%，范围 −100 到 100"),
        ("总体满意率 CSAT", f"=KEHU_CSAT(答卷[{OVERALL}])", KEHU_CSAT(overall), "pct", "总体满意度答 4、5 分的比例"),
        ("信度 克朗巴哈 α", f"=KEHU_ALPHA(答卷[[{ITEM_HEADERS[0]}]:[{ITEM_HEADERS[-1]}]])", KEHU_ALPHA(block),
         "ratio", "各评分题的内部一致性；0.7 以上可接受（有缺答的问卷不计）"),
        ("综合指数（kehu 核对）", f"=KEHU_SATINDEX(H{first + 1}:H{last + 1},E{first + 1}:E{last + 1})",
         KEHU_SATINDEX(item_scores, weights), "score", "应与上面的综合满意度指数相同"),
    ]
    for i, (label, formula, value, fmt, note) in enumerate(kehu):
        r0 = deep + 1 + i
        ws.write(r0, 1, label, st.label)
        ws.write_formula(r0, 2, formula, _fmt(st, fmt), cached(value))
        ws.merge_range(r0, 3, r0, 9, note, st.note)
    dist_row = deep + 2 + len(kehu)
    ws.write(dist_row, 1, "总体满意度分布", st.th)
    grid = KEHU_DISTRIBUTION(overall)
    ws.write(dist_row, 2, "KEHU_DISTRIBUTION：各档人数与占比（溢出）", st.hint)
    write_spill(ws, dist_row + 1, 2, f"=KEHU_DISTRIBUTION(答卷[{OVERALL}])", grid,
                [st.f_int, st.f_text, st.f_int, st.f_pct])
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


SURVEY_INSTRUCTIONS = [
    ("这个模板包含什么", [
        "“答卷”工作表：一行一份回收的问卷（Excel 表“答卷”），已填入 8 份示例。评分题 1–5 分，推荐意愿 0–10 分。",
        "“题目”工作表：每道评分题的题号、题目、维度、权重、量表和选项名称，kehu survey 按它计分。",
        "“报告”工作表：回收率、有效率、各题满意度（0–100）、综合满意度指数等用常用函数计算，不装 kehu 也能算；"
        "NPS、CSAT、信度 α、满意度分布用 kehu 公式。",
    ]),
    ("怎么填写", [
        f"评分题从下拉列表选 1–5：{LEVEL_TEXT}。不答的题留空，不要填 0。",
        "在“报告”工作表黄色格子里填写发放的问卷份数，答卷表第一行的标题会同步显示（kehu survey 也从那里读取）。",
        "在表格最后一行的下一行输入即可新增问卷，报告中的公式会自动包含新行。",
        "增加一道题：在答卷表中插入一列（表头写“Q7 题目”），在题目表中增加一行，再复制报告中的一行题目并把公式里的列名改成新题。",
    ]),
    ("口径", [
        "有效问卷：至少回答了三分之二的计分题（6 道评分题、总体满意度、推荐意愿共 8 题，至少答 6 题）。无效问卷不进入各题统计。",
        "题目满意度（0–100）＝（平均分 − 最低分）÷（最高分 − 最低分）× 100；综合满意度指数＝Σ(题目满意度 × 权重) ÷ Σ权重。",
        "回收率＝回收 ÷ 发放；有效率＝有效 ÷ 回收；有效回收率＝有效 ÷ 发放。",
        "颜色：评分越低越红、越高越绿；黄色＝答题不足三分之二或答题用时过短；橙色＝答卷编号或客户编号重复。",
        "kehu survey 还会检查连续同一答案（直线作答）、过快作答和重复答卷，其有效问卷数可能少于本页按 2/3 规则算出的数。",
    ]),
    ("kehu 公式", [
        "深绿标题下的数字是 kehu 公式（KEHU_NPS、KEHU_CSAT、KEHU_ALPHA、KEHU_SATINDEX、KEHU_DISTRIBUTION），"
        "需要 Microsoft 365 / Excel 2021 及以上版本并安装 kehu 加载项。文件里保存了示例数据的计算结果；"
        "没有加载项时，重新计算后会显示 #NAME?，LibreOffice 和 WPS 中溢出的分布表会显示 #NAME?。",
        "完整报告：功能区“客户工具”→“满意度报告”，或命令行 kehu survey 满意度调查.xlsx -o 报告.xlsx。",
    ]),
    ("注意", [
        "不同顾客使用量表的习惯不同；员工挑选受访者、顾客为争取优惠故意压低评价都会带来偏差。发放和回收请尽量随机、匿名。",
    ]),
]


def build_survey(path: Path = SURVEY_PATH) -> Path:
    """Write 满意度调查模板.xlsx."""
    answers, items = answers_frame(), items_frame()
    wb = new_workbook(path, "满意度调查模板", "满意度调查 satisfaction survey template")
    st = Styles(wb)
    wb.define_name("已答题数", "=" + answered_name())
    wb.define_name("有效问卷", f"=--(已答题数*3>={REPORT_SHEET}!$C$7*2)")
    write_answers_sheet(wb, st, answers)
    write_items_sheet(wb, st, items)
    write_report_sheet(wb, st, answers, items)
    instructions_sheet(wb, st, "满意度调查模板 · 使用说明", SURVEY_INSTRUCTIONS)
    wb.close()
    return path


def build_all(folder: Path = HERE) -> list[Path]:
    """Both templates into `folder` (the package folder by default)."""
    folder = Path(folder)
    return [build_register(folder / REGISTER_PATH.name), build_survey(folder / SURVEY_PATH.name)]


if __name__ == "__main__":
    for p in build_all():
        print(p)
