"""MS-OVBA compression: our compressor against oletools' decompressor and the spec's worked examples."""
from __future__ import annotations

import random

import pytest
from hypothesis import given, settings, strategies as st
from oletools.olevba import decompress_stream

from addin.xlam import ovba


def oletools_decompress(container: bytes) -> bytes:
    return bytes(decompress_stream(bytearray(container)))


# MS-OVBA §3.2.1 "No Compression Example" and §3.2.3 "Maximum Compression Example" (73 × "a").
SPEC_NO_COMPRESSION = (b"abcdefghijklmnopqrstuv.",
                       "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E")
SPEC_MAXIMUM_COMPRESSION = (b"a" * 73, "01 03 B0 02 61 45 00")
# §3.2.2 "Normal Compression Example": the spec's bytes; an encoder may choose other equal-length
# matches, so our output is only required to decode to the same text.
SPEC_NORMAL = (b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa",
               "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 30"
               " 6D 6E 6F 70 06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C")


@pytest.mark.parametrize("text, expected_hex", [SPEC_NO_COMPRESSION, SPEC_MAXIMUM_COMPRESSION])
def test_spec_examples_compress_byte_for_byte(text, expected_hex):
    assert ovba.compress(text) == bytes.fromhex(expected_hex)


def test_spec_normal_example_decodes_both_ways():
    text, spec_hex = SPEC_NORMAL
    assert ovba.decompress(bytes.fromhex(spec_hex)) == text
    ours = ovba.compress(text)
    assert oletools_decompress(ours) == text
    assert len(ours) <= len(bytes.fromhex(spec_hex))


def test_empty_input_is_the_signature_byte_alone():
    assert ovba.compress(b"") == b"\x01"
    assert oletools_decompress(ovba.compress(b"")) == b""


def _text(length: int, seed: int) -> bytes:
    rng = random.Random(seed)
    words = [b"Dim ", b"As String", b"End Sub\r\n", b"If ", b"Then\r\n", b"    ", b"kehu_", b"RunPython "]
    out = bytearray()
    while len(out) < length:
        out += rng.choice(words) + bytes([rng.randrange(97, 123)])
    return bytes(out[:length])


@pytest.mark.parametrize("length", [1, 2, 3, 4095, 4096, 4097, 8191, 8192, 8193, 12288 + 17])
def test_chunk_boundaries_round_trip(length):
    for data in (_text(length, length), b"x" * length, bytes(range(256)) * (length // 256) + bytes(length % 256)):
        compressed = ovba.compress(data)
        assert oletools_decompress(compressed) == data
        assert ovba.decompress(compressed) == data


def test_repetitive_input_shrinks_a_lot():
    data = b"Attribute VB_Name = \"KehuRibbon\"\r\n" * 500
    compressed = ovba.compress(data)
    assert oletools_decompress(compressed) == data
    # each 4096-byte chunk of a short repeated line fits in well under 300 bytes of tokens
    assert len(compressed) < len(data) / 10


@pytest.mark.parametrize("chunks", [1, 2, 3])
def test_random_whole_chunks_are_stored_raw_and_exact(chunks):
    data = random.Random(chunks).randbytes(4096 * chunks)
    compressed = ovba.compress(data)
    assert oletools_decompress(compressed) == data
    # raw chunks: header 0x3FFF (size 4098, signature 0b011, flag 0) then the 4096 bytes unchanged
    assert len(compressed) == 1 + chunks * 4098
    assert compressed[1:3] == bytes.fromhex("FF 3F")


def test_random_short_tail_that_fits_as_tokens_is_exact():
    # 1000 literals need 125 flag bytes: 1127 bytes, well inside a 4098-byte chunk
    data = random.Random(7).randbytes(4096 + 1000)
    assert oletools_decompress(ovba.compress(data)) == data


def test_random_long_tail_is_padded_as_the_spec_says():
    # 4000 literals need 500 flag bytes: too big for a compressed chunk, so raw with zero padding (§2.4.1.3.7)
    data = random.Random(8).randbytes(4096 + 4000)
    decoded = oletools_decompress(ovba.compress(data))
    assert decoded[: len(data)] == data
    assert decoded[len(data):] == bytes(4096 - 4000)


@settings(max_examples=60, deadline=None)
@given(st.binary(min_size=0, max_size=9000).map(lambda raw: bytes(b % 5 + 65 for b in raw)))
def test_any_small_alphabet_input_round_trips(data):
    assert oletools_decompress(ovba.compress(data)) == data


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([b"ab", b"abc", b"\x00", b"xyz" * 5, b"\r\n"]), max_size=2000).map(b"".join))
def test_overlapping_copies_round_trip(data):
    assert oletools_decompress(ovba.compress(data)) == data


def test_our_decompressor_agrees_with_oletools_on_the_template(template_vba_streams):
    for name, stream in template_vba_streams.items():
        assert ovba.decompress(stream) == oletools_decompress(stream), name


@pytest.fixture(scope="module")
def template_vba_streams():
    import io
    import zipfile

    import olefile

    from addin.xlam.build import template_path

    with zipfile.ZipFile(template_path()) as package:
        ole = olefile.OleFileIO(io.BytesIO(package.read("xl/vbaProject.bin")))
    # xlwings' module has no performance cache (offset 0); `dir` is always a bare container
    return {name: ole.openstream(name).read() for name in ("VBA/dir", "VBA/xlwings")}
