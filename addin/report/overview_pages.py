"""What each job's 总览 page shows: its headline figures (each linked to the sheet that explains it) and one or two
charts. The numbers come from the job's own summary and tables; nothing is computed a second way here."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from udfs.validate.problems import SEVERITY_LABELS, severity

from .overview import Chart, Figure, Overview

PROBLEM_SHEET, GOLDEN_SHEET, PAIRS_SHEET, NOTES_SHEET = "问题清单", "去重结果", "重复对", "查重说明"
SURVEY_SHEET, INVALID_SHEET = "满意度报告", "无效问卷"
SEGMENT_SHEET, FOLLOWUP_SHEET = "客户分析", "待跟进"
COMPLAINTS_SHEET, OVERDUE_SHEET, REPEAT_SHEET, CONTACT_PROBLEMS_SHEET = "投诉分析", "逾期未结", "重复投诉", "联系问题"


def _source(summary: dict) -> str:
    # the data sheet, not the file's name: the footer prints the file, and a copy of a copy reads the same
    return f"数据：工作表「{summary['sheet']}」" if summary.get("sheet") else ""


def clean_page(summary: dict, counts: pd.DataFrame) -> Overview:
    """`counts`: the problem counts per type (问题, 数量, 涉及行数), most frequent first."""
    n, bad = summary["rows"], summary["rows_with_problems"]
    figures = [Figure("读入行数", n, sheet=summary["sheet"], note="客户记录（不含表头）"),
               Figure("没有问题的行", n - bad, note=f"占 {(n - bad) / n:.0%}" if n else ""),
               Figure("有问题的行", bad, sheet=PROBLEM_SHEET, alert=bad > 0, note="见「问题清单」"),
               Figure("问题总数", summary["problems"], sheet=PROBLEM_SHEET, note=f"{len(counts)} 类问题")]
    charts = []
    if len(counts):
        top = counts[["问题", "数量"]].head(10).rename(columns={"问题": "问题类型"})
        charts.append(Chart("各类问题的数量", top, "bar"))
        if "代码" in counts.columns:   # 错误 / 需核对 / 提示: the fill colours on the data sheet
            level = counts["代码"].map(lambda code: SEVERITY_LABELS[severity(code)])
            by_level = counts["数量"].groupby(level).sum().reindex(list(SEVERITY_LABELS.values()), fill_value=0)
            charts.append(Chart("各级别问题的数量", pd.DataFrame({"级别": by_level.index, "数量": by_level.to_numpy()}),
                                "column"))
    return Overview("总览：客户档案整理", _source(summary), figures, charts,
                    ["每个问题的行号、原值和修改建议见「问题清单」；整理后的值在数据表右侧新增的列中。"])


def dedupe_page(summary: dict) -> Overview:
    figures = [Figure("读入行数", summary["records"], sheet=summary["sheet"]),
               Figure("重复组", summary["groups"], sheet=PAIRS_SHEET, note=f"涉及 {summary['duplicate_rows']} 行"),
               Figure("可合并删除的行", summary["rows_to_remove"], sheet=PAIRS_SHEET, alert=summary["rows_to_remove"] > 0),
               Figure("疑似重复的行", summary["possible_rows"], sheet=PAIRS_SHEET, note="请在「重复对」复核")]
    if "customers_after_merge" in summary:
        figures.append(Figure("去重后客户数", summary["customers_after_merge"], sheet=GOLDEN_SHEET))
    figures.append(Figure("查重规则", "查看", kind="text", sheet=NOTES_SHEET, note="比较了哪些列、阈值"))
    unique = summary["records"] - summary["duplicate_rows"] - summary["possible_rows"]
    rows = pd.DataFrame({"记录": ["唯一", "重复", "疑似重复"],
                         "行数": [max(unique, 0), summary["duplicate_rows"], summary["possible_rows"]]})
    return Overview("总览：查重", _source(summary), figures, [Chart("各类记录的行数", rows, "column")])


def master_page(summary: dict) -> Overview:
    """`kehu dedupe --against MASTER`: which incoming customers the master register already has."""
    from pathlib import Path

    figures = [Figure("读入行数", summary["records"], sheet=summary["sheet"]),
               Figure("主档客户数", summary["master_records"], note=Path(summary["master"]).name),
               Figure("已在主档", summary["existing"], sheet=summary["sheet"]),
               Figure("疑似已在主档", summary["possible"], sheet=summary["sheet"], alert=summary["possible"] > 0,
                      note="请核对「主档行」"),
               Figure("新客户", summary["new"], sheet=summary["sheet"])]
    rows = pd.DataFrame({"记录": ["已在主档", "疑似已在主档", "新客户"],
                         "行数": [summary["existing"], summary["possible"], summary["new"]]})
    return Overview("总览：对照主档查重", _source(summary), figures, [Chart("各类记录的行数", rows, "column")],
                    ["每行的主档状态、主档行、相似度和匹配依据在数据表右侧新增的列中。"])


def survey_page(summary: dict, indices: pd.DataFrame, dimensions: pd.DataFrame) -> Overview:
    """`indices`: the headline indices with intervals (index, value, low, high); `dimensions` (dimension, value)."""
    r = summary["response"]
    figures = [Figure("回收问卷", r["returned"], note=(f"回收率 {r['return_rate']:.0%}" if r.get("return_rate") else "")),
               Figure("有效问卷", r["valid"], sheet=SURVEY_SHEET, note=f"有效率 {r['valid_rate']:.0%}"),
               Figure("无效问卷", r["invalid"], sheet=INVALID_SHEET, alert=r["invalid"] > 0,
                      note=f"另有 {max(r.get('flagged', 0) - r['invalid'], 0)} 份只标记"),
               ]
    by_name = {row["index"]: row for row in indices.to_dict("records")}
    for name, label, kind in (("综合满意度（加权）", "满意度指数", "dec"), ("NPS 净推荐值", "NPS 净推荐值", "dec"),
                              ("CSAT 满意率", "满意率（前两档）", "pct")):
        row = by_name.get(name)
        if row is None:
            continue
        shown = (lambda x: f"{x:.1%}") if kind == "pct" else (lambda x: f"{x:.1f}")  # noqa: E731
        note = (f"95% 区间 {shown(row['low'])}–{shown(row['high'])}"
                if pd.notna(row.get("low")) and pd.notna(row.get("high")) else "")
        figures.append(Figure(label, row["value"], kind, sheet=SURVEY_SHEET, note=note))
    charts = []
    dims = dimensions[dimensions["dimension"] != "综合满意度"] if "dimension" in dimensions else dimensions.iloc[0:0]
    if len(dims):
        charts.append(Chart("各维度满意度指数（0–100）", dims[["dimension", "value"]].rename(
            columns={"dimension": "维度", "value": "指数"}), "bar"))
    return Overview("总览：满意度调查", _source(summary), figures, charts,
                    ["指数 0–100；区间为 95% 置信区间，算法见「满意度报告」的说明。"])


def segment_page(summary: dict, by_type: pd.DataFrame, by_segment: pd.DataFrame) -> Overview:
    types = dict(zip(by_type["客户类型"], by_type["客户数"]))
    follow = summary["followup"]
    money = float(by_type["累计金额"].sum())
    figures = [Figure("客户数", summary["records"], sheet=summary["sheet"], note=f"分析日期 {summary['as_of']}"),
               Figure("今天要联系", follow["due"], sheet=FOLLOWUP_SHEET, alert=follow["due"] > 0,
                      note=f"其中逾期 {follow['overdue']} 位"),
               Figure("累计金额", money, "money", sheet=SEGMENT_SHEET),
               Figure("A 类客户", summary["tiers"].get("A", 0), sheet=SEGMENT_SHEET, note="贡献前 80% 收入"),
               Figure("忠诚客户", types.get("忠诚客户", 0), sheet=SEGMENT_SHEET),
               Figure("潜在客户", types.get("潜在客户", 0), sheet=SEGMENT_SHEET),
               Figure("边缘客户", types.get("边缘客户", 0), sheet=SEGMENT_SHEET),
               Figure("流失客户", types.get("流失客户", 0), sheet=SEGMENT_SHEET, alert=types.get("流失客户", 0) > 0,
                      note=f"超过 {summary['churn_days']} 天未购买")]
    seg = by_segment[by_segment["客户数"] > 0][["细分", "客户数"]]
    charts = [Chart("各类客户的人数", by_type[["客户类型", "客户数"]], "pie"), Chart("各细分的人数", seg, "bar")]
    return Overview("总览：客户细分", _source(summary), figures, charts,
                    ["要联系的客户（到期或逾期，逾期最久的在前）见「待跟进」；每位客户的分类原因在数据表右侧。"])


def complaints_page(summary: dict, themes: pd.DataFrame) -> Overview:
    def pct(x: Any) -> float | None:
        return None if x is None else float(x)

    figures = [Figure("联系记录", summary["contacts"], sheet=summary["sheet"]),
               Figure("投诉", summary["complaints"], sheet=COMPLAINTS_SHEET),
               Figure("解决率", pct(summary.get("resolution_rate")), "pct", sheet=COMPLAINTS_SHEET),
               Figure("处理天数中位数", summary.get("median_days"), "dec", sheet=COMPLAINTS_SHEET),
               Figure("未结", summary["open"], sheet=COMPLAINTS_SHEET),
               Figure("逾期未结", summary["overdue"], sheet=OVERDUE_SHEET, alert=summary["overdue"] > 0),
               Figure("重复投诉客户", summary["repeat_complainers"], sheet=REPEAT_SHEET),
               Figure("需核对的记录", summary["problems"], sheet=CONTACT_PROBLEMS_SHEET)]
    charts = []
    if len(themes):
        t = themes[["主题", "投诉提及数"]]
        t = t[t["投诉提及数"] > 0].head(10)
        if len(t):
            charts.append(Chart("投诉提及最多的主题", t, "bar"))
    return Overview("总览：投诉与联系记录", _source(summary), figures, charts)


def report_page(report: Any, sheet_names: dict[str, str], summary: dict) -> Overview:
    """The 客户分析报告's key figures and one card per section (linked to its sheet), and the type chart."""
    figures = []
    for label, value, kind, note in report.kpis:
        v = float(value) if value is not None and np.isfinite(float(value)) else None
        where = "数据问题" if label == "问题订单" else sheet_names.get("types") if label in ("忠诚客户", "流失客户") else None
        figures.append(Figure(label, v, "pct" if kind == "pct" else "int", sheet=where, note=note))
    for sec in report.sections:
        shown = f"跳过：{sec.skipped}" if sec.skipped and not sec.blocks else f"{len(sec.blocks)} 张表"
        figures.append(Figure(sec.title, shown, "text", sheet=sheet_names.get(sec.key, sec.title),
                              note=f"来源：{sec.source}" if sec.source else ""))
    charts = []
    types = next((s for s in report.sections if s.key == "types" and s.blocks), None)
    if types is not None:
        t = types.blocks[0].table
        if {"客户类型", "收入占比"} <= set(t.columns):
            charts.append(Chart("各类客户的收入占比", t[["客户类型", "收入占比"]], "bar", percent=True))
    return Overview("总览：客户分析报告", "　".join(x for x in (_source(summary), f"分析日期 {report.as_of}") if x),
                    figures, charts,
                    ["每个数字的算法见各节工作表的「说明」。"])
