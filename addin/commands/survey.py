"""`kehu survey IN [-o OUT]`: analyse a satisfaction survey and write the 满意度报告 and 无效问卷 sheets."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Optional

import pandas as pd
import typer

from addin.errors import ExitCode, KehuError

from .results import Results, write_to_file
from addin.read.kinds import ensure_kind
from .common import (OPT_KIND, OPT_HEADER, OPT_IN_PLACE, OPT_JSON, OPT_OUTPUT, OPT_QUIET, OPT_SHEET, Progress, emit_json,
                     handled, out, resolve_output)

#: Sheet names taken as the 题目 (item definitions) sheet.
ITEMS_SHEET_NAMES = ("题目", "题目表", "问卷题目", "题目定义", "items", "questions")
#: Sheet names taken as the user's path model (two columns: from, to).
PATHS_SHEET_NAMES = ("路径", "路径模型", "模型路径", "paths", "model")


def _find_items_sheet(book_sheets: list[str], wanted: str | None, names: tuple[str, ...] = ITEMS_SHEET_NAMES,
                      what: tuple[str, str] = ("题目表", "Items sheet")) -> str | None:
    if wanted:
        if wanted not in book_sheets:
            raise KehuError(f"找不到{what[0]}“{wanted}”。", f"{what[1]} '{wanted}' not found.", ExitCode.USAGE)
        return wanted
    folded = {s.strip().lower(): s for s in book_sheets}
    return next((folded[n] for n in names if n in folded), None)


def _frame(rows: list[list[Any]] | None) -> pd.DataFrame | None:
    """A small side sheet (题目) as a DataFrame, its first non-blank row as the header."""
    rows = [r for r in (rows or []) if any(v not in (None, "") for v in r)]
    if not rows:
        return None
    header = [str(h).strip() if h not in (None, "") else f"列{i + 1}" for i, h in enumerate(rows[0])]
    body = [[None if v == "" else v for v in r[:len(header)]] + [None] * (len(header) - len(r)) for r in rows[1:]]
    return pd.DataFrame(body, columns=header, dtype=object)


def _issued_from_rows(above: list[list[Any]]) -> int | None:
    """'发放问卷 360 份' (or 发放数量: 360) written above the header: the number of questionnaires issued."""
    for r in above:
        for v in r:
            m = re.search(r"发放[^\d]{0,8}(\d+)", str(v or ""))
            if m:
                return int(m.group(1))
    return None


def analyse_survey(table: Any, port: Any = None, *, items_sheet: str | None = None, issued: int | None = None,
                   threshold: float = 2 / 3, score_map: str = "linear",
                   min_seconds: float | None = None, exclude: str | None = None, interval: str = "default",
                   scheme: str = "centroid", bootstrap: int = 200, paths_sheet: str | None = None,
                   min_group: int = 30) -> Results:
    """The survey run on one answers table; `port` (file or live workbook) supplies the 题目 sheet and the
    cells above the header, where 发放 … 份 is often written."""
    from addin.report.survey_sheet import INVALID_SHEET, REPORT_SHEET, build_survey_sheet
    from addin.book.file import FileBook
    from addin.write import AddedColumn, BuiltSheet, TableSheet
    from udfs.score.survey import SurveyInputError
    from udfs.score.survey import analyse_survey as analyse

    if not 0 < threshold <= 1:
        raise KehuError("--valid-share 应在 0 和 1 之间（如 0.667）。", "--valid-share must be between 0 and 1.",
                        ExitCode.USAGE)
    if score_map not in ("linear", "level"):
        raise KehuError("--score-map 只能是 linear 或 level。", "--score-map must be linear or level.", ExitCode.USAGE)
    port = port or FileBook(table.path)
    items_name = _find_items_sheet(table.book_sheets, items_sheet)
    items_df = _frame(port.sheet_rows(items_name)) if items_name and items_name != table.sheet else None
    paths_name = _find_items_sheet(table.book_sheets, paths_sheet, PATHS_SHEET_NAMES, ("路径表", "Paths sheet"))
    arrows = None
    if paths_name and paths_name != table.sheet:
        from udfs.score.survey.satmodel import read_paths_sheet

        arrows = read_paths_sheet(_frame(port.sheet_rows(paths_name))) or None
    if scheme not in ("centroid", "factorial", "path"):
        raise KehuError("--scheme 只能是 centroid、factorial 或 path。", "--scheme must be centroid, factorial or path.",
                        ExitCode.USAGE)
    issued_from = "option" if issued is not None else None
    if issued is None:
        above = (table.grid or port.sheet_rows(table.sheet) or [])[: table.header_row - 1]
        issued = _issued_from_rows(above)
        issued_from = "cell" if issued is not None else None
    try:
        res = analyse(table.df, items_sheet=items_df, issued=issued, threshold=threshold, score_map=score_map,
                      min_seconds=min_seconds, rows=table.rows, exclude=exclude or (), interval=interval,
                      arrows=arrows, scheme=scheme, bootstrap=bootstrap, min_group=min_group)
    except SurveyInputError as e:
        code = ExitCode.USAGE if ("--exclude" in e.zh or "区间方法" in e.zh) else ExitCode.INPUT_CONTENT
        raise KehuError(e.zh, e.en, code) from None
    except ValueError as e:  # the 路径 sheet names constructs that are not dimensions
        raise KehuError(f"{e}。", "The paths sheet names a construct that is not a dimension of the 题目 sheet.",
                        ExitCode.INPUT_CONTENT) from None
    q = res.quality
    r = res.response
    status = [("无效：" + ex) if ex else ("有效（标记：" + r + "）" if r else "有效")
              for ex, r in zip(q["excluded_by"], q["reasons"])]
    invalid = res.invalid_table()
    ind = {r["index"]: r["value"] for r in res.indices.to_dict("records")}
    summary = {
        "ok": True, "file": str(table.path), "sheet": table.sheet,
        "header_row": table.header_row, "items_sheet": items_name, "issued_from": issued_from,
        "response": res.response, "indices": ind,
        "dimensions": {d["dimension"]: d["value"] for d in res.dimensions.to_dict("records")},
        "items": [{"rank": int(r["rank"]), "code": r["code"], "text": r["text"], "score": r["score"],
                   "top2": r["top2"]} for r in res.items.to_dict("records")],
        "findings": res.findings, "notes": res.spec.notes,
        "model": None if res.model is None else {
            "kind": res.model.plan.kind, "n": res.model.n, "gof": res.model.gof,
            "paths": res.model.paths.to_dict("records"),
            "constructs": res.model.constructs.to_dict("records")},
    }
    lines = [f"回收 {r['returned']} 份，有效 {r['valid']} 份，无效 {r['invalid']} 份。"] + [f"· {f}" for f in res.findings]
    # 意见分析 (issue 15): the free-text answers, analysed in addin/commands/comments.py
    from .comments import comment_sheets
    comment_extra, summary["comments"] = comment_sheets(table, res, port)
    if summary["comments"]:
        lines.append(f"· 意见 {summary['comments']['answered']} 条，见「意见分析」。")
    return Results(
        columns=[AddedColumn("问卷有效性", status, width=24)],
        sheets=[BuiltSheet(REPORT_SHEET, lambda wb, ws: build_survey_sheet(wb, ws, res)),
                TableSheet(INVALID_SHEET, invalid, number_formats={"用时（秒）": "0"},
                           widths={"无效原因": 36, "Reason": 44, "处理": 14},
                           title=f"质量标记 {len(invalid)} 份，其中已排除 {r['invalid']} 份（其余只标记，仍计入统计）")] + comment_extra,
        summary=summary, lines=lines, select_sheet=REPORT_SHEET)


def run_survey(input_path: Path, output: Optional[Path] = None, *, sheet: str | None = None,
               header_row: int | None = None, items_sheet: str | None = None, issued: int | None = None,
               threshold: float = 2 / 3, score_map: str = "linear", min_seconds: float | None = None,
               in_place: bool = False, quiet: bool = False, exclude: str | None = None, interval: str = "default",
               scheme: str = "centroid", bootstrap: int = 200, paths_sheet: str | None = None,
               min_group: int = 30, kind: str | None = None) -> dict[str, Any]:
    """Read the survey, analyse it, write the report; returns a summary dict (what the CLI prints)."""
    from addin.read import read_table

    input_path = Path(input_path)
    output = resolve_output(input_path, output, in_place)
    with Progress(3, quiet) as progress:
        progress.step("读取问卷 Reading")
        table = read_table(input_path, sheet, kind="survey", header_row=header_row)
        if items_sheet is None or items_sheet.casefold() in {n.casefold() for n in table.book_sheets}:
            ensure_kind(table, "survey", kind)   # a usage error (an unknown --items-sheet, exit 2) is told first
        progress.step("分析 Analysing")
        results = analyse_survey(table, items_sheet=items_sheet, issued=issued, threshold=threshold,
                                 score_map=score_map, min_seconds=min_seconds, exclude=exclude, interval=interval,
                                 scheme=scheme, bootstrap=bootstrap, paths_sheet=paths_sheet, min_group=min_group)
        progress.step("写出报告 Writing")
        report = write_to_file(table, results, output, in_place)
    return dict(results.summary, output=str(report.output), sheets=report.added_sheets)


def register(app: typer.Typer) -> None:
    @app.command("survey")
    def survey_cmd(
        file: Path = typer.Argument(..., help="问卷答卷表（每行一份问卷）。Survey sheet, one row per questionnaire."),
        output: Optional[Path] = OPT_OUTPUT,
        sheet: Optional[str] = OPT_SHEET,
        header_row: Optional[int] = OPT_HEADER,
        items_sheet: Optional[str] = typer.Option(None, "--items-sheet", help="题目表名称（默认找名为“题目”的表）。"),
        issued: Optional[int] = typer.Option(None, "--issued", min=1, help="发放问卷份数（默认从表头上方“发放…份”读取）。"),
        valid_share: float = typer.Option(2 / 3, "--valid-share", help="有效问卷至少要答的题目比例（默认 2/3）。"),
        score_map: str = typer.Option("linear", "--score-map", help="linear：线性 0–100；level：100/80/60/30/0。"),
        min_seconds: Optional[float] = typer.Option(None, "--min-seconds", help="答题用时下限（秒；默认中位数的 1/3）。"),
        exclude: Optional[str] = typer.Option(None, "--exclude", help="另外排除的标记：straightline,speeding,offscale"
                                              "（默认只排除答题不足 2/3 和重复答卷）。"),
        interval: str = typer.Option("default", "--interval", help="区间方法：default（比例 Wilson、NPS 调整 Wald）、"
                                     "wilson、adjusted-wald、wald、bootstrap。"),
        scheme: str = typer.Option("centroid", "--scheme", help="路径模型内部加权：centroid、factorial、path。"),
        bootstrap: int = typer.Option(200, "--bootstrap", min=0, help="路径模型自助法次数（0 = 不做）。"),
        paths_sheet: Optional[str] = typer.Option(None, "--paths-sheet", help="路径表名称（两列：从、到；默认找名为“路径”的表）。"),
        min_group: int = typer.Option(30, "--min-group", min=2, help="分组检验的最小样本量（更小的组不下结论）。"),
        in_place: bool = OPT_IN_PLACE,
        json_out: bool = OPT_JSON,
        quiet: bool = OPT_QUIET,
        kind: Optional[str] = OPT_KIND,
    ):
        """满意度调查分析：回收情况、各题满意度、综合指数、NPS、驱动因素、分组比较。Analyse a satisfaction survey.

        示例 Example:  kehu survey 满意度调查.xlsx --issued 360 -o 报告.xlsx
        """
        with handled(json_out):
            s = run_survey(file, output, kind=kind, sheet=sheet, header_row=header_row, items_sheet=items_sheet, issued=issued,
                           threshold=valid_share, score_map=score_map, min_seconds=min_seconds, in_place=in_place,
                           quiet=quiet or json_out, exclude=exclude, interval=interval, scheme=scheme,
                           bootstrap=bootstrap, paths_sheet=paths_sheet, min_group=min_group)
            if json_out:
                emit_json(s)
                return
            r = s["response"]
            out.print(f"[bold]{Path(s['file']).name}[/]  工作表 {s['sheet']}  回收 {r['returned']} 份  "
                      f"有效 {r['valid']} 份  无效 {r['invalid']} 份")
            for f in s["findings"]:
                out.print(f"· {f}")
            out.print(f"已写出 Written: [bold]{s['output']}[/]（{ '、'.join(s['sheets']) }）")
