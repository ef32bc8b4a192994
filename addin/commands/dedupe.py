"""`kehu dedupe IN [-o OUT] [--threshold P] [--keep RULE] [--against MASTER]`: find and merge duplicate customers."""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Optional

import numpy as np
import pandas as pd
import typer

from addin.errors import ExitCode, KehuError
from addin.read import read_table
from addin.write import AddedColumn, BuiltSheet, TableSheet, write_results
from addin.report.pairs_sheet import (ID_A, ID_B, REVIEW, build_pairs_sheet, decisions_from_rows,
                                      read_review_decisions)
from udfs.match.engine import FLAG, GROUP, PARTNER, POSSIBLE, REASON, SIMILARITY, find_duplicates, find_in_master
from udfs.match.review import constraints_from_ids, possible_group_labels
from udfs.match.merge import GOLDEN_SHEET, LOG_SHEET, merge_duplicates
from udfs.match.settings import KEEP_RULES, MatchSettings

from .results import Results, tell, write_to_file
from addin.read.kinds import ensure_kind
from .common import (OPT_KIND, OPT_HEADER, OPT_IN_PLACE, OPT_JSON, OPT_MAP, OPT_OUTPUT, OPT_QUIET, OPT_SHEET, Progress,
                     emit_json, handled, out, parse_map, resolve_output)

PAIRS_SHEET, SUMMARY_SHEET = "重复对", "查重说明"
#: hidden sheet whose cell A1 holds the whole settings JSON of the run (`--settings WORKBOOK` reads it)
SETTINGS_SHEET = "查重设置"
SETTINGS_SUFFIX = ".kehu.settings.json"
#: 查重说明 cell that holds the whole settings JSON of the run (one cell, so it can be copied back as it is)
SETTINGS_CELL_LABEL = "设置 Settings (JSON，可用 --settings 重复本次运行)"
_IDENTITY_ROLES = {"name", "mobile", "phone", "landline", "email", "company", "id_number", "uscc",
                   "given_name", "surname", "soc_sec_id"}


@dataclass
class DedupeResults(Results):
    """Results plus the settings of the run (with its measured u-probabilities), saved beside the output."""

    settings: MatchSettings | None = None


def _check_options(keep: str, threshold: float | None, possible: float | None) -> None:
    if keep not in KEEP_RULES:
        raise KehuError(f"--keep 只能是 {' / '.join(KEEP_RULES)}，收到“{keep}”。",
                        f"--keep must be one of {', '.join(KEEP_RULES)}; got '{keep}'.", ExitCode.USAGE)
    for name, value in (("--threshold", threshold), ("--possible", possible)):
        if value is not None and not 0 < value < 1:
            raise KehuError(f"{name} 应在 0 和 1 之间，收到 {value}。", f"{name} must be between 0 and 1; got {value}.",
                            ExitCode.USAGE)


def analyse_dedupe(table: Any, *, merge: bool = True, threshold: float | None = None,
                   possible: float | None = None, keep: str = "most_complete",
                   settings: MatchSettings | None = None, reviewed: pd.DataFrame | None = None,
                   sum_amounts: bool = False) -> Results:
    """Duplicates in one register table: the four flag columns, the pair list and the run's settings;
    with `merge`, also the golden records (去重结果) and the merge log (合并记录). `reviewed`: decisions
    read from an earlier run's 重复对 sheet (read_review_decisions), applied as must/cannot-links."""
    _check_options(keep, threshold, possible)
    roles = table.roles
    if not _IDENTITY_ROLES & set(roles.values()):
        raise KehuError("没有找到可用于查重的列（姓名、手机、电话、邮箱、公司名称、身份证号……）。可用 --map 指定。",
                        "No column to compare (name, mobile, landline, e-mail, company, ID number …). "
                        "Name the columns with --map.", ExitCode.INPUT_CONTENT)
    df = table.df.set_axis(pd.Index(table.rows, name="行号"), axis=0)  # Excel row numbers as labels
    id_col = next((c for c, r in roles.items() if r == "customer_id" and c in df.columns), None)
    ids = df[id_col].reset_index(drop=True) if id_col else pd.Series(list(df.index), dtype=object)
    must = cannot = None
    if reviewed is not None and len(reviewed):
        if reviewed.attrs.get("by") == "row":
            ids = pd.Series(list(df.index), dtype=object)
        must, cannot = constraints_from_ids(ids, reviewed)
    result = find_duplicates(df, roles, settings, duplicate=threshold, possible=possible, must_link=must,
                             cannot_link=cannot)
    rows = result.rows
    partner = pd.Index(df.index).get_indexer(rows[PARTNER].to_numpy(dtype=object))
    shown_group = possible_group_labels(rows[GROUP].fillna(0).to_numpy(dtype=np.int64),
                                        (rows[FLAG] == POSSIBLE).to_numpy(), partner)
    added = [AddedColumn(GROUP, shown_group, "0", 8),
             AddedColumn(FLAG, rows[FLAG].to_numpy(dtype=object), None, 9),
             AddedColumn(SIMILARITY, rows[SIMILARITY].to_numpy(dtype=object), "0.000", 8),
             AddedColumn(REASON, rows[REASON].to_numpy(dtype=object), None, 40)]
    summary = {
        "ok": True, "file": str(table.path), "sheet": table.sheet, "records": int(len(df)),
        "groups": result.summary["groups"], "duplicate_rows": result.summary["rows_in_groups"],
        "rows_to_remove": result.summary["rows_to_remove"], "possible_rows": result.summary["possible_rows"],
        "keep": keep, "threshold": result.settings.duplicate_probability,
        "possible": result.settings.possible_probability, "roles": roles,
        "rows_without_key_share": round(result.summary["rows_without_key_share"], 4),
    }
    sheets: list = []
    if merge:
        typed, formats = typed_table(df, roles)
        merged = merge_duplicates(typed, roles, rows[GROUP], keep=keep, sum_amounts=sum_amounts)
        golden = merged.golden.reset_index()
        summary["sum_amounts"] = sum_amounts
        summary["customers_after_merge"] = int(len(golden))
        sheets += [TableSheet(GOLDEN_SHEET, golden, widths={"行号": 6}, number_formats=formats,
                              title=f"去重结果：{len(golden)} 位客户（原 {len(df)} 行，合并 {len(merged.log)} 行）"),
                   TableSheet(LOG_SHEET, merged.log, widths={"补入的值": 40, "冲突": 60, "字段来源": 60},
                              title="合并记录：每个被合并的行、合并到的行、补入的值、冲突的值和每个字段的来源行"
                                    + ("（购买次数、累计金额已合计）" if sum_amounts else ""))]
    pairs = _pairs_for_review(result.pairs, df, id_col, reviewed)
    sheets += [BuiltSheet(PAIRS_SHEET, partial(build_pairs_sheet, pairs=pairs)),
               BuiltSheet(SUMMARY_SHEET, partial(build_dedupe_sheet, results={"summary": summary,
                                                                              "settings": result.settings})),
               BuiltSheet(SETTINGS_SHEET, partial(build_settings_sheet, settings=result.settings))]
    lines = [f"{len(df)} 行：重复组 {summary['groups']} 个（{summary['duplicate_rows']} 行），"
             f"可合并删除 {summary['rows_to_remove']} 行，疑似重复 {summary['possible_rows']} 行。"]
    if merge:
        lines.append(f"去重后 {summary['customers_after_merge']} 位客户（见「{GOLDEN_SHEET}」「{LOG_SHEET}」工作表）。")
    return DedupeResults(columns=added, sheets=sheets, summary=summary, lines=lines,
                         select_sheet=GOLDEN_SHEET if merge else PAIRS_SHEET, settings=result.settings)


def typed_table(df: pd.DataFrame, roles: dict[str, str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """The register with every recognised column in its cleaned, typed form (what `kehu clean` writes in the
    (规范)/(日期)/(数值) columns: dates as dates, amounts as numbers, phones canonical); a cell the cleaner
    cannot read keeps its raw value, so nothing is lost. Also column → Excel number format."""
    from udfs.cleaning import NORMALISERS

    out = df.copy().astype(object)
    formats: dict[str, str] = {}
    for col in df.columns:
        spec = NORMALISERS.get(roles.get(col, ""))
        if spec is None or roles.get(col) == "name":  # the name stays as written (张伟先生 keeps its title)
            continue
        raw = df[col].astype(object)
        clean = spec.func(raw.reset_index(drop=True)).astype(object).set_axis(df.index)  # Timestamps stay dates
        out[col] = clean.where(clean.notna(), raw)
        if spec.number_format:
            formats[col] = spec.number_format
    return out, formats


def analyse_reviewed(table: Any, port: Any) -> Results:
    """Ribbon 按复核合并: re-run on the open workbook with the decisions in its own 重复对 sheet."""
    rows = port.sheet_rows(PAIRS_SHEET)
    if not rows:
        raise KehuError(f"没有找到「{PAIRS_SHEET}」工作表：请先“合并重复”，在「{REVIEW}」列复核后再按此按钮。",
                        f"No {PAIRS_SHEET} sheet: run Merge duplicates first, fill its {REVIEW} column, then press "
                        "this button.", ExitCode.INPUT_CONTENT)
    try:
        reviewed = decisions_from_rows(rows)
    except ValueError as e:
        raise KehuError(f"「{PAIRS_SHEET}」工作表没有「{REVIEW}」列。", f"The {PAIRS_SHEET} sheet has no {REVIEW} column: {e}",
                        ExitCode.INPUT_CONTENT) from None
    return analyse_dedupe(table, merge=True, reviewed=reviewed)


def _pairs_for_review(pairs: pd.DataFrame, df: pd.DataFrame, id_col: str | None,
                      reviewed: pd.DataFrame | None) -> pd.DataFrame:
    """The pair list with both rows' customer ids and a 复核 column (earlier decisions carried over)."""
    out = pairs.copy()
    if id_col:
        id_of = pd.Series(df[id_col].to_numpy(dtype=object), index=df.index)
        out.insert(2, ID_A, id_of.reindex(out["行A"]).to_numpy(dtype=object))
        out.insert(3, ID_B, id_of.reindex(out["行B"]).to_numpy(dtype=object))
    out[REVIEW] = None
    if reviewed is not None and len(reviewed):
        a, b = (ID_A, ID_B) if id_col and reviewed.attrs.get("by") != "row" else ("行A", "行B")
        key = lambda x, y: frozenset((str(x), str(y)))  # noqa: E731
        decided = {key(x, y): d.strip() for x, y, d in zip(reviewed["id_a"], reviewed["id_b"], reviewed["decision"])}
        out[REVIEW] = [decided.get(key(x, y)) for x, y in zip(out[a], out[b])]
    return out.astype(object).where(out.notna(), None)


def run_dedupe(input_path: Path, output: Optional[Path] = None, *, sheet: str | None = None,
               header_row: int | None = None, role_map: dict[str, str] | None = None,
               threshold: float | None = None, possible: float | None = None, keep: str = "most_complete",
               against: Path | None = None, against_sheet: str | None = None, settings_path: Path | None = None,
               reviewed_path: Path | None = None, sum_amounts: bool = False, in_place: bool = False,
               quiet: bool = False, kind: str | None = None) -> dict[str, Any]:
    """Flag duplicates (or, with `against`, customers already in a master register) and write the result."""
    _check_options(keep, threshold, possible)
    settings = _load_settings(settings_path)
    reviewed = _load_reviewed(reviewed_path)
    target = resolve_output(Path(input_path), output, in_place)
    with Progress(3, quiet) as progress:
        progress.step("读取客户表 Reading the register")
        table = read_table(input_path, sheet, kind="register", header_row=header_row, role_overrides=role_map)
        ensure_kind(table, "dedupe", kind)
        progress.step("查找重复 Matching")
        if against is not None:
            df = table.df.set_axis(pd.Index(table.rows, name="行号"), axis=0)
            return _run_against(table, df, table.roles, against, against_sheet, settings, threshold, possible,
                                target, in_place, progress)
        results = analyse_dedupe(table, merge=True, threshold=threshold, possible=possible, keep=keep,
                                 settings=settings, reviewed=reviewed, sum_amounts=sum_amounts)
        progress.step("写出结果 Writing")
        report = write_to_file(table, results, target, in_place)
        settings_file = settings_path_for(Path(report.output))
        settings_file.write_text(results.settings.to_json(), encoding="utf-8")
    return dict(results.summary, output=str(report.output), backup=str(report.backup) if report.backup else None,
                settings_file=str(settings_file),
                added_columns=[c.header for c in results.columns], added_sheets=report.added_sheets)


def settings_path_for(output: Path) -> Path:
    """NAME.kehu.settings.json beside the output workbook: the run's settings and measured u-probabilities."""
    return output.with_name(output.stem + SETTINGS_SUFFIX)


def _run_against(table, df, roles, against, against_sheet, settings, threshold, possible, target, in_place,
                 progress) -> dict[str, Any]:
    master = read_table(against, against_sheet, kind="register")
    mdf = master.df.set_axis(pd.Index(master.rows, name="行号"), axis=0)
    try:
        found = find_in_master(df, roles, mdf, master.roles, settings, duplicate=threshold, possible=possible)
    except ValueError:
        raise KehuError("两个文件没有共同的可比较列（姓名、手机、邮箱……）。",
                        "The two files share no column that can be compared (name, mobile, e-mail …).",
                        ExitCode.INPUT_CONTENT) from None
    progress.step("写出结果 Writing")
    added = [AddedColumn("主档状态", found["主档状态"].to_numpy(dtype=object), None, 9),
             AddedColumn("主档行", found["主档行"].to_numpy(dtype=object), "0", 7),
             AddedColumn(SIMILARITY, found[SIMILARITY].to_numpy(dtype=object), "0.000", 8),
             AddedColumn(REASON, found[REASON].to_numpy(dtype=object), None, 40)]
    report = write_results(Path(table.path), target, sheet=table.sheet, header_row=table.header_row,
                           rows=table.rows, columns=added, sheets=[], in_place=in_place, grid=table.grid,
                           source_kind=table.source_kind, extent=table.sheet_extent)
    tell(report.notes)
    counts = found["主档状态"].value_counts()
    return {"ok": True, "file": str(table.path), "master": str(against), "sheet": table.sheet,
            "records": int(len(df)), "master_records": int(len(mdf)),
            "existing": int(counts.get("已存在", 0)), "possible": int(counts.get("疑似重复", 0)),
            "new": int(counts.get("新客户", 0)), "output": str(report.output),
            "added_columns": [c.header for c in added]}


def _load_settings(path: Path | None) -> MatchSettings | None:
    """--settings: a NAME.kehu.settings.json file, or a workbook kehu wrote (the JSON cell of 查重说明)."""
    if path is None:
        return None
    try:
        if Path(path).suffix.lower() in (".xlsx", ".xlsm"):
            return MatchSettings.from_json(settings_from_workbook(Path(path)))
        return MatchSettings.from_json(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise KehuError(f"无法读取查重设置文件“{path}”：{e}", f"Cannot read the settings file '{path}': {e}",
                        ExitCode.USAGE) from None


def _load_reviewed(path: Path | None) -> pd.DataFrame | None:
    if path is None:
        return None
    if Path(path).suffix.lower() not in (".xlsx", ".xlsm"):
        raise KehuError(f"复核结果应是 kehu 写出的 .xlsx 工作簿，收到“{path}”。",
                        f"The reviewed pairs must be the .xlsx workbook kehu wrote; got '{path}'.", ExitCode.USAGE)
    try:
        return read_review_decisions(Path(path))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as e:
        raise KehuError(f"无法读取复核结果“{path}”（需要 kehu 写出的「重复对」工作表及其「复核」列）：{e}",
                        f"Cannot read the reviewed pairs in '{path}' (a 重复对 sheet with a 复核 column, as kehu "
                        f"wrote it): {e}", ExitCode.USAGE) from None


def settings_from_workbook(path: Path) -> str:
    """The settings JSON a dedupe run left in its 查重说明 sheet."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        names = [SETTINGS_SHEET, SUMMARY_SHEET] + [n for n in book.sheetnames if n not in (SETTINGS_SHEET,
                                                                                              SUMMARY_SHEET)]
        for name in names:
            if name not in book.sheetnames:
                continue
            for row in book[name].iter_rows(values_only=True):
                for v in row:
                    if isinstance(v, str) and v.startswith("{") and '"comparisons"' in v:
                        return v
    finally:
        book.close()
    raise ValueError("no kehu settings found in the workbook (查重说明 sheet)")


def build_settings_sheet(wb, ws, settings: MatchSettings) -> None:
    """查重设置 (hidden): the settings JSON of the run in cell A1, for `--settings WORKBOOK`."""
    ws.write_string(0, 0, settings.to_json(indent=None))
    ws.hide()


def build_dedupe_sheet(wb, ws, results: dict) -> None:
    """查重说明: the figures of the run and the settings that reproduce it (xlsxwriter only)."""
    s, settings = results["summary"], results["settings"]
    bold = wb.add_format({"bold": True, "font_size": 14})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    cell = wb.add_format({"border": 1})
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 60)
    ws.write(0, 0, "查重摘要 Duplicate summary", bold)
    lines = [("记录数 Records", s["records"]), ("重复组 Groups", s["groups"]),
             ("重复行 Rows in groups", s["duplicate_rows"]), ("可删除行 Rows to remove", s["rows_to_remove"]),
             ("疑似重复行 Possible duplicates", s["possible_rows"]),
             ("去重后客户数 Customers after merge", s.get("customers_after_merge", "（未合并 not merged）")),
             ("重复阈值 Duplicate threshold", s["threshold"]), ("疑似阈值 Possible threshold", s["possible"]),
             ("保留规则 Keep rule", s["keep"])]
    ws.write_row(2, 0, ["项目 Item", "数值 Value"], head)
    for i, (k, v) in enumerate(lines, start=3):
        ws.write(i, 0, k, cell)
        ws.write(i, 1, v, cell)
    row = 4 + len(lines)
    ws.write(row, 0, "字段权重 Field weights (log2)", head)
    ws.write(row, 1, "m（重复时一致的比例） / u（随机两行一致的比例）", head)
    for comp in settings.comparisons:
        row += 1
        u = settings.u.get(comp.key, {})
        text = "; ".join(f"{lv}: m={m:.3f} u={u.get(lv, float('nan')):.2e}" for lv, m in comp.m.items())
        ws.write(row, 0, f"{comp.label} ({comp.key})", cell)
        ws.write(row, 1, text, cell)
    row += 2
    ws.write(row, 0, SETTINGS_CELL_LABEL, head)
    # The whole JSON in one cell (Excel holds up to 32,767 characters), so copying it back works as it is.
    text = settings.to_json(indent=None)
    if len(text) <= 32_767:
        ws.write_string(row + 1, 0, text, wb.add_format({"text_wrap": False}))
    else:  # pragma: no cover - settings are a few thousand characters
        ws.write_string(row + 1, 0, "（设置过长，见 .kehu.settings.json 文件 see the .kehu.settings.json file）")


def register(app: typer.Typer) -> None:
    @app.command("dedupe")
    def dedupe_cmd(
        file: Path = typer.Argument(..., help="客户表（.xlsx/.xlsm/.xls/.csv）。Customer register."),
        threshold: Optional[float] = typer.Option(None, "--threshold", help="判为“重复”的最低相似度（默认 0.9）。"),
        possible: Optional[float] = typer.Option(None, "--possible", help="判为“疑似重复”的最低相似度（默认 0.3）。"),
        keep: str = typer.Option("most_complete", "--keep",
                                 help="合并时保留哪一行：most_complete 最完整（默认）、most_recent 最近联系、earliest_id 最早编号。"),
        against: Optional[Path] = typer.Option(None, "--against", help="主档客户表：标出本表中已在主档里的客户。Master register."),
        against_sheet: Optional[str] = typer.Option(None, "--against-sheet", help="主档所在工作表。"),
        settings_file: Optional[Path] = typer.Option(None, "--settings",
                                                     help="查重设置：NAME.kehu.settings.json 或上次的结果工作簿。"),
        sum_amounts: bool = typer.Option(False, "--sum-amounts/--keep-amounts",
                                         help="合并时把购买次数、累计金额相加（各行是不同的购买记录时）；默认保留一行的值。"),
        reviewed: Optional[Path] = typer.Option(None, "--reviewed",
                                                help="已复核的结果工作簿（「重复对」表的「复核」列）：按复核结果合并。"),
        sheet: Optional[str] = OPT_SHEET,
        header_row: Optional[int] = OPT_HEADER,
        role_map: Optional[list[str]] = OPT_MAP,
        output: Optional[Path] = OPT_OUTPUT,
        in_place: bool = OPT_IN_PLACE,
        json_out: bool = OPT_JSON,
        quiet: bool = OPT_QUIET,
        kind: Optional[str] = OPT_KIND,
    ):
        """查找重复客户：标出重复组、重复标记、相似度和匹配依据，生成去重结果和合并记录。Find and merge duplicates.

        示例 Example:  kehu dedupe 客户档案.xlsx      kehu dedupe 新客户.xlsx --against 客户主档.xlsx
        """
        with handled(json_out):
            summary = run_dedupe(file, output, kind=kind, sheet=sheet, header_row=header_row, role_map=parse_map(role_map),
                                 threshold=threshold, possible=possible, keep=keep, against=against,
                                 against_sheet=against_sheet, settings_path=settings_file, reviewed_path=reviewed,
                                 sum_amounts=sum_amounts,
                                 in_place=in_place,
                                 quiet=quiet or json_out)
            if json_out:
                emit_json(summary)
                return
            _print(summary)


def _print(s: dict) -> None:
    if "master" in s:
        out.print(f"[bold]对照主档完成[/]  {s['records']} 行中：已存在 {s['existing']}，疑似 {s['possible']}，"
                  f"新客户 {s['new']}。结果：{s['output']}")
        return
    out.print(f"[bold]查重完成[/]  {s['records']} 行，重复组 {s['groups']} 个（{s['duplicate_rows']} 行），"
              f"可合并删除 {s['rows_to_remove']} 行，疑似重复 {s['possible_rows']} 行。结果：{s['output']}")
    out.print(f"· 去重后 {s['customers_after_merge']} 位客户（见「{GOLDEN_SHEET}」「{LOG_SHEET}」工作表）")
