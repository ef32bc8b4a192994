"""`kehu segment IN [--orders ORDERS] [-o OUT]`: RFM scores, segments, customer types, value tiers and follow-up dates."""
from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path
from typing import Any, Optional

import numpy as np
import pandas as pd
import typer

from addin.errors import ExitCode, KehuError
from addin.read import read_table
from addin.report.segment_sheet import SHEET_NAME, build_segment_sheet
from addin.write import AddedColumn, BuiltSheet, TableSheet
from udfs.score.segment import (ADDED_COLUMNS, FollowupPolicy, aggregate_orders, join_orders, segment_customers,
                                summarise)
from udfs.score.segment._values import customer_keys, to_amounts, to_dates

from .results import Results, write_to_file
from addin.read.kinds import ensure_kind
from .common import (OPT_KIND, OPT_HEADER, OPT_IN_PLACE, OPT_JSON, OPT_MAP, OPT_OUTPUT, OPT_QUIET, OPT_SHEET, Progress,
                     emit_json, handled, out, parse_map, resolve_output)

FOLLOWUP_SHEET = "待跟进"
_IDENTITY_ROLES = ("customer_id", "name", "company", "mobile", "phone", "landline", "status")
_FORMATS = {"收入占比": "0.00%", "下次跟进": "yyyy-mm-dd", "最近下单日期": "yyyy-mm-dd", "订单金额": "#,##0.00",
            "RFM": "0", "R": "0", "F": "0", "M": "0"}


def analyse_segment(table: Any, port: Any = None, *, orders: Path | None = None, orders_sheet: str | None = None,
                    survey: Path | None = None, as_of: str | None = None, method: str = "rfm",
                    churn_days: int = 365, tier_a: float = 0.80, tier_b: float = 0.15, intention_months: int = 1,
                    recall_months: int = 3, signed_months: int = 3, rules: Path | None = None,
                    complaints: Path | None = None) -> Results:
    """Score one register table; `port` (file or live workbook) supplies an 订单 sheet of the same workbook."""
    from addin.read import table_from_rows
    from addin.book.file import FileBook

    if method not in ("rfm", "quantile"):
        raise KehuError(f"--method 只能是 rfm 或 quantile，收到“{method}”。",
                        f"--method must be rfm or quantile; got '{method}'.", ExitCode.USAGE)
    if not (0 < tier_a < 1 and 0 <= tier_b < 1 and tier_a + tier_b <= 1):
        raise KehuError("价值等级比例不对：A、B 应在 0–1 之间，且 A + B ≤ 1。",
                        "Tier shares must be fractions with A + B ≤ 1.", ExitCode.USAGE)
    day0 = _as_of(as_of)
    port = port or FileBook(table.path)
    df = table.df
    col = table.column_for
    notes: list[str] = []

    o = None
    if orders is not None:
        o = read_table(orders, orders_sheet, kind="orders")
    elif not _has_rfm_columns(table) and _orders_sheet_in(table):
        orders_sheet = _orders_sheet_in(table)
        o = table_from_rows(port.sheet_rows(orders_sheet) or [], path=table.path, sheet=orders_sheet,
                            sheet_names=table.book_sheets, kind="orders", source_kind=table.source_kind)
        notes.append(f"客户表没有购买记录列，使用同一工作簿中的「{orders_sheet}」工作表。")
    if o is not None:
        table.require("customer_id")
        o.require("customer_id", "order_date", "amount")
        per = aggregate_orders(o.df[o.column_for("customer_id")], o.df[o.column_for("order_date")],
                               o.df[o.column_for("amount")])
        joined = join_orders(df[col("customer_id")], per)
        last, count, spend = joined["最近购买日期"], joined["购买次数"], joined["累计金额"]
        _, register_ids = customer_keys(df[col("customer_id")])
        unknown = int((~per.index.isin(register_ids)).sum())
        if unknown:
            notes.append(f"订单中有 {unknown} 个客户编号不在客户表里，未计入。")
        source = {"kind": "orders", "file": str(o.path), "sheet": o.sheet, "orders": int(len(o.df)),
                  "customers_with_orders": int(len(per)), "unknown_customers": unknown}
    else:
        if not _has_rfm_columns(table):
            raise KehuError(
                f"“{table.path.name}”缺少购买记录列（最近购买日期、购买次数、累计金额）。"
                "请用 --orders 指定订单表（客户编号、下单日期、金额），或用 --map 指定列。",
                f"'{table.path.name}' lacks the purchase columns (last purchase date, purchase count, total spend). "
                "Give an orders file with --orders (customer id, order date, amount) or name the columns with --map.",
                ExitCode.INPUT_CONTENT)
        last = df[col("last_purchase")]
        count = df[col("purchase_count")] if col("purchase_count") else pd.Series([None] * len(df), dtype=object)
        spend = df[col("total_spend")] if col("total_spend") else pd.Series([None] * len(df), dtype=object)
        source = {"kind": "register", "columns": [c for c in (col("last_purchase"), col("purchase_count"),
                                                              col("total_spend")) if c]}
        if not col("purchase_count") or not col("total_spend"):
            notes.append("缺少购买次数或累计金额列：对应的 F 或 M 分留空。")

    status = df[col("status")] if col("status") else None
    if status is None:
        notes.append("没有「状态」列：不安排下次跟进日期。")
    last_contact = _last_contact(last, df[col("first_contact")] if col("first_contact") else None)
    planned = df[col("next_followup")] if col("next_followup") else None
    policy = FollowupPolicy(intention_months, recall_months, signed_months)
    run = segment_customers(last, count, spend, as_of=day0, status=status, last_contact=last_contact,
                            planned=planned, method=method, churn_days=churn_days,
                            tier_shares=(tier_a, tier_b, 1 - tier_a - tier_b), rules=rules, policy=policy)
    future = int((run.table["距今天数"] < 0).sum())
    if future:
        notes.append(f"有 {future} 位客户的最近购买日期晚于分析日期 {run.settings.as_of}，请核对（R 分按最近计）。")
    complaint_summary = None
    if complaints is not None:  # issue 15: open complaints bring the call forward (udfs/score/complaints)
        from udfs.score.complaints.segment_flags import apply_open_complaints, open_complaint_counts

        log = read_table(complaints, kind="complaints")
        counts, linked = open_complaint_counts(log.df, log.roles, df, table.roles, day0)
        run.table, complaint_summary = apply_open_complaints(run.table, counts, day0)
        notes.append(f"投诉记录「{Path(complaints).name}」：{linked} 条联系关联到客户；有未结投诉的客户 "
                     f"{complaint_summary['with_open_complaints']} 位（其中忠诚客户 {complaint_summary['loyal_to_call']} 位需致电），"
                     "已列入待跟进。")
    satisfaction = None
    if survey is not None:
        satisfaction, survey_note = _satisfaction(survey, df[col("customer_id")] if col("customer_id") else None)
        notes.append(survey_note)
    identity = pd.DataFrame({c: df[c].to_numpy() for c in (col(r) for r in _IDENTITY_ROLES) if c is not None})
    identity["行号"] = table.rows  # where the customer sits in the register
    summary = summarise(run, identity=identity, satisfaction=satisfaction)
    summary.notes = notes

    t = run.table
    added = [AddedColumn(name, _excel_values(t[name]), _FORMATS.get(name)) for name in ADDED_COLUMNS]
    added[-1] = AddedColumn("逾期", t["逾期"].map({True: "逾期", False: ""}).to_numpy(dtype=object))
    if complaint_summary is not None:
        added += [AddedColumn("未结投诉", t["未结投诉"].to_numpy()), AddedColumn("需致电", t["需致电"].to_numpy())]
    if o is not None:
        added = [AddedColumn("最近下单日期", _excel_values(t["最近购买日期"]), "yyyy-mm-dd"),
                 AddedColumn("订单次数", t["购买次数"].to_numpy()),
                 AddedColumn("订单金额", t["累计金额"].to_numpy(), "#,##0.00")] + added
    follow = summary.followup
    sheets = [BuiltSheet(SHEET_NAME, partial(build_segment_sheet, results=summary)),
              TableSheet(FOLLOWUP_SHEET, follow, number_formats={"下次跟进": "yyyy-mm-dd", "累计金额": "#,##0.00"},
                         widths={"下次跟进": 12, "逾期": 6, "跟进说明": 30},
                         title=f"待跟进客户（按下次跟进日期排序，分析日期 {summary.as_of}）")]
    counts = lambda frame: dict(zip(frame.iloc[:, 0], frame["客户数"].astype(int)))  # noqa: E731
    overdue = int((follow["逾期"] == "逾期").sum())
    result = {
        "ok": True, "file": str(table.path), "sheet": table.sheet, "records": int(len(df)),
        "as_of": run.settings.as_of, "method": run.method.method, "method_text": run.method.describe(),
        "breaks": {k: list(v) for k, v in run.method.breaks.items()}, "churn_days": churn_days,
        "tier_shares": list(run.settings.tier_shares), "source": source,
        "no_purchase": int((~t["已购买"]).sum()),
        "segments": counts(summary.by_segment), "types": counts(summary.by_type), "tiers": counts(summary.by_tier),
        "followup": {"due": int(len(follow)), "overdue": overdue},
        "added_columns": [c.header for c in added], "notes": notes, "complaints": complaint_summary,
    }
    types = "，".join(f"{k} {v}" for k, v in result["types"].items())
    lines = [f"{len(df)} 位客户（分析日期 {run.settings.as_of}）：{types}。",
             f"待跟进 {len(follow)} 位，其中逾期 {overdue} 位。"] + [f"· {n}" for n in notes]
    return Results(columns=added, sheets=sheets, summary=result, lines=lines, select_sheet=SHEET_NAME)


def run_segment(input_path: Path, output: Optional[Path] = None, *, sheet: str | None = None,
                header_row: int | None = None, role_map: dict[str, str] | None = None,
                orders: Path | None = None, orders_sheet: str | None = None, survey: Path | None = None,
                as_of: str | None = None, method: str = "rfm", churn_days: int = 365,
                tier_a: float = 0.80, tier_b: float = 0.15, intention_months: int = 1, recall_months: int = 3,
                signed_months: int = 3, rules: Path | None = None, complaints: Path | None = None,
                in_place: bool = False, quiet: bool = False, kind: str | None = None) -> dict[str, Any]:
    """Score the register, write the added columns and the 客户分析 / 待跟进 sheets; return a summary dict."""
    target = resolve_output(Path(input_path), output, in_place)
    with Progress(3, quiet) as progress:
        progress.step("读取客户表 Reading the register")
        table = read_table(input_path, sheet, kind="register", header_row=header_row, role_overrides=role_map)
        ensure_kind(table, "segment", kind)
        progress.step("评分与细分 Scoring")
        results = analyse_segment(table, orders=orders, orders_sheet=orders_sheet, survey=survey, as_of=as_of,
                                  method=method, churn_days=churn_days, tier_a=tier_a, tier_b=tier_b,
                                  intention_months=intention_months, recall_months=recall_months,
                                  signed_months=signed_months, rules=rules, complaints=complaints)
        progress.step("写出结果 Writing")
        report = write_to_file(table, results, target, in_place)
    return dict(results.summary, output=str(report.output), backup=str(report.backup) if report.backup else None,
                added_sheets=report.added_sheets)


def _as_of(text: str | None) -> np.datetime64:
    if text is None or not str(text).strip():
        return pd.Timestamp(dt.date.today()).to_datetime64()
    value = to_dates([text]).iloc[0]
    if pd.isna(value):
        raise KehuError(f"--as-of 不是可识别的日期：“{text}”（例如 2024-06-30）。",
                        f"--as-of is not a date: '{text}' (e.g. 2024-06-30).", ExitCode.USAGE)
    return value.to_datetime64()


def _has_rfm_columns(table) -> bool:
    return table.column_for("last_purchase") is not None


def _orders_sheet_in(table) -> str | None:
    return next((s for s in table.book_sheets if s != table.sheet and any(k in s for k in ("订单", "交易", "order"))),
                None)


def _last_contact(last_purchase: Any, first_contact: Any) -> pd.Series:
    """The register has no 最近联系日期 column of its own: the later of last purchase and first contact stands in."""
    a = to_dates(last_purchase)
    if first_contact is None:
        return a
    b = to_dates(first_contact)
    return pd.Series(np.fmax(a.to_numpy(dtype="datetime64[ns]"), b.to_numpy(dtype="datetime64[ns]")))


def _satisfaction(path: Path, register_ids: Any) -> tuple[pd.Series | None, str]:
    """Mean satisfaction per register customer from a survey (overall item, else the mean of the items)."""
    if register_ids is None:
        return None, "客户表没有客户编号列，无法关联满意度调查。"
    s = read_table(path, kind="survey")
    id_col = s.column_for("customer_id") or s.column_for("respondent")
    if id_col is None:
        return None, f"问卷「{s.sheet}」没有客户编号列，无法关联满意度。"
    overall = s.column_for("overall")
    if overall is not None:
        score = to_amounts(s.df[overall])
    else:
        items = [c for c, r in s.roles.items() if r == "item"]
        if not items:
            return None, f"问卷「{s.sheet}」没有总体满意度或评分题，无法关联满意度。"
        score = pd.concat([to_amounts(s.df[c]) for c in items], axis=1).mean(axis=1)
    codes, ids = customer_keys(s.df[id_col])
    frame = pd.DataFrame({"code": codes, "score": score.to_numpy()})
    means = frame[frame["code"] >= 0].groupby("code")["score"].mean()
    per_id = pd.Series(means.to_numpy(), index=pd.Index([ids[i] for i in means.index], dtype=object))
    reg_codes, reg_ids = customer_keys(register_ids)
    lookup = per_id.reindex(pd.Index(reg_ids, dtype=object)).to_numpy(dtype="float64")
    values = np.append(lookup, np.nan)[reg_codes]
    matched = int(np.isfinite(values).sum())
    return pd.Series(values), f"满意度：问卷「{s.sheet}」中 {len(per_id)} 位客户，关联到客户表 {matched} 位。"


def _excel_values(col: pd.Series) -> Any:
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        return col.reset_index(drop=True)  # a datetime Series: the writer turns it into date cells
    return col.to_numpy(dtype=object)


def register(app: typer.Typer) -> None:
    @app.command("segment")
    def segment_cmd(
        file: Path = typer.Argument(..., help="客户表（.xlsx/.xlsm/.xls/.csv）。Customer register."),
        orders: Optional[Path] = typer.Option(None, "--orders", help="订单表（客户编号、下单日期、金额，每次购买一行）。Orders file."),
        orders_sheet: Optional[str] = typer.Option(None, "--orders-sheet", help="订单所在工作表。Orders sheet."),
        survey: Optional[Path] = typer.Option(None, "--survey", help="满意度问卷（按客户编号关联）。Survey file to join by customer id."),
        as_of: Optional[str] = typer.Option(None, "--as-of", help="分析日期（默认今天），如 2024-06-30。Analysis date."),
        method: str = typer.Option("rfm", "--method", help="评分规则：rfm（R 语言 rfm 包，默认）或 quantile。Scoring method."),
        churn_days: int = typer.Option(365, "--churn-days", min=1, help="超过多少天未购买算流失（默认 365）。Churn window."),
        tier_a: float = typer.Option(0.80, "--tier-a", help="A 类客户占收入比例（默认 0.8）。"),
        tier_b: float = typer.Option(0.15, "--tier-b", help="B 类客户占收入比例（默认 0.15）。"),
        intention_months: int = typer.Option(1, "--intention-months", min=1, help="意向客户跟进间隔（月，默认 1）。"),
        recall_months: int = typer.Option(3, "--recall-months", min=1, help="无效/丢单/联系不上客户再次联系间隔（月，默认 3）。"),
        signed_months: int = typer.Option(3, "--signed-months", min=1, help="签单客户回访间隔（月，默认 3）。"),
        rules: Optional[Path] = typer.Option(None, "--rules", help="自定义细分规则（CSV 或含「细分规则」工作表的工作簿）。"),
        complaints: Optional[Path] = typer.Option(None, "--complaints", help="投诉 / 联系记录：未结投诉的客户列入待跟进。"),
        sheet: Optional[str] = OPT_SHEET,
        header_row: Optional[int] = OPT_HEADER,
        role_map: Optional[list[str]] = OPT_MAP,
        output: Optional[Path] = OPT_OUTPUT,
        in_place: bool = OPT_IN_PLACE,
        json_out: bool = OPT_JSON,
        quiet: bool = OPT_QUIET,
        kind: Optional[str] = OPT_KIND,
    ):
        """客户细分：RFM 评分、细分、客户类型、价值等级和下次跟进日期。RFM segments, customer types, tiers, follow-up.

        示例 Example:  kehu segment 客户档案.xlsx --orders 订单.xlsx --as-of 2024-06-30
        """
        with handled(json_out):
            summary = run_segment(file, output, kind=kind, sheet=sheet, header_row=header_row, role_map=parse_map(role_map),
                                  orders=orders, orders_sheet=orders_sheet, survey=survey, as_of=as_of,
                                  method=method, churn_days=churn_days, tier_a=tier_a, tier_b=tier_b,
                                  intention_months=intention_months, recall_months=recall_months,
                                  signed_months=signed_months, rules=rules, complaints=complaints,
                                  in_place=in_place, quiet=quiet or json_out)
            if json_out:
                emit_json(summary)
                return
            _print(summary)


def _print(s: dict) -> None:
    out.print(f"[bold]客户细分完成[/]  {s['records']} 位客户，分析日期 {s['as_of']}，结果：{s['output']}")
    out.print(f"· {s['method_text']}")
    out.print("· 客户类型：" + "，".join(f"{k} {v}" for k, v in s["types"].items()))
    out.print("· 价值等级：" + "，".join(f"{k} {v}" for k, v in s["tiers"].items()))
    out.print("· 细分：" + "，".join(f"{k} {v}" for k, v in s["segments"].items() if v))
    out.print(f"· 待跟进 {s['followup']['due']} 位，其中逾期 {s['followup']['overdue']} 位（见「待跟进」工作表）")
    for note in s["notes"]:
        out.print(f"· {note}")
