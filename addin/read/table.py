"""read_table: any register, survey or orders file → one table of raw cells with roles and source rows."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from addin.errors import ExitCode, KehuError
from udfs.recognise import ROLE_SETS, ColumnRole, fold_header, parse_role, recognise

from .csv_file import read_csv_grid
from .frame import gc_paused, records_frame
from udfs.recognise.header_rows import blank, combine_two_row_header, find_extent, find_header
from udfs.recognise.record_like import choose_header, is_placeholder
from .sniff import sniff
from .xml2003 import XmlSpreadsheetBook
from .workbook import SheetGrid, column_letter, kehu_columns, kehu_sheets, open_workbook, read_sheet

#: names kehu gives its own sheets; a sheet so named is tried last (kehu's own are known by their marker)
KEHU_SHEETS = {"问题清单", "去重结果", "合并记录", "满意度报告", "无效问卷", "客户分析", "待跟进", "说明",
               "投诉分析", "逾期未结", "重复投诉", "未关联联系", "联系问题", "意见分析", "意见明细", "主题词典", "总览"}
_PREFERRED = {
    "register": ("客户", "档案", "名单", "会员", "通讯录", "register", "customer", "client"),
    "survey": ("答卷", "问卷", "调查", "survey", "response"),
    "orders": ("订单", "交易", "销售", "流水", "order", "sales"),
    "complaints": ("投诉", "工单", "联系记录", "服务记录", "来电", "客诉", "售后", "log", "ticket", "complaint"),
}
#: roles content alone may give to bare numbers; not enough to read a sheet without a header
_NUMBER_ONLY = {"age", "purchase_count", "total_spend", "item"}
ERROR_TEXTS = {"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"}


@dataclass
class Table:
    path: Path
    source_kind: str                 # ooxml | xls | xlsb | ods | csv
    sheet: str
    book_sheets: list[str]
    header_row: int                  # 1-based Excel row of the header
    df: pd.DataFrame                 # raw cell values, one column per header cell
    rows: np.ndarray                 # 1-based Excel row of each record, aligned with df
    columns: list[ColumnRole]
    column_letters: dict[str, str]   # header → Excel column letter
    grid: list[list[object]] | None = None  # raw rows, kept for sources we cannot edit in place (csv/xls)
    encoding: str | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)  # (zh, en) remarks on what reading did
    error_cells: list[tuple[int, str, str]] = field(default_factory=list)  # (excel row, column, "#N/A")
    sheet_extent: tuple[int, int] | None = None  # (last row, last column) of the sheet's cells, as scanned
    skipped_rows: list[int] = field(default_factory=list)  # 1-based rows above the data that were skipped

    @property
    def roles(self) -> dict[str, str]:
        return {c.column: c.role for c in self.columns if c.role}

    def column_for(self, role: str) -> str | None:
        """First column playing `role`, or None."""
        return next((c.column for c in self.columns if c.role == role), None)

    def require(self, *roles: str, any_of: bool = False) -> None:
        """Raise a clear error when the table lacks a column the command needs."""
        have = set(self.roles.values())
        missing = [r for r in roles if r not in have]
        if (any_of and len(missing) < len(roles)) or (not any_of and not missing):
            return
        from udfs.recognise import role_label

        want = "、".join(role_label(r) for r in missing)
        want_en = ", ".join(missing)
        cols = "、".join(map(str, self.df.columns))
        joiner = ("其中之一" if any_of else "")
        raise KehuError(
            f"“{self.path.name}”的工作表“{self.sheet}”缺少必需的列：{want}{joiner}。现有列：{cols}。"
            f"如果某列其实就是它，请用 --map 指定，例如 --map 联系电话=mobile。",
            f"Sheet '{self.sheet}' of {self.path.name} lacks a required column: {want_en}"
            f"{' (any one)' if any_of else ''}. Use --map to name it, e.g. --map 联系电话=mobile.",
            ExitCode.INPUT_CONTENT)


def read_table(path, sheet: str | None = None, *, kind: str = "register", header_row: int | None = None,
               role_overrides: dict[str, str] | None = None) -> Table:
    # a million-row sheet becomes millions of Python objects: the collector would walk them over and over
    with gc_paused():
        return _read_table(Path(path), sheet, kind, header_row, role_overrides)


def _read_table(path: Path, sheet, kind, header_row, role_overrides) -> Table:
    source_kind = sniff(path)
    encoding = None
    if source_kind == "csv":
        rows, encoding = read_csv_grid(path)
        grid = SheetGrid(path.stem, rows)
        names = [path.stem]
    elif source_kind == "xml2003":
        book = XmlSpreadsheetBook(path)
        names = list(book.sheet_names)
        grid = _pick_sheet(book, path, names, sheet, kind, source_kind, header_row)
    else:
        book = open_workbook(path, source_kind)
        names = list(book.sheet_names)
        ours = kehu_sheets(path) if source_kind == "ooxml" else set()
        grid = _pick_sheet(book, path, names, sheet, kind, source_kind, header_row, ours)
        if source_kind == "ooxml":
            _drop_kehu_columns(grid, kehu_columns(path).get(grid.name))
    return _table_from_grid(path, source_kind, names, grid, kind, header_row, role_overrides, encoding)


def _pick_sheet(book, path, names, sheet, kind, source_kind, header_row, ours=frozenset()) -> SheetGrid:
    if not names:
        raise KehuError(f"工作簿“{path.name}”里没有工作表。", f"{path.name} has no sheets.", ExitCode.INPUT_CONTENT)
    if sheet is not None:
        match = _match_sheet_name(sheet, names)
        if match is None:
            raise KehuError(f"工作簿“{path.name}”中没有名为“{sheet}”的工作表。现有工作表：{'、'.join(names)}。",
                            f"{path.name} has no sheet named '{sheet}'. Sheets: {', '.join(names)}.",
                            ExitCode.INPUT_CONTENT)
        return read_sheet(book, path, match, source_kind)
    candidates = [n for n in names if n not in ours] or names
    preferred = [n for n in candidates if n not in KEHU_SHEETS and any(k in fold_header(n) for k in _PREFERRED[kind])]
    ordered = preferred + [n for n in candidates if n not in preferred and n not in KEHU_SHEETS]
    ordered += [n for n in candidates if n in KEHU_SHEETS]
    best, best_key = None, None
    unreadable: list[KehuError] = []
    for n in ordered[:20]:
        try:
            g = read_sheet(book, path, n, source_kind)
        except KehuError as exc:   # a chart sheet or one calamine cannot parse: the data is elsewhere
            if exc.code != ExitCode.INPUT_FILE or "--max-cells" in exc.en:
                raise
            unreadable.append(exc)
            continue
        h = header_row - 1 if header_row else find_header(g.rows, kind)
        if h is None or h >= len(g.rows):
            continue
        from udfs.recognise.header_rows import header_score

        hits = header_score(g.rows[h], kind)[0]
        key = (hits, n in preferred, len(g.rows))
        if best_key is None or key > best_key:
            best, best_key = g, key
        if n in preferred and hits >= 3:
            break
    if best is None:
        readable = [n for n in ordered if all(n not in e.en for e in unreadable)] or ordered
        return read_sheet(book, path, readable[0], source_kind)
    return best


def _match_sheet_name(wanted: str, names: list[str]) -> str | None:
    for test in (lambda n: n == wanted, lambda n: n.strip().casefold() == wanted.strip().casefold(),
                 lambda n: fold_header(n) == fold_header(wanted)):
        for n in names:
            if test(n):
                return n
    if wanted.isdigit() and 1 <= int(wanted) <= len(names):
        return names[int(wanted) - 1]
    return None


def _table_from_grid(path, source_kind, names, grid: SheetGrid, kind, header_row, overrides, encoding) -> Table:
    rows = grid.rows
    where = f"“{path.name}”的工作表“{grid.name}”"
    where_en = f"sheet '{grid.name}' of {path.name}"
    if not any(any(not blank(v) for v in r) for r in rows):
        raise KehuError(f"{where}是空的，没有任何数据。", f"The {where_en} is empty.", ExitCode.INPUT_CONTENT)
    notes: list[tuple[str, str]] = []
    skipped: list[int] = []
    _apply_errors(grid)
    if header_row is not None:
        h = header_row - 1
        skipped = [k for k in range(h) if any(not blank(v) for v in rows[k])]
        if h < 0 or h >= len(rows) or all(blank(v) for v in rows[h]):
            raise KehuError(f"{where}第 {header_row} 行是空的，不能作为表头。",
                            f"Row {header_row} of the {where_en} is empty and cannot be the header.",
                            ExitCode.INPUT_CONTENT)
    else:
        choice = choose_header(rows, kind)
        if choice is None:
            raise KehuError(f"{where}找不到表头行（前 30 行里没有一行像列标题）。请确认第一张表是数据表，"
                            f"或用 --header-row 指定表头所在行。",
                            f"No header row found in the {where_en} (none of the first 30 rows looks like column "
                            f"titles). Use --header-row to give it.", ExitCode.INPUT_CONTENT)
        h, skipped = choice.header_row, choice.skipped
        if choice.placeholder:
            notes.append((f"第 {h + 1} 行的列名（{_sample_names(rows[h])}）是软件生成的占位名，没有含义：按内容识别各列。",
                          f"Row {h + 1} holds generic column names ({_sample_names(rows[h])}): columns are "
                          f"recognised from their content."))
        if h is None:
            notes.append((f"没有表头行：第 {choice.first_data + 1} 行起就是数据，各列按内容识别。",
                          f"No header row: records start on row {choice.first_data + 1}; columns are recognised "
                          f"from their content."))
    if header_row is None and h is not None:
        combined = combine_two_row_header(rows, h, grid.merged)
        if combined != h:
            notes.append((f"表头占第 {h + 1}–{combined + 1} 两行，已合并为一行列名。",
                          f"Two-row header on rows {h + 1}-{combined + 1}, read as one."))
            h = combined
    if skipped:
        listed = ", ".join(str(r + 1) for r in skipped)
        notes.append((f"跳过了上方 {len(skipped)} 行标题（第 {listed} 行）。",
                      f"Skipped {len(skipped)} title row(s) above the data: row(s) {listed}."))
    ext = find_extent(rows, h, None if h is not None else choice.first_data)
    filled = _fill_merged(grid, ext)
    if filled:
        notes.append((f"合并单元格已向下填充 {filled} 处。", f"Filled {filled} merged cell(s) downwards."))
    if ext.skipped_notes:
        notes.append((f"跳过了 {len(ext.skipped_notes)} 行备注（第 {', '.join(str(r + 1) for r in ext.skipped_notes[:5])} 行）。",
                      f"Skipped {len(ext.skipped_notes)} note row(s)."))
    if ext.skipped_totals:
        notes.append((f"跳过了合计行（第 {', '.join(str(r + 1) for r in ext.skipped_totals)} 行）。",
                      f"Skipped total row(s) {', '.join(str(r + 1) for r in ext.skipped_totals)}."))
    if not ext.data_rows:
        raise KehuError(f"{where}只有表头（第 {(h or 0) + 1} 行），下面没有数据。",
                        f"The {where_en} has a header on row {(h or 0) + 1} but no data below it.", ExitCode.INPUT_CONTENT)
    headers, letters = _headers(rows[h] if h is not None else [], ext.first_col, ext.last_col)
    with gc_paused():
        df = records_frame(rows, ext.data_rows, ext.first_col, ext.last_col, headers)
    excel_rows = np.asarray(ext.data_rows, dtype=np.int64) + 1
    data_rows = set(ext.data_rows)   # once, not per error cell
    error_list = [(r + 1, headers[c - ext.first_col], text) for (r, c), text in sorted(grid.errors.items())
                  if ext.first_col <= c <= ext.last_col and r in data_rows]
    overrides = _check_overrides(overrides, headers, kind, path, grid.name)
    columns = recognise(df, kind, overrides)
    if h is None and header_row is None and not any(c.role and c.role not in _NUMBER_ONLY for c in columns):
        # rows of bare numbers could be anything: without a header or a recognisable column, ask for the header
        raise KehuError(f"{where}找不到表头行（前 30 行里没有一行像列标题，也没有能按内容认出的列）。"
                        f"请用 --header-row 指定表头所在行。",
                        f"No header row found in the {where_en} (no row looks like column titles and no column "
                        f"is recognisable from its content). Use --header-row to give it.", ExitCode.INPUT_CONTENT)
    return Table(path=path, source_kind=source_kind, sheet=grid.name, book_sheets=names,
                 header_row=h + 1 if h is not None else 0, df=df, skipped_rows=[r + 1 for r in skipped],
                 rows=excel_rows, columns=columns, column_letters=dict(zip(headers, letters)),
                 grid=rows if source_kind != "ooxml" else None, encoding=encoding, notes=notes,
                 error_cells=error_list, sheet_extent=grid.extent)


def _drop_kehu_columns(grid: SheetGrid, span: tuple[int, int] | None) -> None:
    """Columns an earlier kehu run added (known by its marker, not their names) are results, never input."""
    if span is None:
        return
    first, last = span
    for row in grid.rows:
        for j in range(first, min(last + 1, len(row))):
            row[j] = None


def _sample_names(row) -> str:
    names = [str(v) for v in row if not blank(v)]
    return "、".join(names[:3]) + ("…" if len(names) > 3 else "")


def _apply_errors(grid: SheetGrid) -> None:
    for (r, c), text in grid.errors.items():
        if r < len(grid.rows) and c < len(grid.rows[r]):
            grid.rows[r][c] = text


def _fill_merged(grid: SheetGrid, ext) -> int:
    """Vertical merges inside the data (a 区域 cell spanning several customers) give each row the value."""
    n = 0
    data = set(ext.data_rows)
    for r0, c0, r1, c1 in grid.merged:
        if r1 <= r0 or r0 < (ext.header_row if ext.header_row is not None else -1) + 1:
            continue
        value = grid.rows[r0][c0] if c0 < len(grid.rows[r0]) else None
        for r in range(r0 + 1, min(r1, len(grid.rows) - 1) + 1):
            if r in data and c0 < len(grid.rows[r]) and blank(grid.rows[r][c0]):
                grid.rows[r][c0] = value
                n += 1
    return n


def _headers(row, first, last) -> tuple[list[str], list[str]]:
    seen: dict[str, int] = {}
    out, letters = [], []
    for j in range(first, last + 1):
        v = row[j] if j < len(row) else None
        letter = column_letter(j)
        if blank(v):
            name = f"({letter}列)"
        elif isinstance(v, float) and v.is_integer():
            name = str(int(v))
        else:
            name = " ".join(str(v).split())
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        out.append(name)
        letters.append(letter)
    return out, letters


def _check_overrides(overrides, headers, kind, path, sheet) -> dict[str, str]:
    if not overrides:
        return {}
    out = {}
    for col, role_text in overrides.items():
        target = col if col in headers else next((h for h in headers if fold_header(h) == fold_header(col)), None)
        if target is None:
            raise KehuError(f"--map 指定的列“{col}”不在“{path.name}”的工作表“{sheet}”中。现有列：{'、'.join(headers)}。",
                            f"--map names column '{col}', which is not in sheet '{sheet}' of {path.name}. "
                            f"Columns: {', '.join(headers)}.", ExitCode.USAGE)
        role = parse_role(role_text, kind)
        if role is None:
            roles = ", ".join(ROLE_SETS[kind])
            raise KehuError(f"--map 中的角色“{role_text}”无法识别。可用角色：{roles}（或 ignore 表示忽略）。",
                            f"Unknown role '{role_text}' in --map. Known roles: {roles} (or ignore).", ExitCode.USAGE)
        out[target] = role
    return out


def table_from_rows(rows: list[list[object]], *, path, sheet: str, sheet_names: list[str] | None = None,
                    kind: str = "register", header_row: int | None = None,
                    role_overrides: dict[str, str] | None = None, source_kind: str = "live",
                    merged: list[tuple[int, int, int, int]] | None = None) -> Table:
    """A Table from rows already in memory (an open workbook's used range, padded to start at A1).

    The ribbon handlers use this on a live Excel sheet, so the same header detection, extent and
    column recognition apply as for files.
    """
    grid = SheetGrid(sheet, [list(r) for r in rows], list(merged or []))
    table = _table_from_grid(Path(path), source_kind, sheet_names or [sheet], grid, kind, header_row,
                             role_overrides, None)
    if source_kind == "live":
        table.grid = None
    return table
