"""Zip bombs built in the test (never committed): small files whose parts inflate to gigabytes, or lie."""
from __future__ import annotations

import zlib
import zipfile
from pathlib import Path

from tests.hostile import SHEET, register

MB = 1 << 20


def _deflate_repeated(head: bytes, filler: bytes, n_bytes: int, tail: bytes) -> tuple[bytes, int, int]:
    """Raw deflate of head + filler*… + tail without holding the inflated text: (data, size, crc)."""
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = filler * (MB // len(filler))
    parts, crc, size = [co.compress(head)], zlib.crc32(head), len(head)
    for _ in range(n_bytes // len(chunk)):
        parts.append(co.compress(chunk))
        crc, size = zlib.crc32(chunk, crc), size + len(chunk)
    parts.append(co.compress(tail))
    parts.append(co.flush())
    crc, size = zlib.crc32(tail, crc), size + len(tail)
    return b"".join(parts), size, crc


def _replace_member(src: Path, dst: Path, member: str, raw: bytes, size: int, crc: int,
                    declared: int | str | None = None):
    """Copy `src` with `member` replaced by an already-deflated stream (declared size may lie)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != member:
                zout.writestr(info, zin.read(info))
        info = zipfile.ZipInfo(member, (2020, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        if declared == "plausible":   # a lie no ratio check can see: "inflates to twice its compressed size"
            declared = 2 * len(raw)
        info.file_size, info.compress_size, info.CRC = declared if declared is not None else size, len(raw), crc
        # write header + raw stream by hand: zipfile has no API for pre-compressed data
        zout.fp.seek(zout.start_dir)
        info.header_offset = zout.start_dir
        zout.fp.write(info.FileHeader(zip64=False))
        zout.fp.write(raw)
        zout.start_dir = zout.fp.tell()
        zout.filelist.append(info)
        zout.NameToInfo[member] = info
        zout._didModify = True
    return dst


def whitespace_bomb(tmp: Path, gigabytes: float = 1.0, declared: int | str | None = None) -> Path:
    """The data sheet: real rows, then `gigabytes` of spaces between two cells (no `</c>` for a long way)."""
    base = register(tmp / "base.xlsx")
    xml = zipfile.ZipFile(base).read(SHEET)
    cut = xml.index(b"</sheetData>")
    raw, size, crc = _deflate_repeated(xml[:cut] + b'<row r="9"><c r="A9" t="inlineStr"><is><t>', b" ",
                                       int(gigabytes * 1024 * MB), b"</t></is></c></row>" + xml[cut:])
    return _replace_member(base, tmp / f"whitespace_bomb_{declared}.xlsx", SHEET, raw, size, crc, declared)


def string_bomb(tmp: Path, gigabytes: float = 1.0, declared: int | str | None = None) -> Path:
    """One shared string of `gigabytes` characters."""
    base = register(tmp / "base.xlsx")
    member = "xl/sharedStrings.xml"
    xml = zipfile.ZipFile(base).read(member)
    cut = xml.index(b"</sst>")
    raw, size, crc = _deflate_repeated(xml[:cut] + b"<si><t>", b"A", int(gigabytes * 1024 * MB), b"</t></si>" + xml[cut:])
    return _replace_member(base, tmp / f"string_bomb_{declared}.xlsx", member, raw, size, crc, declared)


def laughs_bomb(tmp: Path) -> Path:
    from tests.hostile import rewrite
    from tests.test_hostile_packages import LAUGHS

    return rewrite(register(tmp / "base.xlsx"), tmp / "laughs.xlsx", lambda n, d: LAUGHS if n == "xl/styles.xml" else d)


def far_cell(tmp: Path) -> Path:
    from tests.hostile import edit_sheet, rewrite

    far = edit_sheet(lambda x: x.replace(b"</sheetData>",
                                         b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'))
    return rewrite(register(tmp / "base.xlsx"), tmp / "far.xlsx", far)
