"""OPC package plumbing: copy zip members byte for byte, stream new ones, and read rels and content types."""
from __future__ import annotations

import posixpath
import struct
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Iterator

from lxml import etree

from addin.read.limits import parse_xml
from addin.write.deflate import fast_write, use_fast_compressor

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
DOC_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NEW_MEMBER_TIME = (1980, 1, 1, 0, 0, 0)
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_DATA_DESCRIPTOR_FLAG = 0x08


# -- paths -------------------------------------------------------------------------------------------
def rels_path(part: str) -> str:
    """xl/worksheets/sheet1.xml → xl/worksheets/_rels/sheet1.xml.rels"""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve(source_part: str, target: str) -> str:
    """Zip member name a relationship target points at (targets are relative to the source part)."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def relative(source_part: str, member: str) -> str:
    """Relationship target for `member` as seen from `source_part`."""
    return posixpath.relpath(member, posixpath.dirname(source_part) or ".")


# -- relationships -----------------------------------------------------------------------------------------
@dataclass
class Rel:
    id: str
    type: str
    target: str
    external: bool

    @property
    def kind(self) -> str:
        return self.type.rsplit("/", 1)[-1]


def parse_rels(xml: bytes | None) -> list[Rel]:
    if not xml:
        return []
    root = parse_xml(xml)
    return [Rel(r.get("Id"), r.get("Type"), r.get("Target"), r.get("TargetMode") == "External")
            for r in root.iter("{%s}Relationship" % REL_NS)]


def rels_xml(rels: list[Rel]) -> bytes:
    root = etree.Element("{%s}Relationships" % REL_NS, nsmap={None: REL_NS})
    for rel in rels:
        attrs = {"Id": rel.id, "Type": rel.type, "Target": rel.target}
        if rel.external:
            attrs["TargetMode"] = "External"
        etree.SubElement(root, "{%s}Relationship" % REL_NS, attrs)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def next_rel_id(rels: list[Rel]) -> str:
    used = {r.id for r in rels}
    n = len(rels) + 1
    while f"rId{n}" in used:
        n += 1
    return f"rId{n}"


# -- content types ------------------------------------------------------------------------------------------
class ContentTypes:
    """[Content_Types].xml: Default entries by extension, Override entries by part name."""

    def __init__(self, xml: bytes):
        self.root = parse_xml(xml)
        self.changed = False

    def of(self, member: str) -> str | None:
        for o in self.root.iter("{%s}Override" % CT_NS):
            if o.get("PartName").lstrip("/") == member:
                return o.get("ContentType")
        ext = member.rsplit(".", 1)[-1].lower()
        for d in self.root.iter("{%s}Default" % CT_NS):
            if d.get("Extension").lower() == ext:
                return d.get("ContentType")
        return None

    def override(self, member: str, content_type: str) -> None:
        self.remove(member)
        etree.SubElement(self.root, "{%s}Override" % CT_NS, PartName="/" + member, ContentType=content_type)
        self.changed = True

    def ensure_default(self, extension: str, content_type: str) -> None:
        for d in self.root.iter("{%s}Default" % CT_NS):
            if d.get("Extension").lower() == extension.lower():
                return
        # Defaults come before Overrides in the files Excel writes
        self.root.insert(0, etree.Element("{%s}Default" % CT_NS, Extension=extension, ContentType=content_type))
        self.changed = True

    def remove(self, member: str) -> None:
        for o in list(self.root.iter("{%s}Override" % CT_NS)):
            if o.get("PartName").lstrip("/") == member:
                self.root.remove(o)
                self.changed = True

    def to_bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)


# -- zip writing -----------------------------------------------------------------------------------------------
def copy_member(src: zipfile.ZipFile, info: zipfile.ZipInfo, dst: zipfile.ZipFile) -> None:
    """Copy one member without decompressing it, so its bytes (and CRC) stay exactly as they were."""
    try:
        _copy_compressed(src, info, dst)
    except (AttributeError, struct.error):   # zipfile internals changed: fall back to a re-compressing copy
        new = zipfile.ZipInfo(info.filename, info.date_time)
        new.compress_type = info.compress_type
        new.external_attr = info.external_attr
        dst.writestr(new, src.read(info.filename))


def _copy_compressed(src: zipfile.ZipFile, info: zipfile.ZipInfo, dst: zipfile.ZipFile) -> None:
    # Mirrors ZipFile._open_to_write / _ZipWriteFile.close, minus the compressor.
    if dst._writing:
        raise ValueError("another member is being written")
    src.fp.seek(info.header_offset)
    header = _LOCAL_HEADER.unpack(src.fp.read(_LOCAL_HEADER.size))
    if header[0] != b"PK\x03\x04":
        raise zipfile.BadZipFile("bad local header for %s" % info.filename)
    data_start = info.header_offset + _LOCAL_HEADER.size + header[10] + header[11]
    new = zipfile.ZipInfo(info.filename, info.date_time)
    new.compress_type = info.compress_type
    new.flag_bits = info.flag_bits & ~_DATA_DESCRIPTOR_FLAG   # sizes go in the local header instead
    new.CRC, new.compress_size, new.file_size = info.CRC, info.compress_size, info.file_size
    new.external_attr = info.external_attr
    new.create_system = info.create_system
    zip64 = max(new.file_size, new.compress_size) > zipfile.ZIP64_LIMIT
    with dst._lock:
        if dst._seekable:
            dst.fp.seek(dst.start_dir)
        new.header_offset = dst.fp.tell()
        dst._writecheck(new)
        dst._didModify = True
        dst.fp.write(new.FileHeader(zip64))
        src.fp.seek(data_start)
        remaining = info.compress_size
        while remaining:
            block = src.fp.read(min(remaining, 1 << 22))
            if not block:
                raise zipfile.BadZipFile("truncated member %s" % info.filename)
            dst.fp.write(block)
            remaining -= len(block)
        dst.start_dir = dst.fp.tell()
        dst.filelist.append(new)
        dst.NameToInfo[new.filename] = new


def write_member(dst: zipfile.ZipFile, name: str, data: bytes, date_time=NEW_MEMBER_TIME) -> None:
    info = zipfile.ZipInfo(name, date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    dst.writestr(info, data)


def write_stream(dst: zipfile.ZipFile, name: str, chunks: Iterator[bytes], *, fast: bool = False, zip64: bool = False,
                 date_time=NEW_MEMBER_TIME) -> None:
    """Write a member from an iterator of byte chunks (never holding the whole part in memory)."""
    info = zipfile.ZipInfo(name, date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    if fast:   # a big sheet: level 1 deflates several times faster, for a slightly larger file
        for attr in ("compress_level", "_compresslevel"):   # public name from Python 3.13, private before
            try:
                setattr(info, attr, 1)
            except AttributeError:
                pass
    # Compress block k on a second thread (zlib and isal release the GIL) while block k+1 is being built.
    with dst.open(info, "w", force_zip64=zip64) as out, ThreadPoolExecutor(max_workers=1) as writer:
        write = fast_write(out) if fast and use_fast_compressor(out) else out.write
        pending = None
        for chunk in chunks:
            if pending is not None:
                pending.result()
            pending = writer.submit(write, chunk)
        if pending is not None:
            pending.result()
