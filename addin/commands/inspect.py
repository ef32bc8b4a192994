"""`kehu inspect FILE`: show which sheet, header row and column roles kehu sees, before changing anything."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table as RichTable

from addin.jobs import inspect as job
from addin.jobs.inspect import InspectOptions
from addin.jobs.language import check_lang
from addin.read import read_table

from .common import OPT_HEADER, OPT_JSON, OPT_LANG, OPT_MAP, OPT_QUIET, OPT_SHEET, emit_json, handled, out, parse_map


def run_inspect(path: Path, *, sheet: str | None = None, kind: str = "register", header_row: int | None = None,
                role_map: dict[str, str] | None = None, lang: str | None = None):
    """Read the input and describe it; returns (summary dict, Table)."""
    table = read_table(path, sheet, kind=kind, header_row=header_row, role_overrides=role_map)
    summary = job.run(table, InspectOptions(lang=check_lang(lang))).summary
    summary["file"] = str(path)
    return summary, table


def register(app: typer.Typer) -> None:
    @app.command("inspect")
    def inspect_cmd(
        file: Path = typer.Argument(..., help="客户表或问卷表（.xlsx/.xlsm/.xls/.csv）。Register or survey file."),
        sheet: Optional[str] = OPT_SHEET,
        kind: str = typer.Option("register", "--kind", help="表的类型：register（客户档案）、survey（问卷）、orders（订单）。Kind of sheet."),
        header_row: Optional[int] = OPT_HEADER,
        role_map: Optional[list[str]] = OPT_MAP,
        json_out: bool = OPT_JSON,
        quiet: bool = OPT_QUIET,
        lang: Optional[str] = OPT_LANG,
    ):
        """查看 kehu 如何理解一张表：工作表、表头行、每列的角色。Show how kehu reads a sheet.

        示例 Example:  kehu inspect 客户档案.xlsx --map 联系电话=mobile
        """
        with handled(json_out):
            if kind not in ("register", "survey", "orders"):
                from addin.errors import ExitCode, KehuError
                raise KehuError(f"--kind 只能是 register、survey 或 orders，收到“{kind}”。",
                                f"--kind must be register, survey or orders; got '{kind}'.", ExitCode.USAGE)
            summary, _table = run_inspect(file, sheet=sheet, kind=kind, header_row=header_row,
                                          role_map=parse_map(role_map), lang=lang)
            if json_out:
                emit_json(summary)
                return
            (_print_en if summary["lang"] == "en" else _print)(summary)


def _print(s: dict) -> None:
    out.print(f"{Path(s['file']).name}  工作表 {s['sheet']}  "
              + (f"表头第 {s['header_row']} 行  " if s['header_row'] else "没有表头行  ")
              + f"数据 {s['records']} 行（第 {s['first_row']}–{s['last_row']} 行）"
              + (f"  编码 {s['encoding']}" if s.get("encoding") else ""))
    out.print(f"类型：{s['kind_zh']}" + (f"（{s['kind_reason']}）" if s.get("kind_reason") else "")
              + f"  Kind: {s['kind_en']}")
    t = RichTable(show_header=True, header_style="bold", box=None, pad_edge=False)
    for name in ("列", "表头", "识别为", "依据", "示例"):
        t.add_column(name)
    for c in s["columns"]:
        role = f"{c['role_zh']} ({c['role']})" if c["role"] else "未识别"
        how = (c["how_zh"] or "") + (f" {c['confidence']:.0%}" if c.get("confidence") else "")
        t.add_row(c["letter"], c["header"], role, how, " | ".join(e[:24] for e in c["examples"]))
    out.print(t)
    for note in s["notes"]:
        out.print(f"· {note}")
    if s["error_cells"]:
        cells = "、".join(f"{e['column']}第{e['row']}行={e['value']}" for e in s["error_cells"][:8])
        out.print(f"· 有 {len(s['error_cells'])} 个错误值单元格：{cells}")
    for col, n in s["unreadable_values"].items():
        out.print(f"· “{col}”列有 {n} 个值无法识别为日期或数字（kehu clean 会在问题清单里逐个列出）。")
    unknown = [c["header"] for c in s["columns"] if not c["role"]]
    if unknown:
        out.print(f"· 未识别的列（{'、'.join(unknown[:5])}）会原样保留；如需指定，用 --map 列名=角色，"
                  f"角色如 mobile、name、total_spend、last_purchase（ignore 表示忽略）。")


def _print_en(s: dict) -> None:
    out.print(f"{Path(s['file']).name}  sheet {s['sheet']}  "
              + (f"header on row {s['header_row']}  " if s['header_row'] else "no header row  ")
              + f"{s['records']} data rows (rows {s['first_row']}–{s['last_row']})"
              + (f"  encoding {s['encoding']}" if s.get("encoding") else ""))
    out.print(f"Kind: {s['kind_en']}" + (f" ({s['kind_reason_en']})" if s.get("kind_reason_en") else ""))
    t = RichTable(show_header=True, header_style="bold", box=None, pad_edge=False)
    for name in ("Column", "Header", "Role", "Examples"):
        t.add_column(name)
    for c in s["columns"]:
        t.add_row(c["letter"], c["header"], c["role"] or "not recognised",
                  " | ".join(e[:24] for e in c["examples"]))
    out.print(t)
    for note in s["notes_en"]:
        out.print(f"· {note}")
    unknown = [c["header"] for c in s["columns"] if not c["role"]]
    if unknown:
        out.print("· Columns not recognised are kept as they are; name one with --map COLUMN=ROLE "
                  "(e.g. mobile, name, total_spend, last_purchase; ignore to skip it).")
