"""The survey job: validity beside each questionnaire, the 满意度报告 and 无效问卷 sheets, and 意见分析 when the
survey has free-text answers. The 题目 / 路径 sheets and the cells above the header come from the same book."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from addin.errors import ExitCode, KehuError
from addin.read import Table
from udfs.score.survey.issued import issued_from_rows

from .inputs import Inputs, as_inputs, frame_from_rows
from .language import lang_of_headers, localise
from .options import JobOptions
from .marking import invalid_marks
from .results import Results

#: Sheet names taken as the 题目 (item definitions) sheet.
ITEMS_SHEET_NAMES = ("题目", "题目表", "问卷题目", "题目定义", "items", "questions")
#: Sheet names taken as the user's path model (two columns: from, to).
PATHS_SHEET_NAMES = ("路径", "路径模型", "模型路径", "paths", "model")


@dataclass(frozen=True)
class SurveyOptions(JobOptions):
    job = "survey"
    items_sheet: str | None = None      # the 题目 sheet (default: one named 题目 …)
    issued: int | None = None           # questionnaires issued (default: 发放 … 份 above the header)
    threshold: float = 2 / 3            # share of items a valid questionnaire answers
    score_map: str = "linear"           # linear 0–100, or level 100/80/60/30/0
    min_seconds: float | None = None    # answer-time floor (default: a third of the median)
    exclude: str | None = None          # further flags that exclude: straightline,speeding,offscale
    interval: str = "default"
    scheme: str = "centroid"            # path-model inner weighting
    bootstrap: int = 200
    paths_sheet: str | None = None
    min_group: int = 30
    lang: str | None = None


def check(options: SurveyOptions, book_sheets: list[str] | None = None) -> None:
    if not 0 < options.threshold <= 1:
        raise KehuError("--valid-share 应在 0 和 1 之间（如 0.667）。", "--valid-share must be between 0 and 1.",
                        ExitCode.USAGE)
    if options.score_map not in ("linear", "level"):
        raise KehuError("--score-map 只能是 linear 或 level。", "--score-map must be linear or level.", ExitCode.USAGE)
    if options.scheme not in ("centroid", "factorial", "path"):
        raise KehuError("--scheme 只能是 centroid、factorial 或 path。", "--scheme must be centroid, factorial or path.",
                        ExitCode.USAGE)
    if book_sheets is not None:
        find_sheet(book_sheets, options.items_sheet)
        find_sheet(book_sheets, options.paths_sheet, PATHS_SHEET_NAMES, ("路径表", "Paths sheet"))


def find_sheet(book_sheets: list[str], wanted: str | None, names: tuple[str, ...] = ITEMS_SHEET_NAMES,
               what: tuple[str, str] = ("题目表", "Items sheet")) -> str | None:
    if wanted:
        if wanted not in book_sheets:
            raise KehuError(f"找不到{what[0]}“{wanted}”。", f"{what[1]} '{wanted}' not found.", ExitCode.USAGE)
        return wanted
    folded = {s.strip().lower(): s for s in book_sheets}
    return next((folded[n] for n in names if n in folded), None)


def run(tables: Inputs | Table, options: SurveyOptions = SurveyOptions()) -> Results:
    from addin.report.survey_sheet import INVALID_SHEET, REPORT_SHEET, build_survey_sheet
    from addin.write import AddedColumn, BuiltSheet, TableSheet
    from udfs.score.survey import SurveyInputError
    from udfs.score.survey import analyse_survey as analyse

    from addin.report.overview import with_overview
    from addin.report.overview_pages import survey_page

    from .comments import comment_sheets

    inputs = as_inputs(tables)
    table = inputs.table
    check(options)
    items_name = find_sheet(table.book_sheets, options.items_sheet)
    items_df = frame_from_rows(inputs.rows_of(items_name)) if items_name and items_name != table.sheet else None
    paths_name = find_sheet(table.book_sheets, options.paths_sheet, PATHS_SHEET_NAMES, ("路径表", "Paths sheet"))
    arrows = None
    if paths_name and paths_name != table.sheet:
        from udfs.score.survey.satmodel import read_paths_sheet

        arrows = read_paths_sheet(frame_from_rows(inputs.rows_of(paths_name))) or None
    issued, issued_from = options.issued, "option" if options.issued is not None else None
    if issued is None:
        above = (table.grid or inputs.rows_of(table.sheet) or [])[: table.header_row - 1]
        issued = issued_from_rows(above)
        issued_from = "cell" if issued is not None else None
    try:
        res = analyse(table.df, items_sheet=items_df, issued=issued, threshold=options.threshold,
                      score_map=options.score_map, min_seconds=options.min_seconds, rows=table.rows,
                      exclude=options.exclude or (), interval=options.interval, arrows=arrows,
                      scheme=options.scheme, bootstrap=options.bootstrap, min_group=options.min_group)
    except SurveyInputError as e:
        code = ExitCode.USAGE if ("--exclude" in e.zh or "区间方法" in e.zh) else ExitCode.INPUT_CONTENT
        raise KehuError(e.zh, e.en, code) from None
    except ValueError as e:  # the 路径 sheet names constructs that are not dimensions
        raise KehuError(f"{e}。", "The paths sheet names a construct that is not a dimension of the 题目 sheet.",
                        ExitCode.INPUT_CONTENT) from None
    q, r = res.quality, res.response
    status = [("无效：" + ex) if ex else ("有效（标记：" + why + "）" if why else "有效")
              for ex, why in zip(q["excluded_by"], q["reasons"])]
    invalid = res.invalid_table()
    summary = {
        "ok": True, "file": str(table.path), "sheet": table.sheet,
        "header_row": table.header_row, "items_sheet": items_name, "issued_from": issued_from,
        "response": res.response, "indices": {i["index"]: i["value"] for i in res.indices.to_dict("records")},
        "dimensions": {d["dimension"]: d["value"] for d in res.dimensions.to_dict("records")},
        "items": [{"rank": int(i["rank"]), "code": i["code"], "text": i["text"], "score": i["score"],
                   "top2": i["top2"]} for i in res.items.to_dict("records")],
        "findings": res.findings, "notes": res.spec.notes,
        "model": None if res.model is None else {
            "kind": res.model.plan.kind, "n": res.model.n, "gof": res.model.gof,
            "paths": res.model.paths.to_dict("records"),
            "constructs": res.model.constructs.to_dict("records")},
    }
    lines = [f"回收 {r['returned']} 份，有效 {r['valid']} 份，无效 {r['invalid']} 份。"] + [f"· {f}" for f in res.findings]
    comment_extra, summary["comments"] = comment_sheets(table, res, inputs)   # 意见分析: the free-text answers
    if summary["comments"]:
        lines.append(f"· 意见 {summary['comments']['answered']} 条，见「意见分析」。")
    results = Results(
        columns=[AddedColumn("问卷有效性", status, width=24)],
        sheets=[BuiltSheet(REPORT_SHEET, lambda wb, ws: build_survey_sheet(wb, ws, res)),
                TableSheet(INVALID_SHEET, invalid, number_formats={"用时（秒）": "0"},
                           widths={"无效原因": 36, "Reason": 44, "处理": 14},
                           title=f"质量标记 {len(invalid)} 份，其中已排除 {r['invalid']} 份（其余只标记，仍计入统计）")]
        + comment_extra, summary=summary, lines=lines, select_sheet=REPORT_SHEET)
    results = with_overview(results, survey_page(summary, res.indices, res.dimensions))
    lang = options.lang or ("zh-Hant" if lang_of_headers(table.df.columns) == "zh-Hant" else "zh-Hans")
    summary["lang"] = lang
    results.marks = invalid_marks([bool(ex) for ex in q["excluded_by"]], lang)   # invalid questionnaires greyed
    english = [f"{r['returned']} returned, {r['valid']} valid, {r['invalid']} invalid."]
    return localise(results, lang, english_lines=english, user_columns=table.df.columns, keep_sheets=("主题词典",))


def analyse_survey(table: Any, port: Any = None, **options: Any) -> Results:
    """The survey job with keyword options (kept for scripts)."""
    return run(Inputs(table, port.sheet_rows if port is not None else None), SurveyOptions(**options))
