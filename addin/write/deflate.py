"""The fastest raw-deflate codec installed (python-isal, then zlib-ng, then the standard library's zlib).

All three produce and read standard raw deflate streams (RFC 1951), so a zip written with any of them is
an ordinary zip every reader opens; only speed (and a few percent of size) differ. python-isal and zlib-ng
come with the optional `fast` extra; without them kehu uses zlib exactly as before.
"""
from __future__ import annotations

import functools
import zlib
from typing import Any

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


def use_fast_decompressor(member_reader: Any) -> bool:
    """The same for a deflated zipfile member opened for reading, before its first read."""
    if getattr(member_reader, "_compress_type", None) != 8 or getattr(member_reader, "_decompressor", None) is None:
        return False
    if getattr(member_reader, "_readbuffer", b"") or getattr(member_reader, "_compress_left", 0) != getattr(
            member_reader, "_orig_compress_size", -1):
        return False   # already read from: keep the codec it started with
    member_reader._decompressor = decompressor()
    return True
