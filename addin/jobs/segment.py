"""The segment job: RFM scores, segments, customer types, value tiers and follow-up dates beside the register,
the 客户分析 and 待跟进 sheets. Purchases come from the register's own columns, an orders file, or an 订单
sheet of the same workbook; satisfaction from a survey and open complaints from a contact log, joined by id."""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from addin.errors import ExitCode, KehuError
from addin.read import Table
from addin.report.overview import overview_sheet
from addin.report.overview_pages import segment_page
from addin.report.segment_sheet import SHEET_NAME, build_segment_sheet
from addin.write import AddedColumn, BuiltSheet, TableSheet
from addin.report.links import row_locations
from udfs.score.segment import (ADDED_COLUMNS, FollowupPolicy, aggregate_orders, customer_keys, join_orders,
                                segment_customers, summarise, to_dates)
from udfs.score.segment.followup_list import REASONS_EN, dialable
from udfs.score.segment.reasons import plain_method_note, rfm_reasons

from .customers import as_of_day, satisfaction_by_customer
from .inputs import Inputs, as_inputs, read_file
from .language import lang_of_headers, localise
from .options import JobOptions
from .marking import segment_marks
from .results import Results

FOLLOWUP_SHEET = "待跟进"
ORDER_SHEET_WORDS = ("订单", "交易", "order")
_IDENTITY_ROLES = ("customer_id", "name", "company", "status")
_PHONE_ROLES = ("mobile", "phone", "landline")   # the first usable one is the number to dial
_FORMATS = {"收入占比": "0.00%", "下次跟进": "yyyy-mm-dd", "最近下单日期": "yyyy-mm-dd", "订单金额": "#,##0.00",
            "RFM": "0", "R": "0", "F": "0", "M": "0"}


@dataclass(frozen=True)
class SegmentOptions(JobOptions):
    job = "segment"
    orders: Path | None = None          # an orders file (customer id, order date, amount)
    orders_sheet: str | None = None
    survey: Path | None = None          # a survey to join by customer id
    as_of: str | None = None            # the analysis date (None: today)
    method: str = "rfm"                 # rfm (the R rfm package's rules) or quantile
    churn_days: int = 365
    tier_a: float = 0.80
    tier_b: float = 0.15
    intention_months: int = 1
    recall_months: int = 3
    signed_months: int = 3
    rules: Path | None = None           # the user's segment rules (CSV, or a workbook with 细分规则)
    complaints: Path | None = None      # a contact log: open complaints bring the follow-up forward
    lang: str | None = None


def check(o: SegmentOptions) -> None:
    if o.method not in ("rfm", "quantile"):
        raise KehuError(f"--method 只能是 rfm 或 quantile，收到“{o.method}”。",
                        f"--method must be rfm or quantile; got '{o.method}'.", ExitCode.USAGE)
    if not (0 < o.tier_a < 1 and 0 <= o.tier_b < 1 and o.tier_a + o.tier_b <= 1):
        raise KehuError("价值等级比例不对：A、B 应在 0–1 之间，且 A + B ≤ 1。",
                        "Tier shares must be fractions with A + B ≤ 1.", ExitCode.USAGE)


def run(tables: Inputs | Table, o: SegmentOptions = SegmentOptions()) -> Results:
    inputs = as_inputs(tables)
    table = inputs.table
    check(o)
    day0 = as_of_day(o.as_of)
    df, col = table.df, table.column_for
    notes: list[str] = []
    orders = None
    if o.orders is not None:
        orders = read_file(o.orders, o.orders_sheet, "orders")
    elif not _has_rfm_columns(table) and inputs.sibling_named(ORDER_SHEET_WORDS):
        name = inputs.sibling_named(ORDER_SHEET_WORDS)
        orders = inputs.sibling(name, "orders") or read_file_rows_empty(table, name)
        notes.append(f"客户表没有购买记录列，使用同一工作簿中的「{name}」工作表。")
    last, count, spend, source = _purchases(table, orders, notes)
    status = df[col("status")] if col("status") else None
    if status is None:
        notes.append("没有「状态」列：不安排下次跟进日期。")
    last_contact = _last_contact(last, df[col("first_contact")] if col("first_contact") else None)
    planned = df[col("next_followup")] if col("next_followup") else None
    policy = FollowupPolicy(o.intention_months, o.recall_months, o.signed_months)
    run_ = segment_customers(last, count, spend, as_of=day0, status=status, last_contact=last_contact,
                             planned=planned, method=o.method, churn_days=o.churn_days,
                             tier_shares=(o.tier_a, o.tier_b, 1 - o.tier_a - o.tier_b), rules=o.rules, policy=policy)
    future = int((run_.table["距今天数"] < 0).sum())
    if future:
        notes.append(f"有 {future} 位客户的最近购买日期晚于分析日期 {run_.settings.as_of}，请核对（R 分按最近计）。")
    complaint_summary = None
    if o.complaints is not None:  # issue 15: open complaints bring the call forward (udfs/score/complaints)
        from udfs.score.complaints.segment_flags import apply_open_complaints, open_complaint_counts

        log = read_file(o.complaints, None, "complaints")
        counts, linked = open_complaint_counts(log.df, log.roles, df, table.roles, day0)
        run_.table, complaint_summary = apply_open_complaints(run_.table, counts, day0)
        notes.append(f"投诉记录「{Path(o.complaints).name}」：{linked} 条联系关联到客户；有未结投诉的客户 "
                     f"{complaint_summary['with_open_complaints']} 位（其中忠诚客户 {complaint_summary['loyal_to_call']} 位需致电），"
                     "已列入待跟进。")
    satisfaction = None
    if o.survey is not None:
        satisfaction, survey_note = satisfaction_by_customer(read_file(o.survey, None, "survey"),
                                                             df[col("customer_id")] if col("customer_id") else None)
        notes.append(survey_note)
    identity = pd.DataFrame({c: df[c].to_numpy() for c in (col(r) for r in _IDENTITY_ROLES) if c is not None})
    identity["行号"] = table.rows  # where the customer sits in the register
    phone = dialable(*(df[c] for c in (col(r) for r in _PHONE_ROLES) if c is not None))
    summary = summarise(run_, identity=identity, satisfaction=satisfaction,
                        phone=phone if len(phone) else None, last_contact=last_contact)
    summary.notes = notes
    results = _results(table, o, run_, summary, orders, source, complaint_summary, notes)
    lang = o.lang or ("zh-Hant" if lang_of_headers(df.columns) == "zh-Hant" else "zh-Hans")
    results.summary["lang"] = lang
    headers = [c.header for c in results.columns]
    if "细分" in headers:   # the segment column coloured by segment
        results.marks = segment_marks(headers.index("细分"), results.columns[headers.index("细分")].values, lang)
    return localise(results, lang, english_lines=_english_lines(results.summary), user_columns=df.columns,
                    words=_english_words(o, run_) if lang == "en" else None,
                    message_columns=("细分", "客户类型", "分类原因", "逾期"))


def read_file_rows_empty(table: Table, name: str) -> Table:
    """An 订单 sheet that is there but empty: read as a table so the orders check says what is missing."""
    from addin.read import table_from_rows

    return table_from_rows([], path=table.path, sheet=name, sheet_names=table.book_sheets, kind="orders",
                           source_kind=table.source_kind)


def _purchases(table: Table, orders: Table | None, notes: list[str]):
    """(last purchase, count, spend, where they came from): from the orders joined by id, or the register."""
    df, col = table.df, table.column_for
    if orders is not None:
        table.require("customer_id")
        orders.require("customer_id", "order_date", "amount")
        per = aggregate_orders(orders.df[orders.column_for("customer_id")], orders.df[orders.column_for("order_date")],
                               orders.df[orders.column_for("amount")])
        joined = join_orders(df[col("customer_id")], per)
        _, register_ids = customer_keys(df[col("customer_id")])
        unknown = int((~per.index.isin(register_ids)).sum())
        if unknown:
            notes.append(f"订单中有 {unknown} 个客户编号不在客户表里，未计入。")
        source = {"kind": "orders", "file": str(orders.path), "sheet": orders.sheet, "orders": int(len(orders.df)),
                  "customers_with_orders": int(len(per)), "unknown_customers": unknown}
        return joined["最近购买日期"], joined["购买次数"], joined["累计金额"], source
    if not _has_rfm_columns(table):
        raise KehuError(
            f"“{table.path.name}”缺少购买记录列（最近购买日期、购买次数、累计金额）。"
            "请用 --orders 指定订单表（客户编号、下单日期、金额），或用 --map 指定列。",
            f"'{table.path.name}' lacks the purchase columns (last purchase date, purchase count, total spend). "
            "Give an orders file with --orders (customer id, order date, amount) or name the columns with --map.",
            ExitCode.INPUT_CONTENT)
    blank = pd.Series([None] * len(df), dtype=object)
    count = df[col("purchase_count")] if col("purchase_count") else blank
    spend = df[col("total_spend")] if col("total_spend") else blank
    source = {"kind": "register", "columns": [c for c in (col("last_purchase"), col("purchase_count"),
                                                          col("total_spend")) if c]}
    if not col("purchase_count") or not col("total_spend"):
        notes.append("缺少购买次数或累计金额列：对应的 F 或 M 分留空。")
    return df[col("last_purchase")], count, spend, source


def _results(table, o, run_, summary, orders, source, complaint_summary, notes) -> Results:
    t = run_.table
    added = [AddedColumn(name, _excel_values(t[name]), _FORMATS.get(name)) for name in ADDED_COLUMNS]
    added[-1] = AddedColumn("逾期", t["逾期"].map({True: "逾期", False: ""}).to_numpy(dtype=object))
    if complaint_summary is not None:
        added += [AddedColumn("未结投诉", t["未结投诉"].to_numpy()), AddedColumn("需致电", t["需致电"].to_numpy())]
    if orders is not None:
        added = [AddedColumn("最近下单日期", _excel_values(t["最近购买日期"]), "yyyy-mm-dd"),
                 AddedColumn("订单次数", t["购买次数"].to_numpy()),
                 AddedColumn("订单金额", t["累计金额"].to_numpy(), "#,##0.00")] + added
    follow = summary.followup
    sheets = [BuiltSheet(SHEET_NAME, partial(build_segment_sheet, results=summary)),
              TableSheet(FOLLOWUP_SHEET, follow,
                         number_formats={"下次跟进": "yyyy-mm-dd", "最近联系": "yyyy-mm-dd", "累计金额": "#,##0.00",
                                         "逾期天数": "0"},
                         widths={"下次跟进": 12, "逾期": 6, "逾期天数": 9, "跟进原因": 13, "联系电话": 14,
                                 "最近联系": 12, "跟进说明": 30},
                         title=f"待跟进客户（截至 {summary.as_of} 到期或逾期，逾期最久的在前）",
                         links=followup_links(follow, table.sheet))]
    counts = lambda frame: dict(zip(frame.iloc[:, 0], frame["客户数"].astype(int)))  # noqa: E731
    overdue = int((follow["逾期"] == "逾期").sum())
    n = int(len(table.df))
    result = {
        "ok": True, "file": str(table.path), "sheet": table.sheet, "records": n,
        "as_of": run_.settings.as_of, "method": run_.method.method, "method_text": plain_method_note(run_.method),
        "breaks": {k: list(v) for k, v in run_.method.breaks.items()}, "churn_days": o.churn_days,
        "tier_shares": list(run_.settings.tier_shares), "source": source,
        "no_purchase": int((~t["已购买"]).sum()),
        "segments": counts(summary.by_segment), "types": counts(summary.by_type), "tiers": counts(summary.by_tier),
        "followup": {"due": int(len(follow)), "overdue": overdue},
        "added_columns": [c.header for c in added], "notes": notes, "complaints": complaint_summary,
    }
    types = "，".join(f"{k} {v}" for k, v in result["types"].items())
    lines = [f"{n} 位客户（分析日期 {run_.settings.as_of}）：{types}。",
             f"待跟进 {len(follow)} 位，其中逾期 {overdue} 位。"] + [f"· {x}" for x in notes]
    sheets = [overview_sheet(segment_page(result, summary.by_type, summary.by_segment)), *sheets]
    return Results(columns=added, sheets=sheets, summary=result, lines=lines, select_sheet=SHEET_NAME)


def followup_links(follow: pd.DataFrame, data_sheet: str) -> dict[int, list[str | None]]:
    """TableSheet links of 待跟进: the customer (客户编号, or 行号 without ids) opens its row of the register;
    the rows come from the list's 行号 column, whatever else the list shows."""
    columns = [str(c) for c in follow.columns]
    if "行号" not in columns:
        return {}
    at = columns.index("客户编号") if "客户编号" in columns else columns.index("行号")
    return {at: row_locations(data_sheet, follow["行号"].tolist())}


def _english_lines(s: dict) -> list[str]:
    return [f"{s['records']} customers (analysis date {s['as_of']}).",
            f"{s['followup']['due']} to follow up, {s['followup']['overdue']} of them overdue."]


def _english_words(o: SegmentOptions, run_) -> dict[str, str]:
    """The run's own words in English: segment names, the plain RFM reasons per customer, the method note."""
    t = run_.table
    words = _segment_names(o)
    scores = [t[k] for k in ("距今天数", "购买次数", "累计金额", "R", "F", "M")]
    zh = rfm_reasons(*scores, at_risk=t["重点挽回"])
    en = rfm_reasons(*scores, at_risk=t["重点挽回"], lang="en")
    shown = (zh == t["分类原因"]).to_numpy()   # lost customers keep their own reason (english.py knows it)
    words.update({a: b for a, b, s in zip(zh, en, shown) if s and isinstance(a, str) and isinstance(b, str)})
    words[plain_method_note(run_.method)] = plain_method_note(run_.method, "en")
    return words | REASONS_EN


def _segment_names(o: SegmentOptions) -> dict[str, str]:
    """The rules' own English segment names (the R rfm package's: Champions, Loyal Customers …)."""
    from udfs.score.segment import load_rules

    segments = load_rules(o.rules).segments
    return {str(zh): str(en) for zh, en in zip(segments["细分"], segments["Segment"]) if zh and en}


def _has_rfm_columns(table) -> bool:
    return table.column_for("last_purchase") is not None


def _last_contact(last_purchase: Any, first_contact: Any) -> pd.Series:
    """The register has no 最近联系日期 column of its own: the later of last purchase and first contact stands in."""
    a = to_dates(last_purchase)
    if first_contact is None:
        return a
    b = to_dates(first_contact)
    return pd.Series(np.fmax(a.to_numpy(dtype="datetime64[ns]"), b.to_numpy(dtype="datetime64[ns]")))


def _excel_values(col: pd.Series) -> Any:
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        return col.reset_index(drop=True)  # a datetime Series: the writer turns it into date cells
    return col.to_numpy(dtype=object)


def analyse_segment(table: Any, port: Any = None, **options: Any) -> Results:
    """The segment job with keyword options (kept for scripts)."""
    return run(Inputs(table, port.sheet_rows if port is not None else None), SegmentOptions(**options))
