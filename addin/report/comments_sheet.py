"""Draw the 意见分析 sheet: themes with the satisfaction of those who raised them, the two 20 % ends, sentiment,
representative comments and the keyword table, with native charts."""
from __future__ import annotations

from typing import Any

import pandas as pd

from udfs.text.comments import CommentAnalysis

from .blocks import CHART_ROWS, chart, formats, section, table

SHEET_NAME = "意见分析"
DETAIL_SHEET = "意见明细"
_KINDS = {"提及数": "int", "占比": "pct", "负面占比": "pct", "提及者满意度": "dec", "未提及者满意度": "dec",
          "差异": "dec", "p值": "p", "最不满意20%": "pct", "最满意20%": "pct", "差距": "pct", "次数": "int",
          "评论数": "int", "条数": "int", "意见": "wrap"}


def _width(col: int) -> float:
    """The widths build_comments_sheet sets: 12, and 9 for columns 9 and 10."""
    return 9.0 if col in (9, 10) else 12.0


def build_comments_sheet(wb: Any, ws: Any, ca: CommentAnalysis) -> None:
    f = formats(wb)
    ws.hide_gridlines(2)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_column(0, 0, 12)
    ws.set_column(1, 7, 12)
    ws.set_column(8, 8, 12)
    ws.set_column(9, 10, 9)   # as _width says (header rows are sized from it)
    ws.write(0, 0, "意见分析 Open-ended answers", f["title"])
    ws.set_row(0, 28)
    senti = ca.per_comment["情感"].value_counts()
    ws.write(1, 0, f"填写意见 {ca.answered:,} 份    正面 {senti.get('正面', 0):,}    中性 {senti.get('中性', 0):,}    "
                   f"负面 {senti.get('负面', 0):,}", f["subtitle"])
    row = 2
    for note in ca.notes:
        ws.write(row, 0, note, f["note"])
        row += 1
    row += 1

    row = section(ws, f, row, "一、意见主题 Themes（满意度为 0–100 综合得分；p 值为 Welch t 检验）", 11)
    first, last = table(ws, f, row, ca.themes, _KINDS, highlight={"显著": "是"}, width_of=_width)
    at = last + 2
    mentioned = first + int((ca.themes["提及数"] > 0).sum()) - 1   # the table is sorted by mentions
    chart(wb, ws, SHEET_NAME, (at, 0), "bar", "各主题提及数", (0, 0, 0), [("提及数", 1)], first, mentioned, width=440)
    if "提及者满意度" in ca.themes:
        chart(wb, ws, SHEET_NAME, (at, 5), "bar", "提及者 vs 未提及者满意度", (0, 0, 0),
              [("提及者满意度", 4), ("未提及者满意度", 5)], first, mentioned, width=440)
    row = at + CHART_ROWS + 1

    raised = set(ca.themes.loc[ca.themes["提及数"] > 0, "主题"])
    ext = ca.extremes[ca.extremes["主题"].isin(raised)]
    if len(ext):
        row = section(ws, f, row, "二、最不满意 20% 与最满意 20% 的意见主题 Least vs most satisfied", 11)
        first, last = table(ws, f, row, ext, _KINDS, width_of=_width)
        at = last + 2
        chart(wb, ws, SHEET_NAME, (at, 0), "bar", "提及该主题的比例", (0, 0, 0),
              [("最不满意20%", 1), ("最满意20%", 2)], first, last, percent=True, width=620)
        row = at + CHART_ROWS + 1

    row = section(ws, f, row, "三、代表性意见 Representative comments（最贴近该主题常用说法的意见）", 11)
    ws.set_column(2, 2, 12)
    reps = ca.representatives
    ws.write_row(row, 0, ["主题", "排名", "意见", "", "", "", "", "", "情感"], f["head"])
    row += 1
    for rec in reps.itertuples(index=False):  # a few lines per theme
        ws.write(row, 0, rec.主题, f["cell"])
        ws.write_number(row, 1, rec.排名, f["int"])
        ws.merge_range(row, 2, row, 7, str(rec.意见), f["wrap"])
        ws.write(row, 8, rec.情感 or "", f["cell"])
        if len(str(rec.意见)) > 45:
            ws.set_row(row, 30)
        row += 1
    row += 1

    row = section(ws, f, row, "四、高频关键词 Keywords（jieba 分词，已去除停用词）", 11)
    kw = ca.keywords.head(20)
    first, last = table(ws, f, row, kw, _KINDS, width_of=_width)
    chart(wb, ws, SHEET_NAME, (row, 4), "bar", "高频关键词", (0, 0, 0), [("次数", 1)], first, last, width=520)
    row = max(last, row + CHART_ROWS) + 2
    ws.write(row, 0, "说明：主题按「主题词典」工作表中的关键词识别（繁简体通用，可修改后重新运行）；情感按 kehu 的"
                     "情感词表计算，处理否定（不满意、不太好）与程度词，“没问题”计为正面。", f["note"])
