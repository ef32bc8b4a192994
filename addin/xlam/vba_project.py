"""Rewrite a vbaProject.bin: add, replace or remove standard modules stored as source (MS-OVBA).

Modules are written without a compiled cache (MODULEOFFSET 0): the template's `_VBA_PROJECT`
stream is the 7-byte "no cache" form, so Office recompiles the project from source on open.
Three parts describe the modules and are regenerated together: the compressed `VBA/dir` stream
(module records, §2.3.4.2.3), the `PROJECT` text stream (§2.3.1) and `PROJECTwm` (§2.3.3).
Everything else (references, document modules, their streams) is kept byte for byte.
"""
from __future__ import annotations

import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass

from addin.xlam import cfb, ovba

_PROJECTNAME, _CODEPAGE, _PROJECTVERSION = 0x04, 0x03, 0x09
_PROJECTMODULES, _PROJECTCOOKIE, _MODULENAME, _TERMINATOR = 0x0F, 0x13, 0x19, 0x2B
_MODULENAMEUNICODE, _MODULESTREAMNAME, _MODULESTREAMNAMEUNICODE = 0x47, 0x1A, 0x32
_MODULEOFFSET, _MODULETYPE_PROCEDURAL, _MODULETYPE_CLASS = 0x31, 0x21, 0x22
_MODULEDOCSTRING, _MODULEDOCSTRINGUNICODE, _MODULEHELPCONTEXT, _MODULECOOKIE = 0x1C, 0x48, 0x1E, 0x2C
_DIR_END = 0x10
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}$")


@dataclass
class _Module:
    records: list[tuple[int, bytes]]

    def value(self, record_id: int) -> bytes:
        return next(data for rid, data in self.records if rid == record_id)

    @property
    def stream_name(self) -> bytes:
        return self.value(_MODULESTREAMNAME)

    @property
    def offset(self) -> int:
        return struct.unpack("<I", self.value(_MODULEOFFSET))[0]

    @property
    def is_standard(self) -> bool:
        return any(rid == _MODULETYPE_PROCEDURAL for rid, _ in self.records)


def _parse_records(data: bytes) -> list[tuple[int, bytes]]:
    records, position = [], 0
    while position < len(data):
        record_id, size = struct.unpack_from("<HI", data, position)
        if record_id == _PROJECTVERSION:
            size = 6   # the "size" field is Reserved (always 4); major (4) + minor (2) follow
        records.append((record_id, data[position + 6:position + 6 + size]))
        position += 6 + size
    return records


def _pack_records(records: Iterable[tuple[int, bytes]]) -> bytes:
    out = bytearray()
    for record_id, data in records:
        if record_id == _PROJECTVERSION:
            out += struct.pack("<HI", record_id, 4) + data
        else:
            out += struct.pack("<HI", record_id, len(data)) + data
    return bytes(out)


class VbaProject:
    """The parts of a vbaProject.bin that describe its modules, editable as source text."""

    def __init__(self, vba_project_bin: bytes):
        self.container = cfb.read_cfb(vba_project_bin)
        records = _parse_records(ovba.decompress(self.container.streams["VBA/dir"]))
        split = next(index for index, (rid, _) in enumerate(records) if rid == _PROJECTMODULES)
        self._head = records[:split]
        self._cookie = next(data for rid, data in records if rid == _PROJECTCOOKIE)
        self.modules: dict[str, _Module] = {}
        current: list[tuple[int, bytes]] = []
        for rid, data in records[split + 2:]:
            if rid == _DIR_END:
                break
            current.append((rid, data))
            if rid == _TERMINATOR:
                module = _Module(current)
                self.modules[module.value(_MODULENAME).decode(self.encoding)] = module
                current = []

    @property
    def encoding(self) -> str:
        codepage = struct.unpack("<H", dict(self._head)[_CODEPAGE])[0]
        return f"cp{codepage}"

    @property
    def name(self) -> str:
        return dict(self._head)[_PROJECTNAME].decode(self.encoding)

    def source(self, module_name: str) -> str:
        """A module's source text, as stored (CRLF line ends)."""
        module = self.modules[module_name]
        stream = self.container.streams["VBA/" + module.stream_name.decode(self.encoding)]
        return ovba.decompress(stream[module.offset:]).decode(self.encoding)

    def set_standard_module(self, module_name: str, source: str) -> None:
        """Add a standard module, or replace one, with `source` (any line ends; stored as CRLF)."""
        if not _IDENTIFIER.match(module_name):
            raise ValueError(f"not a valid VBA module name: {module_name!r}")
        existing = self.modules.get(module_name)
        if existing is not None and not existing.is_standard:
            raise ValueError(f"{module_name} is a document or class module; only standard modules can be replaced")
        text = "\r\n".join(source.replace("\r\n", "\n").split("\n"))
        try:
            encoded = text.encode(self.encoding)
        except UnicodeEncodeError as error:
            raise ValueError(f"module {module_name} has characters outside {self.encoding}: {error}") from None
        compressed = ovba.compress(encoded)
        if ovba.decompress(compressed) != encoded:   # only an incompressible tail could differ
            raise ValueError(f"module {module_name} does not survive MS-OVBA compression")
        name = module_name.encode(self.encoding)
        wide = module_name.encode("utf-16-le")
        self.modules[module_name] = _Module([
            (_MODULENAME, name), (_MODULENAMEUNICODE, wide),
            (_MODULESTREAMNAME, name), (_MODULESTREAMNAMEUNICODE, wide),
            (_MODULEDOCSTRING, b""), (_MODULEDOCSTRINGUNICODE, b""),
            (_MODULEOFFSET, struct.pack("<I", 0)),     # no performance cache before the source
            (_MODULEHELPCONTEXT, struct.pack("<I", 0)),
            (_MODULECOOKIE, struct.pack("<H", 0xFFFF)),
            (_MODULETYPE_PROCEDURAL, b""),
            (_TERMINATOR, b""),
        ])
        self.container.streams["VBA/" + module_name] = compressed

    def remove_module(self, module_name: str) -> None:
        module = self.modules.pop(module_name)
        del self.container.streams["VBA/" + module.stream_name.decode(self.encoding)]

    def rename(self, project_name: str) -> None:
        if not _IDENTIFIER.match(project_name):
            raise ValueError(f"not a valid VBA project name: {project_name!r}")
        self._head = [(rid, project_name.encode(self.encoding) if rid == _PROJECTNAME else data)
                      for rid, data in self._head]

    def to_bytes(self) -> bytes:
        records = list(self._head)
        records += [(_PROJECTMODULES, struct.pack("<H", len(self.modules))), (_PROJECTCOOKIE, self._cookie)]
        for module in self.modules.values():
            records += module.records
        dir_stream = _pack_records(records) + struct.pack("<HI", _DIR_END, 0)
        self.container.streams["VBA/dir"] = ovba.compress(dir_stream)
        self.container.streams["PROJECT"] = self._project_stream()
        self.container.streams["PROJECTwm"] = self._name_map()
        return cfb.write_cfb(self.container)

    def _project_stream(self) -> bytes:
        """§2.3.1: keep the template's properties, regenerate the module lines and [Workspace]."""
        text = self.container.streams["PROJECT"].decode(self.encoding)
        lines = text.split("\r\n")
        blank = lines.index("")
        properties = lines[:blank]
        module_kinds = {}
        for line in properties:
            key, _, value = line.partition("=")
            if key in ("Document", "Module", "Class", "BaseClass"):
                module_kinds[value.split("/")[0]] = line
        module_lines = []
        for module_name, module in self.modules.items():
            module_lines.append(module_kinds.get(module_name) if not module.is_standard
                                else f"Module={module_name}")
            if module_lines[-1] is None:
                raise ValueError(f"module {module_name} is missing from the PROJECT stream")
        first_module = next(index for index, line in enumerate(properties)
                            if line.partition("=")[0] in ("Document", "Module", "Class", "BaseClass"))
        others = [line for line in properties
                  if line.partition("=")[0] not in ("Document", "Module", "Class", "BaseClass")]
        others = [f'Name="{self.name}"' if line.startswith("Name=") else line for line in others]
        properties = others[:first_module] + module_lines + others[first_module:]
        rest = "\r\n".join(lines[blank:])
        workspace_at = rest.find("[Workspace]")
        if workspace_at >= 0:
            rest = rest[:workspace_at] + "[Workspace]\r\n" + "".join(
                f"{module_name}=0, 0, 0, 0, C\r\n" for module_name in self.modules) + "\r\n"
        return ("\r\n".join(properties) + "\r\n" + rest).encode(self.encoding)

    def _name_map(self) -> bytes:
        """§2.3.3 PROJECTwm: each module name in the code page and in UTF-16, then a 0x0000 end."""
        return b"".join(name.encode(self.encoding) + b"\x00" + name.encode("utf-16-le") + b"\x00\x00"
                        for name in self.modules) + b"\x00\x00"
