"""Business status (revenue by type, segment, region, period; Pareto and ABC) and the four customer types."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import sections as S
from .pareto import pareto_curve, pareto_share
from .upsell import group_spend

_MONEY = {"客户数": "int", "收入": "int", "订单数": "int", "收入占比": "pct", "客均收入": "int", "单均收入": "int"}
TYPE_ORDER = ["忠诚客户", "潜在客户", "边缘客户", "流失客户"]


def business_section(cust: pd.DataFrame, usable: pd.DataFrame | None, src: dict, *, has_orders: bool) -> S.Section:
    origin = (S.source_label("订单表", src.get("orders")) if has_orders
              else S.source_label("客户表", src.get("register"), "的累计金额列"))
    sec = S.Section("business", "业务状况", origin)
    if "累计金额" not in cust:
        sec.skipped = "没有订单表，客户表也没有最近购买日期 / 累计金额列。"
        return sec
    money = cust["收入"] if "收入" in cust else cust["累计金额"].fillna(0)
    orders = cust["订单数"] if "订单数" in cust else cust["购买次数"].fillna(0)
    note = "收入 = 有效订单金额之和（问题订单不计，见「数据问题」）；收入占比 = 本组收入 / 全部收入；客均 = 收入 / 客户数；单均 = 收入 / 订单数。"
    for label, key in (("客户类型", "客户类型"), ("细分", "细分"), ("区域", "区域"), ("价值等级", "价值等级")):
        if key in cust:
            t = group_spend(cust[key], money, orders).rename(columns={"分组": label})
            sec.blocks.append(S.Block(f"按{label}的收入", t.head(30), note, _MONEY, S.Chart("bar", label, ["收入占比"], True)))
    share = pareto_share(money)
    curve = pareto_curve(money)
    sec.blocks.append(S.Block(f"帕累托曲线：前 20% 客户贡献 {share:.1%} 的收入", curve,
                              "客户按收入从高到低排序；累计收入占比 = 前 x% 客户的收入 / 全部收入。价值等级 A/B/C = 累计占收入 80% / 再 15% / 其余。",
                              {"客户占比": "pct", "累计收入占比": "pct"}, S.Chart("line", "客户占比", ["累计收入占比"], True)))
    if usable is not None and len(usable):
        month = pd.Series(usable["d"]).dt.to_period("M").astype(str).to_numpy()
        per = pd.DataFrame({"月份": month, "m": usable["m"].to_numpy()}).groupby("月份").agg(
            收入=("m", "sum"), 订单数=("m", "size")).reset_index().tail(24)
        sec.blocks.append(S.Block("按月收入（最近 24 个月）", per, "每月有效订单的金额之和与笔数。",
                                  {"收入": "int", "订单数": "int"}, S.Chart("column", "月份", ["收入"])))
        if "ch" in usable:
            sec.blocks.append(channel_block(usable))
    return sec


def channel_block(usable: pd.DataFrame) -> S.Block:
    """Revenue, orders and customers per sales channel (the orders' channel column; blank → （空白）)."""
    ch = pd.Series(usable["ch"], dtype=object).where(pd.notna(usable["ch"]), "（空白）").astype(str).to_numpy()
    frame = pd.DataFrame({"渠道": ch, "m": usable["m"].to_numpy(), "c": usable["c"].to_numpy()})
    t = frame.groupby("渠道").agg(收入=("m", "sum"), 订单数=("m", "size"), 客户数=("c", "nunique"))
    total = float(t["收入"].sum())
    t["收入占比"] = t["收入"] / total if total else np.nan
    t["单均收入"] = t["收入"] / t["订单数"]
    t = t.sort_values("收入", ascending=False).reset_index()
    return S.Block("按销售渠道的收入", t.head(30), "有效订单按订单表的渠道列分组：收入 = 金额之和，订单数 = 笔数，客户数 = 下过单的"
                   "不同客户数，单均 = 收入 / 订单数。", _MONEY, S.Chart("bar", "渠道", ["收入占比"], True))


def types_section(cust: pd.DataFrame, src: dict) -> S.Section:
    sec = S.Section("types", "客户类型", "客户细分（kehu segment 的规则）")
    if "客户类型" not in cust:
        sec.skipped = "没有购买记录，无法分类。"
        return sec
    money = cust["收入"] if "收入" in cust else cust["累计金额"].fillna(0)
    frame = pd.DataFrame({"客户类型": cust["客户类型"], "m": money, "r": cust["距今天数"], "f": cust["购买次数"],
                          "why": cust["分类原因"]})
    g = frame.groupby("客户类型")
    total = float(money.sum())
    t = pd.DataFrame({"客户数": g.size(), "收入占比": g["m"].sum() / total if total else np.nan,
                      "典型距今天数": g["r"].median(), "典型购买次数": g["f"].median(), "典型累计金额": g["m"].median(),
                      "分类规则": g["why"].agg(lambda s: s.mode().iloc[0] if s.notna().any() else "")})
    t = t.reindex([k for k in TYPE_ORDER if k in t.index] + [k for k in t.index if k not in TYPE_ORDER])
    t = t.rename_axis("客户类型").reset_index()
    sec.blocks.append(S.Block("四类客户", t, "典型值 = 该类客户的中位数；分类规则 = 该类最常见的分类原因（每位客户的原因见「客户明细」）。",
                              {"客户数": "int", "收入占比": "pct", "典型距今天数": "int", "典型购买次数": "dec",
                               "典型累计金额": "int"}, S.Chart("pie", "客户类型", ["客户数"])))
    return sec
