"""Minimal MS-CFB (compound file) writer, plus a reader built on olefile, for vbaProject.bin.

Writes version-3 files (512-byte sectors): streams under 4096 bytes go to the mini stream
(64-byte mini sectors), larger ones to regular sectors; the directory is a balanced red-black tree
per storage, ordered as MS-CFB §2.6.4 requires (shorter names first, then upper-cased names).
Enough for VBA projects (tens of kilobytes); files needing DIFAT sectors (> 6.8 MB) are refused.
"""
from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field

SECTOR_SIZE = 512
MINI_SECTOR_SIZE = 64
MINI_STREAM_CUTOFF = 4096
_ENTRIES_PER_SECTOR = SECTOR_SIZE // 128
_IDS_PER_SECTOR = SECTOR_SIZE // 4
_HEADER_DIFAT_SLOTS = 109

FREESECT, ENDOFCHAIN, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1


@dataclass
class CompoundFile:
    """A compound file's content: streams by '/'-joined path, and CLSIDs of storages ('' = root)."""

    streams: dict[str, bytes] = field(default_factory=dict)
    storage_clsids: dict[str, bytes] = field(default_factory=dict)


def read_cfb(data: bytes) -> CompoundFile:
    """Read every stream and storage CLSID of a compound file (olefile does the parsing)."""
    import olefile

    ole = olefile.OleFileIO(io.BytesIO(data))
    try:
        content = CompoundFile()
        content.storage_clsids[""] = _clsid_bytes(ole.root.clsid)
        for path in ole.listdir(streams=True, storages=True):
            name = "/".join(path)
            if ole.get_type(path) == olefile.STGTY_STORAGE:
                content.storage_clsids[name] = _clsid_bytes(ole.getclsid(path))
            else:
                content.streams[name] = ole.openstream(path).read()
        return content
    finally:
        ole.close()


def _clsid_bytes(text: str) -> bytes:
    import uuid

    return uuid.UUID(text).bytes_le if text else bytes(16)


def _sort_key(name: str) -> tuple[int, str]:
    """MS-CFB §2.6.4: compare UTF-16 length first, then the upper-cased names."""
    return len(name.encode("utf-16-le")) // 2, name.upper()


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    clsid: bytes = bytes(16)
    children: list["_Entry"] = field(default_factory=list)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN
    size: int = 0


def _build_tree(content: CompoundFile) -> _Entry:
    root = _Entry("Root Entry", _ROOT, clsid=content.storage_clsids.get("", bytes(16)))
    storages = {"": root}

    def storage(path: str) -> _Entry:
        if path not in storages:
            parent_path, _, name = path.rpartition("/")
            node = _Entry(name, _STORAGE, clsid=content.storage_clsids.get(path, bytes(16)))
            storage(parent_path).children.append(node)
            storages[path] = node
        return storages[path]

    for path in content.storage_clsids:
        if path:
            storage(path)
    for path, data in content.streams.items():
        parent_path, _, name = path.rpartition("/")
        if not name or len(name) > 31:
            raise ValueError(f"CFB entry names must have 1-31 characters: {path!r}")
        storage(parent_path).children.append(_Entry(name, _STREAM, data=bytes(data)))
    return root


def _link_siblings(children: list[_Entry]) -> int:
    """Arrange one storage's children as a balanced search tree; return the root's SID.

    Built by midpoints, every path from the root to a missing child has depth D or D+1, so
    colouring the nodes on the deepest level red (when it is not full) and the rest black
    satisfies the red-black rules.
    """
    ordered = sorted(children, key=lambda entry: _sort_key(entry.name))
    keys = [_sort_key(entry.name) for entry in ordered]
    if len(set(keys)) != len(keys):
        raise ValueError("two entries of one storage have the same name (names are case-insensitive)")
    depth: dict[int, int] = {}

    def build(low: int, high: int, level: int) -> int:
        if low > high:
            return NOSTREAM
        middle = (low + high + 1) // 2
        node = ordered[middle]
        depth[id(node)] = level
        node.left = build(low, middle - 1, level + 1)
        node.right = build(middle + 1, high, level + 1)
        return node.sid

    top = build(0, len(ordered) - 1, 0)
    if ordered:
        deepest = max(depth.values())
        full = len(ordered) == 2 ** (deepest + 1) - 1
        for node in ordered:
            node.color = _RED if depth[id(node)] == deepest and not full and deepest > 0 else _BLACK
    return top


def _flatten(root: _Entry) -> list[_Entry]:
    entries, pending = [], [root]
    while pending:
        entry = pending.pop(0)
        entry.sid = len(entries)
        entries.append(entry)
        pending.extend(entry.children)
    for entry in entries:
        if entry.kind in (_ROOT, _STORAGE):
            entry.child = _link_siblings(entry.children)
    return entries


def _sectors(length: int, unit: int) -> int:
    return -(-length // unit)


def write_cfb(content: CompoundFile) -> bytes:
    """Serialise `content` as an MS-CFB version 3 file."""
    entries = _flatten(_build_tree(content))
    root = entries[0]
    streams = [entry for entry in entries if entry.kind == _STREAM]

    mini_stream = bytearray()
    mini_fat: list[int] = []
    big_streams = []
    for entry in streams:
        entry.size = len(entry.data)
        if entry.size == 0:
            entry.start = ENDOFCHAIN
        elif entry.size < MINI_STREAM_CUTOFF:
            count = _sectors(entry.size, MINI_SECTOR_SIZE)
            entry.start = len(mini_fat)
            mini_fat += list(range(entry.start + 1, entry.start + count)) + [ENDOFCHAIN]
            mini_stream += entry.data.ljust(count * MINI_SECTOR_SIZE, b"\x00")
        else:
            big_streams.append(entry)

    # Sector plan: big streams, mini stream, mini FAT, directory, then the FAT at the end.
    chains: list[tuple[int, bytes]] = []   # (first sector, padded bytes)
    next_sector = 0

    def place(data: bytes) -> int:
        nonlocal next_sector
        if not data:
            return ENDOFCHAIN
        padded = bytes(data).ljust(_sectors(len(data), SECTOR_SIZE) * SECTOR_SIZE, b"\x00")
        start = next_sector
        chains.append((start, padded))
        next_sector += len(padded) // SECTOR_SIZE
        return start

    for entry in big_streams:
        entry.start = place(entry.data)
    root.start = place(bytes(mini_stream))
    root.size = len(mini_stream)
    mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat)
    if mini_fat:
        mini_fat_bytes += struct.pack("<I", FREESECT) * ((-len(mini_fat)) % _IDS_PER_SECTOR)
    mini_fat_start = place(mini_fat_bytes)
    directory_start = next_sector
    directory_sector_count = _sectors(len(entries), _ENTRIES_PER_SECTOR)
    next_sector += directory_sector_count

    fat_sector_count = 0
    while _sectors(next_sector + fat_sector_count, _IDS_PER_SECTOR) > fat_sector_count:
        fat_sector_count += 1
    if fat_sector_count > _HEADER_DIFAT_SLOTS:
        raise ValueError("compound file too large for a header-only DIFAT (over about 6.8 MB)")
    fat_start = next_sector

    fat = [FREESECT] * (fat_sector_count * _IDS_PER_SECTOR)
    for start, padded in chains:
        count = len(padded) // SECTOR_SIZE
        for sector in range(start, start + count - 1):
            fat[sector] = sector + 1
        fat[start + count - 1] = ENDOFCHAIN
    for sector in range(directory_start, directory_start + directory_sector_count - 1):
        fat[sector] = sector + 1
    fat[directory_start + directory_sector_count - 1] = ENDOFCHAIN
    for sector in range(fat_start, fat_start + fat_sector_count):
        fat[sector] = FATSECT

    directory = b"".join(_directory_entry(entry) for entry in entries)
    directory += _empty_directory_entry() * (directory_sector_count * _ENTRIES_PER_SECTOR - len(entries))

    difat = list(range(fat_start, fat_start + fat_sector_count))
    difat += [FREESECT] * (_HEADER_DIFAT_SLOTS - len(difat))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        _SIGNATURE, bytes(16), 0x003E, 0x0003, 0xFFFE, 9, 6, bytes(6),
        0,                      # number of directory sectors: must be 0 in version 3
        fat_sector_count, directory_start, 0, MINI_STREAM_CUTOFF,
        mini_fat_start, _sectors(len(mini_fat_bytes), SECTOR_SIZE),
        ENDOFCHAIN, 0,          # no DIFAT sectors
    ) + struct.pack(f"<{_HEADER_DIFAT_SLOTS}I", *difat)

    body = b"".join(padded for _, padded in chains) + directory
    body += struct.pack(f"<{len(fat)}I", *fat)
    return header + body


def _directory_entry(entry: _Entry) -> bytes:
    name = entry.name.encode("utf-16-le") + b"\x00\x00"
    start = entry.start if entry.kind != _STORAGE else 0
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name, len(name), entry.kind, entry.color,
        entry.left, entry.right, entry.child,
        entry.clsid, 0, 0, 0, start, entry.size,
    )


def _empty_directory_entry() -> bytes:
    return struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM,
                       bytes(16), 0, 0, 0, 0, 0)
