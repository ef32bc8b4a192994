"""Draw the 满意度报告 sheet (findings, tables, native charts) from survey results with plain xlsxwriter calls."""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from udfs.score.survey.analysis import SurveyResults

REPORT_SHEET = "满意度报告"
INVALID_SHEET = "无效问卷"

from addin.report.survey_parts import (_LEVEL_COLOURS, _QUADRANT_COLOURS, _WIDE, COLUMN_WIDTHS, NUMBER_WIDTH,
                                      UNIT_LABELS, _Formats, _ref, _section, _table, _write, by_unit, header_cells)
from addin.report.survey_parts import round_down as _round_down
from addin.report.survey_parts import round_up as _round_up
from addin.report.survey_sections import write_competition_section, write_group_section, write_model_section


def build_survey_sheet(wb: Any, ws: Any, results: SurveyResults) -> None:
    """Fill `ws` with the satisfaction report: findings first, then response statistics, indices, items, charts,
    group comparison, drivers and the extremes; every share as a percentage, every chart native."""
    fm = _Formats(wb)
    name = ws.get_name()
    res = results
    ws.hide_gridlines(2)
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_column(0, 0, COLUMN_WIDTHS[0])
    ws.set_column(1, 1, COLUMN_WIDTHS[1])
    ws.set_column(2, _WIDE + 6, NUMBER_WIDTH)

    breaks: list[int] = []  # page breaks before the big sections, so charts are not cut in print
    ws.merge_range(0, 0, 0, _WIDE - 1, "顾客满意度调查报告", fm.title)
    ws.set_row(0, 28)
    notes = [res.settings["score_map_text"],
             f"有效问卷规则：至少答完 {res.settings['threshold']:.0%} 的题目；区间为 {res.settings['confidence']:.0%} 置信区间。"]
    notes += [n.split(" No ")[0] for n in res.spec.notes]
    ws.merge_range(1, 0, 1, _WIDE - 1, "  ".join(notes), fm.subtitle)
    ws.set_row(1, 30)

    row = _section(ws, 3, "主要发现", fm)
    for i, text in enumerate(res.findings, start=1):
        ws.merge_range(row, 0, row, _WIDE - 1, f"{i}. {text}", fm.finding)
        ws.set_row(row, 18 if len(text) < 70 else 32)
        row += 1
    row += 1

    # 1. response statistics
    row = _section(ws, row, "一、问卷回收情况", fm)
    r = res.response
    stats = [("发放问卷", r["issued"], fm.int), ("回收问卷", r["returned"], fm.int), ("有效问卷", r["valid"], fm.int),
             ("无效问卷", r["invalid"], fm.int), ("回收率", r["return_rate"], fm.pct),
             ("有效率（有效/回收）", r["valid_rate"], fm.pct), ("有效回收率（有效/发放）", r["valid_return_rate"], fm.pct),
             ("质量标记（含只标记）", r.get("flagged"), fm.int)]
    header_cells(ws, row, [""] + [label for label, _, _ in stats], fm, at_least=30)
    for j, (label, value, fmt) in enumerate(stats):
        _write(ws, row + 1, 1 + j, value, fmt)
    ws.write_string(row + 1, 0, "份/率", fm.text)
    row += 2
    excl = "、".join({"straightline": "答案全同", "speeding": "用时过短", "offscale": "超出量表"}.get(e, e)
                    for e in res.settings.get("exclude", []))
    ws.merge_range(row, 0, row, _WIDE - 1,
                   "排除规则：已答题目不足三分之二、重复答卷" + (f"，以及按要求排除的{excl}" if excl else
                   "；答案全同（含全部最高分）、用时过短、超出量表只标记、不排除（见「无效问卷」表的“处理”列）") + "。",
                   fm.note)
    row += 2

    # 2. indices and dimensions
    row = _section(ws, row, "二、满意度指数", fm)
    unit_fmt = {"share": fm.pct, "score": fm.num1, "points": fm.num1, "mean": fm.num2}
    number = 0
    for unit, records in by_unit(res.indices.to_dict("records"), "unit"):   # one table per unit
        row = _table(ws, row, ["序号", "指标", f"数值（{UNIT_LABELS.get(unit, unit)}）", "下限", "上限", "样本量", "说明"],
                     [[number + i + 1, x["index"], x["value"], x["low"], x["high"], x["n"], x["note"]]
                      for i, x in enumerate(records)],
                     [fm.int, fm.text] + [unit_fmt.get(unit, fm.num1)] * 3 + [fm.int, fm.text], fm) - 1
        number += len(records)
    row += 1
    alpha = res.reliability.set_index("dimension")
    dims = res.dimensions
    row = _table(ws, row, ["序号", "维度", "题数", "满意度", "误差范围 ±", "下限", "上限", "信度 α", "信度评价"],
                 [[i + 1, d["dimension"], d["items"], d["value"], d["moe"], d["low"], d["high"],
                   alpha["alpha"].get(d["dimension"] if d["dimension"] != "综合满意度" else "全部题目", np.nan),
                   alpha["verdict"].get(d["dimension"] if d["dimension"] != "综合满意度" else "全部题目", "")]
                  for i, d in enumerate(dims.to_dict("records"))],
                 [fm.int, fm.text, fm.int, fm.num1, fm.num1, fm.num1, fm.num1, fm.num2, fm.text], fm)

    # 3. the satisfaction model (ECSI / PLS path model) and its priority map
    breaks.append(row)
    row = write_model_section(wb, ws, res, row, fm, "三、满意度模型（ECSI / PLS 路径模型）")

    # 4. items ranked by satisfaction, with level shares
    row = _section(ws, row, "四、各题满意度（按满意度从高到低）", fm)
    items = res.items
    first = res.spec.items[0]
    level_names = first.level_names()
    shares = res.levels.pivot_table(index="code", columns="level", values="share", aggfunc="first")
    headers = ["排名", "题目", "维度", "样本量", "均值", "满意度", "±", "满意率（前两档）", "不满意率（后两档）"] + level_names
    body = []
    for it in items.to_dict("records"):
        lv = [shares.loc[it["code"]].get(level, np.nan) if it["code"] in shares.index else np.nan
              for level in first.levels]
        body.append([it["rank"], it["text"], it["dimension"], it["n"], it["mean"], it["score"], it["score_moe"],
                     it["top2"], it["bottom2"]] + lv)
    item_top = row
    row = _table(ws, row, headers, body, [fm.int, fm.text, fm.text, fm.int, fm.num2, fm.num1, fm.num1, fm.pct, fm.pct]
                 + [fm.pct] * len(level_names), fm)
    n_items = len(items)
    first_row, last_row = item_top + 1, item_top + n_items
    level_col0 = 9

    # stacked level shares (lowest level on the left)
    chart_h = max(320, 110 + 30 * n_items)
    stacked = wb.add_chart({"type": "bar", "subtype": "percent_stacked"})
    for k, label in enumerate(level_names):
        stacked.add_series({
            "name": [name, item_top, level_col0 + k],
            "categories": _ref(name, first_row, 1, last_row, 1),
            "values": _ref(name, first_row, level_col0 + k, last_row, level_col0 + k),
            "fill": {"color": _LEVEL_COLOURS[k % len(_LEVEL_COLOURS)] if len(level_names) == 5 or k < 5
                     else _LEVEL_COLOURS[k]},
            "gap": 60,
        })
    stacked.set_title({"name": "各题满意程度分布", "name_font": {"size": 12}})
    stacked.set_y_axis({"reverse": True, "interval_unit": 1, "num_font": {"size": 9}})  # bar: y = categories
    stacked.set_x_axis({"num_format": "0%", "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}}})
    stacked.set_legend({"position": "bottom"})
    stacked.set_size({"width": 760, "height": chart_h})
    ws.insert_chart(row, 0, stacked, {"x_offset": 5, "y_offset": 5})
    row += math.ceil(chart_h / 20) + 2

    bars = wb.add_chart({"type": "bar"})
    bars.add_series({
        "name": "满意度（0–100）",
        "categories": _ref(name, first_row, 1, last_row, 1),
        "values": _ref(name, first_row, 5, last_row, 5),
        "fill": {"color": "#1F618D"},
        "data_labels": {"value": True, "num_format": "0.0"},
        "gap": 50,
    })
    bars.set_title({"name": "各题满意度得分", "name_font": {"size": 12}})
    bars.set_y_axis({"reverse": True, "interval_unit": 1, "num_font": {"size": 9}})
    bars.set_x_axis({"min": 0, "max": 100, "num_format": "0"})
    bars.set_legend({"none": True})
    bars.set_size({"width": 760, "height": chart_h})
    ws.insert_chart(row, 0, bars, {"x_offset": 5, "y_offset": 5})
    row += math.ceil(chart_h / 20) + 2

    # 4. drivers and the importance–performance scatter
    if res.drivers is not None:
        breaks.append(row)
        row = _section(ws, row, f"五、关键驱动因素（与「{res.drivers.attrs.get('outcome', '总体满意度')}」的关系）", fm)
        d = res.drivers.sort_values(["quadrant", "importance"], ascending=[True, False], kind="stable")
        src = "题目表中的重要度" if res.drivers.attrs.get("importance_source") == "stated" else "与总体满意度的相关系数"
        top = row
        row = _table(ws, row, ["序号", "题目", "相关系数", "相对权重（占R²）", "重要度", "满意度", "象限"],
                     [[i + 1, x["text"], x["correlation"], x["share_of_r2"], x["importance"], x["performance"],
                       x["quadrant"]] for i, x in enumerate(d.to_dict("records"))],
                     [fm.int, fm.text, fm.num2, fm.pct, fm.num2, fm.num1, fm.text], fm)
        ws.merge_range(row - 1, 0, row - 1, _WIDE - 1,
                       f"重要度 = {src}；象限以重要度和满意度的平均值划分（图中红：重点改进，蓝：继续保持，橙：次要改进，灰：过度投入）。模型 R² = {res.drivers.attrs.get('r2', np.nan):.2f}。",
                       fm.note)
        row += 1
        scatter = wb.add_chart({"type": "scatter"})
        # One series per item so that each point carries its item name as a label (a cell-referenced
        # label per point is not shown by every spreadsheet program); the colour tells the quadrant.
        for i, quadrant in enumerate(d["quadrant"].tolist()):
            r_ = top + 1 + i
            colour = _QUADRANT_COLOURS[quadrant]
            scatter.add_series({
                "name": [name, r_, 1],
                "categories": _ref(name, r_, 4, r_, 4),
                "values": _ref(name, r_, 5, r_, 5),
                "marker": {"type": "circle", "size": 8, "fill": {"color": colour}, "border": {"color": colour}},
                "data_labels": {"series_name": True, "position": "right", "font": {"size": 8, "color": colour}},
            })
        scatter.set_title({"name": "重要度—满意度矩阵", "name_font": {"size": 12}})
        imp, perf = d["importance"].astype(float), d["performance"].astype(float)
        scatter.set_y_axis({"name": "满意度（0–100）", "num_format": "0", "label_position": "low",
                            "min": _round_down(perf.min(), 5), "max": _round_up(perf.max(), 5),
                            "crossing": float(perf.mean())})  # the x axis runs at mean satisfaction
        scatter.set_x_axis({"name": f"重要度（平均 {imp.mean():.2f}）", "num_format": "0.00", "label_position": "low",
                            "min": _round_down(imp.min(), 0.05), "max": _round_up(imp.max(), 0.05),
                            "crossing": float(imp.mean())})  # the y axis stands at mean importance
        scatter.set_legend({"none": True})
        scatter.set_size({"width": 760, "height": 420})
        ws.insert_chart(row, 0, scatter, {"x_offset": 5, "y_offset": 5})
        row += 23

    # 6. group comparison with significance marks
    if res.groups:
        breaks.append(row)
        row = write_group_section(wb, ws, res, row, fm, "六、分组比较（差异 = 该组 − 全部；★ = 差异显著）")

    # 6. extremes
    ex = res.extremes
    if len(ex):
        share = res.settings.get("extreme_share", 0.2)
        row = _section(ws, row, f"七、最满意与最不满意的 {share:.0%} 受访者", fm)
        number = 0
        for kind in ("share", "score"):   # shares and 0–100 scores in tables of their own
            shown = ex[ex["kind"] == kind].head(6)
            if not len(shown):
                continue
            unit = "占比" if kind == "share" else "满意度 0–100 分"
            row = _table(ws, row, ["序号", f"特征（{unit}）", "最满意组", "最不满意组", "全部", "差距"],
                         [[number + i + 1, x["feature"], x["top"], x["bottom"], x["all"], x["gap"]]
                          for i, x in enumerate(shown.to_dict("records"))],
                         [fm.int, fm.text] + [fm.pct if kind == "share" else fm.num1] * 3
                         + [fm.diffpct if kind == "share" else fm.diff1], fm) - 1
            number += len(shown)
        row += 1
        ws.merge_range(row - 1, 0, row - 1, _WIDE - 1,
                       "占比 = 该特征在组内的比例；题目行为 0–100 满意度。按两组差距从大到小排列。", fm.note)
    if len(res.competition) or len(res.versus):
        breaks.append(row + 1)
        row = write_competition_section(wb, ws, res, row + 1, fm, "八、竞争对比")
    ws.set_h_pagebreaks(breaks)


def invalid_sheet_frame(results: SurveyResults) -> pd.DataFrame:
    """The 无效问卷 sheet's table (for a TableSheet)."""
    return results.invalid_table()
