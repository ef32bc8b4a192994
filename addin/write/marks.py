"""Marks in place (issue 16 part 1): fills and notes on the user's own data cells, a filter over the data, and
their removal (`kehu unmark`).

Nothing of the user's is edited. The fills are conditional formats over exactly the marked cells (their rule
is the always-true `LEN("kehu:<kind>")>0`, which names them as kehu's) pointing at differential formats kehu
appends to styles.xml, so every cell keeps its own style index. The notes are comments by the author
"kehu 客户工具" in the sheet's comments part (the user's own comments stay; a cell that already has one keeps it) with
their VML shapes. `unmark_sheet_tail` / `unmark_comments` / `unmark_vml` take exactly those away again.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from addin.write.cells import column_index, column_letter
from addin.write.specs import Marks
from addin.write.styles import StyleBook

#: how kehu knows its own notes: an author no person is called, so a user's own notes (even one written under
#: the name "kehu") are never taken for kehu's
AUTHOR = "kehu 客户工具"
TAG = "kehu:"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
VML_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
VML_CT = "application/vnd.openxmlformats-officedocument.vmlDrawing"
DOC_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

#: (fill, font) per kind: Excel's own "Bad" / "Neutral" cell-style colours for 错误 / 需核对, a light blue for 提示
COLOURS = {
    "error": ("FFFFC7CE", "FF9C0006"),
    "check": ("FFFFEB9C", "FF9C5700"),
    "hint": ("FFDDEBF7", None),
    "dup:0": ("FFF8CBAD", None),      # duplicate groups alternate two bands so neighbouring groups differ
    "dup:1": ("FFBDD7EE", None),
    "suspect": ("FFFFF2CC", None),    # possible duplicates: a lighter band
    "invalid": ("FFD9D9D9", "FF7F7F7F"),
}
SEGMENT_PALETTE = ["FFC6EFCE", "FFDDEBF7", "FFFFF2CC", "FFFCE4D6", "FFE4DFEC", "FFD9E1F2", "FFE2EFDA", "FFFFE699",
                   "FFF8CBAD", "FFB4C6E7", "FFC9C9C9", "FFA9D08E"]   # the rules' 11 segments + potential customers
#: kinds in the order their rules apply (Excel: the lower priority number wins a conflict): cells over rows
KIND_ORDER = ["error", "check", "hint", "invalid", "dup:0", "dup:1", "suspect"]

_WORKSHEET_TAIL_ORDER = ["sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState",
                         "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting",
                         "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
                         "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
                         "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects",
                         "controls", "webPublishItems", "tableParts", "extLst"]
_KEHU_CF = re.compile(r'<conditionalFormatting\b[^>]*>(?:(?!</conditionalFormatting>).)*?LEN\((?:&quot;|")kehu:'
                      r'(?:(?!</conditionalFormatting>).)*</conditionalFormatting>', re.S)
_PRIORITY = re.compile(r'\bpriority="(\d+)"')


def colour_of(kind: str) -> tuple[str, str | None]:
    if kind.startswith("segment:"):
        return SEGMENT_PALETTE[int(kind.split(":", 1)[1]) % len(SEGMENT_PALETTE)], None
    return COLOURS[kind]


@dataclass
class PlacedMarks:
    """Marks resolved to sheet cells: what the writer puts in the sheet tail, the comments and the VML."""

    ranges: dict[str, list[str]] = field(default_factory=dict)    # kind → cell ranges ("D17", "A5:T5")
    notes: list[tuple[int, int, str]] = field(default_factory=list)   # (row, column, text), 1-based
    filter_ref: str | None = None                                  # the autoFilter to add, if any


def place(marks: Marks, rows: Sequence[int], columns: dict[str, int], header_row: int,
          first_added: int, last_col: int) -> PlacedMarks:
    """Sheet cells for `marks`: records' positions → `rows`, headers → `columns` (1-based sheet columns)."""
    rows_arr = np.asarray(rows, dtype=np.int64)
    placed = PlacedMarks()
    cells = marks.cells[marks.cells["column"].map(lambda c: str(c) in columns)] if len(marks.cells) else marks.cells
    if len(cells):
        sheet_rows = rows_arr[cells["position"].to_numpy(dtype=np.int64)]
        sheet_cols = cells["column"].map(lambda c: columns[str(c)]).to_numpy(dtype=np.int64)
        for kind, idx in pd.Series(range(len(cells))).groupby(cells["kind"].to_numpy()).groups.items():
            idx = np.asarray(idx)
            placed.ranges[str(kind)] = _runs(sheet_rows[idx], sheet_cols[idx])
        notes = cells["note"].to_numpy(dtype=object)
        placed.notes = [(int(r), int(c), str(n)) for r, c, n in zip(sheet_rows, sheet_cols, notes)
                        if isinstance(n, str) and n]
    if len(marks.added):
        added = marks.added
        sheet_rows = rows_arr[added["position"].to_numpy(dtype=np.int64)]
        sheet_cols = first_added + added["added"].to_numpy(dtype=np.int64)
        for kind, idx in pd.Series(range(len(added))).groupby(added["kind"].to_numpy()).groups.items():
            idx = np.asarray(idx)
            placed.ranges.setdefault(str(kind), []).extend(_runs(sheet_rows[idx], sheet_cols[idx]))
        placed.notes += [(int(r), int(c), str(n)) for r, c, n in
                         zip(sheet_rows, sheet_cols, added["note"].to_numpy(dtype=object)) if isinstance(n, str) and n]
    if len(marks.rows):
        first, last = column_letter(1), column_letter(last_col)
        for kind, group in marks.rows.groupby("kind"):
            positions = np.unique(rows_arr[group["position"].to_numpy(dtype=np.int64)])
            placed.ranges.setdefault(str(kind), []).extend(
                f"{first}{a}:{last}{b}" for a, b in _row_runs(positions))
    if marks.legend and header_row:
        legend = "\n".join(dict.fromkeys(text for _kind, text in marks.legend))   # once each, in order
        placed.notes.append((header_row, first_added, legend))
    return placed


def _row_runs(sorted_rows: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) of each run of consecutive rows."""
    if not len(sorted_rows):
        return []
    breaks = np.flatnonzero(np.diff(sorted_rows) != 1)
    starts = np.concatenate([[0], breaks + 1])
    ends = np.concatenate([breaks, [len(sorted_rows) - 1]])
    return [(int(sorted_rows[s]), int(sorted_rows[e])) for s, e in zip(starts, ends)]


def _runs(rows: np.ndarray, cols: np.ndarray) -> list[str]:
    """Cells as ranges: consecutive rows of one column joined (D17:D19)."""
    out = []
    for col in np.unique(cols):
        letter = column_letter(int(col))
        for a, b in _row_runs(np.unique(rows[cols == col])):
            out.append(f"{letter}{a}" if a == b else f"{letter}{a}:{letter}{b}")
    return out


def conditional_formats_xml(placed: PlacedMarks, styles: StyleBook, first_priority: int) -> str:
    """One <conditionalFormatting> per kind, over exactly its cells, with kehu's always-true rule."""
    parts = []
    kinds = sorted(placed.ranges, key=lambda k: (KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER), k))
    for i, kind in enumerate(kinds):
        refs = placed.ranges[kind]
        if not refs:
            continue
        fill, font = colour_of(kind)
        dxf = styles.dxf(fill, font)
        parts.append(f'<conditionalFormatting sqref="{" ".join(refs)}"><cfRule type="expression" dxfId="{dxf}" '
                     f'priority="{first_priority + i}"><formula>LEN(&quot;{TAG}{kind}&quot;)&gt;0</formula>'
                     f'</cfRule></conditionalFormatting>')
    return "".join(parts)


def insert_in_order(tail: str, name: str, xml: str) -> str:
    """`xml` (an element `name` of CT_Worksheet) placed in the tail after <sheetData> where the schema wants it."""
    later = _WORKSHEET_TAIL_ORDER[_WORKSHEET_TAIL_ORDER.index(name) + 1:]
    pattern = re.compile(r"<(?:" + "|".join(later) + r")[\s/>]")
    m = pattern.search(tail)
    at = m.start() if m else tail.rfind("</worksheet>")
    return tail[:at] + xml + tail[at:]


def max_priority(tail: str) -> int:
    return max((int(p) for p in _PRIORITY.findall(tail)), default=0)


def unmark_sheet_tail(tail: str, *, drop_filter: bool = False) -> str:
    """The sheet XML after </sheetData> without kehu's conditional formats (and its autoFilter when asked)."""
    tail = _KEHU_CF.sub("", tail)
    if drop_filter:
        tail = re.sub(r"<autoFilter\b[^>]*/>|<autoFilter\b.*?</autoFilter>", "", tail, count=1, flags=re.S)
    return tail


def has_autofilter(tail: str) -> bool:
    return re.search(r"<autoFilter[\s/>]", tail) is not None


_FILTER_REF = re.compile(r'<autoFilter\b[^>]*?\bref="\$?[A-Z]+\$?\d+:\$?([A-Z]+)\$?\d+"')


def kehu_filter(tail: str, first_kehu_column: int | None) -> bool:
    """Whether the sheet's autoFilter is kehu's: it reaches into the columns kehu added (a user's own filter,
    set before kehu ran, covers only their columns and is never changed)."""
    m = _FILTER_REF.search(tail)
    return bool(m and first_kehu_column and column_index(m.group(1)) >= first_kehu_column)


def legacy_drawing_xml(rid: str) -> str:
    return f'<legacyDrawing xmlns:r="{DOC_REL_NS}" r:id="{rid}"/>'


# -- comments ---------------------------------------------------------------------------------------------
_COMMENTS_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  '<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def _comment_xml(ref: str, author_id: int, text: str) -> str:
    body = html.escape(text, quote=False)
    return (f'<comment ref="{ref}" authorId="{author_id}"><text><r><rPr><sz val="9"/></rPr>'
            f'<t xml:space="preserve">{body}</t></r></text></comment>')


def new_comments(notes: Sequence[tuple[int, int, str]]) -> bytes:
    items = "".join(_comment_xml(f"{column_letter(c)}{r}", 0, t) for r, c, t in notes)
    return (_COMMENTS_HEAD + f"<authors><author>{AUTHOR}</author></authors><commentList>{items}</commentList>"
            "</comments>").encode("utf-8")


def merge_comments(existing: bytes, notes: Sequence[tuple[int, int, str]]) -> tuple[bytes, list[tuple[int, int, str]]]:
    """The user's comments part with kehu's notes added (an earlier run's removed first); a cell that holds
    the user's comment keeps it and gets no note. Returns the part and the notes actually added."""
    from lxml import etree

    from addin.read.limits import parse_xml

    root = parse_xml(unmark_comments(existing))
    ns = root.nsmap.get(None) or "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    q = "{%s}" % ns
    authors = root.find(q + "authors")
    if authors is None:
        authors = etree.Element(q + "authors")
        root.insert(0, authors)
    names = [a.text for a in authors.findall(q + "author")]
    if AUTHOR in names:
        author_id = names.index(AUTHOR)
    else:
        etree.SubElement(authors, q + "author").text = AUTHOR
        author_id = len(names)
    listing = root.find(q + "commentList")
    if listing is None:
        listing = etree.SubElement(root, q + "commentList")
    taken = {c.get("ref") for c in listing.findall(q + "comment")}
    added = [(r, c, t) for r, c, t in notes if f"{column_letter(c)}{r}" not in taken]
    for r, c, t in added:
        listing.append(etree.fromstring(_comment_xml(f"{column_letter(c)}{r}", author_id, t)
                                        .replace("<comment ", f'<comment xmlns="{ns}" ', 1)))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), added


def unmark_comments(xml: bytes) -> bytes:
    """The comments part without kehu's comments (author AUTHOR); the user's stay as they were."""
    from lxml import etree

    from addin.read.limits import parse_xml

    root = parse_xml(xml)
    q = "{%s}" % (root.nsmap.get(None) or "http://schemas.openxmlformats.org/spreadsheetml/2006/main")
    authors = [a.text for a in root.iterfind(f"{q}authors/{q}author")]
    if AUTHOR not in authors:
        return xml
    ours = str(authors.index(AUTHOR))
    for comment in list(root.iterfind(f"{q}commentList/{q}comment")):
        if comment.get("authorId") == ours:
            comment.getparent().remove(comment)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def comment_refs(xml: bytes, *, author: str | None = None) -> set[str]:
    from addin.read.limits import parse_xml

    root = parse_xml(xml)
    q = "{%s}" % (root.nsmap.get(None) or "http://schemas.openxmlformats.org/spreadsheetml/2006/main")
    authors = [a.text for a in root.iterfind(f"{q}authors/{q}author")]
    wanted = str(authors.index(author)) if author in authors else None
    return {c.get("ref") for c in root.iterfind(f"{q}commentList/{q}comment")
            if author is None or c.get("authorId") == wanted}


# -- VML (the note boxes Excel draws) -------------------------------------------------------------------------
_VML_HEAD = ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
             'xmlns:x="urn:schemas-microsoft-com:office:excel">')
_SHAPETYPE = ('<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
              '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>')
_SHAPE_ID = re.compile(r'_x0000_s(\d+)')
_VML_SHAPE = re.compile(r"<v:shape\b(?:(?!</v:shape>).)*</v:shape>", re.S)
_VML_ROW = re.compile(r"<x:Row>\s*(\d+)\s*</x:Row>")
_VML_COL = re.compile(r"<x:Column>\s*(\d+)\s*</x:Column>")


def _shape(shape_id: int, row: int, col: int) -> str:
    r0, c0 = row - 1, col - 1
    return (f'<v:shape id="_x0000_s{shape_id}" type="#_x0000_t202" style="position:absolute;margin-left:80pt;'
            f'margin-top:2pt;width:180pt;height:72pt;z-index:{shape_id};visibility:hidden" fillcolor="#ffffe1" '
            'o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>'
            '<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left">'
            '</div></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
            f'<x:Anchor>{c0 + 1}, 15, {max(r0 - 1, 0)}, 2, {c0 + 4}, 15, {r0 + 4}, 4</x:Anchor>'
            f'<x:AutoFill>False</x:AutoFill><x:Row>{r0}</x:Row><x:Column>{c0}</x:Column></x:ClientData></v:shape>')


def new_vml(notes: Sequence[tuple[int, int, str]], idmap: int) -> bytes:
    """A VML drawing with one hidden note box per note; `idmap` is a drawing id no other sheet uses."""
    blocks = ",".join(str(idmap + k) for k in range(len(notes) // 1024 + 1))
    shapes = "".join(_shape(idmap * 1024 + 1 + i, r, c) for i, (r, c, _t) in enumerate(notes))
    return (_VML_HEAD + f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{blocks}"/></o:shapelayout>'
            + _SHAPETYPE + shapes + "</xml>").encode("utf-8")


def merge_vml(existing: bytes, notes: Sequence[tuple[int, int, str]], drop: set[tuple[int, int]]) -> bytes:
    """The user's VML drawing with shapes for kehu's notes appended (shapes at `drop`, an earlier run's, removed)."""
    text = unmark_vml(existing, drop).decode("utf-8")
    first = max((int(n) for n in _SHAPE_ID.findall(text)), default=1024) + 1
    shapes = "".join(_shape(first + i, r, c) for i, (r, c, _t) in enumerate(notes))
    if "_x0000_t202" not in text:
        shapes = _SHAPETYPE + shapes
    at = text.rfind("</xml>")
    return (text[:at] + shapes + text[at:]).encode("utf-8")


def unmark_vml(xml: bytes, cells: set[tuple[int, int]]) -> bytes:
    """The VML drawing without the note shapes of `cells` ((row, column), 1-based): kehu's removed notes."""
    if not cells:
        return xml

    def keep(m: re.Match) -> str:
        shape = m.group(0)
        row, col = _VML_ROW.search(shape), _VML_COL.search(shape)
        if row and col and (int(row.group(1)) + 1, int(col.group(1)) + 1) in cells:
            return ""
        return shape
    return _VML_SHAPE.sub(keep, xml.decode("utf-8")).encode("utf-8")


def used_idmaps(vml_parts: Sequence[bytes]) -> int:
    """The next free VML drawing id block over the package's drawings."""
    found = [int(x) for part in vml_parts for m in re.finditer(rb'<o:idmap\b[^>]*\bdata="([\d,]+)"', part)
             for x in m.group(1).decode().split(",") if x]
    return max(found, default=0) + 1
