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


def ods(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    """A minimal OpenDocument spreadsheet, written by hand (string cells only)."""
    from xml.sax.saxutils import escape

    tables = []
    for name, rows in sheets.items():
        body = "".join("<table:table-row>" + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'
            for v in row) + "</table:table-row>" for row in rows)
        tables.append(f'<table:table table:name="{escape(name)}">{body}</table:table>')
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:spreadsheet>' + "".join(tables) +
               '</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path
