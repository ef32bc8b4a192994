"""Raw cell grids from workbooks via python-calamine, plus what calamine hides: error cells and merges."""
from __future__ import annotations

import re

import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from addin.errors import ExitCode, KehuError
from addin.read.limits import check_cells, check_package, parse_xml, verify_members
from addin.read.package_check import explain_package, without_macro_sheets
from addin.read.sheet_scan import SheetScan, scan_sheet

KEHU_MARK = "_kehu_sheet"   # the marker addin/write/workbook_parts.py puts on every sheet kehu writes



@dataclass
class SheetGrid:
    name: str
    rows: list[list[object]]                  # row-major from A1; '' from calamine is turned into None later
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row0, col0, row1, col1), 0-based
    errors: dict[tuple[int, int], str] = field(default_factory=dict)       # (row0, col0) → "#N/A"
    extent: tuple[int, int] | None = None     # (last row, last column), 1-based, of the cells in the sheet XML


def open_workbook(path: Path, kind: str = "ooxml"):
    from python_calamine import CalamineWorkbook

    if kind in ("ooxml", "xlsb", "ods"):   # zip packages: sizes and ratios checked before calamine inflates
        check_zip_limits(path)
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every parse failure
        if "cell limit" in str(exc).lower():
            raise too_large(path) from None
        if kind == "ooxml" and "sheet:type" in str(exc):   # an Excel 4 macro sheet or a dialog sheet
            readable = without_macro_sheets(path)
            if readable is not None:
                import io

                return CalamineWorkbook.from_filelike(io.BytesIO(readable))
        if kind == "ooxml":
            explained = explain_package(path)
            if explained is not None:
                raise explained from None
        if path.suffix.lower() == ".xls":
            raise KehuError(f"无法读取旧版 Excel 文件“{path.name}”（{_short(exc)}）。请在 Excel 中另存为 .xlsx 后再试。",
                            f"Cannot read the old-format workbook {path.name} ({_short(exc)}). Save it as .xlsx in "
                            f"Excel and try again.", ExitCode.INPUT_FILE) from None
        raise KehuError(f"工作簿“{path.name}”已损坏，无法读取（{_short(exc)}）。请在 Excel 中打开并另存为 .xlsx。",
                        f"{path.name} is damaged and cannot be read ({_short(exc)}). Open it in Excel and save it "
                        f"as .xlsx again.", ExitCode.INPUT_FILE) from None


def too_large(path: Path, sheet: str | None = None) -> KehuError:
    """calamine's own ceiling on a sheet's cells (one far-away cell makes the range huge)."""
    where_zh = f"的工作表“{sheet}”" if sheet else ""
    where_en = f"Sheet '{sheet}' of {path.name}" if sheet else f"A sheet of {path.name}"
    return KehuError(f"“{path.name}”{where_zh}的范围太大（可能远处有一个多余的单元格），超过读取上限，原文件未改动。"
                     f"请删除远离数据的单元格后另存，再试一次。",
                     f"{where_en} spans too many cells (perhaps one stray cell far from the data), beyond the "
                     f"reading limit; the file is untouched. Delete the cells far from the data, save, and retry.",
                     ExitCode.INPUT_FILE)


def check_zip_limits(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            check_package(zf, path.name)
            whole = [n for n in zf.namelist() if n.lower().endswith(("sharedstrings.xml", "styles.xml", "workbook.xml",
                                                                     "workbook.xml.rels", "content.xml"))]
            verify_members(zf, path.name, whole)
    except (zipfile.BadZipFile, OSError):
        return   # calamine says what is wrong with it


def read_sheet(book, path: Path, name: str, kind: str) -> SheetGrid:
    scan = None
    if kind == "ooxml":
        # the real extent first: calamine builds a dense grid, and one far cell (XFD1048576) would
        # ask it for hundreds of gigabytes
        scan = sheet_scan(path, name)
        if scan is not None:
            check_cells(path.name, name, scan.max_row, scan.max_col,
                        f"{column_letter(max(scan.max_col, 1) - 1)}{max(scan.max_row, 1)}")
    try:
        sheet = book.get_sheet_by_name(name)
        if scan is None:
            check_cells(path.name, name, sheet.height, sheet.width,
                        f"{column_letter(max(sheet.width, 1) - 1)}{max(sheet.height, 1)}")
        rows = sheet.to_python(skip_empty_area=False)
    except KehuError:
        raise
    except Exception as exc:
        if "cell limit" in str(exc).lower():
            raise too_large(path, name) from None
        raise KehuError(f"读取“{path.name}”的工作表“{name}”失败（{_short(exc)}）。",
                        f"Failed to read sheet '{name}' of {path.name} ({_short(exc)}).",
                        ExitCode.INPUT_FILE) from None
    merged = []
    try:
        for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
            merged.append((r0, c0, r1, c1))
    except Exception:  # older calamine builds: merges are then simply not filled down
        merged = []
    return SheetGrid(name, rows, merged, scan.errors if scan else {},
                     (scan.max_row, scan.max_col) if scan else None)


def other_sheet_grids(path: Path, kind: str, data_sheet: str):
    """Every sheet but the data sheet, as cells (for .xls/.xlsb/.ods, whose result is a new .xlsx).

    Returns ([(name, rows)], index of the data sheet among all sheets, [(name, (zh, en)) not carried]).
    """
    if kind == "xml2003":
        from addin.read.xml2003 import XmlSpreadsheetBook

        book = XmlSpreadsheetBook(path)
    else:
        book = open_workbook(path, kind)
    names = list(book.sheet_names)
    out, skipped = [], []
    for name in names:
        if name == data_sheet:
            continue
        try:
            grid = read_sheet(book, path, name, kind)
        except KehuError as exc:
            skipped.append((name, (exc.zh, exc.en)))
            continue
        out.append((name, [[None if v == "" else v for v in row] for row in grid.rows]))
    return out, names.index(data_sheet) if data_sheet in names else 0, skipped


def kehu_sheets(path: Path) -> set[str]:
    """Names of the sheets a previous kehu run wrote (marked by a hidden sheet-scoped defined name)."""
    try:
        with zipfile.ZipFile(path) as zf:
            wb = parse_xml(zf.read(workbook_member(zf)), where="workbook")
    except (zipfile.BadZipFile, KeyError, OSError):
        return set()
    sheets = [s.get("name") for s in wb.iter() if _local(s.tag) == "sheet"]
    marked = set()
    for dn in wb.iter():
        index = dn.get("localSheetId") if _local(dn.tag) == "definedName" else None
        if dn.get("name") == KEHU_MARK and index and index.isdigit() and int(index) < len(sheets):
            marked.add(sheets[int(index)])
    return marked


KEHU_COLUMNS = "_kehu_columns"  # the marker addin/write/workbook_parts.py puts over kehu's added columns
_COLUMN_RANGE = re.compile(r"!\$?([A-Z]{1,3})(?:\$?\d+)?:\$?([A-Z]{1,3})(?:\$?\d+)?$")


def kehu_columns(path: Path) -> dict[str, tuple[int, int]]:
    """sheet name → 0-based (first, last) of the columns a previous kehu run added there (from its marker)."""
    try:
        with zipfile.ZipFile(path) as zf:
            wb = parse_xml(zf.read(workbook_member(zf)), where="workbook")
    except (zipfile.BadZipFile, KeyError, OSError):
        return {}
    sheets = [s.get("name") for s in wb.iter() if _local(s.tag) == "sheet"]
    out = {}
    for dn in wb.iter():
        index = dn.get("localSheetId") if _local(dn.tag) == "definedName" else None
        if dn.get("name") == KEHU_COLUMNS and index and index.isdigit() and int(index) < len(sheets):
            m = _COLUMN_RANGE.search((dn.text or "").strip())
            if m:
                out[sheets[int(index)]] = (_index0(m.group(1)), _index0(m.group(2)))
    return out


def _index0(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def sheet_scan(path: Path, sheet_name: str) -> SheetScan | None:
    """Extent and error cells (#N/A, #DIV/0! …, which calamine reports as empty) of one sheet."""
    try:
        with zipfile.ZipFile(path) as zf:
            part = sheet_part(zf, sheet_name)
            if part is None or part not in zf.namelist():
                return None
            return scan_sheet(zf, part)
    except (zipfile.BadZipFile, OSError):
        return None


def error_cells(path: Path, sheet_name: str) -> dict[tuple[int, int], str]:
    """Cells holding an Excel error (#N/A, #DIV/0! …), which calamine reports as empty."""
    scan = sheet_scan(path, sheet_name)
    return scan.errors if scan else {}


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _attr(element, local: str):
    """An attribute by local name, whatever its namespace (transitional or Strict OOXML)."""
    for key, value in element.attrib.items():
        if key.rsplit("}", 1)[-1] == local and (key.startswith("{") or local != "id"):
            return value
    return None


def sheet_part(zf: zipfile.ZipFile, sheet_name: str) -> str | None:
    """Zip member name of a sheet's XML, found through workbook.xml and its relationships."""
    book_member = workbook_member(zf)
    rels_member = posixpath.join(posixpath.dirname(book_member), "_rels", posixpath.basename(book_member) + ".rels")
    wb = parse_xml(zf.read(book_member), where=book_member)
    rels = parse_xml(zf.read(rels_member), where=rels_member) if rels_member in zf.namelist() else None
    targets = {r.get("Id"): r.get("Target") for r in (rels.iter() if rels is not None else [])
               if _local(r.tag) == "Relationship"}
    for s in wb.iter():
        if _local(s.tag) == "sheet" and s.get("name") == sheet_name:
            target = targets.get(_attr(s, "id"))
            if target is None:
                return None
            base = posixpath.dirname(book_member)
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
    return None


def workbook_member(zf: zipfile.ZipFile) -> str:
    """The workbook part named by the package's officeDocument relationship (xl/workbook.xml as a rule)."""
    if "_rels/.rels" in zf.namelist():
        for r in parse_xml(zf.read("_rels/.rels"), where="_rels/.rels").iter():
            if _local(r.tag) == "Relationship" and (r.get("Type") or "").endswith("/officeDocument"):
                return posixpath.normpath((r.get("Target") or "").lstrip("/"))
    return "xl/workbook.xml"


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def column_letter(index0: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    s = ""
    n = index0 + 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]
