"""The customer analysis report from register columns and (optionally) orders, survey scores and complaints.

Pure: columns in, a CustomerReport out. The job (addin/commands/report.py) reads the files and
draws the sheets; the figures are all here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from udfs.score.segment import segment_customers
from udfs.score.segment._values import customer_keys, to_amounts, to_dates

from . import sections as S
from .bgnbd import customer_summary, expected_purchases, fit_bgnbd, probability_alive
from .business import business_section, types_section
from .transactions import retention_section, satisfaction_section, transaction_section
from .breakdown import share_table
from .baskets import cross_sell, pair_rules
from .order_checks import order_problems, problem_counts, problem_text
from .per_customer import link_codes, per_customer
from .upsell import upsell_candidates

NEXT_PERIOD_WEEKS = 13.0   # "the next period" of the churn model: one quarter


@dataclass
class ReportInput:
    register_ids: Any
    as_of: Any
    fields: dict[str, Any] = field(default_factory=dict)     # 区域 / 行业 / 公司规模 … → column
    region: Any = None
    status: Any = None
    register_rfm: tuple[Any, Any, Any] | None = None          # 最近购买日期, 购买次数, 累计金额 without orders
    orders: pd.DataFrame | None = None   # customer, date, amount [, order_id, product, cost, margin, kind, row]
    satisfaction: Any = None             # one score per register row (NaN when not surveyed)
    open_complaints: Any = None          # open complaints per register row
    money_owed: dict[str, Any] = field(default_factory=dict)  # 欠款 / 信用额度 … → column
    sources: dict[str, Any] = field(default_factory=dict)     # register / orders / survey / complaints → file name
    #                                                           (or (file, sheet); see sections.source_name)
    survey: pd.DataFrame | None = None   # the survey's answer sheet: linked here (id, else mobile / e-mail) and its
    #                                      competitor comparison shown; `satisfaction`, when given, is used as is
    contacts: dict[str, Any] = field(default_factory=dict)    # register mobile / email columns, to link the survey


def analyse_customers(inp: ReportInput) -> S.CustomerReport:
    day0 = pd.Timestamp(inp.as_of).normalize()
    codes, ids = customer_keys(inp.register_ids)
    n_rows = len(codes)
    src = inp.sources
    lists: dict[str, pd.DataFrame] = {}
    findings: list[str] = []
    counts = None

    cust = pd.DataFrame({"客户编号": [ids[c] if c >= 0 else None for c in codes]})
    if inp.orders is not None:
        o = inp.orders
        ocodes, oids = customer_keys(o["customer"])
        reg = link_codes(ids, oids, ocodes)
        amount = to_amounts(o["amount"]).to_numpy(dtype="float64", na_value=np.nan)
        dates = to_dates(o["date"]).to_numpy(dtype="datetime64[ns]")
        flags = order_problems(reg >= 0, ocodes >= 0, amount, dates, day0,
                               order_id=o.get("order_id"), order_type=o.get("kind"))
        counts = problem_counts(flags)
        bad = ~flags["可用"].to_numpy()
        lists["问题订单"] = pd.DataFrame({"行号": o["row"].to_numpy()[bad] if "row" in o else np.flatnonzero(bad) + 2,
                                       "客户编号": o["customer"].to_numpy(dtype=object)[bad],
                                       "下单日期": pd.Series(dates[bad]), "金额": amount[bad],
                                       "问题": problem_text(flags)[bad].to_numpy()})
        use = flags["可用"].to_numpy()
        cost = None
        if "cost" in o:
            cost = to_amounts(o["cost"]).to_numpy(dtype="float64", na_value=np.nan)
        elif "margin" in o:
            cost = amount - to_amounts(o["margin"]).to_numpy(dtype="float64", na_value=np.nan)
        per = per_customer(reg[use], dates[use], amount[use], len(ids), None if cost is None else cost[use])
        per_rows = per.iloc[np.where(codes >= 0, codes, 0)].reset_index(drop=True)
        per_rows[codes < 0] = np.nan
        last, count, spend = per_rows["最近下单"], per_rows["订单数"], per_rows["收入"]
        usable = pd.DataFrame({"c": reg[use], "d": dates[use], "m": amount[use]})
        if "product" in o:
            usable["p"] = o["product"].to_numpy(dtype=object)[use]
        if "channel" in o:
            usable["ch"] = o["channel"].to_numpy(dtype=object)[use]
    else:
        per_rows, usable = None, None
        last, count, spend = inp.register_rfm if inp.register_rfm is not None else (None, None, None)
    if last is None:
        run = None
    else:
        run = segment_customers(last, count, spend, as_of=day0.to_datetime64(), status=inp.status)
        t = run.table
        for c in ("细分", "客户类型", "分类原因", "价值等级", "距今天数", "购买次数", "累计金额", "逾期", "下次跟进"):
            cust[c] = t[c].to_numpy()
    if inp.region is not None:
        cust["区域"] = pd.Series(inp.region, dtype=object).to_numpy()
    if per_rows is not None:
        for c in per_rows.columns:
            cust[c] = per_rows[c].to_numpy()

    sections = [basic_section(inp, src)]
    sections.append(business_section(cust, usable, src, has_orders=inp.orders is not None))
    sections.append(transaction_section(cust, inp, src, day0))
    sections.append(types_section(cust, src))
    model = None
    if usable is not None and len(usable):
        summ = customer_summary(cust["首次下单"], cust["最近下单"], (cust["购买天数"] - 1).clip(lower=0), day0)
        has = cust["订单数"].to_numpy() > 0
        try:
            model = fit_bgnbd(summ["x"][has], summ["t_x"][has], summ["T"][has])
        except ValueError:
            model = None
        if model is not None:
            x, tx, T = (summ[c].to_numpy() for c in ("x", "t_x", "T"))
            cust["仍活跃概率"] = np.where(has, probability_alive(model, x, tx, T), np.nan)
            cust["下季度预计购买次数"] = np.where(has, expected_purchases(model, NEXT_PERIOD_WEEKS, x, tx, T), np.nan)
    sections.append(retention_section(cust, usable, model, src, day0, lists))
    sections.append(cross_section(cust, usable, codes, ids, src, lists))
    sections.append(profit_section(cust, src))
    view = None
    if inp.survey is not None:
        from .survey_view import link_survey
        view = link_survey(inp.survey, inp.register_ids, inp.contacts)
    sections.append(satisfaction_section(cust, inp, src, view))

    kpis = _kpis(cust, sections, model, counts)
    return S.CustomerReport(as_of=str(day0.date()), sections=sections, kpis=kpis, customers=cust, lists=lists,
                            problem_counts=counts, findings=findings)


def basic_section(inp: ReportInput, src: dict) -> S.Section:
    sec = S.Section("basic", "基本资料", S.source_label("客户表", src.get("register")))
    for label, column in inp.fields.items():
        t = share_table(column, label)
        sec.blocks.append(S.Block(f"按{label}", t.head(30), f"客户数 = 客户表中{label}为该值的行数；占比 = 客户数 / 全部客户"
                                  f"（{len(pd.Series(column))} 行）。空白单独计为「（空白）」。",
                                  {"客户数": "int", "占比": "pct"}, S.Chart("bar", label, ["占比"], percent=True)))
    if not sec.blocks:
        sec.skipped = "客户表中没有区域、行业、规模、性质、来源渠道或状态列。"
    return sec


def cross_section(cust: pd.DataFrame, usable: pd.DataFrame | None, codes: np.ndarray, ids: list, src: dict,
                  lists: dict) -> S.Section:
    sec = S.Section("cross", "交叉销售", S.source_label("订单表", src.get("orders"), "的产品列"))
    if "细分" in cust and "订单数" in cust:
        up = upsell_candidates(cust["细分"], cust["订单数"], cust["收入"])
        cust["单均金额"] = up["单均金额"].to_numpy()
        cust["追加销售"] = up["追加销售"].to_numpy()
        pick = cust[cust["追加销售"]]
        lists["追加销售"] = pick[["客户编号", "细分", "客户类型", "订单数", "收入", "单均金额"]].assign(
            细分单均中位数=up["细分单均中位数"][cust["追加销售"].to_numpy()].to_numpy()).sort_values("订单数", ascending=False)
        by_seg = pick.groupby("细分").size().rename("追加销售候选").reset_index()
        sec.blocks.append(S.Block("追加销售候选（按细分）", by_seg,
                                  "订单数不少于本细分中位数、单均金额低于本细分单均金额中位数一半的客户。", {"追加销售候选": "int"}))
    if usable is None or "p" not in usable:
        sec.skipped = "订单表没有产品或品类列：不做产品关联。" if usable is not None else "没有订单表（--orders）。"
        return sec
    rules = pair_rules(usable["c"], usable["p"], min_support=0.005)
    sec.blocks.append(S.Block("产品关联规则（提升度最高的 30 条）", rules.head(30),
                              "篮子 = 一位客户买过的全部产品。支持度 = 同时买 A 和 B 的客户 / 有订单的客户；置信度 = 支持度(A∪B) / "
                              "支持度(A)；提升度 = 置信度 / 支持度(B)。只列支持度 ≥ 0.5% 的规则。",
                              {"同时购买客户数": "int", "支持度": "pct", "置信度": "pct", "提升度": "dec2",
                               "前项支持度": "pct", "后项支持度": "pct"}))
    sug = cross_sell(usable["c"], usable["p"], rules, min_lift=1.2)
    sug.insert(0, "客户编号", [ids[c] for c in sug["客户代码"]])
    lists["交叉销售"] = sug.drop(columns="客户代码")
    return sec


def profit_section(cust: pd.DataFrame, src: dict) -> S.Section:
    sec = S.Section("profit", "客户盈利", S.source_label("订单表", src.get("orders"), "的成本或毛利列"))
    if "毛利" not in cust:
        sec.skipped = "订单表没有成本或毛利列。"
        return sec
    has = cust["订单数"] > 0
    c = cust[has]
    by = c.groupby("客户类型").agg(客户数=("毛利", "size"), 收入=("收入", "sum"), 毛利=("毛利", "sum"),
                                  亏损客户=("毛利", lambda s: int((s < 0).sum()))).reset_index()
    by["毛利率"] = by["毛利"] / by["收入"]
    sec.blocks.append(S.Block("按客户类型的毛利", by, "毛利 = Σ(订单金额 − 成本)（或 Σ 毛利列）；毛利率 = 毛利 / 收入；"
                              "亏损客户 = 毛利 < 0 的客户数。", {"客户数": "int", "收入": "int", "毛利": "int",
                                                        "亏损客户": "int", "毛利率": "pct"}))
    top = c.sort_values("毛利", ascending=False)[["客户编号", "客户类型", "收入", "毛利"]]
    sec.blocks.append(S.Block("毛利最高的 10 位客户", top.head(10), "按毛利从高到低。", {"收入": "int", "毛利": "int"}))
    sec.blocks.append(S.Block("毛利最低的 10 位客户", top.tail(10).iloc[::-1], "按毛利从低到高。", {"收入": "int", "毛利": "int"}))
    return sec


def _kpis(cust: pd.DataFrame, sections: list[S.Section], model, counts) -> list[tuple[str, object, str, str]]:
    k = [("客户数", len(cust), "int", "客户表行数")]
    if "收入" in cust or "累计金额" in cust:
        money = cust["收入"] if "收入" in cust else cust["累计金额"]
        k.append(("收入合计", float(np.nansum(money)), "int", "有效订单金额之和"))
        from .pareto import pareto_share
        k.append(("前 20% 客户收入占比", pareto_share(money), "pct", "按收入排序的前 20% 客户"))
    if "客户类型" in cust:
        for name in ("忠诚客户", "流失客户"):
            k.append((name, int((cust["客户类型"] == name).sum()), "int", "见「客户类型」"))
    if "仍活跃概率" in cust:
        k.append(("流失风险客户", int((cust["仍活跃概率"] < 0.5).sum()), "int", "BG/NBD 仍活跃概率 < 50%"))
    if counts is not None:
        k.append(("问题订单", int(counts["订单数"].sum()), "int", "见「数据问题」（一单可有多个问题）"))
    return k
