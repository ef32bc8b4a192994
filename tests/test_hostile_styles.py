"""A workbook with an empty or missing styles part: original cells keep the default style; Excel's defaults exist."""
from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest

from addin.commands.clean import run_clean
from tests.hostile import SHEET, register, rewrite

EMPTY = b'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'


def _strip_styles(name, data):
    if name == "xl/styles.xml":
        return None
    if name == "xl/_rels/workbook.xml.rels":
        return re.sub(rb'<Relationship [^>]*styles[^>]*/>', b"", data)
    if name == "[Content_Types].xml":
        return re.sub(rb'<Override [^>]*styles\.xml[^>]*/>', b"", data)
    if name == SHEET:
        return re.sub(rb' s="\d+"', b"", data)
    return data


@pytest.mark.parametrize("case", ["empty", "missing"])
def test_original_cells_keep_plain_style(tmp_path, case):
    edit = (lambda n, d: EMPTY if n == "xl/styles.xml" else re.sub(rb' s="\d+"', b"", d) if n == SHEET else d) \
        if case == "empty" else _strip_styles
    src = rewrite(register(tmp_path / "a.xlsx"), tmp_path / f"{case}.xlsx", edit)
    out = tmp_path / "out.xlsx"
    run_clean(src, out)
    ws = openpyxl.load_workbook(out)["客户档案"]
    for row in ws.iter_rows(min_col=1, max_col=3):
        for cell in row:
            assert not cell.font.b and cell.fill.fill_type in (None, "none"), cell.coordinate
    assert ws.cell(1, 4).font.b                                         # kehu's header is still bold
    styles = zipfile.ZipFile(out).read("xl/styles.xml")
    # Excel's required defaults: fill 0 none, fill 1 gray125, a Normal cell style
    fills = re.findall(rb'patternType="(\w+)"', styles)
    assert fills[:2] == [b"none", b"gray125"]
    assert b"<cellStyleXfs" in styles and b"<cellXfs" in styles
