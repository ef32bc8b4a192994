"""满意度报告 sections: the ECSI/PLS model with its priority map, and the group comparison with significance marks."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from addin.report.survey_parts import (_WIDE, UNIT_LABELS, _Formats, _ref, _section, _table, _write, by_unit,
                                      header_cells, round_down, round_up)

_SIG_TEXT = "★ = 与其他受访者相比差异显著（{test}，Holm 校正后 p < 0.05）；颜色深浅表示差异大小（Cohen's d / h：小 ≥ 0.2、中 ≥ 0.5、大 ≥ 0.8）。少于 {n} 人的组只列数字、不下结论。"


def write_model_section(wb: Any, ws: Any, res: Any, row: int, fm: _Formats, title: str) -> int:
    """Construct table, path table and the improvement-priority map (total effect on satisfaction × index)."""
    name = ws.get_name()
    m = res.model
    row = _section(ws, row, title, fm)
    if m is None:
        ws.merge_range(row, 0, row, _WIDE - 1, res.model_note or "没有估计满意度模型。", fm.note)
        return row + 2
    from udfs.score.survey.satmodel import ECSI_NAMES

    c = m.constructs
    top = row
    outcome = m.plan.outcome
    row = _table(ws, row, ["序号", "构念", "ECSI", "题数", "指数 0–100", "下限", "上限", "ACSI 口径", "R²", "AVE",
                           "DG ρ", "α", "标准化 α", f"对「{outcome}」总效应"],
                 [[i + 1, r["construct"], ECSI_NAMES.get(r["ecsi"], "") if m.plan.kind == "ECSI" else "", r["items"], r["index"], r["low"], r["high"],
                   r["index_acsi"], r["r2"], r["ave"], r["dg_rho"], r["alpha"], r["alpha_std"], r["total_effect"]]
                  for i, r in enumerate(c.to_dict("records"))],
                 [fm.int, fm.text, fm.text, fm.int, fm.num1, fm.num1, fm.num1, fm.num1, fm.num3, fm.num3, fm.num3,
                  fm.num3, fm.num3, fm.num3], fm)
    ws.merge_range(row - 1, 0, row - 1, _WIDE - 1, m.note + f" GoF = {m.gof:.3f}。", fm.note)
    ws.set_row(row - 1, 44)
    row += 1
    p = m.paths
    row = _table(ws, row, ["序号", "从", "到", "路径系数", "标准误", "t", "p", "显著", "总效应"],
                 [[i + 1, r["from"], r["to"], r["coef"], r["se"], r["t"], r["p"],
                   ("★" if np.isfinite(r["p"]) and r["p"] < 0.05 else "") if m.bootstrap else "未检验", r["total"]]
                  for i, r in enumerate(p.to_dict("records"))],
                 [fm.int, fm.text, fm.text, fm.num3, fm.num3, fm.num2, fm.num3, fm.star, fm.num3], fm)
    ws.merge_range(row - 1, 0, row - 1, _WIDE - 1,
                   f"标准误来自 {m.bootstrap} 次自助抽样（t = 系数/标准误，p 按 t 分布，自由度 n − 1）；★ = p < 0.05。"
                   if m.bootstrap else "未做自助法：路径系数没有标准误和显著性。", fm.note)
    row += 1
    drivers = c.dropna(subset=["total_effect"]).reset_index(drop=True)
    if len(drivers):
        chart = wb.add_chart({"type": "scatter"})
        eff, idx = drivers["total_effect"].astype(float), drivers["index"].astype(float)
        x_span = max(float(eff.max() - eff.min()) + 0.1, 1e-9)
        y_span = max(float(idx.max() - idx.min()), 1.0)
        pts = [(float(c["total_effect"].iloc[i]), float(c["index"].iloc[i])) for i in range(len(c))]
        for i in range(len(c)):  # one series per construct, so each point is labelled with its name
            xe, ye = pts[i]
            if not np.isfinite(xe):
                continue
            # a label points away from its nearest close neighbour, so two close points stay readable
            close = [(abs(xe - a) / x_span + abs(ye - b) / y_span, a, b) for j, (a, b) in enumerate(pts)
                     if j != i and np.isfinite(a) and abs(xe - a) < 0.15 * x_span and abs(ye - b) < 0.15 * y_span]
            side = "right"
            if close:
                _, a, b = min(close)
                if abs(xe - a) / x_span >= abs(ye - b) / y_span:
                    side = "left" if xe < a else "right"
                else:
                    side = "below" if ye < b else "above"
            r_ = top + 1 + i
            chart.add_series({
                "name": [name, r_, 1], "categories": _ref(name, r_, 13, r_, 13), "values": _ref(name, r_, 4, r_, 4),
                "marker": {"type": "circle", "size": 9, "fill": {"color": "#1F618D"}, "border": {"color": "#1F618D"}},
                "data_labels": {"series_name": True, "position": side, "font": {"size": 9}},
            })
        chart.set_title({"name": f"改进优先图：对「{outcome}」的总效应 × 指数", "name_font": {"size": 12}})
        chart.set_x_axis({"name": f"对「{outcome}」的总效应（越右越重要）", "num_format": "0.00", "label_position": "low",
                          "min": round_down(eff.min() - 0.05, 0.05), "max": round_up(eff.max() + 0.05, 0.05),
                          "crossing": float(eff.mean())})
        chart.set_y_axis({"name": "指数（0–100，越低越需改进）", "num_format": "0", "label_position": "low",
                          "min": round_down(idx.min() - 2, 5), "max": round_up(idx.max() + 2, 5),
                          "crossing": float(idx.mean())})
        chart.set_legend({"none": True})
        chart.set_size({"width": 760, "height": 400})
        ws.insert_chart(row, 0, chart, {"x_offset": 5, "y_offset": 5})
        row += 21
        ws.merge_range(row, 0, row, _WIDE - 1, "右下方（影响大、指数低）的构念最值得优先改进；坐标轴交于各构念的平均值。",
                       fm.note)
        row += 2
    return row


def write_group_section(wb: Any, ws: Any, res: Any, row: int, fm: _Formats, title: str) -> int:
    """Per grouping column: each figure overall and per group, the difference, ★ where the test says it is real."""
    row = _section(ws, row, title, fm)
    min_n = res.settings.get("min_group", 30)
    ws.merge_range(row, 0, row, _WIDE - 1, _SIG_TEXT.format(test="均值用 Welch t 检验，比例用两比例 z 检验", n=min_n),
                   fm.note)
    ws.set_row(row, 30)
    row += 1
    for col, long in res.groups.items():
        if long.empty:
            continue
        ws.write_string(row, 0, f"按「{col}」", fm.h2)
        row += 1
        order = list(dict.fromkeys(long["figure"]))
        groups = list(dict.fromkeys(long["group"]))
        first = {r["figure"]: r for r in long.drop_duplicates("figure").to_dict("records")}
        cell = {(r["group"], r["figure"]): r for r in long.to_dict("records")}  # plain lookups: hundreds of cells
        headers = ["序号", "指标", "全部"]
        for g in groups:
            n = int(cell[(g, "样本量")]["value"]) if (g, "样本量") in cell else 0
            headers += [f"{g}（{n}人）", "差异", "显著"]
        number = 0
        blocks = by_unit([{"figure": f, "kind": first[f]["kind"]} for f in order], "kind")
        for kind, figures in blocks:   # one block per unit, its header naming it: no column mixes % and points
            headers[1] = f"指标（{UNIT_LABELS.get(kind, kind)}）"
            header_cells(ws, row, headers, fm, at_least=30)
            for i, fig in enumerate([f["figure"] for f in figures], start=1):
                r_ = row + i
                _write(ws, r_, 0, number + i, fm.int)
                _write(ws, r_, 1, fig, fm.text)
                _write(ws, r_, 2, first[fig]["overall"], fm.for_kind(kind))
                for k, g in enumerate(groups):
                    c0 = 3 + 3 * k
                    if (g, fig) not in cell:
                        continue
                    x = cell[(g, fig)]
                    _write(ws, r_, c0, x["value"], fm.for_kind(kind))
                    sig = bool(x["significant"]) if pd.notna(x["significant"]) else False
                    if kind == "count":
                        _write(ws, r_, c0 + 1, None, fm.text)
                        _write(ws, r_, c0 + 2, None, fm.text)
                        continue
                    fmt = fm.significant(kind, x["diff"] > 0, x["strength"]) if sig else fm.for_kind(kind, diff=True)
                    _write(ws, r_, c0 + 1, x["diff"], fmt)
                    mark = ("★" + x["strength"]) if sig else ("样本不足" if pd.isna(x["p"]) else "")
                    _write(ws, r_, c0 + 2, mark, fm.star)
            number += len(figures)
            row += len(figures) + 1
        row += 1
    return row


def write_competition_section(wb: Any, ws: Any, res: Any, row: int, fm: _Formats, title: str) -> int:
    """Our score against each competitor's per market (table + clustered bars), and better / on par / worse."""
    t, v = res.competition, res.versus
    if not len(t) and not len(v):
        return row
    name = ws.get_name()
    row = _section(ws, row, title, fm)
    if len(t):
        row = _table(ws, row, ["序号", "市场", "竞品", "样本量", "我们（0–100）", "对方（0–100）", "差距", "p（Holm）",
                               "结论"],
                     [[i + 1, r["market"], r["competitor"], r["n"], r["ours"], r["theirs"], r["gap"], r["p_holm"],
                       ("★" if r["significant"] else "") + r["verdict"]] for i, r in enumerate(t.to_dict("records"))],
                     [fm.int, fm.text, fm.text, fm.int, fm.num1, fm.num1,
                      lambda i: (fm.significant("score", t["gap"].iloc[i] > 0, "中") if t["significant"].iloc[i]
                                 else fm.diff1), fm.num3, fm.star], fm)
        ws.merge_range(row - 1, 0, row - 1, _WIDE - 1, "同一批受访者给双方打分：配对 t 检验，Holm 校正后 p < 0.05 记 ★；"
                       "我们的分数取自“本公司评分”列，没有时取总体满意度题。", fm.note)
        # chart data: one row per market, our score and each competitor's
        rivals = list(dict.fromkeys(t["competitor"]))
        markets = list(dict.fromkeys(t["market"]))
        wide = t.pivot_table(index="market", columns="competitor", values="theirs", aggfunc="first").reindex(markets)
        ours = t.groupby("market", sort=False)["ours"].mean().reindex(markets)
        top = row + 1
        headers = ["", "市场", "我们"] + rivals
        header_cells(ws, top, headers, fm)
        for i, mk in enumerate(markets, start=1):
            _write(ws, top + i, 1, mk, fm.text)
            _write(ws, top + i, 2, ours[mk], fm.num1)
            for k, rv in enumerate(rivals):
                _write(ws, top + i, 3 + k, wide.loc[mk, rv] if rv in wide.columns else None, fm.num1)
        chart = wb.add_chart({"type": "column"})
        colours = ["#1F618D", "#E67E22", "#7F8C8D", "#B7950B", "#7D3C98"]
        for k in range(1 + len(rivals)):
            chart.add_series({"name": [name, top, 2 + k], "categories": _ref(name, top + 1, 1, top + len(markets), 1),
                              "values": _ref(name, top + 1, 2 + k, top + len(markets), 2 + k),
                              "fill": {"color": colours[k % len(colours)]},
                              "data_labels": {"value": True, "num_format": "0", "font": {"size": 8}}})
        chart.set_title({"name": "各市场：我们与竞品的评分", "name_font": {"size": 12}})
        chart.set_y_axis({"min": 0, "max": 100, "num_format": "0", "name": "0–100"})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 760, "height": 340})
        row = top + len(markets) + 2
        ws.insert_chart(row, 0, chart, {"x_offset": 5, "y_offset": 5})
        row += 18
    if len(v):
        top = row
        row = _table(ws, row, ["序号", "市场", "与谁相比", "样本量", "更好", "差不多", "更差", "净值（好 − 差）", "p（Holm）",
                               "结论"],
                     [[i + 1, r["market"], r["competitor"], r["n"], r["better"], r["par"], r["worse"], r["net"],
                       r["p_holm"], ("★" if r["significant"] else "") + r["verdict"]]
                      for i, r in enumerate(v.to_dict("records"))],
                     [fm.int, fm.text, fm.text, fm.int, fm.pct, fm.pct, fm.pct,
                      lambda i: (fm.significant("share", v["net"].iloc[i] > 0, "中") if v["significant"].iloc[i]
                                 else fm.diffpct), fm.num3, fm.star], fm)
        ws.merge_range(row - 1, 0, row - 1, _WIDE - 1, "符号检验：说“更好”与说“更差”的人数是否不同（“差不多”不计），"
                       "Holm 校正后 p < 0.05 记 ★。", fm.note)
        chart = wb.add_chart({"type": "bar", "subtype": "percent_stacked"})
        for k, (label, colour) in enumerate((("更好", "#1F618D"), ("差不多", "#BDC3C7"), ("更差", "#C0392B"))):
            chart.add_series({"name": [name, top, 4 + k], "categories": _ref(name, top + 1, 1, top + len(v), 2),
                              "values": _ref(name, top + 1, 4 + k, top + len(v), 4 + k), "fill": {"color": colour},
                              "gap": 60})
        chart.set_title({"name": "与竞品相比的评价", "name_font": {"size": 12}})
        chart.set_y_axis({"reverse": True})
        chart.set_x_axis({"num_format": "0%"})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 760, "height": max(260, 90 + 28 * len(v))})
        ws.insert_chart(row + 1, 0, chart, {"x_offset": 5, "y_offset": 5})
        row += 3 + max(260, 90 + 28 * len(v)) // 20
    return row
