"""`kehu clean FILE`: normalised columns next to the data, a 问题 column, and a 问题清单 sheet."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import pandas as pd
import typer

from addin.errors import ExitCode, KehuError
from addin.read import Table, read_table
from addin.write import AddedColumn, TableSheet
from udfs.cleaning import PROBLEM_HEADER, clean_register, problem_counts, problem_list

from addin.read.kinds import ensure_kind
from .common import (OPT_KIND, OPT_HEADER, OPT_IN_PLACE, OPT_JSON, OPT_MAP, OPT_OUTPUT, OPT_QUIET, OPT_SHEET, Progress,
                     emit_json, handled, out, parse_map, resolve_output)
from .language import check_lang, lang_of_headers, localise
from .results import Results, combine, reading_lines, write_to_file

PROBLEM_SHEET = "问题清单"


REGION_ZH = {"CN": "中国大陆", "TW": "台湾", "HK": "香港", "MO": "澳门"}
REGION_HOW_ZH = {"register": "按本表多数号码判断", "option": "按 --region", "default": "默认"}


def analyse_clean(table: Table, *, today: Any = None, region: str | None = None, lang: str | None = None) -> Results:
    """The clean run on one table: what to add, and what to tell the user."""
    if not table.roles:
        raise KehuError(f"“{table.path.name}”的工作表“{table.sheet}”里没有 kehu 认识的列（表头第 {table.header_row} 行）。"
                        f"请用 kehu inspect 查看，并用 --map 指定列的角色。",
                        f"No column of sheet '{table.sheet}' in {table.path.name} was recognised (header on row "
                        f"{table.header_row}). Run kehu inspect and name columns with --map.", ExitCode.INPUT_CONTENT)
    result = clean_register(table.df, table.roles, today=today, region=region)
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
    sheet = TableSheet(PROBLEM_SHEET, listing.drop(columns=["代码"]), widths={"行号": 8, "列": 14, "原值": 36,
                                                                             "问题": 34, "建议": 40},
                       title=title, preamble=preamble)
    summary = {
        "ok": True, "file": str(table.path), "sheet": table.sheet, "rows": n_rows, "records": n_rows,
        "header_row": table.header_row, "skipped_rows": table.skipped_rows, "rows_with_problems": rows_with,
        "rows_without_problems": n_rows - rows_with, "problems": len(listing),
        "problems_by_type": [{"code": c, "problem": p, "count": int(n), "rows": int(r)}
                             for c, p, n, r in zip(counts["代码"], counts["问题"], counts["数量"], counts["涉及行数"])],
        "added_columns": [c.header for c in columns],
        "normalised_from": result.sources, "region": result.region, "region_how": result.region_how,
        "day_first": result.region in ("HK", "MO"),
    }
    lines = [f"{n_rows} 行客户：{n_rows - rows_with} 行没有问题，{rows_with} 行有问题（共 {len(listing)} 个）。"]
    lines += [f"  {p}：{n}" for p, n in zip(counts["问题"], counts["数量"])]
    lines += reading_lines(table)
    if result.region != "CN":
        rule = "；日期按日/月/年读（05/03/2024 是 3 月 5 日）" if result.region in ("HK", "MO") else (
            "；民国年份加 1911" if result.region == "TW" else "")
        lines.append(f"  号码地区：{REGION_ZH.get(result.region, result.region)}（{REGION_HOW_ZH[result.region_how]}）"
                     f"，没有国家代码的号码按该地区规则校验，输出 E.164{rule}。")
    lang = lang or ("zh-Hant" if lang_of_headers(table.df.columns) == "zh-Hant" else "zh-Hans")
    summary["lang"] = lang
    results = Results(columns=columns, sheets=[sheet], summary=summary, lines=lines, select_sheet=PROBLEM_SHEET)
    if lang == "en":
        results = _in_english(results, result, listing, counts, n_rows, rows_with)
    return localise(results, lang, region=result.region,
                    english_lines=_english_lines(table, result, counts, n_rows, rows_with, len(listing)))


def _in_english(results: Results, result, listing, counts, n_rows: int, rows_with: int) -> Results:
    """kehu's own words of a clean run in English (the problem catalogue's English; no suggestions there)."""
    import dataclasses

    from .language import english_problem_texts

    texts = english_problem_texts(result.problems["code"]) if len(result.problems) else []
    per_row = pd.Series([f"{c}: {t}" for c, t in zip(result.problems["column"], texts)], dtype=object)
    joined = per_row.groupby(result.problems["row_position"].to_numpy(), sort=True).agg(lambda x: "; ".join(x)) if len(texts) else None
    messages = [None] * n_rows
    if joined is not None:
        for pos, text in joined.items():
            messages[int(pos)] = text
    columns = [dataclasses.replace(c, values=pd.Series(messages, dtype=object).to_numpy()) if c.header == PROBLEM_HEADER
               else c for c in results.columns]
    english = listing.drop(columns=["建议", "代码"]).assign(问题=english_problem_texts(listing["代码"]))
    preamble = pd.DataFrame({"数量": counts["数量"].to_numpy(), "涉及行数": counts["涉及行数"].to_numpy(),
                             "问题类型": english_problem_texts(counts["代码"])})
    sheet = dataclasses.replace(results.sheets[0], data=english, preamble=preamble,
                                title=f"Problems: {rows_with} of {n_rows} customers have problems, "
                                      f"{len(listing)} in all")
    return dataclasses.replace(results, columns=columns, sheets=[sheet])


def _english_lines(table, result, counts, n_rows: int, rows_with: int, total: int) -> list[str]:
    from .language import english_problem_texts

    lines = [f"{n_rows} customers: {n_rows - rows_with} without problems, {rows_with} with problems ({total} in all)."]
    lines += [f"  {p}: {n}" for p, n in zip(english_problem_texts(counts["代码"]), counts["数量"])]
    if table.header_row == 0:
        lines.append("  Note: the sheet has no header row; every row was read as data; added columns have no titles.")
    if table.skipped_rows:
        lines.append(f"  Title rows skipped: {', '.join(map(str, table.skipped_rows))} (not customer records).")
    if result.region != "CN":
        lines.append(f"  Phone region: {result.region} ({result.region_how}); numbers without a country code are "
                     f"checked by that region's rules and written in E.164.")
    return lines


ID_ROLES = ("id_number", "uscc", "gender", "birth_date", "age")


def analyse_ids(table: Table, *, today: Any = None) -> Results:
    """校验证件号: the clean run limited to resident IDs and credit codes (and what they must agree with)."""
    if not any(r in ("id_number", "uscc") for r in table.roles.values()):
        raise KehuError(f"“{table.path.name}”的工作表“{table.sheet}”里没有身份证号或统一社会信用代码列。"
                        f"如果有，请用 --map 指定，例如 --map 证件=id_number。",
                        f"Sheet '{table.sheet}' of {table.path.name} has no resident-ID or credit-code column. "
                        f"Name it with --map, e.g. --map 证件=id_number.", ExitCode.INPUT_CONTENT)
    import dataclasses

    only = dataclasses.replace(table, columns=[c if c.role in ID_ROLES else dataclasses.replace(c, role=None)
                                               for c in table.columns])
    return analyse_clean(only, today=today)


def run_clean(path: Path, output: Optional[Path] = None, *, in_place: bool = False, sheet: str | None = None,
              header_row: int | None = None, role_map: dict[str, str] | None = None, today: Any = None,
              dedupe: bool = False, quiet: bool = True, region: str | None = None, lang: str | None = None, kind: str | None = None) -> dict:
    """Read, clean and write back; returns the summary (with `output`)."""
    output = resolve_output(path, output, in_place)
    with Progress(3, quiet) as progress:
        progress.step("读取 Reading…")
        table = read_table(path, sheet, header_row=header_row, role_overrides=role_map)
        ensure_kind(table, "clean", kind)
        progress.step("清洗 Cleaning…")
        results = analyse_clean(table, today=today, region=region, lang=check_lang(lang))
        if dedupe:
            from .dedupe import analyse_dedupe

            found = analyse_dedupe(table, merge=True)
            results = combine(results, found)
            results.summary["dedupe"] = found.summary
        progress.step("写出 Writing…")
        report = write_to_file(table, results, output, in_place)
    summary = dict(results.summary, output=str(report.output), backup=str(report.backup) if report.backup else None,
                   lines=results.lines)
    return summary


def register(app: typer.Typer) -> None:
    @app.command("clean")
    def clean_cmd(
        file: Path = typer.Argument(..., help="客户表（.xlsx/.xlsm/.xls/.csv）。Customer register."),
        output: Optional[Path] = OPT_OUTPUT,
        in_place: bool = OPT_IN_PLACE,
        sheet: Optional[str] = OPT_SHEET,
        header_row: Optional[int] = OPT_HEADER,
        role_map: Optional[list[str]] = OPT_MAP,
        today: Optional[str] = typer.Option(None, "--today", help="把哪一天当作今天（检查未来日期用），默认今天。"),
        dedupe: bool = typer.Option(False, "--dedupe", help="同时查找并合并重复客户（同 kehu dedupe）。Also find duplicates."),
        lang: Optional[str] = typer.Option(None, "--lang", help="结果的语言：zh-Hans（简体）、zh-Hant（繁体，台湾/香港用语）、"
                                           "en（英文）；默认按表头的字体。Language of what kehu writes."),
        region: Optional[str] = typer.Option(None, "--region", help="没有国家代码的号码属于哪个地区（CN、TW、HK、MO…），"
                                             "仅在本表号码看不出时使用。Region for numbers without a country code."),
        json_out: bool = OPT_JSON,
        quiet: bool = OPT_QUIET,
        kind: Optional[str] = OPT_KIND,
    ):
        """清洗客户表：规范手机号、日期、金额等，列出问题。Clean a customer register.

        原始列保持不变；规范后的列和“问题”列加在数据右侧，另建“问题清单”工作表。
        Original columns stay as they are; normalised columns and a 问题 column are added on the right.

        示例 Example:  kehu clean 客户档案.xlsx -o 客户档案_已清洗.xlsx
        """
        with handled(json_out):
            summary = run_clean(file, output, kind=kind, in_place=in_place, sheet=sheet, header_row=header_row,
                                role_map=parse_map(role_map), today=today, dedupe=dedupe, region=_region(region), lang=lang, quiet=quiet or json_out)
            if json_out:
                emit_json(summary)
                return
            for line in summary["lines"]:
                out.print(line)
            out.print(f"结果已写入 Written to: [bold]{summary['output']}[/]")
            if summary.get("backup"):
                out.print(f"原文件已备份 Backup: {summary['backup']}")


def _region(region: str | None) -> str | None:
    import phonenumbers

    if region is None:
        return None
    if region.upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise KehuError(f"--region 应为两个字母的地区代码，如 CN、TW、HK、MO；收到“{region}”。",
                        f"--region takes a two-letter region code such as CN, TW, HK, MO; got '{region}'.",
                        ExitCode.USAGE)
    return region.upper()


def _width(header: str, values: pd.Series) -> float:
    sample = [str(v) for v in values.head(200).tolist() if v is not None and v == v]
    longest = max([len(header) * 2] + [sum(2 if ord(ch) > 0x2E80 else 1 for ch in s) for s in sample])
    return float(min(max(longest + 2, 8), 40))
