"""Transaction status (activity, follow-ups, complaints, money owed), retention and churn, satisfaction."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import sections as S
from .cohorts import churn_by_period, cohort_retention

_RECENCY_BANDS = [(-np.inf, 30, "30 天内"), (30, 90, "31–90 天"), (90, 180, "91–180 天"), (180, 365, "181–365 天"),
                  (365, np.inf, "一年以上")]


def transaction_section(cust: pd.DataFrame, inp, src: dict, day0: pd.Timestamp) -> S.Section:
    sec = S.Section("transactions", "交易状况", "订单 / 客户表、投诉记录")
    if "距今天数" in cust:
        days = cust["距今天数"].to_numpy(dtype="float64")
        labels = np.full(len(days), "尚无购买", dtype=object)
        for lo, hi, name in _RECENCY_BANDS:
            labels[(days > lo) & (days <= hi)] = name
        t = pd.Series(labels).value_counts().reindex([b[2] for b in _RECENCY_BANDS] + ["尚无购买"], fill_value=0)
        t = pd.DataFrame({"最近购买": t.index, "客户数": t.to_numpy(), "占比": t.to_numpy() / max(len(days), 1)})
        sec.blocks.append(S.Block("活跃度：距最近一次购买", t, f"距今天数 = 分析日期 {day0.date()} − 最近购买日期。",
                                  {"客户数": "int", "占比": "pct"}, S.Chart("bar", "最近购买", ["占比"], True)))
        f = pd.Series(cust["购买次数"]).fillna(0).clip(upper=10).astype(int).map(lambda v: "10 次以上" if v >= 10 else f"{v} 次")
        ft = f.value_counts().sort_index(key=lambda s: s.str.extract(r"(\d+)")[0].astype(int))
        sec.blocks.append(S.Block("购买频次", pd.DataFrame({"购买次数": ft.index, "客户数": ft.to_numpy()}),
                                  "每位客户的有效订单数。", {"客户数": "int"}))
    if "逾期" in cust:
        late = int(pd.Series(cust["逾期"]).fillna(False).astype(bool).sum())
        sec.blocks.append(S.Block("跟进", pd.DataFrame({"项目": ["逾期未跟进客户"], "客户数": [late]}),
                                  "下次跟进日期早于分析日期的客户（规则同 kehu segment）。", {"客户数": "int"}))
    if inp.open_complaints is not None:
        n = np.asarray(inp.open_complaints, dtype="float64")
        cust["未结投诉"] = n
        t = pd.DataFrame({"项目": ["有未结投诉的客户", "未结投诉合计"], "数量": [int((n > 0).sum()), int(np.nansum(n))]})
        sec.blocks.append(S.Block("未结投诉", t, "来自" + S.source_label("投诉记录", src.get("complaints"), "（规则同 kehu complaints）。"),
                                  {"数量": "int"}))
    for label, column in inp.money_owed.items():
        v = pd.to_numeric(pd.Series(column), errors="coerce")
        t = pd.DataFrame({"项目": [f"有{label}的客户", f"{label}合计"], "数量": [int((v > 0).sum()), float(v[v > 0].sum())]})
        sec.blocks.append(S.Block(label, t, f"客户表「{label}」列中大于 0 的值。", {"数量": "int"}))
    if not sec.blocks:
        sec.skipped = "没有购买记录。"
    return sec


def retention_section(cust: pd.DataFrame, usable, model, src: dict, day0: pd.Timestamp, lists: dict) -> S.Section:
    sec = S.Section("retention", "留存与流失", S.source_label("订单表", src.get("orders")))
    if usable is None or not len(usable):
        sec.skipped = ("没有订单表（--orders）：留存、流失需要每笔订单的日期。" if usable is None else
                       "订单表中没有可用的订单（全部列在「数据问题」）。")
        return sec
    freq = "M" if (day0 - pd.Timestamp(usable["d"].min())).days <= 3 * 365 else "Q"
    unit = "月" if freq == "M" else "季度"
    ret = cohort_retention(usable["c"], usable["d"], freq=freq, as_of=day0, max_periods=12).tail(24)
    sec.blocks.append(S.Block(f"留存表（按首次购买{unit}）", ret,
                              f"第 k 期 = 首购后第 k 个{unit}仍有购买的客户 / 该批客户数；尚未到来的期留空。",
                              {"客户数": "int", **{f"第{k}期": "pct" for k in range(13)}}))
    churn = churn_by_period(usable["c"], usable["d"], freq=freq, as_of=day0).tail(24)
    sec.blocks.append(S.Block(f"各{unit}流失率", churn, f"流失率 = 本{unit}有购买、下{unit}没有购买的客户 / 本{unit}有购买的客户。",
                              {"活跃客户": "int", "下期仍购买": "int", "流失率": "pct"},
                              S.Chart("line", "期间", ["流失率"], True)))
    if model is not None:
        sec.blocks.append(S.Block("流失模型 BG/NBD", pd.DataFrame({"参数": ["r", "α", "a", "b", "客户数"],
                                                               "值": [model.r, model.alpha, model.a, model.b, model.customers]}),
                                  model.describe() + "；时间单位：周；购买次数按不同购买日计。仍活跃概率 = FHL 2005 式 (11)，"
                                  "下季度预计购买次数 = 式 (10)，t = 13 周。", {"值": "p"}))
        risk = cust[(cust["仍活跃概率"] < 0.5) & (cust["订单数"] > 0)]
        risk = risk.sort_values("最近下单")[["客户编号", "客户类型", "最近下单", "订单数", "收入", "仍活跃概率",
                                          "下季度预计购买次数"]]
        lists["流失风险"] = risk
        sec.blocks.append(S.Block("流失风险客户（最久未购买的 20 位，全表见「流失风险」）", risk.head(20),
                                  "仍活跃概率 < 50% 的客户，按最近下单日期从早到晚。",
                                  {"最近下单": "date", "订单数": "int", "收入": "int", "仍活跃概率": "pct",
                                   "下季度预计购买次数": "dec2"}))
    return sec


def satisfaction_section(cust: pd.DataFrame, inp, src: dict, view=None) -> S.Section:
    """Satisfaction by segment and type, the most and least satisfied 20 %, and the competitor view (`view`: the
    survey linked by survey_view.link_survey; without it, `inp.satisfaction` linked by the caller)."""
    how = "按客户编号关联"
    if view is not None and view.linked_by:
        how = "关联：" + "、".join(f"按{k} {v} 位" for k, v in view.linked_by.items())
    sec = S.Section("satisfaction", "满意度", S.source_label("满意度调查", src.get("survey"), f"（{how}）"))
    if inp.satisfaction is None and view is not None and np.isfinite(view.score).any():
        inp_score = view.score
    else:
        inp_score = inp.satisfaction
    if inp_score is None:
        sec.skipped = ("没有满意度调查（--survey）。" if view is None else
                       f"调查的 {view.respondents} 份问卷都无法按客户编号、手机或邮箱关联到客户表中的客户。")
        if view is not None:
            from .survey_view import competitor_blocks
            sec.blocks.extend(competitor_blocks(view))
        return sec
    from udfs.score.survey.extremes import extreme_flags

    score = pd.Series(np.asarray(inp_score, dtype="float64"))
    cust["满意度"] = score.to_numpy()
    for key in ("细分", "客户类型"):
        if key in cust:
            g = pd.DataFrame({key: cust[key], "s": score}).groupby(key)["s"]
            t = pd.DataFrame({"平均满意度": g.mean(), "样本数": g.count()}).rename_axis(key).reset_index()
            sec.blocks.append(S.Block(f"按{key}的满意度", t, "关联到客户的问卷：总体满意度题（无则各题平均）的平均分。",
                                      {"平均满意度": "dec2", "样本数": "int"}))
    flags = extreme_flags(score)
    cust["满意度分组"] = flags.to_numpy()
    rows = []
    for key in ("客户类型", "细分", "区域", "价值等级"):
        if key in cust:
            for value in pd.unique(pd.Series(cust[key]).dropna()):
                hit = cust[key] == value
                top, bottom, known = flags == "最满意", flags == "最不满意", score.notna()
                rows.append({"特征": f"{key}={value}", "最满意 20%": float((hit & top).sum() / max(top.sum(), 1)),
                             "最不满意 20%": float((hit & bottom).sum() / max(bottom.sum(), 1)),
                             "全部受访": float((hit & known).sum() / max(known.sum(), 1))})
    if rows:
        prof = pd.DataFrame(rows)
        prof["差距"] = prof["最满意 20%"] - prof["最不满意 20%"]
        prof = prof.reindex(prof["差距"].abs().sort_values(ascending=False).index).head(15)
        sec.blocks.append(S.Block("最满意与最不满意的 20% 有什么共同点", prof,
                                  "按满意度排序的前 20% 与后 20% 受访客户中，各特征所占比例（与 kehu survey 的分组规则相同）。",
                                  {"最满意 20%": "pct", "最不满意 20%": "pct", "全部受访": "pct", "差距": "pct"}))
    if view is not None:
        from .survey_view import competitor_blocks
        sec.blocks.extend(competitor_blocks(view))
    return sec
