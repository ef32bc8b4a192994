"""The fastest raw-deflate codec installed (python-isal, then zlib-ng, then the standard library's zlib).

All three produce and read standard raw deflate streams (RFC 1951), so a zip written with any of them is
an ordinary zip every reader opens; only speed (and a few percent of size) differ. Each also has the zip's
CRC-32 (the same checksum; ISA-L's is ~6x the standard library's), used for the big parts read and written.
python-isal and zlib-ng come with the optional `fast` extra; without them kehu uses zlib exactly as before.
"""
from __future__ import annotations

import functools
import zipfile
import zlib
from typing import Any, Callable

RAW = -15   # raw deflate, as zip members hold it
FAST_LEVEL = 1   # the quickest level of each codec (ISA-L's 1 deflates ~4x faster than zlib's 1, and smaller)


@functools.lru_cache(maxsize=1)
def codec() -> tuple[str, Any]:
    """(name, module) of the fastest codec installed; imported here so kehu runs without the `fast` extra."""
    try:   # Intel ISA-L
        from isal import isal_zlib
        return "isal", isal_zlib
    except ImportError:
        pass
    try:
        from zlib_ng import zlib_ng
        return "zlib-ng", zlib_ng
    except ImportError:
        return "zlib", zlib


def compressor(fast: bool) -> Any:
    """A raw-deflate compressor: the fast codec at its quickest level for big parts, zlib's default otherwise."""
    if fast:
        return codec()[1].compressobj(FAST_LEVEL, zlib.DEFLATED, RAW)
    return zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, RAW)


def decompressor() -> Any:
    return codec()[1].decompressobj(RAW)


def use_fast_compressor(member_writer: Any) -> bool:
    """Give a zipfile member opened for writing (before its first write) the fast compressor.

    zipfile has no hook for the codec, so this sets its (private, long-stable) compressor attribute;
    if that ever changes, the member is simply written with zlib.
    """
    if getattr(member_writer, "_file_size", None) != 0 or getattr(member_writer, "_compressor", None) is None:
        return False
    member_writer._compressor = compressor(fast=True)
    return True


def fast_write(member_writer: Any) -> Callable[[bytes], int]:
    """`member_writer.write` for a zipfile member opened for writing, with the fast codec's CRC-32.

    It does what zipfile's write does (its private counters, long stable, kept the same way); where they
    are not there, the member's own write is used.
    """
    if not all(hasattr(member_writer, name) for name in _WRITER_STATE):
        return member_writer.write
    crc32 = codec()[1].crc32

    def write(data: bytes) -> int:
        if member_writer.closed:
            raise ValueError("I/O operation on closed file.")
        size = len(data)
        member_writer._file_size += size
        member_writer._crc = crc32(data, member_writer._crc)
        if member_writer._compressor:
            data = member_writer._compressor.compress(data)
            member_writer._compress_size += len(data)
        member_writer._fileobj.write(data)
        return size
    return write


_WRITER_STATE = ("_file_size", "_crc", "_compressor", "_compress_size", "_fileobj")
_READER_STATE = ("_expected_crc", "_running_crc", "_eof", "_update_crc", "name")


def use_fast_decompressor(member_reader: Any) -> bool:
    """The same for a deflated zipfile member opened for reading, before its first read; its CRC-32 is
    checked with the fast codec's too."""
    if getattr(member_reader, "_compress_type", None) != 8 or getattr(member_reader, "_decompressor", None) is None:
        return False
    if getattr(member_reader, "_readbuffer", b"") or getattr(member_reader, "_compress_left", 0) != getattr(
            member_reader, "_orig_compress_size", -1):
        return False   # already read from: keep the codec it started with
    member_reader._decompressor = decompressor()
    if all(hasattr(member_reader, name) for name in _READER_STATE):
        member_reader._update_crc = _fast_crc_check(member_reader)
    return True


def _fast_crc_check(member_reader: Any) -> Callable[[bytes], None]:
    """zipfile's CRC check of what is read (ZipExtFile._update_crc) with the fast codec's CRC-32."""
    crc32 = codec()[1].crc32

    def update_crc(data: bytes) -> None:
        if member_reader._expected_crc is None:
            return
        member_reader._running_crc = crc32(data, member_reader._running_crc)
        if member_reader._eof and member_reader._running_crc != member_reader._expected_crc:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {member_reader.name!r}")
    return update_crc
