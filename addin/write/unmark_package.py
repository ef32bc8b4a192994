"""`kehu unmark`: take kehu's marks out of a workbook — its conditional formats, its notes (author "kehu 客户工具") with
their VML shapes, and the autoFilter it added — leaving every other part, every cell and every style index as
it is. The user's own comments, filters, Tables and conditional formats stay.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from addin.errors import ExitCode, KehuError
from addin.write.cells import column_index
from addin.write.marks import (AUTHOR, comment_refs, kehu_filter, unmark_comments, unmark_sheet_tail, unmark_vml)
from addin.write.mark_plan import FILTER_DATABASE, reaches
from addin.write.output import atomic_output, check_writable, make_backup
from addin.write.package import (ContentTypes, copy_member, parse_rels, rels_path, rels_xml, resolve, write_member)
from addin.write.workbook_parts import find_workbook_part, WorkbookPart



@dataclass
class Unmarked:
    output: Path
    backup: Path | None
    sheets: list[str] = field(default_factory=list)    # sheets that had kehu's marks
    notes: int = 0                                     # kehu's notes removed
    formats: int = 0                                   # kehu's conditional formats removed


def unmark_file(source: Path, output: Path | None = None) -> Unmarked:
    """Remove kehu's marks from `source` (into `output`, or into `source` itself after a backup)."""
    source = Path(source)
    target = Path(output) if output else source
    if not source.is_file():
        raise KehuError(f"找不到文件“{source}”。", f"File not found: {source}", ExitCode.INPUT_FILE)
    if source.suffix.lower() not in (".xlsx", ".xlsm"):
        raise KehuError("只有 .xlsx / .xlsm 文件带有 kehu 的标记。", "Only .xlsx/.xlsm files carry kehu's marks.",
                        ExitCode.USAGE)
    try:
        src = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as exc:
        raise KehuError(f"无法打开“{source.name}”：不是有效的 .xlsx/.xlsm 文件。",
                        f"Cannot open '{source.name}': not a valid .xlsx/.xlsm package.", ExitCode.INPUT_FILE) from exc
    with src:
        changed, removed, done = _plan(src)
        if not done.sheets:
            done.output = source
            return done
        check_writable(target)
        backup = make_backup(source) if target.resolve() == source.resolve() else None
        with atomic_output(target) as temp:
            with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as dst:
                for info in src.infolist():
                    if info.filename in removed:
                        continue
                    if info.filename in changed:
                        write_member(dst, info.filename, changed[info.filename], date_time=info.date_time)
                    else:
                        copy_member(src, info, dst)
    done.output, done.backup = target, backup
    return done


def _plan(src: zipfile.ZipFile) -> tuple[dict[str, bytes], set[str], Unmarked]:
    names = set(src.namelist())
    member = find_workbook_part(src)
    book = WorkbookPart(member, src.read(member), src.read(rels_path(member)) if rels_path(member) in names else None)
    types = ContentTypes(src.read("[Content_Types].xml"))
    changed: dict[str, bytes] = {}
    removed: set[str] = set()
    done = Unmarked(Path(), None)
    for sheet in book.sheet_names():
        sheet_member = book.sheet_member(sheet)
        if sheet_member not in names:
            continue
        data = src.read(sheet_member)
        end = data.rfind(b"</sheetData>")
        if end < 0:
            continue
        tail = data[end:].decode("utf-8")
        kehu_columns = book.kehu_columns(sheet)
        ours = kehu_filter(tail, kehu_columns[0] if kehu_columns else None)
        new_tail = unmark_sheet_tail(tail, drop_filter=ours)
        named = dict(book.local_names(sheet, FILTER_DATABASE)).get(FILTER_DATABASE)
        if ours and named and kehu_columns and reaches(named, kehu_columns[0]):
            book.replace_local_names(sheet, [], prefix=FILTER_DATABASE)   # the filter's hidden name goes with it
        formats = tail.count("kehu:") - new_tail.count("kehu:")
        notes = 0
        rels_member = rels_path(sheet_member)
        rels = parse_rels(src.read(rels_member)) if rels_member in names else []
        by_kind = {r.kind: r for r in rels if not r.external}
        comments = resolve(sheet_member, by_kind["comments"].target) if "comments" in by_kind else None
        vml = resolve(sheet_member, by_kind["vmlDrawing"].target) if "vmlDrawing" in by_kind else None
        if comments in names:
            xml = src.read(comments)
            ours = comment_refs(xml, author=AUTHOR)
            if ours:
                notes = len(ours)
                kept = unmark_comments(xml)
                cells = {_cell(ref) for ref in ours}
                if comment_refs(kept):
                    changed[comments] = kept
                    if vml in names:
                        changed[vml] = unmark_vml(src.read(vml), cells)
                else:   # no comment left: the part goes, and the VML when it held nothing but the notes
                    removed.add(comments)
                    types.remove(comments)
                    rels = [r for r in rels if r is not by_kind["comments"]]
                    if vml in names:
                        left = unmark_vml(src.read(vml), cells)
                        if b"<v:shape " in left or b"<v:shape>" in left:
                            changed[vml] = left
                        else:
                            removed.add(vml)
                            rels = [r for r in rels if r is not by_kind["vmlDrawing"]]
                            new_tail = _drop_legacy(new_tail)
                    changed[rels_member] = rels_xml(rels)
                    if not rels:
                        removed.add(rels_member)
                        changed.pop(rels_member)
        if new_tail != tail:
            changed[sheet_member] = data[:end] + new_tail.encode("utf-8")
        if new_tail != tail or notes:
            done.sheets.append(sheet)
            done.notes += notes
            done.formats += max(formats, 0)
    if types.changed:
        changed["[Content_Types].xml"] = types.to_bytes()
    if book.changed:
        changed[member] = book.to_bytes()
    return changed, removed, done


def _drop_legacy(tail: str) -> str:
    import re

    return re.sub(r"<legacyDrawing\b[^>]*/>", "", tail, count=1)


def _cell(ref: str) -> tuple[int, int]:
    letters = "".join(ch for ch in ref if ch.isalpha())
    return int(ref[len(letters):]), column_index(letters)
