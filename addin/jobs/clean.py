"""The clean job: normalised columns beside the data, a 问题 column and the 问题清单 sheet (also 校验证件号,
and `--dedupe`, which adds the dedupe job's results to the same run)."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from addin.errors import ExitCode, KehuError
from addin.read import Table
from addin.write import AddedColumn, TableSheet
from addin.report.links import cell_locations, first_rows
from addin.report.overview import with_overview
from udfs.text_groups import join_by_key
from addin.report.overview_pages import clean_page
from udfs.cleaning import PROBLEM_HEADER, clean_register, problem_counts, problem_list
from udfs.validate.problems import SEVERITY_LABELS, severity

from .inputs import Inputs, as_inputs
from .language import english_problem_texts, lang_of_headers, localise
from .marking import problem_marks
from .options import JobOptions
from .results import Results, combine, reading_lines

PROBLEM_SHEET = "问题清单"
REGION_ZH = {"CN": "中国大陆", "TW": "台湾", "HK": "香港", "MO": "澳门"}
REGION_HOW_ZH = {"register": "按本表多数号码判断", "option": "按 --region", "default": "默认"}
PHONE_FORMATS = ("e164", "national")
#: the roles 校验证件号 looks at: the IDs and what they must agree with
ID_ROLES = ("id_number", "uscc", "gender", "birth_date", "age")


@dataclass(frozen=True)
class CleanOptions(JobOptions):
    job = "clean"
    today: str | None = None            # the day taken as today (future dates), ISO; None: today
    region: str | None = None           # numbers without a country code, when the register does not show it
    phone_format: str = "e164"          # non-mainland numbers: e164 (+886912345678) or national (0912 345 678)
    lang: str | None = None             # zh-Hans / zh-Hant / en; None: the script of the sheet's headers
    ids_only: bool = False              # 校验证件号: only ID numbers and credit codes
    dedupe: bool = False                # also the dedupe job (kehu clean --dedupe)


def run(tables: Inputs | Table, options: CleanOptions = CleanOptions()) -> Results:
    inputs = as_inputs(tables)
    table = inputs.table
    if options.phone_format not in PHONE_FORMATS:
        raise KehuError(f"--phone-format 只能是 e164 或 national，收到“{options.phone_format}”。",
                        f"--phone-format must be e164 or national; got '{options.phone_format}'.", ExitCode.USAGE)
    if options.ids_only:
        table = _ids_only(table)
    results = _clean(table, options)
    if options.dedupe:
        from . import dedupe

        found = dedupe.run(inputs, dedupe.DedupeOptions(merge=True, lang=results.summary["lang"]))
        results = combine(results, found)
        results.summary["dedupe"] = found.summary
    return results


def analyse_clean(table: Table, *, today: Any = None, region: str | None = None, lang: str | None = None) -> Results:
    """The clean job with keyword options (kept for scripts and benchmarks)."""
    return run(table, CleanOptions(today=None if today is None else str(today), region=region, lang=lang))


def analyse_ids(table: Table, **_ignored: Any) -> Results:
    return run(table, CleanOptions(ids_only=True))


def _ids_only(table: Table) -> Table:
    if not any(r in ("id_number", "uscc") for r in table.roles.values()):
        raise KehuError(f"“{table.path.name}”的工作表“{table.sheet}”里没有身份证号或统一社会信用代码列。"
                        f"如果有，请用 --map 指定，例如 --map 证件=id_number。",
                        f"Sheet '{table.sheet}' of {table.path.name} has no resident-ID or credit-code column. "
                        f"Name it with --map, e.g. --map 证件=id_number.", ExitCode.INPUT_CONTENT)
    return dataclasses.replace(table, columns=[c if c.role in ID_ROLES else dataclasses.replace(c, role=None)
                                               for c in table.columns])


def _clean(table: Table, options: CleanOptions) -> Results:
    if not table.roles:
        raise KehuError(f"“{table.path.name}”的工作表“{table.sheet}”里没有 kehu 认识的列（表头第 {table.header_row} 行）。"
                        f"请用 kehu inspect 查看，并用 --map 指定列的角色。",
                        f"No column of sheet '{table.sheet}' in {table.path.name} was recognised (header on row "
                        f"{table.header_row}). Run kehu inspect and name columns with --map.", ExitCode.INPUT_CONTENT)
    result = clean_register(table.df, table.roles, today=options.today, region=options.region,
                            national=options.phone_format == "national")
    columns = [AddedColumn(h, result.normalised[h].to_numpy(), number_format=result.formats.get(h),
                           width=_width(h, result.normalised[h]))
               for h in result.normalised.columns]
    columns.append(AddedColumn(PROBLEM_HEADER, result.messages.to_numpy(), width=40))
    listing = problem_list(result.problems, table.rows)
    counts = problem_counts(result.problems)
    n_rows = len(table.df)
    rows_with = int(result.problems["row_position"].nunique()) if len(result.problems) else 0
    title = f"问题清单：{n_rows} 行客户中 {rows_with} 行有问题，共 {len(listing)} 个问题"
    # the summary sits above the list; its wide text column lines up with the wide 原值 column
    preamble = counts.rename(columns={"问题": "问题类型"})[["数量", "涉及行数", "问题类型"]]
    listing = listing.assign(级别=[SEVERITY_LABELS[severity(c)] for c in listing["代码"].tolist()])
    sheet = TableSheet(PROBLEM_SHEET, listing.drop(columns=["代码"]), widths={"行号": 8, "列": 14, "原值": 36,
                                                                             "问题": 34, "建议": 40, "级别": 8},
                       title=title, preamble=preamble, **problem_links(table, listing, counts))
    summary = {
        "ok": True, "file": str(table.path), "sheet": table.sheet, "rows": n_rows, "records": n_rows,
        "header_row": table.header_row, "skipped_rows": table.skipped_rows, "rows_with_problems": rows_with,
        "rows_without_problems": n_rows - rows_with, "problems": len(listing),
        "problems_by_type": [{"code": c, "problem": p, "count": int(n), "rows": int(r)}
                             for c, p, n, r in zip(counts["代码"], counts["问题"], counts["数量"], counts["涉及行数"])],
        "added_columns": [c.header for c in columns],
        "normalised_from": result.sources, "region": result.region, "region_how": result.region_how,
        "day_first": result.region in ("HK", "MO"), "phone_format": options.phone_format,
    }
    lines = [f"{n_rows} 行客户：{n_rows - rows_with} 行没有问题，{rows_with} 行有问题（共 {len(listing)} 个）。"]
    lines += [f"  {p}：{n}" for p, n in zip(counts["问题"], counts["数量"])]
    lines += reading_lines(table)
    if result.region != "CN":
        rule = "；日期按日/月/年读（05/03/2024 是 3 月 5 日）" if result.region in ("HK", "MO") else (
            "；民国年份加 1911" if result.region == "TW" else "")
        form = "本地格式" if options.phone_format == "national" else "E.164"
        lines.append(f"  号码地区：{REGION_ZH.get(result.region, result.region)}（{REGION_HOW_ZH[result.region_how]}）"
                     f"，没有国家代码的号码按该地区规则校验，输出 {form}{rule}。")
    lang = options.lang or ("zh-Hant" if lang_of_headers(table.df.columns) == "zh-Hant" else "zh-Hans")
    summary["lang"] = lang
    results = Results(columns=columns, sheets=[sheet], summary=summary, lines=lines, select_sheet=PROBLEM_SHEET,
                      marks=problem_marks(result.problems, lang))
    if lang == "en":
        results = _in_english(results, result, listing, counts, n_rows, rows_with)
    shown = counts.assign(问题=english_problem_texts(counts["代码"])) if lang == "en" and len(counts) else counts
    results = with_overview(results, clean_page(summary, shown))
    return localise(results, lang, region=result.region, user_columns=table.df.columns,
                    english_lines=_english_lines(table, result, counts, n_rows, rows_with, len(listing),
                                                 "the national form" if options.phone_format == "national" else "E.164"))


def problem_links(table: Table, listing: pd.DataFrame, counts: pd.DataFrame) -> dict:
    """TableSheet links of 问题清单: each 行号 opens its cell on the data sheet; each summary line (问题类型,
    the preamble's third column) opens the first list row of its problem type."""
    letters = [table.column_letters.get(str(c)) for c in listing["列"].tolist()]
    first = first_rows(listing["代码"])
    return {"links": {0: cell_locations(table.sheet, listing["行号"].tolist(), letters)},
            "preamble_links": {2: [first.get(c) for c in counts["代码"]]}}


def _in_english(results: Results, result, listing, counts, n_rows: int, rows_with: int) -> Results:
    """kehu's own words of a clean run in English (the problem catalogue's English; no suggestions there)."""
    texts = english_problem_texts(result.problems["code"]) if len(result.problems) else []
    per_row = [f"{c}: {t}" for c, t in zip(result.problems["column"], texts)]
    messages = np.full(n_rows, None, dtype=object)
    if per_row:
        rows, joined = join_by_key(result.problems["row_position"].to_numpy(), per_row, "; ")
        messages[rows] = joined
    columns = [dataclasses.replace(c, values=messages) if c.header == PROBLEM_HEADER
               else c for c in results.columns]
    english = listing.drop(columns=["建议", "代码"]).assign(问题=english_problem_texts(listing["代码"]))
    preamble = pd.DataFrame({"数量": counts["数量"].to_numpy(), "涉及行数": counts["涉及行数"].to_numpy(),
                             "问题类型": english_problem_texts(counts["代码"])})
    sheet = dataclasses.replace(results.sheets[0], data=english, preamble=preamble,
                                title=f"Problems: {rows_with} of {n_rows} customers have problems, "
                                      f"{len(listing)} in all")
    return dataclasses.replace(results, columns=columns, sheets=[sheet])


def _english_lines(table, result, counts, n_rows: int, rows_with: int, total: int, form: str) -> list[str]:
    lines = [f"{n_rows} customers: {n_rows - rows_with} without problems, {rows_with} with problems ({total} in all)."]
    lines += [f"  {p}: {n}" for p, n in zip(english_problem_texts(counts["代码"]), counts["数量"])]
    if table.header_row == 0:
        lines.append("  Note: the sheet has no header row; every row was read as data; added columns have no titles.")
    if table.skipped_rows:
        lines.append(f"  Title rows skipped: {', '.join(map(str, table.skipped_rows))} (not customer records).")
    if result.region != "CN":
        lines.append(f"  Phone region: {result.region} ({result.region_how}); numbers without a country code are "
                     f"checked by that region's rules and written in {form}.")
    return lines


def _width(header: str, values: pd.Series) -> float:
    sample = [str(v) for v in values.head(200).tolist() if v is not None and v == v]
    longest = max([len(header) * 2] + [sum(2 if ord(ch) > 0x2E80 else 1 for ch in s) for s in sample])
    return float(min(max(longest + 2, 8), 40))
