"""Build a report sheet with xlsxwriter in a scratch workbook and lift it, with its drawings and charts, into ours.

What has to change on the way: style indices (xlsxwriter's styles are appended to the target
styles.xml), shared strings (made inline, so the target's sharedStrings.xml is untouched),
part names and table ids (made unique in the target), and the tab selection. What lives in the scratch
workbook.xml rather than in the sheet part travels too: the sheet's hidden state and its print titles /
print area (sheet-scoped `_xlnm.` defined names).
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

import xlsxwriter
from lxml import etree

from addin.read.limits import parse_xml

from addin.write.package import ContentTypes, parse_rels, rels_path, rels_xml, resolve
from addin.write.page_setup import explicit_fit_width, finish_built
from addin.write.styles import StyleBook
from addin.write.workbook_parts import find_workbook_part, WorkbookPart

_NUMBERED = re.compile(r"^(.*?)(\d+)(\.[A-Za-z0-9]+)$")
_CELL_STYLE = re.compile(r'(<(?:c|row)\b[^>]*?\bs=")(\d+)(")')
_COL_STYLE = re.compile(r'(<col\b[^>]*?\bstyle=")(\d+)(")')
_DXF = re.compile(r'(\bdxfId=")(\d+)(")')
_SHARED_CELL = re.compile(r'<c\b([^>]*?)\bt="s"([^>]*)>\s*<v>(\d+)</v>\s*</c>')
_SI = re.compile(r"<si>(.*?)</si>|<si/>", re.S)
_TAB_SELECTED = re.compile(r'\s+tabSelected="(?:1|true)"')


@dataclass
class Transplant:
    """Parts to add to the target package: member → bytes, and member → content type."""

    sheet_member: str
    parts: dict[str, bytes] = field(default_factory=dict)
    content_types: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)   # extension → content type
    state: str | None = None                                   # "hidden" / "veryHidden"; None = visible
    defined_names: list[tuple[str, str]] = field(default_factory=list)  # sheet-scoped (name, formula)


def build_scratch(name: str, build) -> bytes:
    """Run the caller's build() on a one-sheet xlsxwriter workbook; return the .xlsx bytes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(name)
    build(book, sheet)
    finish_built(sheet)   # the print setup the build left unset (page_setup.py)
    if sheet.hidden:  # xlsxwriter unhides a workbook's only sheet; a visible placeholder (never lifted) keeps it
        book.add_worksheet("kehu_placeholder").activate()
    book.close()
    return buffer.getvalue()


def free_name(member: str, taken: set[str]) -> str:
    """`member`, or the same name with the next free number (drawing1.xml → drawing3.xml)."""
    if member not in taken:
        return member
    m = _NUMBERED.match(member)
    stem, ext = (m.group(1), m.group(3)) if m else posixpath.splitext(member)
    n = 1
    while f"{stem}{n}{ext}" in taken:
        n += 1
    return f"{stem}{n}{ext}"


def transplant(scratch: bytes, name: str, styles: StyleBook, taken: set[str], table_ids: set[int],
               table_names: set[str]) -> Transplant:
    """Lift sheet `name` out of an xlsxwriter workbook; `taken`, `table_ids`, `table_names` are updated."""
    src = zipfile.ZipFile(io.BytesIO(scratch))
    names = set(src.namelist())
    wb_member = find_workbook_part(src)
    book = WorkbookPart(wb_member, src.read(wb_member), src.read(rels_path(wb_member)))
    sheet_member = book.sheet_member(name)
    types = ContentTypes(src.read("[Content_Types].xml"))

    # every part reachable from the sheet, and its new name in the target
    renamed: dict[str, str] = {}
    order = [sheet_member]
    while order:
        part = order.pop(0)
        renamed[part] = free_name(part, taken)
        taken.add(renamed[part])
        for rel in parse_rels(src.read(rels_path(part)) if rels_path(part) in names else None):
            target = resolve(part, rel.target)
            if not rel.external and target in names and target not in renamed and target not in order:
                order.append(target)

    xf_map, dxf_offset = styles.merge(src.read("xl/styles.xml"))
    shared = _shared_strings(src.read("xl/sharedStrings.xml")) if "xl/sharedStrings.xml" in names else []
    out = Transplant(sheet_member=renamed[sheet_member], state=book.sheet_state(name),
                     defined_names=book.local_names(name, prefix="_xlnm."))
    for old, new in renamed.items():
        data = src.read(old)
        if old == sheet_member:
            data = _restyle_sheet(data.decode("utf-8"), xf_map, dxf_offset, shared).encode("utf-8")
        elif types.of(old) and types.of(old).endswith("table+xml"):
            data = _renumber_table(data, table_ids, table_names)
        out.parts[new] = data
        content_type = types.of(old)
        ext = old.rsplit(".", 1)[-1]
        default = _default_type(types, ext)
        if default is not None and default == content_type:
            out.defaults[ext] = default
        elif content_type:
            out.content_types[new] = content_type
        if rels_path(old) in names:
            rels = parse_rels(src.read(rels_path(old)))
            for rel in rels:
                target = resolve(old, rel.target)
                if not rel.external and target in renamed:
                    rel.target = posixpath.relpath(renamed[target], posixpath.dirname(new))
            out.parts[rels_path(new)] = rels_xml(rels)
            taken.add(rels_path(new))
    return out


def _default_type(types: ContentTypes, ext: str) -> str | None:
    for d in types.root.iter("{http://schemas.openxmlformats.org/package/2006/content-types}Default"):
        if d.get("Extension").lower() == ext.lower():
            return d.get("ContentType")
    return None


def _shared_strings(xml: bytes) -> list[str]:
    """The inner XML of each <si> (plain <t> or rich-text runs), ready to go inside <is>."""
    return [m.group(1) or "" for m in _SI.finditer(xml.decode("utf-8"))]


def _restyle_sheet(text: str, xf_map: dict[int, int], dxf_offset: int, shared: list[str]) -> str:
    text = _CELL_STYLE.sub(lambda m: f"{m.group(1)}{xf_map.get(int(m.group(2)), 0)}{m.group(3)}", text)
    text = _COL_STYLE.sub(lambda m: f"{m.group(1)}{xf_map.get(int(m.group(2)), 0)}{m.group(3)}", text)
    text = _DXF.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + dxf_offset}{m.group(3)}", text)
    text = _SHARED_CELL.sub(
        lambda m: f'<c{m.group(1)}t="inlineStr"{m.group(2)}><is>{shared[int(m.group(3))]}</is></c>', text)
    return explicit_fit_width(_TAB_SELECTED.sub("", text))   # our sheet must not join the user's selected tab


def _renumber_table(xml: bytes, table_ids: set[int], table_names: set[str]) -> bytes:
    """Table ids and names are unique per workbook: give the transplanted table free ones."""
    root = parse_xml(xml)
    new_id = max(table_ids | {0}) + 1
    table_ids.add(new_id)
    root.set("id", str(new_id))
    name = root.get("displayName") or root.get("name") or "kehu"
    candidate, n = name, 2
    while candidate.casefold() in table_names:
        candidate, n = f"{name}_{n}", n + 1
    table_names.add(candidate.casefold())
    root.set("name", candidate)
    root.set("displayName", candidate)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
