"""Build hostile or unusual workbooks in a test: a plain register from xlsxwriter, then its zip members edited."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Callable, Optional

import xlsxwriter

HEADER = ["客户编号", "姓名", "手机"]
ROWS = [["C001", "张伟", "13800138000"], ["C002", "李娜", "13912345678"], ["C003", "王芳", "13700001111"]]
SHEET = "xl/worksheets/sheet1.xml"


def register(path: Path, extra_sheets: dict[str, list[list]] | None = None) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = wb.add_worksheet("客户档案")
    for i, row in enumerate([HEADER] + ROWS):
        ws.write_row(i, 0, row)
    for name, rows in (extra_sheets or {}).items():
        other = wb.add_worksheet(name)
        for i, row in enumerate(rows):
            other.write_row(i, 0, row)
    wb.close()
    return path


def rewrite(src: Path, dst: Path, edit: Callable[[str, bytes], Optional[bytes]],
            add: dict[str, bytes] | None = None) -> Path:
    """Copy a package member by member through `edit` (None drops a member); `add` appends members."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = edit(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info.filename, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


def edit_sheet(fn: Callable[[bytes], bytes]) -> Callable[[str, bytes], bytes]:
    return lambda name, data: fn(data) if name == SHEET else data


def without_refs(xml: bytes) -> bytes:
    """Cells (and rows) without r=, and no <dimension>: legal OOXML some exporters write."""
    xml = re.sub(rb'(<c) r="[A-Z]+\d+"', rb"\1", xml)
    xml = re.sub(rb'(<row) r="\d+"', rb"\1", xml)
    return re.sub(rb"<dimension[^>]*/>", b"", xml)
