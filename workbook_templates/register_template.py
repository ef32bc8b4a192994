"""The customer register template (客户档案模板.xlsx): its sheets, validations and conditional formats."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from .template_parts import (CHANNELS, CUSTOMER_TYPES, GENDERS, INPUT_ROWS, REGISTER_PATH, STATUSES, cached,
                             date_validation, format_of, header_comment, instructions_sheet, list_validation,
                             new_workbook, number_validation, Styles, write_spill, write_value)
from .register_data import (COL, REGISTER_FIELDS, REGISTER_HEADER_ROW, REGISTER_SHEET, REGISTER_TABLE,
                            SUMMARY_BLOCK_HEADS, SUMMARY_BLOCK_TITLES, SUMMARY_SHEET, column_name,
                            field_format, register_frame, register_result_columns, register_summary)


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
                ws.write_formula(row, 1, formula, format_of(st, fmt), cached(value))
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
                    ws.write_formula(row, j, formula.format(r=row + 1), format_of(st, fmt), cached(value))
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
        "columns": [{"header": f.header, "format": field_format(st, f.kind), "header_format": st.table_head}
                    for f in REGISTER_FIELDS]})
    for j, f in enumerate(REGISTER_FIELDS):
        ws.set_column(j, j, f.width, field_format(st, f.kind))
        header_comment(ws, h, j, f.comment)
        for i, value in enumerate(df[f.header].tolist()):
            write_value(ws, first + i, j, value, field_format(st, f.kind))
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
        c = column_name(header)
        return f"{c}{top + 1}:{c}{bottom + 1}"

    def cell(header: str) -> str:
        return f"${column_name(header)}{r}"

    def absolute(header: str) -> str:
        c = column_name(header)
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
    both = f"{column_name('手机')}{top + 1}:{column_name('电话')}{bottom + 1}"
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
