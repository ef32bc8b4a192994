"""`kehu report REGISTER [--orders ORDERS] [--survey SURVEY] [--complaints LOG] [--as-of DATE]`: 客户分析报告
(the work is addin/jobs/report.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from addin.jobs import report as job
from addin.jobs.language import check_lang
from addin.jobs.report import ReportOptions, analyse_report  # noqa: F401  (scripts import it from here)

from .common import DoorFlags, finish, handled, job_options, out, shared_options
from .running import read_run_write


def run_report(input_path: Path, output: Optional[Path] = None, *, sheet: str | None = None,
               header_row: int | None = None, role_map: dict[str, str] | None = None, in_place: bool = False, print_setup: bool = False,
               quiet: bool = False, kind: str | None = None, options: ReportOptions | None = None,
               mark: bool | None = None, **flags: Any) -> dict[str, Any]:
    """`flags` are ReportOptions fields (orders=, survey=, as_of= …) when `options` is not given."""
    if options is None:
        flags["lang"] = check_lang(flags.get("lang"))
        options = ReportOptions(**flags)
    ran = read_run_write(input_path, output, lambda table: job.run(table, options), read_kind="register",
                         command="report",
                         forced_kind=kind, in_place=in_place, print_setup=print_setup, mark=mark, sheet=sheet, header_row=header_row,
                         role_map=role_map,
                         quiet=quiet, steps=("读取客户表 Reading the register", "分析 Analysing", "写出结果 Writing"))
    return ran.summary(added_sheets=ran.report.added_sheets, lines=ran.results.lines)


def register(app: typer.Typer) -> None:
    @app.command("report")
    @shared_options()
    def report_cmd(
        file: Path = typer.Argument(..., help="客户表（.xlsx/.xlsm/.xls/.csv）。Customer register."),
        orders: Optional[Path] = typer.Option(None, "--orders", help="订单表（客户编号、下单日期、金额，可有订单编号、产品、成本）。Orders file."),
        orders_sheet: Optional[str] = typer.Option(None, "--orders-sheet", help="订单所在工作表。Orders sheet."),
        survey: Optional[Path] = typer.Option(None, "--survey", help="满意度问卷（按客户编号关联）。Survey file."),
        complaints: Optional[Path] = typer.Option(None, "--complaints", help="投诉 / 联系记录。Complaint log."),
        as_of: Optional[str] = typer.Option(None, "--as-of", help="分析日期（默认今天），如 2024-06-30。Analysis date."),
        door: DoorFlags = None,
    ):
        """客户分析报告：基本资料、业务状况、交易状况、客户类型、留存与流失、交叉销售、盈利、满意度。Customer analysis report.

        示例 Example:  kehu report 客户档案.xlsx --orders 订单.xlsx --as-of 2024-06-30
        """
        with handled(door.json_out):
            options = job_options(ReportOptions, door, orders=orders, orders_sheet=orders_sheet, survey=survey,
                                  complaints=complaints, as_of=as_of)
            summary = run_report(file, door.output, sheet=door.sheet, header_row=door.header_row,
                                 role_map=door.role_map, in_place=door.in_place, print_setup=door.print_setup, mark=door.mark, quiet=door.quiet,
                                 kind=door.kind,
                                 options=options)
            finish(summary, door, _print)


def _print(summary: dict) -> None:
    out.print(f"客户分析报告完成  结果：{summary['output']}")
    for line in summary["lines"]:
        out.print(line)
