"""Strict Open XML (ISO/IEC 29500 Strict, which Excel can save) turned into the transitional form kehu edits.

The two forms differ in their namespace and relationship-type URIs (ECMA-376 Part 1 vs Strict); the
mapping below is that table. The result is written as a transitional workbook, which every Excel opens.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

STRICT_MARK = b"http://purl.oclc.org/ooxml/"
_SPECIAL = {
    b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties":
        b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    b"http://purl.oclc.org/ooxml/officeDocument/customProperties":
        b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
}
_GENERAL = re.compile(rb"http://purl\.oclc\.org/ooxml/(spreadsheetml|drawingml|officeDocument|presentationml|"
                      rb"wordprocessingml|schemaLibrary)/([A-Za-z]+)")
_CONFORMANCE = re.compile(rb'\s+conformance="strict"')


def is_strict(zf: zipfile.ZipFile, workbook_member: str) -> bool:
    with zf.open(workbook_member) as fh:
        return STRICT_MARK in fh.read(4096)


def to_transitional(xml: bytes) -> bytes:
    for strict, transitional in _SPECIAL.items():
        xml = xml.replace(strict, transitional)
    xml = _GENERAL.sub(lambda m: b"http://schemas.openxmlformats.org/%s/2006/%s" % (m.group(1), m.group(2)), xml)
    return _CONFORMANCE.sub(b"", xml)


def write_transitional(src: zipfile.ZipFile, out: Path) -> None:
    """Every XML and rels part with Strict URIs mapped to transitional ones; other parts copied."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith((".xml", ".rels", ".vml")) and STRICT_MARK in data:
                data = to_transitional(data)
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
