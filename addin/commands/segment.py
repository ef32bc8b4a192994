"""`kehu segment IN [--orders ORDERS] [-o OUT]`: RFM scores, segments, customer types, value tiers and follow-up
dates (the work is addin/jobs/segment.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from addin.jobs import segment as job
from addin.jobs.language import check_lang
from addin.jobs.segment import SegmentOptions, analyse_segment  # noqa: F401  (scripts import it from here)

from .common import DoorFlags, finish, handled, job_options, out, shared_options
from .running import read_run_write


def run_segment(input_path: Path, output: Optional[Path] = None, *, sheet: str | None = None,
                header_row: int | None = None, role_map: dict[str, str] | None = None, in_place: bool = False, print_setup: bool = False,
                quiet: bool = False, kind: str | None = None, options: SegmentOptions | None = None,
                mark: bool | None = None, **flags: Any) -> dict[str, Any]:
    """Score the register, write the added columns and the 客户分析 / 待跟进 sheets; return a summary dict.
    `flags` are SegmentOptions fields (orders=, as_of=, method= …) when `options` is not given."""
    if options is None:
        flags["lang"] = check_lang(flags.get("lang"))
        options = SegmentOptions(**flags)
    ran = read_run_write(input_path, output, lambda table: job.run(table, options), read_kind="register",
                         command="segment", forced_kind=kind, in_place=in_place, print_setup=print_setup, mark=mark, sheet=sheet,
                         header_row=header_row,
                         role_map=role_map, quiet=quiet,
                         steps=("读取客户表 Reading the register", "评分与细分 Scoring", "写出结果 Writing"))
    return ran.summary(added_sheets=ran.report.added_sheets, lines=ran.results.lines)


def register(app: typer.Typer) -> None:
    @app.command("segment")
    @shared_options()
    def segment_cmd(
        file: Path = typer.Argument(..., help="客户表（.xlsx/.xlsm/.xls/.csv）。Customer register."),
        orders: Optional[Path] = typer.Option(None, "--orders", help="订单表（客户编号、下单日期、金额，每次购买一行）。Orders file."),
        orders_sheet: Optional[str] = typer.Option(None, "--orders-sheet", help="订单所在工作表。Orders sheet."),
        survey: Optional[Path] = typer.Option(None, "--survey", help="满意度问卷（按客户编号关联）。Survey file to join by customer id."),
        as_of: Optional[str] = typer.Option(None, "--as-of", help="分析日期（默认今天），如 2024-06-30。Analysis date."),
        method: str = typer.Option("rfm", "--method", help="评分规则：rfm（R 语言 rfm 包，默认）或 quantile。Scoring method."),
        churn_days: int = typer.Option(365, "--churn-days", min=1, help="超过多少天未购买算流失（默认 365）。Churn window."),
        tier_a: float = typer.Option(0.80, "--tier-a", help="A 类客户占收入比例（默认 0.8）。Share of revenue from A-tier customers."),
        tier_b: float = typer.Option(0.15, "--tier-b", help="B 类客户占收入比例（默认 0.15）。Share of revenue from B-tier customers."),
        intention_months: int = typer.Option(1, "--intention-months", min=1, help="意向客户跟进间隔（月，默认 1）。Months between calls to prospects."),
        recall_months: int = typer.Option(3, "--recall-months", min=1, help="无效/丢单/联系不上客户再次联系间隔（月，默认 3）。Months before calling lost or unreachable customers again."),
        signed_months: int = typer.Option(3, "--signed-months", min=1, help="签单客户回访间隔（月，默认 3）。Months between calls to signed customers."),
        rules: Optional[Path] = typer.Option(None, "--rules", help="自定义细分规则（CSV 或含「细分规则」工作表的工作簿）。Your own segment rules."),
        complaints: Optional[Path] = typer.Option(None, "--complaints", help="投诉 / 联系记录：未结投诉的客户列入待跟进。Complaint or contact log: customers with an open complaint are due a call."),
        door: DoorFlags = None,
    ):
        """客户细分：RFM 评分、细分、客户类型、价值等级和下次跟进日期。RFM segments, customer types, tiers, follow-up.

        示例 Example:  kehu segment 客户档案.xlsx --orders 订单.xlsx --as-of 2024-06-30
        """
        with handled(door.json_out):
            options = job_options(SegmentOptions, door, orders=orders, orders_sheet=orders_sheet, survey=survey,
                                  as_of=as_of, method=method, churn_days=churn_days, tier_a=tier_a, tier_b=tier_b,
                                  intention_months=intention_months, recall_months=recall_months,
                                  signed_months=signed_months, rules=rules, complaints=complaints)
            summary = run_segment(file, door.output, kind=door.kind, sheet=door.sheet, header_row=door.header_row,
                                  role_map=door.role_map, in_place=door.in_place, print_setup=door.print_setup, mark=door.mark, quiet=door.quiet,
                                  options=options)
            finish(summary, door, _print)


def _print(s: dict) -> None:
    out.print(f"客户细分完成  {s['records']} 位客户，分析日期 {s['as_of']}，结果：{s['output']}")
    out.print(f"· {s['method_text']}")
    out.print("· 客户类型：" + "，".join(f"{k} {v}" for k, v in s["types"].items()))
    out.print("· 价值等级：" + "，".join(f"{k} {v}" for k, v in s["tiers"].items()))
    out.print("· 细分：" + "，".join(f"{k} {v}" for k, v in s["segments"].items() if v))
    out.print(f"· 待跟进 {s['followup']['due']} 位，其中逾期 {s['followup']['overdue']} 位（见「待跟进」工作表）")
    for note in s["notes"]:
        out.print(f"· {note}")
