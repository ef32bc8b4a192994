"""Grow an Excel Table (xl/tables/tableN.xml) to take in the columns added right of it."""
from __future__ import annotations

import re

from lxml import etree

from addin.read.limits import parse_xml

from addin.write.cells import clean_text, column_index, column_letter

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
Q = "{%s}" % NS
_REF = re.compile(r"^\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)$")


def table_column_name(header: str) -> str:
    """A header as a table column name: one line, no characters XML cannot hold."""
    name = clean_text(str(header)).replace("\r\n", " ").replace("\n", " ").replace("\r", " ").strip()
    return name or "列"


def unique_names(existing: list[str], wanted: list[str]) -> list[str]:
    """`wanted` made unique (case-insensitively, as Excel compares) against `existing` and each other."""
    taken = {n.casefold() for n in existing}
    out = []
    for name in wanted:
        candidate, n = name, 2
        while candidate.casefold() in taken:
            candidate, n = f"{name}{n}", n + 1
        taken.add(candidate.casefold())
        out.append(candidate)
    return out


def extend_table(xml: bytes, header_row: int, first_added_col: int, headers: list[str]) -> tuple[bytes, list[str]] | None:
    """The table XML grown by `headers`, and the column names used; None if the table does not qualify.

    A table qualifies when its range ends at the column just before the added ones and its
    header row is the sheet's header row.
    """
    root = parse_xml(xml)
    m = _REF.match(root.get("ref", ""))
    if not m or root.get("headerRowCount", "1") == "0":
        return None
    col1, row1, col2, row2 = m.group(1), int(m.group(2)), m.group(3), int(m.group(4))
    if column_index(col2) != first_added_col - 1 or row1 != header_row:
        return None
    columns = root.find(Q + "tableColumns")
    existing = [c.get("name", "") for c in columns]
    names = unique_names(existing, [table_column_name(h) for h in headers])
    next_id = max([int(c.get("id", "0")) for c in columns] + [0]) + 1
    for i, name in enumerate(names):
        etree.SubElement(columns, Q + "tableColumn", id=str(next_id + i), name=name)
    columns.set("count", str(len(columns)))
    last = column_letter(first_added_col + len(headers) - 1)
    root.set("ref", f"{col1}{row1}:{last}{row2}")
    auto_filter = root.find(Q + "autoFilter")
    if auto_filter is not None:
        fm = _REF.match(auto_filter.get("ref", ""))
        if fm:
            auto_filter.set("ref", f"{fm.group(1)}{fm.group(2)}:{last}{fm.group(4)}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), names
