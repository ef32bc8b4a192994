"""The report job: the whole 客户分析报告 (basic data, business and trading, customer types, retention and churn,
cross-selling, profit, satisfaction) for one register, from whatever orders, survey and complaint log are given."""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from addin.read import Table, read_table
from addin.report.customer_report_overview import OVERVIEW, build_overview
from addin.report.overview import OverviewSheet
from addin.report.customer_report_sheet import build_section_sheet
from addin.write import AddedColumn, BuiltSheet, TableSheet
from udfs.score.report.analysis import ReportInput, analyse_customers
from udfs.score.report.order_columns import by_header, order_extra_columns
from udfs.score.segment import to_amounts

from .customers import as_of_day
from .inputs import Inputs, as_inputs
from .language import lang_of_headers, localise
from .options import JobOptions
from .results import Results

ORDER_SHEET_WORDS = ("订单", "交易", "销售明细", "order")


@dataclass(frozen=True)
class ReportOptions(JobOptions):
    job = "report"
    orders: Path | None = None
    orders_sheet: str | None = None
    orders_in_book: bool = False        # else an 订单 sheet of the same workbook (the ribbon)
    survey: Path | None = None
    complaints: Path | None = None
    as_of: str | None = None
    lang: str | None = None


#: Register fields the basic-data section breaks down by: label → (role, header words when no role exists).
BASIC_FIELDS = {"区域": ("sales_region", ("区域", "大区", "销售区域")), "省份": ("province", ()),
                "行业": ("industry", ()), "公司规模": (None, ("公司规模", "企业规模", "规模")),
                "公司性质": (None, ("公司性质", "企业性质", "性质")), "来源渠道": ("source_channel", ()),
                "状态": ("status", ())}
MONEY_OWED = ("欠款", "应收账款", "未付金额", "应收", "信用额度")
LIST_FORMATS = {"收入": "#,##0.00", "单均金额": "#,##0.00", "细分单均中位数": "#,##0.00", "仍活跃概率": "0.0%",
                "下季度预计购买次数": "0.00", "最近下单": "yyyy-mm-dd", "下单日期": "yyyy-mm-dd", "金额": "#,##0.00",
                "提升度": "0.00", "置信度": "0.0%"}


def _orders_frame(o) -> pd.DataFrame:
    o.require("customer_id", "order_date", "amount")
    frame = pd.DataFrame({"customer": o.df[o.column_for("customer_id")].to_numpy(dtype=object),
                          "date": o.df[o.column_for("order_date")].to_numpy(dtype=object),
                          "amount": o.df[o.column_for("amount")].to_numpy(dtype=object), "row": o.rows})
    taken = {o.column_for(r) for r in ("customer_id", "order_date", "amount", "name")}
    for key, c in order_extra_columns(o.df.columns, o.roles, taken).items():   # by role, else header text
        frame[key] = o.df[c].to_numpy(dtype=object)
    return frame


def run(tables: Inputs | Table, o: ReportOptions = ReportOptions()) -> Results:
    """The whole 客户分析报告 for one register, from whatever inputs are given."""
    inputs = as_inputs(tables)
    table = inputs.table
    orders_table = None
    if o.orders is None and o.orders_in_book:
        name = inputs.sibling_named(ORDER_SHEET_WORDS)
        orders_table = inputs.sibling(name, "orders") if name else None
    results = _report(table, orders=o.orders, orders_sheet=o.orders_sheet, survey=o.survey, complaints=o.complaints,
                      as_of=o.as_of, orders_table=orders_table)
    lang = o.lang or ("zh-Hant" if lang_of_headers(table.df.columns) == "zh-Hant" else "zh-Hans")
    results.summary["lang"] = lang
    return localise(results, lang, user_columns=table.df.columns, message_columns=("客户类型", "细分", "追加销售"))


def _report(table: Any, *, orders: Path | None = None, orders_sheet: str | None = None,
            survey: Path | None = None, complaints: Path | None = None, as_of: str | None = None,
            orders_table: Any = None) -> Results:
    day0 = as_of_day(as_of)
    df, col = table.df, table.column_for
    table.require("customer_id")
    sources = {"register": table.path.name}
    fields = {}
    for label, (role, words) in BASIC_FIELDS.items():
        c = (col(role) if role else None) or (by_header(list(df.columns), words) if words else None)
        if c is not None and c not in fields.values():
            fields[label] = c
    inp = ReportInput(register_ids=df[col("customer_id")], as_of=day0,
                      fields={k: df[c] for k, c in fields.items()},
                      region=df[fields["区域"]] if "区域" in fields else (df[fields["省份"]] if "省份" in fields else None),
                      status=df[col("status")] if col("status") else None, sources=sources)
    owed = by_header(list(df.columns), MONEY_OWED)
    if owed is not None:
        inp.money_owed[str(owed)] = to_amounts(df[owed]).to_numpy()
    if orders is not None or orders_table is not None:
        o = orders_table if orders_table is not None else read_table(orders, orders_sheet, kind="orders")
        inp.orders = _orders_frame(o)
        sources["orders"] = Path(orders).name if orders is not None else f"{o.path.name}「{o.sheet}」"
    elif col("last_purchase"):
        inp.register_rfm = (df[col("last_purchase")], df[col("purchase_count")] if col("purchase_count") else None,
                            df[col("total_spend")] if col("total_spend") else None)
    if survey is not None:
        # linked in the engine by customer id, else normalised mobile, else e-mail; with the competitor view
        inp.survey = read_table(survey, kind="survey").df
        inp.contacts = {r: df[col(r)] for r in ("mobile", "email") if col(r)}
        sources["survey"] = Path(survey).name
    if complaints is not None:
        from udfs.score.complaints.segment_flags import open_complaint_counts

        log = read_table(complaints, kind="complaints")
        inp.open_complaints, _ = open_complaint_counts(log.df, log.roles, df, table.roles, day0)
        sources["complaints"] = Path(complaints).name
    rep = analyse_customers(inp)
    return _results(rep, table)


def _results(rep, table) -> Results:
    names = {s.key: s.title for s in rep.sections}
    source = {"file": str(table.path), "sheet": table.sheet}
    sheets: list = [OverviewSheet(OVERVIEW, partial(build_overview, report=rep, sheet_names=names, source=source))]
    sheets += [BuiltSheet(s.title, partial(build_section_sheet, sec=s, as_of=rep.as_of)) for s in rep.sections]
    titles = {"流失风险": "流失风险客户（仍活跃概率 < 50%，最久未购买的在前）",
              "交叉销售": None, "追加销售": "追加销售候选：订单多、单均金额低于本细分中位数一半的客户"}
    for name, frame in rep.lists.items():
        if name == "问题订单":
            continue
        sheet = "交叉销售建议" if name == "交叉销售" else name
        sheets.append(TableSheet(sheet, frame.reset_index(drop=True), number_formats=LIST_FORMATS,
                                 title=titles.get(name) or "每位客户：同类客户买过、本人尚未买过的产品（按提升度排序）"))
    if rep.problem_counts is not None:
        sheets.append(TableSheet("数据问题", rep.lists["问题订单"], number_formats=LIST_FORMATS,
                                 title="问题订单（未计入报告中的任何数字）", preamble=rep.problem_counts,
                                 preamble_links=problem_order_links(rep.lists["问题订单"], rep.problem_counts)))
    c = rep.customers
    added = [AddedColumn(h, _values(c[h]), fmt) for h, fmt in
             (("客户类型", None), ("细分", None), ("价值等级", None), ("订单数", "0"), ("收入", "#,##0.00"),
              ("毛利", "#,##0.00"), ("仍活跃概率", "0.0%"), ("下季度预计购买次数", "0.00"), ("追加销售", None))
             if h in c]
    summary = {"ok": True, "file": str(table.path), "sheet": table.sheet, "records": int(len(c)), "as_of": rep.as_of,
               "sections": {s.title: (s.skipped if s.skipped and not s.blocks else "ok") for s in rep.sections},
               "kpis": {k[0]: (float(k[1]) if k[1] is not None else None) for k in rep.kpis},
               "data_problems": (dict(zip(rep.problem_counts["问题"], rep.problem_counts["订单数"].astype(int).tolist()))
                                 if rep.problem_counts is not None else {})}
    lines = [f"{len(c)} 位客户（分析日期 {rep.as_of}）。"] + \
            [f"· {s.title}：{'跳过，' + s.skipped if s.skipped and not s.blocks else '完成'}" for s in rep.sections]
    return Results(columns=added, sheets=sheets, summary=summary, lines=lines, select_sheet=OVERVIEW)


def problem_order_links(listing: pd.DataFrame, counts: pd.DataFrame) -> dict[int, list[int | None]]:
    """The summary beside 问题订单: each problem (its 问题 cell) opens the first listed order that has it."""
    text = listing["问题"].astype(str).str.split("；") if "问题" in listing else pd.Series([], dtype=object)
    firsts = [next((i for i, parts in enumerate(text) if zh in parts), None) for zh in counts["问题"]]
    return {list(counts.columns).index("问题"): firsts}


def _values(col: pd.Series) -> Any:
    if col.dtype == bool:
        return col.map({True: "是", False: ""}).to_numpy(dtype=object)
    return col.to_numpy(dtype=object)


def analyse_report(table: Any, port: Any = None, *, orders_table: Any = None, **options: Any) -> Results:
    """The report job with keyword options (kept for scripts and benchmarks)."""
    return _report(table, orders_table=orders_table, **options)
