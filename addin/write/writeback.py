"""write_results: put kehu's added columns and sheets into a copy of the user's workbook, losing nothing.

Only the parts that change are rewritten (the data sheet, styles.xml, workbook.xml and its rels,
[Content_Types].xml, a grown Table, new sheets); every other zip member is copied byte for byte.
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import numpy as np
from lxml import etree

from addin.errors import ExitCode, KehuError
from addin.read.limits import parse_xml
from addin.read.package_check import missing_content_types
from addin.read.sheet_scan import scan_sheet
from addin.write.cells import column_letter, header_fragment
from addin.write.excel_tables import extend_table
from addin.write.fresh_book import build_fresh, kind_of, other_sheets
from addin.write.lazy_cells import BatchedCells
from addin.write.output import (PACKAGE_SUFFIXES, atomic_output, check_not_source, check_writable,
                                default_output_path, make_backup)
from addin.write.mark_plan import MarkRequest, plan_marks
from addin.write.package import (ContentTypes, Rel, copy_member, next_rel_id, parse_rels, relative, rels_path,
                                 resolve, write_member, write_stream)
from addin.write.page_setup import DataSheetPrint, PageSetup, defined_names, for_sheet, sheet_widths, user_scaled
from addin.write.sheet_layout import added_width, layout
from addin.write.sheet_splice import ColumnsOverlap, Splice, read_head, scan_max_column, sheet_tail, splice_sheet
from addin.write.specs import AddedColumn, BuiltSheet, TableSheet, WriteReport
from addin.write.strict import is_strict, write_transitional
from addin.write.styles import StyleBook
from addin.write.table_sheet import MAX_COLS, table_sheet_xml
from addin.write.transplant import build_scratch, free_name, transplant
from addin.write.workbook_parts import (WORKSHEET_CT, WorkbookPart, clean_sheet_name, find_workbook_part,
                                       free_sheet_name, owned_parts)

STYLES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
STYLES_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
TAIL_SCAN_BYTES = 64 << 20     # a data sheet up to this size is read once more for the print setup it has
FAST_DEFLATE_BYTES = 1 << 20     # parts bigger than this are deflated at level 1 (3-4x faster)
ZIP64_BYTES = 1 << 30            # parts that may pass 2 GiB need zip64 headers from the start


@dataclass
class _Plan:
    """Everything decided before the output zip is written."""

    changed: dict[str, bytes] = field(default_factory=dict)
    new_parts: dict[str, bytes] = field(default_factory=dict)
    streams: dict[str, Callable[[], Iterator[bytes]]] = field(default_factory=dict)
    stream_sizes: dict[str, int] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)
    splice: Splice | None = None
    first_added_column: str = ""
    added_sheets: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)   # (zh, en) for the user


def write_results(source: Path, output: Path | None, *, sheet: str, header_row: int, rows: Sequence[int],
                  columns: Sequence[AddedColumn] = (), sheets: Sequence[TableSheet | BuiltSheet] = (),
                  in_place: bool = False, grid: list[list[Any]] | None = None,
                  source_kind: str | None = None, extent: tuple[int, int] | None = None,
                  marks: MarkRequest | None = None, print_setup: bool | None = None,
                  repeat_columns: tuple[int, int] | None = None) -> WriteReport:
    """Write added columns (right of the data in `sheet`) and sheets into a copy of `source`.

    `rows` are the 1-based Excel rows of the data records, `header_row` the 1-based header row.
    For .csv/.xls sources pass `grid` (the cells as read); a new .xlsx is made from it.
    `extent` is the sheet's (last row, last column) as the reader scanned it; without it the sheet is scanned.
    `marks`: fills, notes and a filter on the data sheet itself (`--mark`; see addin/write/mark_plan.py).
    `print_setup` (default: on for a copy, off for `in_place`) gives the data sheet the print setup it lacks
    (page_setup.py; what the user set stays), repeating `repeat_columns` (its id / name columns) when it is wide.
    """
    source = Path(source)
    is_package = source.suffix.lower() in PACKAGE_SUFFIXES and grid is None
    if in_place and not is_package:
        raise KehuError("只有 .xlsx / .xlsm 文件可以就地写入；CSV 和 .xls 文件请写到新的 .xlsx 文件。",
                        "Only .xlsx/.xlsm files can be written in place; write CSV and .xls results to a new .xlsx.",
                        ExitCode.USAGE)
    if not is_package and grid is None:
        raise KehuError(f"“{source.name}”不是 .xlsx/.xlsm 文件，需要先读入表格内容。",
                        f"'{source.name}' is not an .xlsx/.xlsm package; its cells (grid) are needed.", ExitCode.USAGE)
    output = source if in_place else Path(output) if output is not None else default_output_path(source)
    expected = source.suffix.lower() if is_package else ".xlsx"
    if output.suffix.lower() != expected:
        raise KehuError(f"输出文件的扩展名应为 {expected}（与输入文件类型一致）。",
                        f"The output file must end in {expected} to match the input.", ExitCode.USAGE)
    check_not_source(source, output, in_place)
    check_writable(output)
    _check_columns(columns, rows, header_row)
    if source_kind is None and not is_package:
        source_kind = kind_of(source)
    others, data_index, fresh_notes = other_sheets(source, source_kind, sheet) if not is_package else ([], 0, [])
    backup = make_backup(source) if in_place else None
    data_sheet = sheet
    data_print = DataSheetPrint(repeat_columns) if (not in_place if print_setup is None else print_setup) else None
    with atomic_output(output) as temp:
        if is_package:
            plan = _write_package(source, temp, sheet, header_row, rows, columns, sheets, extent, marks=marks,
                                  data_print=data_print)
        else:
            data_sheet = clean_sheet_name(sheet or source.stem)
            with _scratch_file(output) as base:
                build_fresh(grid, data_sheet, base, others, data_index)
                plan = _write_package(base, temp, data_sheet, header_row, rows, columns, sheets, marks=marks,
                                      data_print=data_print)
    return WriteReport(output=output, backup=backup, sheet=data_sheet, first_added_column=plan.first_added_column,
                       added_sheets=plan.added_sheets, notes=fresh_notes + plan.notes)


def _check_columns(columns: Sequence[AddedColumn], rows: Sequence[int], header_row: int) -> None:
    rows_arr = np.asarray(rows, dtype=np.int64)
    if columns and (header_row < 0 or header_row in set(rows_arr.tolist())):  # 0: the sheet has no header row
        raise ValueError("header_row must be a 1-based row that holds no data record (or 0 for none)")
    if _repeats(rows_arr):
        raise ValueError("rows must not repeat")
    if len(rows_arr) and rows_arr.min() < 1:
        raise ValueError("rows are 1-based Excel row numbers")
    for col in columns:
        if len(col.values) != len(rows_arr):
            raise ValueError(f"column {col.header!r} has {len(col.values)} values for {len(rows_arr)} rows")


def _repeats(rows: np.ndarray) -> bool:
    """Whether a row number occurs twice. Rows come in ascending order from the reader, and that one pass
    settles it (np.unique sorts a million rows for a second)."""
    if (np.diff(rows) > 0).all():
        return False
    return len(np.unique(rows)) != len(rows)


@contextlib.contextmanager
def _scratch_file(output: Path) -> Iterator[Path]:
    handle, name = tempfile.mkstemp(prefix=".~kehu-base-", suffix=".xlsx", dir=output.parent)
    os.close(handle)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def _write_package(source: Path, out: Path, sheet: str, header_row: int, rows: Sequence[int],
                   columns: Sequence[AddedColumn], sheets: Sequence[TableSheet | BuiltSheet],
                   extent: tuple[int, int] | None = None, marks: MarkRequest | None = None,
                   data_print: DataSheetPrint | None = None) -> _Plan:
    with zipfile.ZipFile(source) as src:
        if "[Content_Types].xml" not in src.namelist():
            raise missing_content_types(source)
        strict = is_strict(src, _open_book(src)[1])
        if strict:   # edit a transitional copy; the result is a transitional workbook
            with _scratch_file(out) as base:
                write_transitional(src, base)
                plan = _write_package(base, out, sheet, header_row, rows, columns, sheets, extent, marks=marks,
                                      data_print=data_print)
            plan.notes.append(("输入是 Strict Open XML 格式，结果已按常规 .xlsx 格式写出（内容相同）。",
                               "The input is Strict Open XML; the result is written as a regular (transitional) "
                               ".xlsx with the same content."))
            return plan
    max_col = None
    for _ in range(2):   # a second pass only when a row still held cells in the added columns
        try:
            return _write_once(source, out, sheet, header_row, rows, columns, sheets, max_col, extent, marks=marks,
                               data_print=data_print)
        except ColumnsOverlap:
            with zipfile.ZipFile(source) as src:
                max_col = scan_max_column(src, _open_book(src)[0].sheet_member(sheet))
    raise AssertionError("unreachable: the scanned column bound cannot overlap")


def _open_book(src: zipfile.ZipFile) -> tuple[WorkbookPart, str]:
    try:
        member = find_workbook_part(src)
        rels = src.read(rels_path(member)) if rels_path(member) in src.namelist() else None
        return WorkbookPart(member, src.read(member), rels), member
    except (KeyError, etree.XMLSyntaxError) as exc:
        raise KehuError("文件不是有效的 Excel 工作簿（缺少工作簿部件）。",
                        "The file is not a valid Excel workbook (no workbook part).", ExitCode.INPUT_FILE) from exc


def _write_once(source: Path, out: Path, sheet: str, header_row: int, rows: Sequence[int],
                columns: Sequence[AddedColumn], sheets: Sequence[TableSheet | BuiltSheet],
                max_col: int | None, extent: tuple[int, int] | None = None,
                marks: MarkRequest | None = None, data_print: DataSheetPrint | None = None) -> _Plan:
    try:
        src = zipfile.ZipFile(source)
    except zipfile.BadZipFile as exc:
        raise KehuError(f"无法打开“{source.name}”：不是有效的 .xlsx/.xlsm 文件（可能已加密或损坏）。",
                        f"Cannot open '{source.name}': not a valid .xlsx/.xlsm package (encrypted or damaged?).",
                        ExitCode.INPUT_FILE) from exc
    with src:
        names = set(src.namelist())
        book, _ = _open_book(src)
        sheet_member = book.sheet_member(sheet)
        if sheet_member is None or sheet_member not in names:
            raise KehuError(f"工作簿中没有名为“{sheet}”的工作表。", f"The workbook has no worksheet named '{sheet}'.",
                            ExitCode.INPUT_CONTENT)
        types = ContentTypes(src.read("[Content_Types].xml"))
        styles_rel = next((r for r in book.rels if r.type == STYLES_REL), None)
        if styles_rel is not None:
            styles_member = resolve(book.member, styles_rel.target)
        else:   # rare: a package without styles; add one so our formats have a home
            styles_member = "xl/styles.xml"
            book.rels.append(Rel(next_rel_id(book.rels), STYLES_REL, relative(book.member, styles_member), False))
            book.changed = True
            types.override(styles_member, STYLES_CT)
        ran_before = bool(book.kehu_sheet_names()) or book.kehu_columns(sheet) is not None
        styles = StyleBook(src.read(styles_member) if styles_member in names else None, reuse=ran_before)

        plan = _Plan()
        if columns:
            _plan_columns(plan, src, names, book, styles, sheet_member, header_row, rows, columns, max_col, extent,
                          sheet, data_print)
            if marks is not None and plan.splice is not None:
                plan_marks(plan, src, names, book, styles, types, sheet, sheet_member, header_row, rows, columns,
                           marks)
        _plan_sheets(plan, src, names, book, styles, types, sheet, sheets)
        if types.changed:
            plan.changed["[Content_Types].xml"] = types.to_bytes()
        if book.changed:
            plan.changed[book.member] = book.to_bytes()
            plan.changed[book.rels_member()] = book.rels_bytes()
        _emit(plan, src, out, sheet_member, styles_member, styles)
        return plan


def _plan_columns(plan: _Plan, src: zipfile.ZipFile, names: set[str], book: WorkbookPart, styles: StyleBook,
                  sheet_member: str, header_row: int, rows: Sequence[int], columns: Sequence[AddedColumn],
                  max_col: int | None, extent: tuple[int, int] | None = None, sheet: str = "",
                  data_print: DataSheetPrint | None = None) -> None:
    if max_col is None:
        try:
            head = read_head(src, sheet_member)
        except ValueError as exc:   # e.g. prefixed SpreadsheetML (<x:sheetData>) from some generators
            raise KehuError("无法识别该工作表的 XML 结构，不能在原文件中追加列；请在 Excel 中另存为 .xlsx 后重试。",
                            "The sheet's XML layout is not one kehu can edit in place; re-save the file from "
                            "Excel as .xlsx and retry.", ExitCode.INPUT_FILE) from exc
        del head
    # the extent from the cells present (cells without r= counted), never from <dimension>, which may
    # under-report (cells overwritten) or claim the whole sheet (no free column)
    last_row, last_col = extent if extent and max_col is None else _scanned(src, sheet_member)
    max_col = max(max_col or 0, last_col)
    first_col, last_col = max_col + 1, max_col + len(columns)
    earlier = book.kehu_columns(sheet) if sheet else None
    if earlier and earlier[1] >= max_col and earlier[0] > 1:
        # an earlier run's columns are the last ones on the sheet: write over them instead of adding more
        first_col, last_col = earlier[0], earlier[0] + len(columns) - 1
    if last_col > MAX_COLS:
        raise KehuError("工作表已没有空余的列可以写入结果。", "The sheet has no free columns left for the results.",
                        ExitCode.OUTPUT)
    headers = [str(c.header) for c in columns]
    sheet_rels = rels_path(sheet_member)
    for rel in parse_rels(src.read(sheet_rels) if sheet_rels in names else None):
        table_member = resolve(sheet_member, rel.target)
        if rel.kind == "table" and not rel.external and table_member in names:
            grown = extend_table(src.read(table_member), header_row, first_col, headers)
            if grown:
                plan.changed[table_member], headers = grown
                break

    widths = {}
    for j, col in enumerate(columns):
        widths[first_col + j] = added_width(dataclasses.replace(col, header=headers[j]))
    header_style = styles.xf(role="header")
    header_xml = "".join(f'<c r="{column_letter(first_col + j)}{header_row}{header_fragment(h, header_style)}'
                         for j, h in enumerate(headers))
    # cells are made a batch of rows at a time while the sheet streams (see lazy_cells)
    cells = BatchedCells(rows, [(c.values, styles.style_for(c.number_format)) for c in columns], first_col,
                         header_row, header_xml, date1904=book.date1904)
    plan.splice = Splice(first_col=first_col, last_col=last_col, cells=cells, widths=widths,
                         sheet_max_row=last_row, replace=earlier if earlier and first_col == earlier[0] else None)
    if sheet and data_print is not None:
        plan.splice.page = _data_sheet_page(src, sheet_member, book, sheet, header_row, last_row, first_col,
                                            list(widths.values()), data_print)
    if sheet:
        book.mark_kehu_columns(sheet, first_col, last_col)
    plan.first_added_column = column_letter(first_col)


def _data_sheet_page(src: zipfile.ZipFile, member: str, book: WorkbookPart, sheet: str, header_row: int,
                     last_row: int, first_col: int, added_widths: list[float], data_print: DataSheetPrint) -> PageSetup:
    """The print setup the user's data sheet gets where it has none: its header row repeated, the id / name
    columns too when it is wider than a page, the print area over the data and the added columns."""
    widths = sheet_widths(read_head(src, member), first_col - 1) + added_widths
    # a scale the owner chose is kept; past TAIL_SCAN_BYTES it is not looked for, so such a sheet is not fitted
    scanned = src.getinfo(member).file_size <= TAIL_SCAN_BYTES
    page = for_sheet(widths, header_row or None, last_row, repeat=data_print.repeat_columns)
    page = dataclasses.replace(page, fit_to_width=scanned and not user_scaled(sheet_tail(src, member)))
    book.add_missing_local_names(sheet, defined_names(page, sheet))
    return page


def _scanned(src: zipfile.ZipFile, member: str) -> tuple[int, int]:
    scan = scan_sheet(src, member, want_errors=False)
    return scan.max_row, scan.max_col


def _table_registry(src: zipfile.ZipFile, names: set[str], types: ContentTypes) -> tuple[set[int], set[str]]:
    ids, table_names = set(), set()
    for member in names:
        if member.endswith(".xml") and (types.of(member) or "").endswith("table+xml"):
            root = parse_xml(src.read(member))
            ids.add(int(root.get("id", "0")))
            table_names.add((root.get("displayName") or root.get("name") or "").casefold())
    return ids, table_names


def _plan_sheets(plan: _Plan, src: zipfile.ZipFile, names: set[str], book: WorkbookPart, styles: StyleBook,
                 types: ContentTypes, data_sheet: str, sheets: Sequence[TableSheet | BuiltSheet]) -> None:
    if not sheets:
        return
    taken = set(names)
    table_ids, table_names = _table_registry(src, names, types)
    ours = book.kehu_sheet_names()
    for spec in sheets:
        wanted = clean_sheet_name(spec.name)
        if wanted.casefold() == data_sheet.casefold():
            raise KehuError(f"结果工作表不能与数据工作表同名：“{wanted}”。",
                            f"A result sheet cannot have the data sheet's name '{wanted}'.", ExitCode.USAGE)
        if wanted.casefold() in {n.casefold() for n in plan.added_sheets}:
            raise ValueError(f"sheet {wanted!r} is given twice")
        # a sheet of this name that kehu did not write is the user's: keep it, use a free name
        existing = {n.casefold() for n in book.sheet_names()}
        name = wanted
        if wanted.casefold() in existing and wanted.casefold() not in ours:
            # the first of 问题清单 (2), (3) … that is free or that kehu wrote itself on an earlier run
            theirs = {n for n in existing if n not in ours} | {n.casefold() for n in plan.added_sheets}
            name = free_sheet_name(wanted, theirs)
            plan.notes.append((f"工作簿里已有一张不是 kehu 生成的工作表“{wanted}”，它保持原样；结果写在新工作表“{name}”中。",
                               f"The workbook already has a sheet '{wanted}' that kehu did not write; it is kept as "
                               f"it was and the results are in a new sheet '{name}'."))
        if name != wanted and isinstance(spec, TableSheet):
            spec = dataclasses.replace(spec, name=name)
        if isinstance(spec, BuiltSheet):
            previous = book.sheet_member(name) if name.casefold() in ours else None
            if previous in names:   # a re-run reuses the part names of kehu's earlier copy (chart1 stays chart1)
                taken -= owned_parts(src, previous, names)
            lifted = transplant(build_scratch(name, spec.build), name, styles, taken, table_ids, table_names)
            plan.new_parts.update(lifted.parts)
            for member, content_type in lifted.content_types.items():
                types.override(member, content_type)
            for ext, content_type in lifted.defaults.items():
                types.ensure_default(ext, content_type)
            member = lifted.sheet_member
        elif isinstance(spec, TableSheet):
            # a sheet kehu wrote before keeps its part name, so a re-run changes only what changed
            previous = book.sheet_member(name) if name.casefold() in ours else None
            member = previous if previous in names else free_name("xl/worksheets/sheet1.xml", taken)
            taken.add(member)
            plan.streams[member] = (lambda spec=spec: table_sheet_xml(spec, styles, date1904=book.date1904))
            plan.stream_sizes[member] = (len(spec.data) + 2) * (len(spec.data.columns) + 1) * 48
            types.override(member, WORKSHEET_CT)
        else:
            raise TypeError(f"expected TableSheet or BuiltSheet, got {type(spec).__name__}")
        old = book.put_sheet(name, member)
        if old is not None and old in names:
            gone = owned_parts(src, old, names)
            plan.removed |= gone    # the old copy is not carried over; a reused part name is written anew
            for part in gone - {member} - set(plan.new_parts):   # a name the new copy reuses keeps its type
                types.remove(part)
        book.mark_kehu_sheet(name)
        if isinstance(spec, BuiltSheet):
            if lifted.state:
                book.set_sheet_state(name, lifted.state)
            book.replace_local_names(name, lifted.defined_names)
        else:  # a printed list repeats its header row (and its id columns when wide) on every page
            book.replace_local_names(name, defined_names(layout(spec).page, name))
            if spec.hidden:
                book.set_sheet_state(name, "hidden")
        plan.added_sheets.append(name)


def _emit(plan: _Plan, src: zipfile.ZipFile, out: Path, sheet_member: str, styles_member: str,
          styles: StyleBook) -> None:
    """Write the output zip: copied, changed and spliced members in source order, then new parts, then styles."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as dst:
        for info in src.infolist():
            name = info.filename
            if name in plan.removed or name == styles_member:
                continue   # styles.xml goes last: new sheets may still add formats while they stream
            if name == sheet_member and plan.splice is not None:
                added = plan.splice.cells.approx_size if hasattr(plan.splice.cells, "approx_size") else sum(
                    len(c) for c in plan.splice.cells.values())
                write_stream(dst, name, splice_sheet(src, name, plan.splice), fast=info.file_size > FAST_DEFLATE_BYTES,
                             zip64=info.file_size + 2 * added > ZIP64_BYTES, date_time=info.date_time)
            elif name in plan.changed:
                write_member(dst, name, plan.changed[name], date_time=info.date_time)
            else:
                copy_member(src, info, dst)
        for name, data in plan.new_parts.items():
            write_member(dst, name, data)
        for name, chunks in plan.streams.items():
            size = plan.stream_sizes[name]
            write_stream(dst, name, chunks(), fast=size > FAST_DEFLATE_BYTES, zip64=size > ZIP64_BYTES)
        if styles.changed or styles_member not in src.namelist():
            write_member(dst, styles_member, styles.to_bytes())
        else:
            copy_member(src, src.getinfo(styles_member), dst)
