"""xl/workbook.xml and its rels: find sheets by name, add new ones, point a replaced one at new parts."""
from __future__ import annotations

import re
import zipfile

from lxml import etree

from addin.read.limits import parse_xml

from addin.write.package import DOC_REL_NS, Rel, next_rel_id, parse_rels, rels_path, rels_xml, relative, resolve

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
Q = "{%s}" % NS
WORKSHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_ILLEGAL_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
#: A hidden, sheet-scoped defined name on every sheet kehu writes. Excel, LibreOffice and openpyxl keep
#: defined names (and move localSheetId with the sheet), so a later run knows which sheets are its own
#: whatever they are called, and never replaces a sheet of the user's that happens to share a name.
KEHU_MARK = "_kehu_sheet"
#: Likewise on a data sheet kehu added columns to: a hidden sheet-scoped name over those columns ('客户'!$H:$Y).
#: Excel moves it when columns are inserted or deleted, so a re-run finds and replaces exactly its own columns.
KEHU_COLUMNS = "_kehu_columns"
_COLUMN_RANGE = re.compile(r"!\$?([A-Z]{1,3})(?:\$?\d+)?:\$?([A-Z]{1,3})(?:\$?\d+)?$")
# CT_Workbook children that come before <definedNames>
_BEFORE_DEFINED_NAMES = ("fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets",
                         "functionGroups", "externalReferences")


def clean_sheet_name(name: str) -> str:
    """A name Excel accepts: no []:*?/\\, not quoted at either end, at most 31 characters."""
    name = _ILLEGAL_SHEET_CHARS.sub("_", str(name)).strip("'")[:31]
    return name or "kehu"


def free_sheet_name(name: str, taken: set[str]) -> str:
    """`name`, or `name (2)`, `name (3)` … — the first not in `taken` (casefolded names), at most 31 characters."""
    if name.casefold() not in taken:
        return name
    n = 2
    while True:
        suffix = f" ({n})"
        candidate = name[:31 - len(suffix)] + suffix
        if candidate.casefold() not in taken:
            return candidate
        n += 1


def find_workbook_part(src: zipfile.ZipFile) -> str:
    for rel in parse_rels(src.read("_rels/.rels")):
        if rel.kind == "officeDocument":
            return resolve("", rel.target)
    raise KeyError("no officeDocument relationship")


class WorkbookPart:
    """The workbook part and its relationships, editable."""

    def __init__(self, member: str, xml: bytes, rels: bytes):
        self.member = member
        self.root = parse_xml(xml)
        self.rels = parse_rels(rels)
        self.changed = False

    @property
    def date1904(self) -> bool:
        pr = self.root.find(Q + "workbookPr")
        return pr is not None and pr.get("date1904", "0").lower() in ("1", "true")

    def _sheets(self) -> list[etree._Element]:
        return list(self.root.iterfind(f"{Q}sheets/{Q}sheet"))

    def _rel(self, rid: str) -> Rel:
        return next(r for r in self.rels if r.id == rid)

    def sheet_names(self) -> list[str]:
        return [s.get("name") for s in self._sheets()]

    def sheet_member(self, name: str) -> str | None:
        """Zip member of the worksheet called `name` (Excel compares names case-insensitively)."""
        for sheet in self._sheets():
            if sheet.get("name").casefold() == name.casefold():
                rel = self._rel(sheet.get("{%s}id" % DOC_REL_NS))
                if rel.kind != "worksheet":
                    return None
                return resolve(self.member, rel.target)
        return None

    def kehu_sheet_names(self) -> set[str]:
        """Casefolded names of the sheets kehu wrote (those carrying its marker)."""
        sheets = self.sheet_names()
        marked = set()
        for dn in self.root.iterfind(f"{Q}definedNames/{Q}definedName"):
            index = dn.get("localSheetId")
            if dn.get("name") == KEHU_MARK and index is not None and index.isdigit() and int(index) < len(sheets):
                marked.add(sheets[int(index)].casefold())
        return marked

    def mark_kehu_sheet(self, name: str) -> None:
        index = self._index(name)
        names = self._defined_names()
        for dn in names.iterfind(Q + "definedName"):
            if dn.get("name") == KEHU_MARK and dn.get("localSheetId") == str(index):
                return
        mark = etree.SubElement(names, Q + "definedName", {"name": KEHU_MARK, "localSheetId": str(index),
                                                             "hidden": "1"})
        mark.text = '"kehu"'
        self.changed = True

    def kehu_columns(self, name: str) -> tuple[int, int] | None:
        """1-based (first, last) of the columns an earlier run added to sheet `name`, from its marker."""
        from addin.write.cells import column_index

        index = next((i for i, n in enumerate(self.sheet_names()) if n.casefold() == name.casefold()), None)
        for dn in self.root.iterfind(f"{Q}definedNames/{Q}definedName"):
            if dn.get("name") == KEHU_COLUMNS and dn.get("localSheetId") == str(index):
                m = _COLUMN_RANGE.search((dn.text or "").strip())
                if m:
                    return column_index(m.group(1)), column_index(m.group(2))
        return None

    def mark_kehu_columns(self, name: str, first: int, last: int) -> None:
        """Put (or move) the marker over the columns kehu added to sheet `name`."""
        from addin.write.cells import column_letter

        index = next(i for i, n in enumerate(self.sheet_names()) if n.casefold() == name.casefold())
        names = self._defined_names()
        quoted = "'" + name.replace("'", "''") + "'"
        text = f"{quoted}!${column_letter(first)}:${column_letter(last)}"
        mark = next((dn for dn in names.iterfind(Q + "definedName")
                     if dn.get("name") == KEHU_COLUMNS and dn.get("localSheetId") == str(index)), None)
        if mark is None:   # else moved where it is, so a re-run leaves workbook.xml as it was
            mark = etree.SubElement(names, Q + "definedName", {"name": KEHU_COLUMNS, "localSheetId": str(index),
                                                                 "hidden": "1"})
        if mark.text != text:
            mark.text = text
            self.changed = True

    def _index(self, name: str) -> int:
        return next(i for i, n in enumerate(self.sheet_names()) if n.casefold() == name.casefold())

    def sheet_state(self, name: str) -> str | None:
        """"hidden" / "veryHidden" for a hidden sheet, None for a visible one."""
        state = self._sheets()[self._index(name)].get("state")
        return None if state in (None, "visible") else state

    def set_sheet_state(self, name: str, state: str | None) -> None:
        sheet = self._sheets()[self._index(name)]
        if state in (None, "visible"):
            sheet.attrib.pop("state", None)
        else:
            sheet.set("state", state)
        self.changed = True

    def local_names(self, name: str, prefix: str = "") -> list[tuple[str, str]]:
        """(name, formula) of the defined names scoped to sheet `name` that start with `prefix`."""
        index = str(self._index(name))
        return [(dn.get("name"), dn.text or "") for dn in self.root.iterfind(f"{Q}definedNames/{Q}definedName")
                if dn.get("localSheetId") == index and dn.get("name", "").startswith(prefix)]

    def replace_local_names(self, name: str, new: list[tuple[str, str]], prefix: str = "_xlnm.") -> None:
        """Sheet `name`'s defined names starting with `prefix` (print titles, print area) become `new`."""
        index = str(self._index(name))
        names = self._defined_names()
        at = None   # a re-run puts them back where they were, so the same run gives the same workbook.xml
        for dn in list(names.iterfind(Q + "definedName")):
            if dn.get("localSheetId") == index and dn.get("name", "").startswith(prefix):
                at = names.index(dn) if at is None else at
                names.remove(dn)
        for k, (dn_name, formula) in enumerate(new):
            dn = etree.Element(Q + "definedName", {"name": dn_name, "localSheetId": index})
            dn.text = formula
            names.append(dn) if at is None else names.insert(at + k, dn)
        self.changed = True

    def add_missing_local_names(self, name: str, new: list[tuple[str, str]]) -> list[str]:
        """Sheet-scoped names from `new` that sheet `name` does not have yet (a user's print titles or print area
        are kept); returns the names added."""
        have = {n for n, _ in self.local_names(name)}
        missing = [(n, f) for n, f in new if n not in have]
        if missing:
            index = str(self._index(name))
            names = self._defined_names()
            for dn_name, formula in missing:
                etree.SubElement(names, Q + "definedName", {"name": dn_name, "localSheetId": index}).text = formula
            self.changed = True
        return [n for n, _ in missing]

    def _defined_names(self) -> etree._Element:
        names = self.root.find(Q + "definedNames")
        if names is None:
            names = etree.Element(Q + "definedNames")
            at = max([i + 1 for i, child in enumerate(self.root)
                      if etree.QName(child).localname in _BEFORE_DEFINED_NAMES] + [0])
            self.root.insert(at, names)
        return names

    def first_sheet_name(self) -> str:
        return self._sheets()[0].get("name")

    def put_sheet(self, name: str, member: str) -> str | None:
        """Make sheet `name` point at `member`; return the member it replaced (None when new)."""
        target = relative(self.member, member)
        for sheet in self._sheets():
            if sheet.get("name").casefold() == name.casefold():
                rel = self._rel(sheet.get("{%s}id" % DOC_REL_NS))
                old = resolve(self.member, rel.target)
                rel.target, rel.type = target, WORKSHEET_REL
                sheet.set("name", name)
                self.changed = True
                return old
        rid = next_rel_id(self.rels)
        self.rels.append(Rel(rid, WORKSHEET_REL, target, False))
        sheets = self.root.find(Q + "sheets")
        next_id = max([int(s.get("sheetId")) for s in self._sheets()] + [0]) + 1
        etree.SubElement(sheets, Q + "sheet", {"name": name, "sheetId": str(next_id), "{%s}id" % DOC_REL_NS: rid})
        self.changed = True
        return None

    def to_bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def rels_member(self) -> str:
        return rels_path(self.member)

    def rels_bytes(self) -> bytes:
        return rels_xml(self.rels)


def owned_parts(src: zipfile.ZipFile, member: str, names: set[str]) -> set[str]:
    """The part, its rels, and every part reachable only through it (drawings, charts, tables, comments…)."""
    reachable = {member}
    stack = [member]
    while stack:
        part = stack.pop()
        rp = rels_path(part)
        if rp in names:
            reachable.add(rp)
            for rel in parse_rels(src.read(rp)):
                if rel.external:
                    continue
                target = resolve(part, rel.target)
                if target in names and target not in reachable:
                    reachable.add(target)
                    stack.append(target)
    # keep a part another (remaining) part still refers to, e.g. an image shared by two drawings
    shared = set()
    for rp in names:
        if not rp.endswith(".rels") or rp in reachable:
            continue
        source = rp.replace("_rels/", "", 1)[: -len(".rels")] if "/_rels/" in rp or rp.startswith("_rels/") else rp
        for rel in parse_rels(src.read(rp)):
            if not rel.external:
                shared.add(resolve(source, rel.target))
    return {p for p in reachable if p == member or p.endswith(".rels") or p not in shared}
