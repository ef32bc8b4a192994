"""The writer's part of `--mark`: which package parts the marks touch on the data sheet, and how.

Touched: the sheet XML after </sheetData> (kehu's conditional formats, an autoFilter when the user has none,
<legacyDrawing> when the sheet had no notes), the sheet's comments part and VML drawing (the user's merged,
or new ones with their relationships and content types), styles.xml (kehu's differential formats appended)
and workbook.xml (the hidden filter names). The cells' XML and their style indices are not touched.
"""
from __future__ import annotations

import zipfile
import re
from dataclasses import dataclass
from typing import Sequence

from addin.write.cells import column_index, column_letter
from addin.write.marks import (COMMENTS_CT, COMMENTS_REL, VML_CT, VML_REL, AUTHOR,
                               conditional_formats_xml, comment_refs, has_autofilter, insert_in_order, kehu_filter,
                               legacy_drawing_xml, max_priority, merge_comments, merge_vml, new_comments, new_vml,
                               place, unmark_sheet_tail, used_idmaps)
from addin.write.package import ContentTypes, Rel, next_rel_id, parse_rels, relative, rels_path, resolve, rels_xml
from addin.write.specs import AddedColumn, Marks
from addin.write.styles import StyleBook
from addin.write.workbook_parts import WorkbookPart
FILTER_DATABASE = "_xlnm._FilterDatabase"


@dataclass
class MarkRequest:
    """What `--mark` asks of the writer: the marks, where the user's columns are, and whether to add a filter."""

    marks: Marks
    column_letters: dict[str, str]      # the user's header → Excel column letter (Table.column_letters)
    autofilter: bool = True


def plan_marks(plan, src: zipfile.ZipFile, names: set[str], book: WorkbookPart, styles: StyleBook,
               types: ContentTypes, sheet: str, sheet_member: str, header_row: int, rows: Sequence[int],
               added: Sequence[AddedColumn], request: MarkRequest) -> None:
    splice = plan.splice
    columns = {str(h): column_index(letter) for h, letter in request.column_letters.items()}
    columns.update({str(c.header): splice.first_col + j for j, c in enumerate(added)})
    placed = place(request.marks, rows, columns, header_row, splice.first_col, splice.last_col)

    sheet_rels_member = rels_path(sheet_member)
    rels = parse_rels(src.read(sheet_rels_member) if sheet_rels_member in names else None)
    by_kind = {r.kind: r for r in rels if not r.external}
    comments_rel, vml_rel = by_kind.get("comments"), by_kind.get("vmlDrawing")
    comments_member = resolve(sheet_member, comments_rel.target) if comments_rel else None
    vml_member = resolve(sheet_member, vml_rel.target) if vml_rel else None
    rels_changed = False
    legacy_rid = None
    notes = placed.notes
    if comments_member in names:
        existing = src.read(comments_member)
        earlier = {_cell(ref) for ref in comment_refs(existing, author=AUTHOR)}
        merged, notes = merge_comments(existing, notes)
        plan.changed[comments_member] = merged
        if vml_member in names:
            plan.changed[vml_member] = merge_vml(src.read(vml_member), notes, earlier)
        elif notes:
            vml_member, legacy_rid = _new_vml_part(plan, src, names, sheet_member, rels, types, notes)
            rels_changed = True
    elif notes:
        comments_member = _free(names | set(plan.new_parts), "xl/comments{}.xml")
        plan.new_parts[comments_member] = new_comments(notes)
        types.override(comments_member, COMMENTS_CT)
        rels.append(Rel(next_rel_id(rels), COMMENTS_REL, relative(sheet_member, comments_member), False))
        if vml_member in names:   # a sheet with a drawing for form controls but no comments: draw the notes there
            plan.changed[vml_member] = merge_vml(src.read(vml_member), notes, set())
        else:
            vml_member, legacy_rid = _new_vml_part(plan, src, names, sheet_member, rels, types, notes)
        rels_changed = True
    if rels_changed:
        data = rels_xml(rels)
        if sheet_rels_member in names:
            plan.changed[sheet_rels_member] = data
        else:
            plan.new_parts[sheet_rels_member] = data

    in_table = "table" in by_kind
    filter_ref = None
    if request.autofilter and header_row and not in_table and request.column_letters:
        first = min(columns[str(h)] for h in request.column_letters)
        last_row = max(rows, default=header_row)
        filter_ref = f"{column_letter(first)}{header_row}:{column_letter(splice.last_col)}{last_row}"

    # LibreOffice shows a filter only with its hidden _xlnm._FilterDatabase name, which Excel writes too. A
    # sheet whose name is the user's (it ends left of kehu's columns) has the user's filter: it is kept.
    named = dict(book.local_names(sheet, FILTER_DATABASE)).get(FILTER_DATABASE)
    if named and not reaches(named, splice.first_col):
        filter_ref = None
    elif filter_ref:
        _filter_name(book, sheet, filter_ref)

    def edit_tail(tail: str) -> str:
        tail = unmark_sheet_tail(tail, drop_filter=kehu_filter(tail, splice.first_col))
        cf = conditional_formats_xml(placed, styles, max_priority(tail) + 1)
        if cf:
            tail = insert_in_order(tail, "conditionalFormatting", cf)
        if legacy_rid and "<legacyDrawing" not in tail:
            tail = insert_in_order(tail, "legacyDrawing", legacy_drawing_xml(legacy_rid))
        if filter_ref and not has_autofilter(tail):   # the user's own filter (or a Table's) is kept
            tail = insert_in_order(tail, "autoFilter", f'<autoFilter ref="{filter_ref}"/>')
        return tail

    splice.tail = edit_tail


def reaches(formula: str, first_kehu_column: int) -> bool:
    """Whether a range formula ('S'!$A$4:$AK$66) ends in or right of kehu's first added column."""
    m = re.search(r":\$?([A-Z]{1,3})\$?\d*$", formula.strip())
    return bool(m) and column_index(m.group(1)) >= first_kehu_column


def _filter_name(book: WorkbookPart, sheet: str, ref: str) -> None:
    from addin.write.table_sheet import quote_sheet

    absolute = ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in ref.split(":"))
    target = f"{quote_sheet(sheet)}!{absolute}"
    if book.local_names(sheet, FILTER_DATABASE) == [(FILTER_DATABASE, target)]:
        return   # a re-run over the same rows: workbook.xml stays as it was
    book.replace_local_names(sheet, [(FILTER_DATABASE, target)], prefix=FILTER_DATABASE)
    for dn in book.root.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}definedName"):
        if dn.get("name") == FILTER_DATABASE:
            dn.set("hidden", "1")


def _cell(ref: str) -> tuple[int, int]:
    letters = "".join(ch for ch in ref if ch.isalpha())
    return int(ref[len(letters):]), column_index(letters)


def _free(taken: set[str], pattern: str) -> str:
    n = 1
    while pattern.format(n) in taken:
        n += 1
    return pattern.format(n)


def _new_vml_part(plan, src, names, sheet_member, rels, types, notes) -> tuple[str, str]:
    vml_member = _free(names | set(plan.new_parts), "xl/drawings/vmlDrawing{}.vml")
    others = [src.read(n) for n in names if n.endswith(".vml")]
    plan.new_parts[vml_member] = new_vml(notes, used_idmaps(others))
    types.ensure_default("vml", VML_CT)
    rid = next_rel_id(rels)
    rels.append(Rel(rid, VML_REL, relative(sheet_member, vml_member), False))
    return vml_member, rid
