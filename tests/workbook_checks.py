"""What must hold after kehu writes a workbook, checked without kehu's own reader or writer.

- parts: every member of the input is in the output; the ones kehu has no reason to touch are byte-identical
- cells: every original cell keeps its value, formula, cached value, style and comment (openpyxl, twice)
- what Excel re-validates on open: row and cell order, style indices in range, unique table names and ids,
  defined names pointing at existing sheets, a content type for every part
"""
from __future__ import annotations

import copy
import posixpath
import re
import warnings
import zipfile
from pathlib import Path

from lxml import etree

from addin.write.marks import AUTHOR

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def _xml(z: zipfile.ZipFile, name: str):
    return etree.fromstring(z.read(name), _PARSER)


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str, bool]]:
    folder, base = posixpath.split(part)
    name = posixpath.join(folder, "_rels", base + ".rels")
    if name not in z.namelist():
        return {}
    out = {}
    for r in _xml(z, name).iter(f"{{{PKG_REL}}}Relationship"):
        target = r.get("Target")
        external = r.get("TargetMode") == "External"
        if not external:
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[r.get("Id")] = (r.get("Type").rsplit("/", 1)[-1], target, external)
    return out


def workbook_part(z: zipfile.ZipFile) -> str:
    for _id, (kind, target, _ext) in _rels(z, "").items():
        if kind == "officeDocument":
            return target
    raise AssertionError("no officeDocument relationship")


def sheets(z: zipfile.ZipFile) -> list[tuple[str, str, str]]:
    """(name, kind, part) of every sheet in workbook order."""
    wb = workbook_part(z)
    rels = _rels(z, wb)
    out = []
    for s in _xml(z, wb).iter(f"{{{MAIN}}}sheet"):
        kind, target, _ = rels[s.get(f"{{{REL}}}id")]
        out.append((s.get("name"), kind, target))
    return out


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


# -- what Excel re-validates ---------------------------------------------------------------------------------
def is_strict(path: Path) -> bool:
    with zipfile.ZipFile(path) as z:
        return b"purl.oclc.org/ooxml" in z.read(workbook_part(z))[:4096]


def _untyped(path: Path) -> set[str]:
    """Members that already lacked a content type in the input (e.g. a stray xl/.DS_Store)."""
    with zipfile.ZipFile(path) as z:
        if "[Content_Types].xml" not in z.namelist():
            return set(z.namelist())
        return {n for n in z.namelist() if not _typed(z, n)}


def _typed(z: zipfile.ZipFile, name: str) -> bool:
    root = _xml(z, "[Content_Types].xml")
    defaults = {d.get("Extension").lower() for d in root.iter(f"{{{CT}}}Default")}
    overrides = {o.get("PartName").lstrip("/") for o in root.iter(f"{{{CT}}}Override")}
    ext = name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""
    return name == "[Content_Types].xml" or name in overrides or ext in defaults or name.endswith("/")


def check_package(path: Path, baseline: Path | None = None) -> None:
    exempt = _untyped(baseline) if baseline is not None and zipfile.is_zipfile(baseline) else set()
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        assert z.testzip() is None
        _check_content_types(z, names - exempt)
        n_xfs = _check_styles(z)
        for name, kind, part in sheets(z):
            assert part in names, f"sheet {name!r} points at missing {part}"
            if kind == "worksheet":
                _check_sheet_order(z, part, n_xfs)
        _check_tables(z, names)
        _check_defined_names(z)


def _check_content_types(z: zipfile.ZipFile, names: set[str]) -> None:
    root = _xml(z, "[Content_Types].xml")
    defaults = {d.get("Extension").lower() for d in root.iter(f"{{{CT}}}Default")}
    overrides = {o.get("PartName").lstrip("/") for o in root.iter(f"{{{CT}}}Override")}
    for o in overrides:
        assert o in names, f"content type for a missing part {o}"
    for n in names - {"[Content_Types].xml"}:
        if n.endswith("/"):
            continue
        ext = n.rsplit(".", 1)[-1].lower() if "." in n.rsplit("/", 1)[-1] else ""
        assert n in overrides or ext in defaults, f"no content type for {n}"


def _check_styles(z: zipfile.ZipFile) -> int:
    wb = workbook_part(z)
    styles = [t for k, t, _ in _rels(z, wb).values() if k == "styles"]
    if not styles:
        return 1
    root = _xml(z, styles[0])

    def count(tag: str) -> int:
        el = root.find(f"{{{MAIN}}}{tag}")
        return len(el) if el is not None else 0
    fonts, fills, borders, xfs = count("fonts"), count("fills"), count("borders"), count("cellXfs")
    assert fonts >= 1 and fills >= 1 and borders >= 1 and xfs >= 1, "styles lack Excel's default entries"
    numfmts = {int(n.get("numFmtId")) for n in root.iter(f"{{{MAIN}}}numFmt")}
    for xf in root.find(f"{{{MAIN}}}cellXfs"):
        assert int(xf.get("fontId", 0)) < fonts and int(xf.get("fillId", 0)) < fills
        assert int(xf.get("borderId", 0)) < borders
        nf = int(xf.get("numFmtId", 0))
        assert nf < 164 or nf in numfmts, f"numFmtId {nf} undefined"
    return xfs


_TAG = re.compile(rb'<(?:\w+:)?(row|c)(?=[\s/>])([^>]*?)(/?)>')
_R = re.compile(rb'\br="([A-Z]*)(\d*)"')
_S = re.compile(rb'\bs="(\d+)"')


def _check_sheet_order(z: zipfile.ZipFile, part: str, n_xfs: int) -> None:
    """Rows ascend, cells ascend within a row, no reference twice, every s= in range (implicit r= counted)."""
    data = z.read(part)
    start = data.find(b"sheetData")
    row = col = 0
    seen_rows = set()
    for m in _TAG.finditer(data, start):
        attrs = m.group(2)
        ref = _R.search(attrs)
        s = _S.search(attrs)
        if s:
            assert int(s.group(1)) < n_xfs, f"{part}: style {s.group(1)} out of range ({n_xfs})"
        if m.group(1) == b"row":
            new = int(ref.group(2)) if ref and ref.group(2) else row + 1
            assert new > row and new not in seen_rows, f"{part}: row {new} after row {row}"
            row, col = new, 0
            seen_rows.add(row)
            continue
        new = _col(ref.group(1).decode()) if ref and ref.group(1) else col + 1
        if ref and ref.group(2):
            assert int(ref.group(2)) == row, f"{part}: cell {ref.group(0)} in row {row}"
        assert new > col, f"{part}: row {row}: column {new} after {col}"
        col = new


def _check_tables(z: zipfile.ZipFile, names: set[str]) -> None:
    ids, display = set(), set()
    for n in names:
        if re.match(r"xl/tables/[^/]+\.xml$", n):
            t = _xml(z, n)
            tid, name = t.get("id"), (t.get("displayName") or t.get("name")).casefold()
            assert tid not in ids and name not in display, f"table id/name repeated: {tid} {name}"
            ids.add(tid)
            display.add(name)


_SHEET_REF = re.compile(r"(?:'((?:[^']|'')+)'|([^\s'!,()=+\-*/&^<>:;{}\"]+))!")


def _check_defined_names(z: zipfile.ZipFile) -> None:
    wb = workbook_part(z)
    root = _xml(z, wb)
    names = [s.get("name") for s in root.iter(f"{{{MAIN}}}sheet")]
    folded = {n.casefold() for n in names}
    scopes = set()
    for dn in root.iter(f"{{{MAIN}}}definedName"):
        local = dn.get("localSheetId")
        if local is not None:
            assert int(local) < len(names), f"definedName {dn.get('name')} scoped to sheet {local} of {len(names)}"
        key = (dn.get("name").casefold(), local)
        assert key not in scopes, f"definedName {key} twice"
        scopes.add(key)
        text = re.sub(r'"[^"]*"', "", dn.text or "")
        for quoted, bare in _SHEET_REF.findall(text):
            sheet = (quoted.replace("''", "'") if quoted else bare)
            if sheet.startswith("[") or "#REF" in sheet or "]" in sheet:
                continue
            assert sheet.casefold() in folded, f"definedName {dn.get('name')} points at missing sheet {sheet!r}"


# -- parts and cells -------------------------------------------------------------------------------------------
def check_parts_kept(src: Path, out: Path, data_sheet: str) -> None:
    """Every input member is in the output; members kehu has no reason to edit are byte-identical."""
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:
        out_names = set(b.namelist())
        wb = workbook_part(a)
        by_name = {n.casefold(): p for n, _k, p in sheets(a)}
        data_part = by_name[data_sheet.casefold()]
        folder, base = posixpath.split(wb)
        may_change = {data_part, wb, posixpath.join(folder, "_rels", base + ".rels"), "[Content_Types].xml"}
        may_change |= {t for k, t, _ in _rels(a, wb).values() if k == "styles"}
        may_change |= {t for k, t, _ in _rels(a, data_part).values() if k == "table"}   # a grown Table
        # kehu's notes on the data (`--mark`): the data sheet's rels, comments part and VML drawing gain entries
        # (check_cells_kept checks that every comment of the user's is still there, unchanged)
        may_change |= {posixpath.join(posixpath.dirname(data_part), "_rels", posixpath.basename(data_part) + ".rels")}
        may_change |= {t for k, t, _ in _rels(a, data_part).values() if k in ("comments", "vmlDrawing")}
        for info in a.infolist():
            assert info.filename in out_names, f"{info.filename} lost"
            if info.filename not in may_change:
                assert a.read(info) == b.read(info.filename), f"{info.filename} changed"


def _load(path: Path, data_only: bool):
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path, data_only=data_only, keep_vba=False, rich_text=False)


def _value(v):
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    if isinstance(v, ArrayFormula):
        return ("array", v.ref, v.text)
    if isinstance(v, DataTableFormula):
        return ("table", tuple(sorted(dict(v).items())))
    return v


def check_cells_kept(src: Path, out: Path, data_sheet: str, compare_styles: bool = True) -> int:
    """Every cell of every input sheet: value, formula, cached value, style and comment unchanged.

    In the data sheet, cells right of the input's last column are kehu's and not compared; nothing may
    appear inside the input's area. Returns the number of cells compared.
    """
    compared = 0
    for data_only in (False, True):   # formulas, then the cached values
        a, b = _load(src, data_only), _load(out, data_only)
        for ws in a.worksheets:
            wo = b[ws.title]
            max_col = ws.max_column
            cells_a = {(c.row, c.column): c for row in ws.iter_rows() for c in row if c.value is not None
                       or c.comment is not None}
            for (r, col), ca in cells_a.items():
                cb = wo.cell(r, col)
                assert _value(cb.value) == _value(ca.value), f"{ws.title}!{ca.coordinate}: {ca.value!r} → {cb.value!r}"
                if not data_only:
                    theirs = cb.comment if cb.comment is not None and cb.comment.author != AUTHOR else None
                    assert (ca.comment.text if ca.comment else None) == (theirs.text if theirs else None)
                    if compare_styles:
                        for attr in ("number_format", "font", "fill", "border", "alignment", "protection"):
                            # openpyxl hands out proxies, which compare unequal to each other: compare copies
                            assert copy.copy(getattr(ca, attr)) == copy.copy(getattr(cb, attr)), \
                                f"{ws.title}!{ca.coordinate}: {attr}"
                compared += 1
            limit = max_col if ws.title.casefold() == data_sheet.casefold() else None
            for row in wo.iter_rows(max_col=limit):
                for cb in row:
                    if cb.value is not None:
                        assert (cb.row, cb.column) in cells_a, f"{ws.title}!{cb.coordinate} appeared"
    return compared


def has_styles(path: Path) -> bool:
    with zipfile.ZipFile(path) as z:
        return any(k == "styles" for k, _t, _e in _rels(z, workbook_part(z)).values())


def check_original_cells_plain(src: Path, out: Path, data_sheet: str) -> None:
    """For an input without styles: every original cell of the data sheet still has style 0 in the output."""
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:
        part = {n.casefold(): p for n, _k, p in sheets(a)}[data_sheet.casefold()]
        original = {m.group(1) for m in re.finditer(rb'<c r="([A-Z]+\d+)"', a.read(part))}
        for m in re.finditer(rb'<c r="([A-Z]+\d+)"([^>]*)>', b.read(part)):
            if m.group(1) in original:
                s = _S.search(m.group(2))
                assert s is None or s.group(1) == b"0", f"{m.group(1)} got style {s.group(1)}"
