"""MS-OVBA §2.4.1 compression: pack VBA source and the `dir` stream the way Office stores them.

A CompressedContainer is the signature byte 0x01 followed by chunks; each chunk holds up to 4096
decompressed bytes, as literal bytes and copy tokens (back-references inside the same chunk) in
groups of eight behind a flag byte. `decompress` is here so the build can check its own output;
the tests check `compress` against oletools' independent decompressor.
"""
from __future__ import annotations

import struct

CHUNK_SIZE = 4096           # decompressed bytes per chunk (MS-OVBA §2.4.1.1.3)
_MAX_CHUNK_BYTES = 4098     # a compressed chunk, header included, may not exceed this
_SIGNATURE = 0x01
_MIN_MATCH = 3
# Why a cap: a longest-match search over every earlier position is quadratic per chunk; following
# the 64 most recent positions with the same 3-byte prefix finds nearly the same matches, and any
# valid match decodes correctly, so the cap costs only a few bytes of compression.
_MAX_CANDIDATES = 64


def _copy_token_layout(distance_from_chunk_start: int) -> tuple[int, int]:
    """Bit count of the offset field and the longest copy a token can express (§2.4.1.3.19.1)."""
    bit_count = max((distance_from_chunk_start - 1).bit_length(), 4)
    max_length = (0xFFFF >> bit_count) + _MIN_MATCH
    return bit_count, max_length


def _compress_chunk(chunk: bytes) -> bytes:
    """Token sequence for one chunk: flag byte, then up to eight literals / copy tokens."""
    out = bytearray()
    recent: dict[bytes, list[int]] = {}
    position, end = 0, len(chunk)
    while position < end:
        flag_index = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if position >= end:
                break
            best_length, best_offset = 0, 0
            if position > 0 and position + _MIN_MATCH <= end:
                bit_count, max_length = _copy_token_layout(position)
                limit = min(max_length, end - position)
                for candidate in reversed(recent.get(chunk[position:position + 3], ())[-_MAX_CANDIDATES:]):
                    length = 3
                    # Overlapping copies (candidate + length > position) are legal: the decoder
                    # copies byte by byte, so a run repeats itself.
                    while length < limit and chunk[candidate + length] == chunk[position + length]:
                        length += 1
                    if length > best_length:
                        best_length, best_offset = length, position - candidate
                        if length == limit:
                            break
            if best_length >= _MIN_MATCH:
                token = ((best_offset - 1) << (16 - bit_count)) | (best_length - _MIN_MATCH)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                step = best_length
            else:
                out.append(chunk[position])
                step = 1
            for covered in range(position, min(position + step, end - 2)):
                recent.setdefault(chunk[covered:covered + 3], []).append(covered)
            position += step
        out[flag_index] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """Compress `data` into an MS-OVBA CompressedContainer.

    A chunk whose tokens would not fit in 4096 bytes is stored raw. The format has no way to
    store a short raw chunk, so an incompressible *final* chunk shorter than 4096 bytes is padded
    with zero bytes, as §2.4.1.3.7 prescribes; VBA source never comes near that case, and
    `build` checks every module decompresses to exactly its source.
    """
    data = bytes(data)
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), CHUNK_SIZE):
        chunk = data[start:start + CHUNK_SIZE]
        tokens = _compress_chunk(chunk)
        if len(tokens) + 2 <= _MAX_CHUNK_BYTES:
            header = (len(tokens) + 2 - 3) | (0b011 << 12) | (1 << 15)
            out += struct.pack("<H", header) + tokens
        else:
            header = (_MAX_CHUNK_BYTES - 3) | (0b011 << 12)
            out += struct.pack("<H", header) + chunk.ljust(CHUNK_SIZE, b"\x00")
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """Decompress an MS-OVBA CompressedContainer (§2.4.1.3.1)."""
    container = bytes(container)
    if not container or container[0] != _SIGNATURE:
        raise ValueError("not an MS-OVBA compressed container (signature byte is not 0x01)")
    out = bytearray()
    position = 1
    while position < len(container):
        (header,) = struct.unpack_from("<H", container, position)
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0b111 != 0b011:
            raise ValueError(f"bad chunk signature at byte {position}")
        chunk_end = min(position + size, len(container))
        position += 2
        chunk_start = len(out)
        if not header >> 15:
            out += container[position:position + CHUNK_SIZE]
            position += CHUNK_SIZE
            continue
        while position < chunk_end:
            flags = container[position]
            position += 1
            for bit in range(8):
                if position >= chunk_end:
                    break
                if not (flags >> bit) & 1:
                    out.append(container[position])
                    position += 1
                    continue
                (token,) = struct.unpack_from("<H", container, position)
                position += 2
                bit_count, _ = _copy_token_layout(len(out) - chunk_start)
                length = (token & (0xFFFF >> bit_count)) + _MIN_MATCH
                offset = (token >> (16 - bit_count)) + 1
                source = len(out) - offset
                for index in range(length):   # byte by byte: copies may overlap their own output
                    out.append(out[source + index])
    return bytes(out)
