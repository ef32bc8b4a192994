"""The complaints job: an interaction / complaint log analysed (投诉分析, 逾期未结, 重复投诉, 联系问题), linked to
the register when one is given (a file, or — from the ribbon — a 客户档案 sheet of the same workbook)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from addin.errors import ExitCode, KehuError
from addin.read import Table
from addin.write import AddedColumn, BuiltSheet, TableSheet

from .customers import as_of_day
from .inputs import Inputs, as_inputs, frame_from_rows
from .language import lang_of_headers, localise
from .options import JobOptions
from .results import Results

OVERDUE_SHEET, REPEAT_SHEET, PROBLEM_SHEET, UNLINKED_SHEET = "逾期未结", "重复投诉", "联系问题", "未关联联系"
THEMES_SHEET = "主题词典"
REGISTER_SHEET_WORDS = ("客户档案", "客户表", "客户名单", "会员", "register", "customers")
_DATES = {"联系时间": "yyyy-mm-dd hh:mm", "首次投诉": "yyyy-mm-dd", "最近投诉": "yyyy-mm-dd", "最近联系": "yyyy-mm-dd"}


@dataclass(frozen=True)
class ComplaintsOptions(JobOptions):
    job = "complaints"
    register: Path | None = None        # the customer register to link contacts to
    register_in_book: bool = False      # else a 客户档案 sheet of the same workbook (the ribbon)
    as_of: str | None = None
    sla: dict = field(default_factory=dict)   # contact type → days allowed (投诉=2)
    working_days: bool = True           # overdue in working days (with public holidays), else calendar days
    repeat_min: int = 3
    repeat_window: int = 90
    themes: Path | None = None          # the user's theme dictionary (csv/xlsx with 主题, 关键词)
    lang: str | None = None


@dataclass
class ComplaintsResults(Results):
    """Results plus the columns for the register (联系次数 …), which the CLI writes into a copy of it."""

    register_results: Results | None = None


def load_themes(path: Path | None, inputs: Inputs | None = None, book_sheets: list[str] | None = None):
    """The user's theme dictionary: --themes FILE (csv/xlsx with 主题, 关键词), else a 主题词典 sheet, else the default."""
    from udfs.text.themes import ThemeDictionary

    if path is not None:
        from addin.read import read_table

        if not Path(path).exists():
            raise KehuError(f"找不到主题词典文件：{path}", f"Theme dictionary not found: {path}", ExitCode.INPUT_FILE)
        csv = Path(path).suffix.lower() in (".csv", ".txt")
        t = read_table(path, THEMES_SHEET if not csv and _has_sheet(path) else None, kind="register", header_row=1)
        return ThemeDictionary.from_frame(t.df), f"主题词典：{Path(path).name}"
    if inputs is not None and book_sheets and THEMES_SHEET in book_sheets:
        frame = frame_from_rows(inputs.rows_of(THEMES_SHEET))
        if frame is not None:
            return ThemeDictionary.from_frame(frame), "主题词典：本工作簿的「主题词典」工作表"
    return ThemeDictionary.default(), None


def _has_sheet(path: Path) -> bool:
    from addin.read.workbook import open_workbook

    return THEMES_SHEET in open_workbook(path).sheet_names


def run(tables: Inputs | Table, o: ComplaintsOptions = ComplaintsOptions()) -> ComplaintsResults:
    """The complaint-log job on one table, linked to the register given (a file, or a sheet of the same book)."""
    inputs = as_inputs(tables)
    table = inputs.table
    check(o)
    register, register_note = _register(inputs, o)
    results = _analyse(table, inputs, register, o)
    if register_note:
        results.lines.append(register_note)
    lang = o.lang or ("zh-Hant" if lang_of_headers(table.df.columns) == "zh-Hant" else "zh-Hans")
    results.summary["lang"] = lang
    return localise(results, lang, user_columns=table.df.columns, keep_sheets=(THEMES_SHEET,),
                    message_columns=("主题", "情感", "逾期未结"))


def check(o: ComplaintsOptions) -> None:
    if o.repeat_min < 2 or o.repeat_window < 1:
        raise KehuError("--repeat 至少为 2，--window 至少为 1 天。", "--repeat must be ≥ 2 and --window ≥ 1 day.",
                        ExitCode.USAGE)


def _register(inputs: Inputs, o: ComplaintsOptions) -> tuple[Table | None, str | None]:
    if o.register is not None:
        return inputs.file("register", o.register, None, "register"), None
    if not o.register_in_book:
        return None, None
    name = inputs.sibling_named(REGISTER_SHEET_WORDS)
    register = inputs.sibling(name, "register") if name else None
    if register is None:
        return None, None
    return register, (f"· 客户档案「{name}」的联系次数等列未改动；如需加到客户档案，请用命令行 "
                      "kehu complaints --register。")


def _analyse(table: Table, inputs: Inputs, register: Table | None, o: ComplaintsOptions) -> Results:
    from addin.report.complaints_sheet import SHEET_NAME, build_complaints_sheet
    from addin.report.overview import overview_sheet
    from addin.report.overview_pages import complaints_page
    from udfs.score.complaints.analysis import analyse_log

    sla, working_days, repeat_min, repeat_window, themes = (dict(o.sla), o.working_days, o.repeat_min,
                                                            o.repeat_window, o.themes)
    day0 = pd.Timestamp(as_of_day(o.as_of))
    dictionary, theme_note = load_themes(themes, inputs, table.book_sheets)
    res = analyse_log(table.df, table.roles, as_of=day0, rows=table.rows, sla=sla or None, working_days=working_days,
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
    sheets = [overview_sheet(complaints_page(summary, res.themes)), *sheets]
    return ComplaintsResults(columns=columns, sheets=sheets, summary=summary, lines=lines, select_sheet=SHEET_NAME,
                             register_results=register_results)


def analyse_complaints(table: Any, port: Any = None, *, register: Any = None, **options: Any) -> Results:
    """The complaints job with keyword options and a register already read (kept for scripts)."""
    inputs = Inputs(table, port.sheet_rows if port is not None else None)
    o = ComplaintsOptions(**options)
    check(o)
    return _analyse(table, inputs, register, o)
