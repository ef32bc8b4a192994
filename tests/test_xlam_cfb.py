"""MS-CFB writer: olefile (an independent reader) reads every stream back byte for byte."""
from __future__ import annotations

import io
import random
import struct
import zipfile

import olefile
import pytest

from addin.xlam.build import template_path
from addin.xlam.cfb import CompoundFile, read_cfb, write_cfb


RED, BLACK = 0, 1   # MS-CFB §2.6.1 colour flag values


def _payload(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


def _sample() -> CompoundFile:
    sizes = {"empty": 0, "one": 1, "m63": 63, "m64": 64, "m65": 65, "m4095": 4095,
             "exactly4096": 4096, "r4097": 4097, "big": 100_000, "multi_fat": 300_000}
    content = CompoundFile()
    for index, (name, size) in enumerate(sizes.items()):
        content.streams[name] = _payload(size, index)
    content.streams["VBA/dir"] = _payload(1500, 99)
    content.streams["VBA/Module1"] = _payload(5000, 98)
    content.streams["VBA/Nested/Deep/leaf"] = b"deep leaf"
    content.streams["客户/名单"] = "张伟".encode("utf-8")
    for index in range(40):   # many siblings: several directory sectors and a deep tree
        content.streams[f"Many/s{index:02d}"] = _payload(index * 50, 1000 + index)
    content.storage_clsids["VBA"] = bytes(range(16))
    return content


@pytest.fixture(scope="module")
def written():
    content = _sample()
    return content, write_cfb(content)


def test_olefile_reads_every_stream_byte_identical(written):
    content, data = written
    ole = olefile.OleFileIO(io.BytesIO(data))
    assert {"/".join(path) for path in ole.listdir()} == set(content.streams)
    for name, expected in content.streams.items():
        assert ole.openstream(name).read() == expected, name
        assert ole.get_size(name) == len(expected)


def test_storage_clsid_is_kept(written):
    _, data = written
    ole = olefile.OleFileIO(io.BytesIO(data))
    assert ole.getclsid("VBA") == "03020100-0504-0706-0809-0A0B0C0D0E0F"


def test_header_fields_follow_ms_cfb_version_3(written):
    _, data = written
    assert data[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    minor, major, byte_order, sector_shift, mini_shift = struct.unpack_from("<HHHHH", data, 24)
    assert (minor, major, byte_order, sector_shift, mini_shift) == (0x3E, 3, 0xFFFE, 9, 6)
    (cutoff,) = struct.unpack_from("<I", data, 56)
    assert cutoff == 4096
    assert (len(data) - 512) % 512 == 0


def test_small_streams_live_in_the_mini_stream_and_large_ones_do_not(written):
    content, data = written
    ole = olefile.OleFileIO(io.BytesIO(data))
    for name, payload in content.streams.items():
        entry = ole.direntries[ole._find(name)]
        assert entry.is_minifat == (0 < len(payload) < 4096) or len(payload) == 0, name
    root = ole.direntries[0]
    mini_total = sum(-(-len(payload) // 64) * 64 for payload in content.streams.values() if len(payload) < 4096)
    assert root.size == mini_total   # the root entry's stream is the mini stream


def _storage_tree_is_red_black(ole, child_sid) -> None:
    entries = ole.direntries

    def walk(sid):
        """Return (black height, in-order keys); raise on a red node with a red child."""
        if sid == olefile.NOSTREAM:
            return 1, []
        entry = entries[sid]
        for side in (entry.sid_left, entry.sid_right):
            if entry.color == RED and side != olefile.NOSTREAM:
                assert entries[side].color == BLACK, f"red {entry.name} has a red child"
        left_height, left_keys = walk(entry.sid_left)
        right_height, right_keys = walk(entry.sid_right)
        assert left_height == right_height, f"black heights differ under {entry.name}"
        key = (len(entry.name), entry.name.upper())
        return left_height + (entry.color == BLACK), left_keys + [key] + right_keys

    _, keys = walk(child_sid)
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


def test_every_storage_is_a_red_black_tree_in_cfb_order(written):
    _, data = written
    ole = olefile.OleFileIO(io.BytesIO(data))
    storages = [entry for entry in ole.direntries
                if entry is not None and entry.entry_type in (olefile.STGTY_ROOT, olefile.STGTY_STORAGE)]
    assert len(storages) >= 6
    for storage in storages:
        _storage_tree_is_red_black(ole, storage.sid_child)


def test_template_vba_project_survives_a_rewrite():
    with zipfile.ZipFile(template_path()) as package:
        original = package.read("xl/vbaProject.bin")
    content = read_cfb(original)
    rewritten = olefile.OleFileIO(io.BytesIO(write_cfb(content)))
    source = olefile.OleFileIO(io.BytesIO(original))
    assert sorted(rewritten.listdir()) == sorted(source.listdir())
    for path in source.listdir():
        assert rewritten.openstream(path).read() == source.openstream(path).read()


def test_an_empty_file_has_only_the_root():
    ole = olefile.OleFileIO(io.BytesIO(write_cfb(CompoundFile())))
    assert ole.listdir() == []


def test_names_equal_except_case_are_refused():
    with pytest.raises(ValueError):
        write_cfb(CompoundFile(streams={"Module": b"a", "MODULE": b"b"}))


def test_files_beyond_the_header_difat_are_refused():
    with pytest.raises(ValueError, match="too large"):
        write_cfb(CompoundFile(streams={"huge": bytes(7_200_000)}))
