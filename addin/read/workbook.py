"""Raw cell grids from workbooks via python-calamine, plus what calamine hides: error cells and merges."""
from __future__ import annotations

import posixpath
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from addin.errors import ExitCode, KehuError

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ERROR_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?t="e"[^>]*>(?:<f[^>]*/>|<f[^>]*>.*?</f>)?<v>([^<]*)</v>')


@dataclass
class SheetGrid:
    name: str
    rows: list[list[object]]                  # row-major from A1; '' from calamine is turned into None later
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row0, col0, row1, col1), 0-based
    errors: dict[tuple[int, int], str] = field(default_factory=dict)       # (row0, col0) → "#N/A"


def open_workbook(path: Path):
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every parse failure
        if path.suffix.lower() == ".xls":
            raise KehuError(f"无法读取旧版 Excel 文件“{path.name}”（{_short(exc)}）。请在 Excel 中另存为 .xlsx 后再试。",
                            f"Cannot read the old-format workbook {path.name} ({_short(exc)}). Save it as .xlsx in "
                            f"Excel and try again.", ExitCode.INPUT_FILE) from None
        raise KehuError(f"工作簿“{path.name}”已损坏，无法读取（{_short(exc)}）。请在 Excel 中打开并另存为 .xlsx。",
                        f"{path.name} is damaged and cannot be read ({_short(exc)}). Open it in Excel and save it "
                        f"as .xlsx again.", ExitCode.INPUT_FILE) from None


def read_sheet(book, path: Path, name: str, kind: str) -> SheetGrid:
    # The error-cell scan inflates the sheet XML with zlib, which releases the GIL: run it beside
    # calamine's parse instead of after it.
    with ThreadPoolExecutor(max_workers=1) as pool:
        scan = pool.submit(error_cells, path, name) if kind == "ooxml" else None
        try:
            sheet = book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
        except Exception as exc:
            raise KehuError(f"读取“{path.name}”的工作表“{name}”失败（{_short(exc)}）。",
                            f"Failed to read sheet '{name}' of {path.name} ({_short(exc)}).",
                            ExitCode.INPUT_FILE) from None
        errors = scan.result() if scan else {}
    merged = []
    try:
        for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
            merged.append((r0, c0, r1, c1))
    except Exception:  # older calamine builds: merges are then simply not filled down
        merged = []
    return SheetGrid(name, rows, merged, errors)


def error_cells(path: Path, sheet_name: str) -> dict[tuple[int, int], str]:
    """Cells holding an Excel error (#N/A, #DIV/0! …), which calamine reports as empty."""
    out: dict[tuple[int, int], str] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            part = sheet_part(zf, sheet_name)
            if part is None:
                return out
            tail = b""
            with zf.open(part) as fh:
                while True:
                    chunk = fh.read(8 << 20)
                    if not chunk:
                        break
                    data = tail + chunk
                    cut = data.rfind(b"</c>") + 4 if chunk else len(data)
                    if b't="e"' in data[:cut]:
                        for m in _ERROR_CELL.finditer(data, 0, cut):
                            out[(int(m.group(2)) - 1, _col_index(m.group(1)))] = m.group(3).decode("utf-8")
                    tail = data[cut:]
    except (zipfile.BadZipFile, KeyError, OSError):
        return out
    return out


def sheet_part(zf: zipfile.ZipFile, sheet_name: str) -> str | None:
    """Zip member name of a sheet's XML, found through workbook.xml and its relationships."""
    wb = ET.fromstring(zf.read("xl/workbook.xml"))
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(_NS_PKG_REL + "Relationship")}
    for s in wb.iter(_NS_MAIN + "sheet"):
        if s.get("name") == sheet_name:
            target = targets.get(s.get(_NS_REL + "id"))
            if target is None:
                return None
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return None


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
