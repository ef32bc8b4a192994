"""The new .xlsx made for a .csv/.xls/.xlsb/.ods/XML 2003 source: its data sheet and every other sheet's values."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any, Sequence

import xlsxwriter

from addin.errors import KehuError
from addin.write.package import copy_member, write_member, write_stream
from addin.write.styles import StyleBook
from addin.write.table_sheet import grid_sheet_xml
from addin.write.workbook_parts import clean_sheet_name, free_sheet_name

ZIP64_BYTES = 1 << 30            # parts that may pass 2 GiB need zip64 headers from the start


def build_fresh(grid: Sequence[Sequence[Any]], sheet_name: str, path: Path,
                others: Sequence[tuple[str, Sequence[Sequence[Any]]]] = (), data_index: int = 0) -> None:
    """A new .xlsx holding `grid` as sheet `sheet_name`, every value typed as read (text stays text).

    `others` are the source's other sheets (name, cells), in order; the data sheet goes at `data_index`.
    """
    sheets = [(name, rows) for name, rows in others]
    sheets.insert(min(data_index, len(sheets)), (sheet_name, grid))
    buffer = io.BytesIO()
    scratch = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name, _ in sheets:
        scratch.add_worksheet(name)
    scratch.close()
    skeleton = zipfile.ZipFile(buffer)
    styles = StyleBook(skeleton.read("xl/styles.xml"))
    members = {f"xl/worksheets/sheet{i}.xml": (name, rows) for i, (name, rows) in enumerate(sheets, start=1)}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as dst:
        for info in skeleton.infolist():
            if info.filename in members:
                name, rows = members[info.filename]
                n_cells = sum(len(r) for r in rows)
                write_stream(dst, info.filename, grid_sheet_xml(rows, styles, name),
                             fast=n_cells > 1_000_000, zip64=n_cells * 60 > ZIP64_BYTES)
            elif info.filename != "xl/styles.xml":
                copy_member(skeleton, info, dst)
        write_member(dst, "xl/styles.xml", styles.to_bytes())


def other_sheets(source: Path, source_kind: str | None, data_sheet: str
                  ) -> tuple[list[tuple[str, list[list[Any]]]], int, list[tuple[str, str]]]:
    """The other sheets of an .xls/.xlsb/.ods source (values only), the data sheet's place, and what to tell."""
    if source_kind not in ("xls", "xlsb", "ods", "xml2003"):
        return [], 0, []
    from addin.read.workbook import other_sheet_grids

    others, index, skipped = other_sheet_grids(source, source_kind, data_sheet)
    notes = []
    if others or skipped:
        carried = "、".join(n for n, _ in others) or "无"
        notes.append((f"“{source.name}”不是 .xlsx，结果是新建的 .xlsx：数据表和其他工作表（{carried}）的值都已带过来，"
                      f"但格式、公式、图表和宏没有保留；原文件未改动。",
                      f"{source.name} is not an .xlsx, so the result is a new .xlsx: the data sheet and the other "
                      f"sheets ({', '.join(n for n, _ in others) or 'none'}) are there as values, without formatting, "
                      f"formulas, charts or macros; the original file is untouched."))
    for name, (zh, en) in skipped:
        notes.append((f"工作表“{name}”没有带到结果中：{zh}", f"Sheet '{name}' is not in the result: {en}"))
    taken = {clean_sheet_name(data_sheet).casefold()}
    renamed = []
    for n, rows in others:
        name = free_sheet_name(clean_sheet_name(n), taken)
        taken.add(name.casefold())
        renamed.append((name, rows))
    return renamed, index, notes


def kind_of(source: Path) -> str | None:
    from addin.read.sniff import sniff

    try:
        return sniff(source)
    except KehuError:
        return None
