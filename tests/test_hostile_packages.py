"""Packages kehu used to mis-handle: no [Content_Types].xml, an Excel 4 macro sheet, Strict OOXML, XML Spreadsheet
2003 named .xls, entity expansion in a part."""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from addin.commands.clean import run_clean
from addin.errors import KehuError
from addin.read import read_table
from tests.hostile import HEADER, ROWS, register, rewrite

ROOT = Path(__file__).resolve().parents[1]

MACRO_SHEET = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><xm:macrosheet '
               b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               b'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData><row r="1"><c r="A1">'
               b'<f>RETURN()</f></c></row></sheetData></xm:macrosheet>')


def _kehu(*args, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "addin", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_missing_content_types_is_a_clear_refusal(tmp_path):
    src = rewrite(register(tmp_path / "a.xlsx"), tmp_path / "noct.xlsx",
                  lambda n, d: None if n == "[Content_Types].xml" else d)
    done = _kehu("clean", src, "-o", tmp_path / "o.xlsx")
    assert done.returncode == 3, done.stderr
    assert "[Content_Types].xml" in done.stderr and "Error:" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "o.xlsx").exists()


def test_excel4_macro_sheet_is_read_and_kept(tmp_path):
    def macro(name, data):
        if name == "xl/workbook.xml":
            return data.replace(b"</sheets>", b'<sheet name="Macro1" sheetId="9" r:id="rId99"/></sheets>')
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.microsoft.com/'
                                b'office/2006/relationships/xlMacrosheet" Target="macrosheets/sheet1.xml"/>'
                                b"</Relationships>")
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", b'<Override PartName="/xl/macrosheets/sheet1.xml" '
                                b'ContentType="application/vnd.ms-excel.macrosheet+xml"/></Types>')
        return data
    src = rewrite(register(tmp_path / "a.xlsx"), tmp_path / "m.xlsm", macro, {"xl/macrosheets/sheet1.xml": MACRO_SHEET})
    out = tmp_path / "o.xlsm"
    run_clean(src, out)
    with zipfile.ZipFile(out) as z:
        assert z.read("xl/macrosheets/sheet1.xml") == MACRO_SHEET
        assert b'name="Macro1"' in z.read("xl/workbook.xml")


STRICT = [(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
          (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
           b"http://purl.oclc.org/ooxml/officeDocument/relationships"),
          (b"http://schemas.openxmlformats.org/drawingml/2006/main", b"http://purl.oclc.org/ooxml/drawingml/main")]


def test_strict_ooxml_is_cleaned(tmp_path):
    def strict(name, data):
        for a, b in STRICT:
            data = data.replace(a, b)
        return data.replace(b"<workbook ", b'<workbook conformance="strict" ', 1) if name == "xl/workbook.xml" else data
    src = rewrite(register(tmp_path / "a.xlsx"), tmp_path / "s.xlsx", strict)
    assert b"purl.oclc.org" in zipfile.ZipFile(src).read("xl/workbook.xml")
    out = tmp_path / "o.xlsx"
    run_clean(src, out)
    wb = openpyxl.load_workbook(out)   # openpyxl reads only transitional packages
    assert [[c.value for c in r][:3] for r in wb["客户档案"].iter_rows()] == [HEADER] + ROWS
    assert "问题清单" in wb.sheetnames


XML2003 = """<?xml version="1.0" encoding="UTF-8"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="封面"><Table><Row><Cell><Data ss:Type="String">2024 客户名单</Data></Cell></Row></Table></Worksheet>
 <Worksheet ss:Name="客户档案"><Table>
  <Row>{header}</Row>
  {rows}
  <Row ss:Index="6"><Cell ss:Index="2"><Data ss:Type="String">赵六</Data></Cell><Cell><Data ss:Type="Number">13600001111</Data></Cell></Row>
 </Table></Worksheet>
</Workbook>"""


def test_xml_spreadsheet_2003_named_xls(tmp_path):
    cell = '<Cell><Data ss:Type="String">{}</Data></Cell>'
    text = XML2003.format(header="".join(cell.format(h) for h in HEADER),
                          rows="".join("<Row>" + "".join(cell.format(v) for v in r) + "</Row>" for r in ROWS))
    src = tmp_path / "名单.xls"
    src.write_text(text, encoding="utf-8")
    t = read_table(src)
    assert t.source_kind == "xml2003" and t.sheet == "客户档案"
    assert t.df["姓名"].tolist() == ["张伟", "李娜", "王芳", "赵六"]        # row 6 placed by ss:Index, cell B by ss:Index
    assert t.rows.tolist() == [2, 3, 4, 6]
    out = tmp_path / "o.xlsx"
    run_clean(src, out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:2] == ["封面", "客户档案"] and wb["封面"]["A1"].value == "2024 客户名单"


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;'
          b'&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
          b'<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
          b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1">'
          b'<numFmt numFmtId="164" formatCode="&lol4;"/></numFmts></styleSheet>')


def test_entity_expansion_in_styles_is_refused(tmp_path):
    src = rewrite(register(tmp_path / "a.xlsx"), tmp_path / "lol.xlsx",
                  lambda n, d: LAUGHS if n == "xl/styles.xml" else d)
    done = _kehu("clean", src, "-o", tmp_path / "o.xlsx")
    assert done.returncode == 3, done.stderr
    assert "Error:" in done.stderr and "Traceback" not in done.stderr and "内部错误" not in done.stderr


def test_writer_parses_parts_without_entities():
    from addin.write.styles import StyleBook

    with pytest.raises(KehuError) as caught:
        StyleBook(LAUGHS)
    assert caught.value.code == 3 and "styles.xml" in caught.value.en
