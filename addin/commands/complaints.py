"""`kehu complaints LOG [--register REGISTER] [-o OUT]`: analyse an interaction / complaint log
(the work is addin/jobs/complaints.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from addin.book.file import write_to_file
from addin.errors import ExitCode, KehuError
from addin.jobs import complaints as job
from addin.jobs.complaints import ComplaintsOptions, analyse_complaints, load_themes  # noqa: F401
from addin.jobs.inputs import Inputs
from addin.jobs.language import check_lang

from .common import DoorFlags, finish, handled, job_options, out, resolve_output, shared_options
from .results import tell
from .running import read_run_write


def parse_sla(items: Optional[list[str]]) -> dict[str, int]:
    """['投诉=2', '报修=4,退换货=10'] → {'投诉': 2, '报修': 4, '退换货': 10}."""
    found: dict[str, int] = {}
    for item in items or []:
        for part in item.replace("，", ",").split(","):
            if not part.strip():
                continue
            name, _, days = part.partition("=")
            if not days.strip().isdigit():
                raise KehuError(f"--sla 的写法应为“类型=天数”，例如 --sla 投诉=2；收到“{part}”。",
                                f"--sla takes TYPE=DAYS, e.g. --sla 投诉=2; got '{part}'.", ExitCode.USAGE)
            found[name.strip()] = int(days)
    return found


def run_complaints(input_path: Path, output: Optional[Path] = None, *, register: Path | None = None,
                   register_output: Path | None = None, sheet: str | None = None, header_row: int | None = None,
                   role_map: dict[str, str] | None = None, in_place: bool = False, print_setup: bool = False, quiet: bool = False,
                   kind: str | None = None, options: ComplaintsOptions | None = None, mark: bool | None = None,
                   **flags: Any) -> dict[str, Any]:
    """Analyse the log and write it (and, with a register, a copy of the register with 联系次数 … added)."""
    if options is None:
        flags["lang"] = check_lang(flags.get("lang"))
        options = ComplaintsOptions(register=register, sla=flags.pop("sla", None) or {}, **flags)
    job.check(options)
    holder: dict[str, Inputs] = {}

    def analyse(table):
        holder["inputs"] = Inputs(table)
        return job.run(holder["inputs"], options)

    ran = read_run_write(input_path, output, analyse, read_kind="complaints", command="complaints",
                         forced_kind=kind, in_place=in_place, print_setup=print_setup, mark=mark, sheet=sheet, header_row=header_row,
                         role_map=role_map,
                         quiet=quiet, steps=("读取联系记录 Reading the log", "分析 Analysing", "写出结果 Writing"),
                         check_kind=lambda t: kind is not None)   # a log is judged by its own reader; --kind is checked
    summary = ran.summary(sheets=ran.report.added_sheets, lines=ran.results.lines)
    reg = holder["inputs"].others.get("register")
    if reg is not None and ran.results.register_results is not None:
        target = resolve_output(Path(options.register), register_output, False)
        report = write_to_file(reg, ran.results.register_results, target, False)
        tell(report.notes)
        summary["register_output"] = str(report.output)
    return summary


def register(app: typer.Typer) -> None:
    @app.command("complaints")
    @shared_options()
    def complaints_cmd(
        file: Path = typer.Argument(..., help="联系 / 投诉记录表（每次联系一行）。Contact or complaint log."),
        register_file: Optional[Path] = typer.Option(None, "--register", help="客户档案（关联客户，统计每百位客户投诉）。Customer register, for complaints per 100 customers."),
        register_output: Optional[Path] = typer.Option(None, "--register-output", help="加了联系次数等列的客户档案副本。Copy of the register with contact counts added."),
        as_of: Optional[str] = typer.Option(None, "--as-of", help="分析日期（默认今天），如 2025-01-15。Analysis date."),
        sla: Optional[list[str]] = typer.Option(None, "--sla", help="各类型处理时限（天），如 --sla 投诉=2,报修=4。Days allowed per contact type."),
        repeat_min: int = typer.Option(3, "--repeat", help="重复投诉：窗口内至少几次（默认 3）。Complaints within the window that make a repeat complainant."),
        repeat_window: int = typer.Option(90, "--window", help="重复投诉的时间窗口（天，默认 90）。Days of the repeat-complaint window."),
        calendar_days: bool = typer.Option(False, "--calendar-days", help="逾期按自然日计（默认按工作日，含法定节假日）。Count overdue days as calendar days, not working days."),
        themes: Optional[Path] = typer.Option(None, "--themes", help="主题词典（含「主题」「关键词」列的 csv/xlsx）。Theme dictionary."),
        door: DoorFlags = None,
    ):
        """投诉分析：按类型、渠道、门店和处理人统计，解决率与处理时长，逾期未结，重复投诉，投诉主题。Analyse a complaint log.

        示例 Example:  kehu complaints 客服工单.xlsx --register 客户档案.xlsx --as-of 2025-01-15
        """
        with handled(door.json_out):
            options = job_options(ComplaintsOptions, door, register=register_file, as_of=as_of, sla=parse_sla(sla),
                                  working_days=not calendar_days, repeat_min=repeat_min, repeat_window=repeat_window,
                                  themes=themes)
            s = run_complaints(file, door.output, register_output=register_output, sheet=door.sheet,
                               header_row=door.header_row, role_map=door.role_map, in_place=door.in_place, print_setup=door.print_setup,
                               mark=door.mark,
                               quiet=door.quiet, kind=door.kind, options=options)
            finish(s, door, _print)


def _print(s: dict) -> None:
    rr = s["resolution_rate"]
    out.print(f"{Path(s['file']).name}  {s['contacts']:,} 条联系，投诉 {s['complaints']:,} 条，"
              f"解决率 {'—' if rr is None else f'{rr:.1%}'}，逾期未结 {s['overdue']:,} 条，"
              f"重复投诉客户 {s['repeat_complainers']:,} 位")
    for n in s["notes"] + ([s["link_line"]] if s["link_line"] else []):
        out.print(f"· {n}")
    out.print(f"已写出 Written: {s['output']}（{'、'.join(s['sheets'])}）")
    if s.get("register_output"):
        out.print(f"客户档案副本 Register copy: {s['register_output']}（联系次数、最近联系、未结投诉、投诉次数）")
