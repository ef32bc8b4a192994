"""The dedupe job: duplicate flags beside the register, the pair list for review, the run's settings and,
with `merge`, the golden records and the merge log; with `against`, customers already in a master register."""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from addin.errors import ExitCode, KehuError
from addin.read import Table
from addin.report.dedupe_notes_sheet import (SETTINGS_SHEET, SUMMARY_SHEET, build_dedupe_sheet, build_settings_sheet,
                                             settings_from_workbook)
from addin.report.overview import overview_sheet
from addin.report.overview_pages import dedupe_page, master_page
from addin.report.read_back import find_sheet
from addin.report.pairs_sheet import (ID_A, ID_B, REVIEW, pairs_table_sheet, decisions_from_rows,
                                      read_review_decisions)
from addin.write import AddedColumn, BuiltSheet, TableSheet
from addin.report.links import row_locations
from udfs.columns import is_blank
from udfs.errors import InputProblem
from udfs.match.engine import FLAG, GROUP, PARTNER, POSSIBLE, REASON, SIMILARITY, find_duplicates, find_in_master
from udfs.match.scoring import DUPLICATE
from udfs.match.merge import GOLDEN_SHEET, LOG_SHEET, merge_duplicates
from udfs.match.review import REVIEW_CHOICES, constraints_from_ids, possible_group_labels
from udfs.match.settings import KEEP_RULES, MatchSettings

from .inputs import Inputs, as_inputs, read_file
from .language import lang_of_headers, localise
from .marking import duplicate_marks
from .options import JobOptions
from .results import Results

PAIRS_SHEET = "重复对"
__all__ = ["DedupeOptions", "DedupeResults", "run", "typed_table", "GOLDEN_SHEET", "LOG_SHEET", "PAIRS_SHEET",
           "SUMMARY_SHEET", "SETTINGS_SHEET"]
_IDENTITY_ROLES = {"name", "mobile", "phone", "landline", "email", "company", "id_number", "uscc",
                   "given_name", "surname", "soc_sec_id"}


@dataclass(frozen=True)
class DedupeOptions(JobOptions):
    job = "dedupe"
    merge: bool = True                  # also the golden records (去重结果) and the merge log (合并记录)
    threshold: float | None = None      # lowest match probability called a duplicate (None: the settings' own)
    possible: float | None = None       # lowest called a possible duplicate
    keep: str = "most_complete"         # which row a merged group keeps
    sum_amounts: bool = False           # add up purchase counts and totals when merging
    settings: Path | None = None        # an earlier run's settings (.kehu.settings.json or its result workbook)
    reviewed: Path | None = None        # an earlier result workbook whose 重复对 sheet carries 复核 decisions
    reviewed_in_book: bool = False      # the decisions in this workbook's own 重复对 sheet (ribbon 按复核合并)
    against: Path | None = None         # a master register: mark customers already in it instead
    against_sheet: str | None = None
    lang: str | None = None


@dataclass
class DedupeResults(Results):
    """Results plus the settings of the run (with its measured u-probabilities), saved beside the output."""

    settings: MatchSettings | None = None


def check(options: DedupeOptions) -> None:
    if options.keep not in KEEP_RULES:
        raise KehuError(f"--keep 只能是 {' / '.join(KEEP_RULES)}，收到“{options.keep}”。",
                        f"--keep must be one of {', '.join(KEEP_RULES)}; got '{options.keep}'.", ExitCode.USAGE)
    for name, value in (("--threshold", options.threshold), ("--possible", options.possible)):
        if value is not None and not 0 < value < 1:
            raise KehuError(f"{name} 应在 0 和 1 之间，收到 {value}。", f"{name} must be between 0 and 1; got {value}.",
                            ExitCode.USAGE)


def run(tables: Inputs | Table, options: DedupeOptions = DedupeOptions()) -> DedupeResults:
    inputs = as_inputs(tables)
    table = inputs.table
    check(options)
    settings = load_settings(options.settings)
    reviewed = load_reviewed(options.reviewed) if options.reviewed else (
        _reviewed_in_book(inputs) if options.reviewed_in_book else None)
    results = (_against(table, options, settings) if options.against is not None
               else _duplicates(table, options, settings, reviewed))
    lang = options.lang or ("zh-Hant" if lang_of_headers(table.df.columns) == "zh-Hant" else "zh-Hans")
    results.summary["lang"] = lang
    if options.against is None:
        results.marks = _marks(results, lang)
    return localise(results, lang, english_lines=_english_lines(results.summary), user_columns=table.df.columns,
                    message_columns=(FLAG, REASON, "主档状态"))   # read-back names too: read_back.py reads any language


def _duplicates(table: Table, options: DedupeOptions, settings, reviewed) -> DedupeResults:
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
    result = find_duplicates(df, roles, settings, duplicate=options.threshold, possible=options.possible,
                             must_link=must, cannot_link=cannot)
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
        "keep": options.keep, "threshold": result.settings.duplicate_probability,
        "possible": result.settings.possible_probability, "roles": roles,
        "rows_without_key_share": round(result.summary["rows_without_key_share"], 4),
    }
    sheets: list = []
    if options.merge:
        typed, formats = typed_table(df, roles, keys=result.keys, key_specs=result.settings.keys)
        merged = merge_duplicates(typed, roles, rows[GROUP], keep=options.keep, sum_amounts=options.sum_amounts,
                                  keys=result.keys, key_specs=result.settings.keys, raw=df)  # the comparison's own keys
        golden = merged.golden.reset_index()
        summary["sum_amounts"] = options.sum_amounts
        summary["customers_after_merge"] = int(len(golden))
        sheets += [TableSheet(GOLDEN_SHEET, golden, widths={"行号": 6}, number_formats=formats,
                              links={0: row_locations(table.sheet, golden["行号"].tolist())},
                              title=f"去重结果：{len(golden)} 位客户（原 {len(df)} 行，合并 {len(merged.log)} 行）"),
                   TableSheet(LOG_SHEET, merged.log, widths={"补入的值": 40, "冲突": 60, "字段来源": 60},
                              title="合并记录：每个被合并的行、合并到的行、补入的值、冲突的值和每个字段的来源行"
                                    + ("（购买次数、累计金额已合计）" if options.sum_amounts else ""))]
    pairs = _pairs_for_review(result.pairs, df, id_col, reviewed)
    sheets += [pairs_table_sheet(pairs, data_sheet=table.sheet),   # kehu's list writer, not xlsxwriter cell by cell
               BuiltSheet(SUMMARY_SHEET, partial(build_dedupe_sheet, results={"summary": summary,
                                                                              "settings": result.settings})),
               BuiltSheet(SETTINGS_SHEET, partial(build_settings_sheet, settings=result.settings))]
    lines = [f"{len(df)} 行：重复组 {summary['groups']} 个（{summary['duplicate_rows']} 行），"
             f"可合并删除 {summary['rows_to_remove']} 行，疑似重复 {summary['possible_rows']} 行。"]
    if options.merge:
        lines.append(f"去重后 {summary['customers_after_merge']} 位客户（见「{GOLDEN_SHEET}」「{LOG_SHEET}」工作表）。")
    sheets = [overview_sheet(dedupe_page(summary)), *sheets]
    return DedupeResults(columns=added, sheets=sheets, summary=summary, lines=lines,
                         select_sheet=GOLDEN_SHEET if options.merge else PAIRS_SHEET, settings=result.settings)


def _against(table: Table, options: DedupeOptions, settings) -> DedupeResults:
    """Which incoming customers are already in the master register (主档状态 / 主档行 beside each row)."""
    df = table.df.set_axis(pd.Index(table.rows, name="行号"), axis=0)
    master = read_file(options.against, options.against_sheet, "register")
    mdf = master.df.set_axis(pd.Index(master.rows, name="行号"), axis=0)
    try:
        found = find_in_master(df, table.roles, mdf, master.roles, settings, duplicate=options.threshold,
                               possible=options.possible)
    except (InputProblem, ValueError):   # the engine's "nothing to compare" (ValueError until it raises InputProblem)
        raise KehuError("两个文件没有共同的可比较列（姓名、手机、邮箱……）。",
                        "The two files share no column that can be compared (name, mobile, e-mail …).",
                        ExitCode.INPUT_CONTENT) from None
    added = [AddedColumn("主档状态", found["主档状态"].to_numpy(dtype=object), None, 9),
             AddedColumn("主档行", found["主档行"].to_numpy(dtype=object), "0", 7),
             AddedColumn(SIMILARITY, found[SIMILARITY].to_numpy(dtype=object), "0.000", 8),
             AddedColumn(REASON, found[REASON].to_numpy(dtype=object), None, 40)]
    counts = found["主档状态"].value_counts()
    summary = {"ok": True, "file": str(table.path), "master": str(options.against), "sheet": table.sheet,
               "records": int(len(df)), "master_records": int(len(mdf)),
               "existing": int(counts.get("已存在", 0)), "possible": int(counts.get("疑似重复", 0)),
               "new": int(counts.get("新客户", 0)), "added_columns": [c.header for c in added]}
    lines = [f"{len(df)} 行中：已存在 {summary['existing']}，疑似 {summary['possible']}，新客户 {summary['new']}。"]
    return DedupeResults(columns=added, sheets=[overview_sheet(master_page(summary))], summary=summary, lines=lines)


def _marks(results: Results, lang: str):
    """Duplicate groups banded on the register's rows, possible duplicates lighter (from the added columns)."""
    column = {c.header: c.values for c in results.columns}
    flags = pd.Series(column[FLAG], dtype=object)
    return duplicate_marks(column[GROUP], (flags == DUPLICATE).to_numpy(), (flags == POSSIBLE).to_numpy(), lang)


def _english_lines(s: dict) -> list[str]:
    if "master" in s:
        return [f"{s['records']} rows: {s['existing']} already in the master, {s['possible']} possible, "
                f"{s['new']} new."]
    lines = [f"{s['records']} rows: {s['groups']} duplicate groups ({s['duplicate_rows']} rows), "
             f"{s['rows_to_remove']} rows to remove, {s['possible_rows']} possible duplicates."]
    if "customers_after_merge" in s:
        lines.append(f"{s['customers_after_merge']} customers after merging (see the Deduplicated and Merge log sheets).")
    return lines


def typed_table(df: pd.DataFrame, roles: dict[str, str], keys=None,
                key_specs: dict | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """The register with every recognised column in its cleaned, typed form (what `kehu clean` writes in the
    (规范)/(日期)/(数值) columns: dates as dates, amounts as numbers, phones canonical); a cell the cleaner
    cannot read keeps its raw value, so nothing is lost. Also column → Excel number format.

    keys / key_specs: the comparison's keys of the same rows (DedupeResult.keys, settings.keys); where a key
    is the cleaner's own answer for a cell (mobile, landline, e-mail, city, gender), the cell takes it and
    only the other cells are cleaned."""
    from udfs.cleaning import NORMALISERS

    out = df.copy().astype(object)
    formats: dict[str, str] = {}
    from_keys = _cleaned_by_keys(df, roles, keys, key_specs)
    for col in df.columns:
        spec = NORMALISERS.get(roles.get(col, ""))
        if spec is None or roles.get(col) == "name":  # the name stays as written (张伟先生 keeps its title)
            continue
        raw = df[col].astype(object)
        if col in from_keys:
            taken, key_values = from_keys[col]
            cleaned = np.empty(len(df), dtype=object)
            cleaned[taken] = key_values[taken]
            rest = np.flatnonzero(~taken)
            if len(rest):   # each distinct value is cleaned on its own, so cleaning only these gives their answers
                cleaned[rest] = _as_objects(spec.func(raw.iloc[rest].reset_index(drop=True)))
            clean = pd.Series(cleaned, index=df.index, dtype=object)
        else:
            clean = pd.Series(_as_objects(spec.func(raw.reset_index(drop=True))), index=df.index, dtype=object)
        out[col] = clean.where(clean.notna(), raw)
        if spec.number_format:
            formats[col] = spec.number_format
    return out, formats


def _as_objects(column: pd.Series) -> np.ndarray:
    """column.astype(object) as an array (Timestamps stay dates); a date column's Timestamps are made once per
    distinct date, not once per row (a million birth dates hold some ten thousand days)."""
    if column.dtype.kind != "M":
        return column.astype(object).to_numpy(dtype=object)
    codes, days = pd.factorize(column, use_na_sentinel=True)
    boxed = np.empty(len(days) + 1, dtype=object)
    boxed[:-1] = pd.Series(days).astype(object).to_numpy(dtype=object)
    boxed[-1] = pd.NaT   # what astype(object) gives a missing date
    return boxed[codes]


#: role → the key step that is the cleaner of that role itself (parse_phones' number of a mobile or landline,
#: normalise_email, canonical_city, normalise_gender): a cell with such a key is cleaned to its key
_CLEANED_IS_KEY = {"mobile": "mobile", "landline": "landline", "email": "email", "city": "city", "gender": "gender"}


def _cleaned_by_keys(df: pd.DataFrame, roles: dict[str, str], keys, key_specs: dict | None) -> dict:
    """column → (cells whose cleaned value is their comparison key, the keys) for the columns a key with
    the role's own cleaner as its only step was built from: the first column of the key's first role."""
    if keys is None or not key_specs or len(keys) != len(df):
        return {}
    first_of_role: dict[str, str] = {}
    for col, role in roles.items():
        if col in df.columns:
            first_of_role.setdefault(role, col)
    out = {}
    for name, spec in key_specs.items():
        role = spec.roles[0]
        col = first_of_role.get(role)
        step = _CLEANED_IS_KEY.get(role)
        if col is None or step is None or name not in keys or tuple(spec.steps) != (step,) or col in out:
            continue
        key_values = keys.values(name)
        cells = df[col].to_numpy(dtype=object)
        # a text cell that is not blank keyed itself (blank cells take the next role's column); a phone with a
        # '.' was keyed after numeric_cells_as_text, so it is cleaned as usual
        own = _is_text(cells) & ~is_blank(cells).to_numpy(dtype=bool)
        if step in ("mobile", "landline"):
            texts = np.flatnonzero(own)
            own[texts[_HAS_DOT(cells[texts]).astype(bool)]] = False
        has_key = _is_text(key_values) & (key_values != "")
        out[col] = (own & has_key, key_values)
    return out


_TYPE_OF = np.frompyfunc(type, 1, 1)
_HAS_DOT = np.frompyfunc(lambda text: "." in text, 1, 1)


def _is_text(values: np.ndarray) -> np.ndarray:
    """type(v) is str for each value, in one C loop."""
    one = np.empty(1, dtype=object)
    one[0] = str
    return np.asarray(_TYPE_OF(values) == one, dtype=bool) if len(values) else np.zeros(0, dtype=bool)


def _reviewed_in_book(inputs: Inputs) -> pd.DataFrame:
    """按复核合并: the decisions in the workbook's own 重复对 sheet."""
    name = find_sheet(inputs.table.book_sheets or [], PAIRS_SHEET) or PAIRS_SHEET   # in whichever language it was written
    rows = inputs.rows_of(name)
    if not rows:
        raise KehuError(f"没有找到「{PAIRS_SHEET}」工作表：请先“合并重复”，在「{REVIEW}」列复核后再按此按钮。",
                        f"No {PAIRS_SHEET} sheet: run Merge duplicates first, fill its {REVIEW} column, then press "
                        "this button.", ExitCode.INPUT_CONTENT)
    try:
        return decisions_from_rows(rows)
    except ValueError as e:
        raise KehuError(f"「{PAIRS_SHEET}」工作表没有「{REVIEW}」列。", f"The {PAIRS_SHEET} sheet has no {REVIEW} column: {e}",
                        ExitCode.INPUT_CONTENT) from None


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


def load_settings(path: Path | None) -> MatchSettings | None:
    """--settings: a NAME.kehu.settings.json file, or a workbook kehu wrote (the JSON in its hidden 查重设置 sheet)."""
    if path is None:
        return None
    try:
        if Path(path).suffix.lower() in (".xlsx", ".xlsm"):
            return MatchSettings.from_json(settings_from_workbook(Path(path)))
        return MatchSettings.from_json(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise KehuError(f"无法读取查重设置文件“{path}”：{e}", f"Cannot read the settings file '{path}': {e}",
                        ExitCode.USAGE) from None


def load_reviewed(path: Path | None) -> pd.DataFrame | None:
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


def analyse_dedupe(table: Any, *, merge: bool = True, **options: Any) -> DedupeResults:
    """The dedupe job with keyword options (kept for scripts)."""
    return run(table, DedupeOptions(merge=merge, **options))
