"""The fastest raw-deflate codec installed (python-isal, then zlib-ng, then the standard library's zlib).

All three produce and read standard raw deflate streams (RFC 1951), so a zip written with any of them is
an ordinary zip every reader opens; only speed (and a few percent of size) differ. python-isal and zlib-ng
come with the optional `fast` extra; without them kehu uses zlib exactly as before.
"""
from __future__ import annotations

import zlib
from typing import Any

try:   # Intel ISA-L: level 1 deflates several times faster than zlib's level 1
    from isal import isal_zlib as _fast
    CODEC, _FAST_LEVEL = "isal", 1
except ImportError:   # pragma: no cover - depends on the extras installed
    try:
        from zlib_ng import zlib_ng as _fast
        CODEC, _FAST_LEVEL = "zlib-ng", 1
    except ImportError:
        _fast, CODEC, _FAST_LEVEL = zlib, "zlib", 1

RAW = -15   # raw deflate, as zip members hold it


def compressor(fast: bool) -> Any:
    """A raw-deflate compressor: the fast codec at its quickest level for big parts, zlib's default otherwise."""
    if fast:
        return _fast.compressobj(_FAST_LEVEL, zlib.DEFLATED, RAW)
    return zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, RAW)


def decompressor() -> Any:
    return _fast.decompressobj(RAW)


def use_fast_compressor(member_writer: Any) -> bool:
    """Give a zipfile member opened for writing (before its first write) the fast compressor.

    zipfile has no hook for the codec, so this sets its (private, long-stable) compressor attribute;
    if that ever changes, the member is simply written with zlib.
    """
    if getattr(member_writer, "_file_size", None) != 0 or getattr(member_writer, "_compressor", None) is None:
        return False
    member_writer._compressor = compressor(fast=True)
    return True


def use_fast_decompressor(member_reader: Any) -> bool:
    """The same for a deflated zipfile member opened for reading, before its first read."""
    if getattr(member_reader, "_compress_type", None) != 8 or getattr(member_reader, "_decompressor", None) is None:
        return False
    if getattr(member_reader, "_readbuffer", b"") or getattr(member_reader, "_compress_left", 0) != getattr(
            member_reader, "_orig_compress_size", -1):
        return False   # already read from: keep the codec it started with
    member_reader._decompressor = decompressor()
    return True
