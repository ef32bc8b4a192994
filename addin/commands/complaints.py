"""`kehu complaints LOG [--register REGISTER] [-o OUT]`: analyse an interaction / complaint log."""
from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any, Optional

import numpy as np
import pandas as pd
import typer

from addin.errors import ExitCode, KehuError

from .common import (OPT_HEADER, OPT_IN_PLACE, OPT_JSON, OPT_MAP, OPT_OUTPUT, OPT_QUIET, OPT_SHEET, Progress,
                     emit_json, handled, out, parse_map, resolve_output)
from .results import Results, write_to_file

OVERDUE_SHEET, REPEAT_SHEET, PROBLEM_SHEET, UNLINKED_SHEET = "逾期未结", "重复投诉", "联系问题", "未关联联系"
THEMES_SHEET = "主题词典"
_DATES = {"联系时间": "yyyy-mm-dd hh:mm", "首次投诉": "yyyy-mm-dd", "最近投诉": "yyyy-mm-dd", "最近联系": "yyyy-mm-dd"}


def parse_sla(items: Optional[list[str]]) -> dict[str, int]:
    """['投诉=2', '报修=4,退换货=10'] → {'投诉': 2, '报修': 4, '退换货': 10}."""
    out: dict[str, int] = {}
    for item in items or []:
        for part in item.replace("，", ",").split(","):
            if not part.strip():
                continue
            name, _, days = part.partition("=")
            if not days.strip().isdigit():
                raise KehuError(f"--sla 的写法应为“类型=天数”，例如 --sla 投诉=2；收到“{part}”。",
                                f"--sla takes TYPE=DAYS, e.g. --sla 投诉=2; got '{part}'.", ExitCode.USAGE)
            out[name.strip()] = int(days)
    return out


def load_themes(path: Path | None, port: Any = None, book_sheets: list[str] | None = None):
    """The user's theme dictionary: --themes FILE (csv/xlsx with 主题, 关键词), else a 主题词典 sheet, else the default."""
    from udfs.text.themes import ThemeDictionary

    if path is not None:
        from addin.read import read_table

        if not Path(path).exists():
            raise KehuError(f"找不到主题词典文件：{path}", f"Theme dictionary not found: {path}", ExitCode.INPUT_FILE)
        csv = Path(path).suffix.lower() in (".csv", ".txt")
        t = read_table(path, THEMES_SHEET if not csv and _has_sheet(path) else None, kind="register", header_row=1)
        return ThemeDictionary.from_frame(t.df), f"主题词典：{Path(path).name}"
    if port is not None and book_sheets and THEMES_SHEET in book_sheets:
        from .survey import _frame

        frame = _frame(port.sheet_rows(THEMES_SHEET))
        if frame is not None:
            return ThemeDictionary.from_frame(frame), "主题词典：本工作簿的「主题词典」工作表"
    return ThemeDictionary.default(), None


def _has_sheet(path: Path) -> bool:
    from addin.read.workbook import open_workbook

    return THEMES_SHEET in open_workbook(path).sheet_names


def analyse_complaints(table: Any, port: Any = None, *, register: Any = None, as_of: str | None = None,
                       sla: dict[str, int] | None = None, working_days: bool = True, repeat_min: int = 3,
                       repeat_window: int = 90, themes: Path | None = None) -> Results:
    """The complaint-log run on one table. `register` is a read register Table (or None)."""
    from addin.report.complaints_sheet import SHEET_NAME, build_complaints_sheet
    from addin.write import AddedColumn, BuiltSheet, TableSheet
    from udfs.score.complaints.analysis import analyse_log

    from .segment import _as_of

    if repeat_min < 2 or repeat_window < 1:
        raise KehuError("--repeat 至少为 2，--window 至少为 1 天。", "--repeat must be ≥ 2 and --window ≥ 1 day.",
                        ExitCode.USAGE)
    day0 = pd.Timestamp(_as_of(as_of))
    dictionary, theme_note = load_themes(themes, port, table.book_sheets)
    res = analyse_log(table.df, table.roles, as_of=day0, rows=table.rows, sla=sla, working_days=working_days,
                      repeat_min=repeat_min, repeat_window=repeat_window, dictionary=dictionary)
    if theme_note:
        res.notes.append(theme_note)
    f = res.contacts
    late_rows = set(res.overdue["行号"])
    columns = [AddedColumn("主题", f["主题"].to_numpy(dtype=object), width=18),
               AddedColumn("情感", f["情感"].to_numpy(dtype=object), width=6),
               AddedColumn("逾期未结", np.where(f["row"].isin(late_rows), "逾期", None).astype(object), width=8)]
    rate, link_line, linked_summary, register_results = None, None, None, None
    sheets = []
    if register is not None:
        from udfs.score.complaints.link import link_contacts

        linked = link_contacts(table.df.reset_index(drop=True), table.roles, register.df.reset_index(drop=True),
                               register.roles, f)
        rate = linked.complaint_rate
        reg_rows = np.asarray(register.rows)
        columns.append(AddedColumn("客户档案行", np.where(linked.register_row >= 0,
                                                          reg_rows[np.maximum(linked.register_row, 0)], None)
                                   .astype(object)))
        columns.append(AddedColumn("关联方式", linked.how.to_numpy(dtype=object)))
        n_linked = int((linked.register_row >= 0).sum())
        link_line = (f"关联客户档案「{Path(register.path).name}」：{n_linked:,} / {len(f):,} 条联系找到客户；"
                     f"未关联 {len(f) - n_linked:,} 条（见「{UNLINKED_SHEET}」）。")
        un = linked.register_row < 0
        unlinked = pd.DataFrame({"行号": f["row"][un], "联系时间": f["at"][un], "客户编号": f["customer_id"][un],
                                 "姓名": f["name"][un], "手机": f["mobile"][un], "邮箱": f["email"][un],
                                 "类型": f["contact_type"][un], "原因": linked.reason[un].to_numpy()})
        sheets.append(TableSheet(UNLINKED_SHEET, unlinked.reset_index(drop=True), number_formats=_DATES,
                                 widths={"原因": 28}, title=f"未关联到客户档案的联系 {un.sum():,} 条"))
        rc = linked.register_columns
        register_results = Results(columns=[AddedColumn("联系次数", rc["联系次数"].to_numpy()),
                                            AddedColumn("最近联系", rc["最近联系"], "yyyy-mm-dd"),
                                            AddedColumn("未结投诉", rc["未结投诉"].to_numpy()),
                                            AddedColumn("投诉次数", rc["投诉次数"].to_numpy())],
                                   lines=[link_line])
        linked_summary = {"linked": n_linked, "unlinked": int(un.sum()),
                          "by_key": {k: int(v) for k, v in linked.how.value_counts().items()}}
    sheets = [BuiltSheet(SHEET_NAME, partial(build_complaints_sheet, res=res, rate=rate, link_line=link_line)),
              TableSheet(OVERDUE_SHEET, res.overdue, number_formats=dict(_DATES, 已过天数="0", 时限天数="0", 超出天数="0"),
                         widths={"内容": 40, "联系时间": 16},
                         title=f"逾期未结 {len(res.overdue):,} 条（最早的在前；分析日期 {day0:%Y-%m-%d}）"),
              TableSheet(REPEAT_SHEET, res.repeaters, number_formats=_DATES,
                         title=f"重复投诉客户 {len(res.repeaters):,} 位（{repeat_window} 天内投诉 ≥ {repeat_min} 次）"),
              TableSheet(PROBLEM_SHEET, res.prepared.problems, widths={"问题": 40, "Problem": 50, "原值": 20},
                         title=f"需要核对的联系记录 {len(res.prepared.problems):,} 处（均已计入，处理方式见「问题」）")
              ] + sheets
    if themes is None and THEMES_SHEET not in table.book_sheets:
        sheets.append(TableSheet(THEMES_SHEET, dictionary.to_frame(), widths={"关键词": 90, "排除词": 30},
                                 title="主题词典：可直接修改后保存，下次运行时自动使用（或用 --themes 指定）"))
    h = res.headline
    summary = {"ok": True, "file": str(table.path), "sheet": table.sheet, "as_of": f"{day0:%Y-%m-%d}",
               **{k: (None if v is None or (isinstance(v, float) and not np.isfinite(v)) else v)
                  for k, v in h.items() if k not in ("first", "last")},
               "problem_codes": {k: int(v) for k, v in res.prepared.problems["问题代码"].value_counts().items()},
               "themes": dict(zip(res.themes["主题"], res.themes["投诉提及数"].astype(int))),
               "link": linked_summary, "link_line": link_line, "notes": res.notes}
    rr = h["resolution_rate"]
    lines = [f"{h['contacts']:,} 条联系，其中投诉 {h['complaints']:,} 条；解决率 "
             f"{'—' if rr is None else f'{rr:.1%}'}，逾期未结 {h['overdue']:,} 条，重复投诉客户 {h['repeat_complainers']:,} 位。"]
    lines += [f"· {n}" for n in res.notes + ([link_line] if link_line else [])]
    results = Results(columns=columns, sheets=sheets, summary=summary, lines=lines, select_sheet=SHEET_NAME)
    results.register_results = register_results  # written into a copy of the register by run_complaints
    return results


def run_complaints(input_path: Path, output: Optional[Path] = None, *, register: Path | None = None,
                   register_output: Path | None = None, sheet: str | None = None, header_row: int | None = None,
                   role_map: dict[str, str] | None = None, as_of: str | None = None,
                   sla: dict[str, int] | None = None, working_days: bool = True, repeat_min: int = 3,
                   repeat_window: int = 90, themes: Path | None = None, in_place: bool = False,
                   quiet: bool = False) -> dict[str, Any]:
    from addin.read import read_table

    target = resolve_output(Path(input_path), output, in_place)
    with Progress(4, quiet) as progress:
        progress.step("读取联系记录 Reading the log")
        table = read_table(input_path, sheet, kind="complaints", header_row=header_row, role_overrides=role_map)
        reg = None
        if register is not None:
            reg = read_table(register, kind="register")
        progress.step("分析 Analysing")
        results = analyse_complaints(table, register=reg, as_of=as_of, sla=sla, working_days=working_days,
                                     repeat_min=repeat_min, repeat_window=repeat_window, themes=themes)
        progress.step("写出结果 Writing")
        report = write_to_file(table, results, target, in_place)
        summary = dict(results.summary, output=str(report.output), sheets=report.added_sheets)
        if reg is not None:
            reg_out = resolve_output(Path(register), register_output, False)
            summary["register_output"] = str(write_to_file(reg, results.register_results, reg_out, False).output)
    return summary


def register(app: typer.Typer) -> None:
    @app.command("complaints")
    def complaints_cmd(
        file: Path = typer.Argument(..., help="联系 / 投诉记录表（每次联系一行）。Contact or complaint log."),
        register_file: Optional[Path] = typer.Option(None, "--register", help="客户档案（关联客户，统计每百位客户投诉）。"),
        register_output: Optional[Path] = typer.Option(None, "--register-output", help="加了联系次数等列的客户档案副本。"),
        as_of: Optional[str] = typer.Option(None, "--as-of", help="分析日期（默认今天），如 2025-01-15。Analysis date."),
        sla: Optional[list[str]] = typer.Option(None, "--sla", help="各类型处理时限（天），如 --sla 投诉=2,报修=4。"),
        repeat_min: int = typer.Option(3, "--repeat", help="重复投诉：窗口内至少几次（默认 3）。"),
        repeat_window: int = typer.Option(90, "--window", help="重复投诉的时间窗口（天，默认 90）。"),
        calendar_days: bool = typer.Option(False, "--calendar-days", help="逾期按自然日计（默认按工作日，含法定节假日）。"),
        themes: Optional[Path] = typer.Option(None, "--themes", help="主题词典（含「主题」「关键词」列的 csv/xlsx）。"),
        sheet: Optional[str] = OPT_SHEET,
        header_row: Optional[int] = OPT_HEADER,
        role_map: Optional[list[str]] = OPT_MAP,
        output: Optional[Path] = OPT_OUTPUT,
        in_place: bool = OPT_IN_PLACE,
        json_out: bool = OPT_JSON,
        quiet: bool = OPT_QUIET,
    ):
        """投诉分析：按类型、渠道、门店和处理人统计，解决率与处理时长，逾期未结，重复投诉，投诉主题。Analyse a complaint log.

        示例 Example:  kehu complaints 客服工单.xlsx --register 客户档案.xlsx --as-of 2025-01-15
        """
        with handled(json_out):
            s = run_complaints(file, output, register=register_file, register_output=register_output, sheet=sheet,
                               header_row=header_row, role_map=parse_map(role_map), as_of=as_of, sla=parse_sla(sla),
                               working_days=not calendar_days, repeat_min=repeat_min, repeat_window=repeat_window,
                               themes=themes, in_place=in_place, quiet=quiet or json_out)
            if json_out:
                emit_json(s)
                return
            rr = s["resolution_rate"]
            out.print(f"[bold]{Path(s['file']).name}[/]  {s['contacts']:,} 条联系，投诉 {s['complaints']:,} 条，"
                      f"解决率 {'—' if rr is None else f'{rr:.1%}'}，逾期未结 {s['overdue']:,} 条，"
                      f"重复投诉客户 {s['repeat_complainers']:,} 位")
            for n in s["notes"] + ([s["link_line"]] if s["link_line"] else []):
                out.print(f"· {n}")
            out.print(f"已写出 Written: [bold]{s['output']}[/]（{'、'.join(s['sheets'])}）")
            if s.get("register_output"):
                out.print(f"客户档案副本 Register copy: [bold]{s['register_output']}[/]（联系次数、最近联系、未结投诉、投诉次数）")
