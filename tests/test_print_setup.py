"""Every sheet kehu writes or extends is ready to print (issue 16 part 3), checked as a user would meet it:
openpyxl reads the page setup of each written sheet; every header fits its column at the widths set (text width
measured here, independently of kehu, with East-Asian wide characters counted two); LibreOffice prints the
sample outputs in few, readable pages.
"""
from __future__ import annotations

import math
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from benchmarks.make_complaint_log import make_log, make_register

SAMPLES = Path(__file__).resolve().parents[1] / "workbook_templates" / "samples"
USER_SHEETS = {"客户档案", "答卷", "题目", "Sheet1", "投诉记录"}   # sheets of the inputs themselves


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    """Every job's result on the bundled samples (and a generated complaint log), through the command line."""
    from typer.testing import CliRunner

    from addin.cli import app

    tmp = tmp_path_factory.mktemp("printed")
    log, _ = make_log(400, 5, make_register(200, 4))
    log.to_excel(tmp / "投诉记录.xlsx", index=False, sheet_name="投诉记录")
    runs = {
        "clean": ["clean", SAMPLES / "sample_register.xlsx"],
        "dedupe": ["dedupe", SAMPLES / "sample_register.xlsx"],
        "survey": ["survey", SAMPLES / "sample_survey.xlsx"],
        "segment": ["segment", SAMPLES / "sample_register.xlsx", "--orders", SAMPLES / "sample_orders.xlsx",
                    "--as-of", "2024-06-30"],
        "complaints": ["complaints", tmp / "投诉记录.xlsx", "--as-of", "2025-01-15"],
    }
    out = {}
    for name, args in runs.items():
        target = tmp / f"{name}.xlsx"
        result = CliRunner().invoke(app, [str(a) for a in args] + ["-o", str(target), "-q"])
        assert result.exit_code == 0, result.output
        out[name] = target
    return out


OVERVIEW_SHEETS = {"总览"}   # the one-page summary of each run (addin/report/overview.py)


def _written_sheets(path: Path):
    """The visible sheets of a result: kehu's own, and the user's data sheet when kehu added columns to it."""
    book = openpyxl.load_workbook(path)
    kehu = {ws.title for ws in book.worksheets if "_kehu_sheet" in ws.defined_names}
    extended = {ws.title for ws in book.worksheets if "_kehu_columns" in ws.defined_names}
    return book, [ws for ws in book.worksheets if ws.sheet_state == "visible" and ws.title in kehu | extended]


def test_every_written_sheet_has_a_page_setup(outputs):
    seen = 0
    for job, path in outputs.items():
        book, sheets = _written_sheets(path)
        assert sheets, job
        for ws in sheets:
            where = f"{job}: {ws.title}"
            setup = ws.page_setup
            assert ws.sheet_properties.pageSetUpPr.fitToPage, where
            overview = ws.title in OVERVIEW_SHEETS
            if overview:   # one A4 page (tests/test_overview_pages.py counts the rendered pages)
                assert (setup.fitToWidth or 1) == 1 and (setup.fitToHeight or 1) == 1, where
            else:
                assert setup.fitToHeight == 0, where                 # as many pages long as it needs
            assert setup.paperSize == 9, where                       # A4
            assert setup.orientation in ("landscape", "portrait"), where
            assert overview or ws.print_title_rows, where
            assert ws.print_area, where
            footer = (ws.oddFooter.left.text, ws.oddFooter.center.text, ws.oddFooter.right.text)
            assert footer == ("&F", "&A", "&P / &N"), where
            # the print area covers every cell with a value
            area = re.sub(r"^.*!", "", ws.print_area if isinstance(ws.print_area, str) else ws.print_area[0])
            last = re.findall(r"\$([A-Z]+)\$(\d+)", area)[-1]
            assert int(last[1]) >= ws.max_row and openpyxl.utils.column_index_from_string(last[0]) >= ws.max_column, where
            if ws.title in USER_SHEETS:
                # the user's data sheet, as wide as it is: fitted to pages at 40 % or more, id columns repeated
                width = sum(_width(ws, c) for c in range(1, ws.max_column + 1))
                assert setup.fitToWidth == max(1, math.ceil(width / (10.69 * 96 / 7 / 0.4))), where
                if setup.fitToWidth > 1:
                    assert ws.print_title_cols, where
            elif not overview:
                assert setup.fitToWidth == 1, where
            seen += 1
    assert seen >= 20


def test_a_users_own_page_setup_is_kept(tmp_path):
    """Only what the user's sheet lacks is added: their orientation, margins and print titles stay."""
    src = tmp_path / "mine.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "客户档案"
    ws.append(["客户编号", "姓名", "手机"])
    for i in range(30):
        ws.append([f"C{i:04d}", "张伟", "13800138000"])
    ws.page_setup.orientation = "portrait"
    ws.page_margins.left = 1.25
    ws.print_title_rows = "1:1"
    ws.page_setup.scale = 80
    book.save(src)
    from addin.commands.clean import run_clean

    run_clean(src, tmp_path / "out.xlsx", quiet=True)
    out = openpyxl.load_workbook(tmp_path / "out.xlsx")["客户档案"]
    assert out.page_setup.orientation == "portrait"
    assert out.page_margins.left == 1.25
    assert out.print_title_rows == "$1:$1"
    assert out.page_setup.scale == 80 and not (out.sheet_properties.pageSetUpPr and
                                               out.sheet_properties.pageSetUpPr.fitToPage)   # their scale, not fitted
    assert out.oddFooter.center.text == "&A" and out.print_area    # what it lacked was added
    # in place, the sheet's page setup is left alone unless asked for
    run_clean(src, None, in_place=True, quiet=True)
    assert openpyxl.load_workbook(src)["客户档案"].oddFooter.center.text is None
    run_clean(src, None, in_place=True, print_setup=True, quiet=True)   # --in-place --print-setup
    mine = openpyxl.load_workbook(src)["客户档案"]
    assert mine.oddFooter.center.text == "&A" and mine.page_setup.orientation == "portrait"


# -- headers that fit ---------------------------------------------------------------------------------------

def _text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _lines(text: str, room: float) -> int:
    """Lines a wrapped cell needs, greedily: a wide character may start a line, a narrow word only whole."""
    lines, used = 1, 0
    for token in re.findall(r"\s+|[^\s\u2e80-\uffff]+|.", text):
        w = _text_width(token)
        if token.isspace():
            used += w if used else 0
        elif used and used + w > room:
            lines, used = lines + 1, w
        else:
            used += w
    return lines


def _width(ws, col: int) -> float:
    for dim in ws.column_dimensions.values():
        if dim.min and dim.max and dim.min <= col <= dim.max and dim.customWidth:
            return float(dim.width)
    return float(ws.sheet_format.defaultColWidth or 8.43)


def _headers(ws):
    """Cells styled as headers (bold on a fill) that are not merged across columns (a title spans its row)."""
    merged = {(r, c) for m in ws.merged_cells.ranges for r in range(m.min_row, m.max_row + 1)
              for c in range(m.min_col, m.max_col + 1)}
    for row in ws.iter_rows():
        for c in row:
            if (isinstance(c.value, str) and c.font and c.font.b and c.fill and c.fill.fill_type == "solid"
                    and (c.row, c.column) not in merged):
                yield c


def test_no_header_is_clipped_at_the_widths_set(outputs):
    checked, clipped, first_added = 0, [], {}
    for job, path in outputs.items():
        book, sheets = _written_sheets(path)
        for ws in sheets:
            if "_kehu_columns" in ws.defined_names:
                letters = re.findall(r"\$([A-Z]+)", ws.defined_names["_kehu_columns"].attr_text)
                first_added[(job, ws.title)] = openpyxl.utils.column_index_from_string(letters[0])
        for ws in sheets:
            for cell in _headers(ws):
                if ws.title in USER_SHEETS and cell.column < first_added.get((job, ws.title), 1):
                    continue                                  # the user's own header cells
                room = _width(ws, cell.column) - 0.75        # the cell's padding: 5 px of a 7 px unit
                height = ws.row_dimensions[cell.row].height or 15
                lines = max(1, int((height + 2) // 13.5)) if cell.alignment.wrap_text else 1
                need = _lines(cell.value, room) if cell.alignment.wrap_text else (1 if _text_width(cell.value) <= room else 2)
                checked += 1
                if need > lines:
                    clipped.append(f"{job}/{ws.title}!{cell.coordinate} {cell.value!r}: width {room + 0.75:.1f}, "
                                   f"{need} lines in a row of {lines}")
    assert checked > 100
    assert not clipped, "\n".join(clipped[:20])


# -- as LibreOffice prints them -------------------------------------------------------------------------------

_FOOTER = re.compile(r"\.xlsx\s{2,}(\S.*?)\s{2,}(\d+)\s*/\s*(\d+)\s*$")


def _pages_per_sheet(xlsx: Path, out: Path) -> Counter:
    """Printed pages of each sheet, told apart by the footer kehu puts on every page (file, sheet, page x / y)."""
    subprocess.run(["soffice", f"-env:UserInstallation=file://{out}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(xlsx)], check=True, capture_output=True, timeout=300)
    pdf = out / (xlsx.stem + ".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    sheets = Counter()
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        found = [m for m in map(_FOOTER.search, text.splitlines()) if m]
        sheets[found[-1].group(1) if found else "(no footer)"] += 1
    return sheets


@pytest.mark.libreoffice
@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="needs LibreOffice and poppler")
def test_the_sample_outputs_print_in_few_readable_pages(outputs, tmp_path):
    clean = _pages_per_sheet(outputs["clean"], tmp_path)
    assert 1 <= clean["客户档案"] <= 3, clean          # was 22 pages, the 问题 column alone on some
    assert clean["问题清单"] >= 1 and "(no footer)" not in clean, clean
    dedupe = _pages_per_sheet(outputs["dedupe"], tmp_path)
    assert 1 <= dedupe["查重说明"] <= 2, dedupe         # was 13 pages of settings JSON
    assert "查重设置" not in dedupe                    # the settings sit in a hidden sheet
    # 去重结果 is fitted to the page width only: 57 customers at a legible scale take one page or more,
    # never a page shrunk to fit the whole list regardless of its length
    book = openpyxl.load_workbook(outputs["dedupe"])
    assert book["去重结果"].page_setup.fitToHeight == 0 and dedupe["去重结果"] >= 1
    assert "(no footer)" not in dedupe, dedupe


def test_no_report_column_mixes_percentages_with_points(outputs):
    """In each table of 满意度报告 (a header row, the rows under it up to a blank row) a column holds either
    percentages or plain numbers (scores, points, counts), never both."""
    ws = openpyxl.load_workbook(outputs["survey"])["满意度报告"]
    header_rows = sorted({c.row for c in _headers(ws)})
    mixed, tables = [], 0
    for top in header_rows:
        if top - 1 in header_rows:
            continue
        units: dict[int, set] = {}
        r = top + 1
        while r <= ws.max_row and r not in header_rows and any(ws.cell(r, c).value is not None
                                                               for c in range(1, ws.max_column + 1)):
            for c in range(1, ws.max_column + 1):
                cell = ws.cell(r, c)
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    units.setdefault(c, set()).add("%" in cell.number_format)
            r += 1
        tables += 1
        mixed += [f"{get_column_letter(c)}{top + 1}:{get_column_letter(c)}{r - 1}" for c, u in units.items() if len(u) > 1]
    assert tables >= 10
    assert not mixed, mixed


def test_fractions_on_kehu_sheets_have_a_number_format(outputs):
    """A share, score or amount that kehu writes shows as one (0.0 %, 0.00, #,##0.00), never as General's
    0.123456789; the user's own columns keep their formats."""
    general = []
    for job, path in outputs.items():
        book, sheets = _written_sheets(path)
        for ws in sheets:
            if ws.title in USER_SHEETS:
                continue
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, float) and not c.value.is_integer() and c.number_format == "General":
                        general.append(f"{job}/{ws.title}!{c.coordinate} {c.value}")
    assert not general, general[:10]
