"""Add the few cell styles kehu needs to a workbook's xl/styles.xml, and merge in xlsxwriter's styles.

Only appends: existing fonts, fills, borders, number formats and cell formats keep their
indices, so every `s=` already in the workbook still means what it meant.
"""
from __future__ import annotations

import copy
from typing import Callable

from lxml import etree

from addin.read.limits import parse_xml
from addin.write.cells import DEFAULT_FORMATS, NUMBER, TEXT, BOOL

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
Q = "{%s}" % NS
FIRST_CUSTOM_NUMFMT = 164
LINK_FONT_RGB = "FF0563C1"   # the colour of Excel's Hyperlink style
HEADER_FILL_RGB = "FFC6EFCE"    # Excel's light green ("good" cell style)

# Built-in number formats that need no <numFmt> entry (ECMA-376 Part 1, 18.8.30).
BUILTIN_NUMFMTS = {
    "General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10,
    "0.00E+00": 11, "# ?/?": 12, "# ??/??": 13, "h:mm": 20, "h:mm:ss": 21,
    "[h]:mm:ss": 46, "mm:ss": 45, "mmss.0": 47, "##0.0E+0": 48, "@": 49,
}

MINIMAL_STYLES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    b'<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    b'<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    b'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    b'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    b'<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    b'</styleSheet>'
)

# Order of the children of <styleSheet> (CT_Stylesheet), for inserting a missing container.
_ORDER = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
          "tableStyles", "colors", "extLst"]


class StyleBook:
    """An editable styles.xml: hands out cellXfs indices for (number format, role) pairs."""

    def __init__(self, xml: bytes | None, *, reuse: bool = False):
        # reuse: a workbook kehu wrote before; its formats are found again instead of appended a second time
        self.reuse = reuse
        self.root = parse_xml(xml if xml and xml.strip() else MINIMAL_STYLES, where="xl/styles.xml")
        self.changed = not (xml and xml.strip())
        if etree.QName(self.root).localname != "styleSheet":
            self.root, self.changed = parse_xml(MINIMAL_STYLES), True
        self._ensure_defaults()
        self._xf_cache: dict[tuple[str | None, str], int] = {}
        self._font_cache: dict[str, int] = {}
        self._fill_id: int | None = None

    def _ensure_defaults(self) -> None:
        """Excel's required first entries, when a styles part lacks them (an empty one, from some exporters).

        Without them kehu's first bold font or green fill would become entry 0 — the style of every
        original cell — and Excel would repair the file.
        """
        defaults = etree.fromstring(MINIMAL_STYLES)
        for name in ("fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles"):
            present = self.root.find(Q + name)
            if present is None or len(present) == 0:
                container = self._container(name)
                for element in defaults.find(Q + name):
                    container.append(copy.deepcopy(element))
                container.set("count", str(len(container)))
                self.changed = True
        fills = self.root.find(Q + "fills")
        if len(fills) == 1:   # fill 1 is reserved for gray125; kehu's fill must not land there
            fills.append(copy.deepcopy(defaults.find(Q + "fills")[1]))
            fills.set("count", str(len(fills)))
            self.changed = True

    # -- containers ---------------------------------------------------------------------------
    def _container(self, name: str) -> etree._Element:
        found = self.root.find(Q + name)
        if found is not None:
            return found
        element = etree.Element(Q + name)
        later = _ORDER[_ORDER.index(name) + 1:]
        for i, child in enumerate(self.root):
            if etree.QName(child).localname in later:
                self.root.insert(i, element)
                break
        else:
            self.root.append(element)
        return element

    def _reuse_or_append(self, name: str, element: etree._Element) -> int:
        """Index of an identical entry already there (a re-run's styles), else the new one's."""
        entries = list(self._container(name)) if self.reuse else []
        for i in range(len(entries) - 1, -1, -1):   # the latest first: kehu's own come after the user's
            if _same(entries[i], element):
                return i
        return self._append(name, element)

    def _append(self, name: str, element: etree._Element) -> int:
        container = self._container(name)
        container.append(element)
        container.set("count", str(len(container)))
        self.changed = True
        return len(container) - 1

    # -- number formats -------------------------------------------------------------------------
    def number_format_id(self, code: str | None) -> int:
        if not code or code == "General":
            return 0
        if code in BUILTIN_NUMFMTS:
            return BUILTIN_NUMFMTS[code]
        numfmts = self._container("numFmts")
        used = []
        for nf in numfmts:
            if nf.get("formatCode") == code:
                return int(nf.get("numFmtId"))
            used.append(int(nf.get("numFmtId")))
        new_id = max([FIRST_CUSTOM_NUMFMT - 1] + used) + 1
        element = etree.Element(Q + "numFmt", numFmtId=str(new_id), formatCode=code)
        self._append("numFmts", element)
        return new_id

    # -- fonts and fills ----------------------------------------------------------------------------
    def _font(self, role: str) -> int:
        if role == "plain":
            return 0
        if role not in self._font_cache:
            fonts = self._container("fonts")
            font = copy.deepcopy(fonts[0]) if len(fonts) else etree.Element(Q + "font")
            for child in list(font):
                if etree.QName(child).localname in ("b", "i", "u", "strike"):
                    font.remove(child)
            if role == "link":   # Excel's Hyperlink cell style: blue, underlined, not bold
                font.insert(0, etree.Element(Q + "u"))
                for color in font.findall(Q + "color"):
                    font.remove(color)
                font.insert(1, etree.Element(Q + "color", rgb=LINK_FONT_RGB))
            else:
                font.insert(0, etree.Element(Q + "b"))
            if role == "title":
                size = font.find(Q + "sz")
                if size is None:
                    size = etree.SubElement(font, Q + "sz")
                size.set("val", "14")
            self._font_cache[role] = self._reuse_or_append("fonts", font)
        return self._font_cache[role]

    def _header_fill(self) -> int:
        if self._fill_id is None:
            fill = etree.Element(Q + "fill")
            pattern = etree.SubElement(fill, Q + "patternFill", patternType="solid")
            etree.SubElement(pattern, Q + "fgColor", rgb=HEADER_FILL_RGB)
            etree.SubElement(pattern, Q + "bgColor", indexed="64")
            self._fill_id = self._reuse_or_append("fills", fill)
        return self._fill_id

    # -- cell formats ------------------------------------------------------------------------------------
    def xf(self, number_format: str | None = None, role: str = "plain") -> int:
        """cellXfs index for cells with this number format and role ("plain", "header", "title")."""
        key = (number_format or None, role)
        if key == (None, "plain"):
            return 0
        if key not in self._xf_cache:
            numfmt = self.number_format_id(number_format)
            font = self._font(role)
            fill = self._header_fill() if role == "header" else 0
            attrs = {"numFmtId": str(numfmt), "fontId": str(font), "fillId": str(fill), "borderId": "0", "xfId": "0"}
            if numfmt:
                attrs["applyNumberFormat"] = "1"
            if font:
                attrs["applyFont"] = "1"
            if fill:
                attrs["applyFill"] = "1"
            xf = etree.Element(Q + "xf", attrs)
            if role == "header":   # a long header wraps (its column is sized for two lines) instead of being cut
                xf.set("applyAlignment", "1")
                etree.SubElement(xf, Q + "alignment", wrapText="1", vertical="center")
            self._xf_cache[key] = self._reuse_or_append("cellXfs", xf)
        return self._xf_cache[key]

    def style_for(self, number_format: str | None = None, role: str = "plain") -> Callable[[str], int]:
        """kind → xf for one column: its own number format, or a default that shows dates as dates."""
        def pick(kind: str) -> int:
            if number_format:
                return self.xf(number_format, role)
            if kind in (NUMBER, TEXT, BOOL):
                return self.xf(None, role)
            return self.xf(DEFAULT_FORMATS[kind], role)
        return pick

    def dxf(self, fill_rgb: str, font_rgb: str | None = None) -> int:
        """A differential format (a conditional format's look): a solid fill, optionally a font colour."""
        element = etree.Element(Q + "dxf")
        if font_rgb:
            font = etree.SubElement(element, Q + "font")
            etree.SubElement(font, Q + "color", rgb=font_rgb)
        fill = etree.SubElement(element, Q + "fill")
        pattern = etree.SubElement(fill, Q + "patternFill", patternType="solid")
        etree.SubElement(pattern, Q + "fgColor", rgb=fill_rgb)
        etree.SubElement(pattern, Q + "bgColor", rgb=fill_rgb)
        return self._reuse_or_append("dxfs", element)

    # -- xlsxwriter transplant --------------------------------------------------------------------------
    def merge(self, other_xml: bytes) -> tuple[dict[int, int], int]:
        """Append another workbook's styles; return its cellXfs index map and the dxf offset."""
        other = parse_xml(other_xml, where="xl/styles.xml")
        numfmt_map: dict[int, int] = {}
        for nf in other.iterfind(f"{Q}numFmts/{Q}numFmt"):
            numfmt_map[int(nf.get("numFmtId"))] = self.number_format_id(nf.get("formatCode"))

        def appended(name: str, item: str) -> dict[int, int]:
            # on a re-run (reuse) the report's fonts, fills and formats are found again, not appended twice
            return {i: self._reuse_or_append(name, copy.deepcopy(element))
                    for i, element in enumerate(other.iterfind(f"{Q}{name}/{Q}{item}"))}

        fonts, fills, borders = appended("fonts", "font"), appended("fills", "fill"), appended("borders", "border")
        xf_map: dict[int, int] = {}
        for i, xf in enumerate(other.iterfind(f"{Q}cellXfs/{Q}xf")):
            new = copy.deepcopy(xf)
            numfmt = int(xf.get("numFmtId", "0"))
            new.set("numFmtId", str(numfmt_map.get(numfmt, numfmt)))
            new.set("fontId", str(fonts.get(int(xf.get("fontId", "0")), 0)))
            new.set("fillId", str(fills.get(int(xf.get("fillId", "0")), 0)))
            new.set("borderId", str(borders.get(int(xf.get("borderId", "0")), 0)))
            new.set("xfId", "0")
            xf_map[i] = self._reuse_or_append("cellXfs", new)
        dxf_base = len(self._container("dxfs")) if other.find(Q + "dxfs") is not None else 0
        for dxf in other.iterfind(f"{Q}dxfs/{Q}dxf"):
            new = copy.deepcopy(dxf)
            for nf in new.iterfind(Q + "numFmt"):
                nf.set("numFmtId", str(self.number_format_id(nf.get("formatCode"))))
            self._append("dxfs", new)
        return xf_map, dxf_base

    def to_bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _same(a: etree._Element, b: etree._Element) -> bool:
    """Same element, attributes and children (namespace prefixes and attribute order aside)."""
    if not isinstance(a.tag, str) or not isinstance(b.tag, str):
        return False
    if etree.QName(a).localname != etree.QName(b).localname or dict(a.attrib) != dict(b.attrib):
        return False
    kids_a = [c for c in a if isinstance(c.tag, str)]
    kids_b = [c for c in b if isinstance(c.tag, str)]
    return len(kids_a) == len(kids_b) and all(_same(x, y) for x, y in zip(kids_a, kids_b))
