"""The satisfaction survey template (满意度调查模板.xlsx): answers, items and the report sheet."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from .template_parts import (GENDERS, INPUT_ROWS, SURVEY_PATH, cached, format_of, header_comment,
                             instructions_sheet, list_validation, new_workbook, number_validation, rows_arg,
                             Styles, write_spill, write_value)


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
            ws.write_formula(row, 2, formula, format_of(st, fmt), cached(value))
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
            ws.write_formula(row, 1 + j, formula, format_of(st, fmt), cached(value))
    ws.conditional_format(f"H{first + 1}:H{last + 1}", {"type": "data_bar", "bar_color": "#9BC2E6",
                                                        "bar_solid": True, "min_type": "num", "min_value": 0,
                                                        "max_type": "num", "max_value": 100})
    row = last + 1
    ws.write(row, 1, "综合满意度指数（0–100）", st.th)
    ws.write_formula(row, 7, f"=IFERROR(SUMPRODUCT(H{first + 1}:H{last + 1},E{first + 1}:E{last + 1})"
                             f"/SUM(E{first + 1}:E{last + 1}),\"\")", format_of(st, "score"), cached(fig["index"]))
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
        ws.write_formula(r0, 2, formula, format_of(st, fmt), cached(value))
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
