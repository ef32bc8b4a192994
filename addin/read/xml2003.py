"""XML Spreadsheet 2003 (Excel's "XML 电子表格" save format, often named .xls): sheets as raw cell grids.

Cells and rows place themselves with ss:Index (1-based) or follow the previous one; ss:MergeAcross /
ss:MergeDown give merges. Parsed with entity expansion and network access off.
"""
from __future__ import annotations

from pathlib import Path

from addin.errors import ExitCode, KehuError
from addin.read.limits import EXCEL_MAX_COLS, EXCEL_MAX_ROWS, check_cells, current

SS = "urn:schemas-microsoft-com:office:spreadsheet"
_Q = "{%s}" % SS
MARK = SS.encode()


def is_xml2003(head: bytes) -> bool:
    return head.lstrip().startswith((b"<?xml", b"\xef\xbb\xbf<?xml")) and MARK in head


def read_xml2003(path: Path) -> list[tuple[str, list[list[object]], list[tuple[int, int, int, int]]]]:
    """[(sheet name, rows, merges)] for every worksheet, in order."""
    if path.stat().st_size > current().max_part_bytes:
        raise KehuError(f"“{path.name}”太大，超出 kehu 的安全上限。可用 --max-cells 提高上限。",
                        f"{path.name} is larger than kehu's safety limit; raise it with --max-cells.",
                        ExitCode.INPUT_FILE)
    from lxml import etree   # here, not at the top: xlwings Lite imports the reader's tables but reads no files

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as exc:
        raise KehuError(f"“{path.name}”是 XML 电子表格，但内容已损坏（{str(exc)[:80]}）。请在 Excel 中另存为 .xlsx。",
                        f"{path.name} is an XML Spreadsheet but is damaged ({str(exc)[:80]}). Save it as .xlsx "
                        f"in Excel.", ExitCode.INPUT_FILE) from None
    out = []
    for sheet in root.iter(_Q + "Worksheet"):
        name = sheet.get(_Q + "Name") or f"Sheet{len(out) + 1}"
        cells: dict[tuple[int, int], object] = {}
        merges = []
        r = 0
        for row in sheet.iter(_Q + "Row"):
            r = _index(row, r + 1, EXCEL_MAX_ROWS, path)
            c = 0
            for cell in row.iter(_Q + "Cell"):
                c = _index(cell, c + 1, EXCEL_MAX_COLS, path)
                data = cell.find(_Q + "Data")
                if data is not None:
                    cells[(r, c)] = _value(data)
                across, down = int(cell.get(_Q + "MergeAcross", "0")), int(cell.get(_Q + "MergeDown", "0"))
                if across or down:
                    merges.append((r - 1, c - 1, r - 1 + down, c - 1 + across))
                c += across
        n_rows = max((k[0] for k in cells), default=0)
        n_cols = max((k[1] for k in cells), default=0)
        check_cells(path.name, name, n_rows, n_cols, f"R{n_rows}C{n_cols}")
        grid = [[None] * n_cols for _ in range(n_rows)]
        for (i, j), v in cells.items():
            grid[i - 1][j - 1] = v
        out.append((name, grid, merges))
    return out


def _index(element, default: int, limit: int, path: Path) -> int:
    text = element.get(_Q + "Index")
    value = int(text) if text and text.isdigit() else default
    if value > limit:
        raise KehuError(f"“{path.name}”中有超出 Excel 范围的行或列（{value}）。", f"{path.name} has a row or column "
                        f"beyond Excel's limits ({value}).", ExitCode.INPUT_FILE)
    return value


def _value(data) -> object:
    text = "".join(data.itertext())
    kind = data.get(_Q + "Type", "String")
    if kind == "Number":
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "Boolean":
        return text.strip() in ("1", "true", "TRUE")
    if kind == "DateTime":
        import datetime as dt

        try:
            return dt.datetime.fromisoformat(text.strip().rstrip("Z"))
        except ValueError:
            return text
    return text if text != "" else None


class _Sheet:
    def __init__(self, rows, merges):
        self._rows, self.merged_cell_ranges = rows, [((a, b), (c, d)) for a, b, c, d in merges]
        self.height, self.width = len(rows), max((len(r) for r in rows), default=0)

    def to_python(self, skip_empty_area: bool = False):
        return self._rows


class XmlSpreadsheetBook:
    """The few calamine workbook calls the reader makes, over an XML Spreadsheet 2003 file."""

    def __init__(self, path: Path):
        self._sheets = {name: _Sheet(rows, merges) for name, rows, merges in read_xml2003(path)}
        self.sheet_names = list(self._sheets)

    def get_sheet_by_name(self, name: str) -> _Sheet:
        return self._sheets[name]
