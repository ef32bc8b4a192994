"""The built kehu.xlam against the specifications, read with a parser written here from the documents.

- The VBA project (MS-OVBA): the `dir` stream is decompressed by oletools (not kehu's decompressor) and
  walked record by record in the order §2.3.4.2 prescribes, with each record's fixed size; every module
  record set is complete, its stream exists, its MODULEOFFSET points at the compressed source, and names
  agree in the code page and in UTF-16. The `PROJECT` stream (§2.3.1) lists each module once with the
  right kind, and `PROJECTwm` (§2.3.3) maps every name.
- The ribbon (MS-CUSTOMUI, 2006 namespace): ids unique and valid NCNames (ST_UniqueID), only attributes
  the schema defines for each element, `size` one of ST_Size, no element with both an image and an
  imageMso or both a label and a getLabel, texts within ST_String (1–1024 characters), keytips within
  ST_Keytip (1–3), callbacks that exist in the VBA with a ribbon callback's signature.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

import olefile
import pytest
from lxml import etree
from oletools.olevba import decompress_stream

from addin.xlam.build import build_addin

CUSTOMUI_NS = "http://schemas.microsoft.com/office/2006/01/customui"


@pytest.fixture(scope="module")
def xlam(tmp_path_factory) -> Path:
    return build_addin(tmp_path_factory.mktemp("structure") / "kehu.xlam")


@pytest.fixture(scope="module")
def ole(xlam):
    with zipfile.ZipFile(xlam) as package:
        container = olefile.OleFileIO(io.BytesIO(package.read("xl/vbaProject.bin")))
    yield container
    container.close()


class _Records:
    """A cursor over the decompressed `dir` stream: Id (2 bytes), Size (4 bytes), Size bytes of data."""

    def __init__(self, data: bytes):
        self.data, self.position = data, 0

    def peek(self) -> int:
        return struct.unpack_from("<H", self.data, self.position)[0]

    def take(self, record_id: int, size: int | None = None) -> bytes:
        found, length = struct.unpack_from("<HI", self.data, self.position)
        assert found == record_id, f"at byte {self.position}: record 0x{found:04X}, expected 0x{record_id:04X}"
        if size is not None:
            assert length == size, f"record 0x{record_id:04X} has size {length}, the spec fixes {size}"
        value = self.data[self.position + 6:self.position + 6 + length]
        assert len(value) == length, f"record 0x{record_id:04X} runs past the end of the stream"
        self.position += 6 + length
        return value

    def optional(self, record_id: int) -> bytes | None:
        return self.take(record_id) if self.peek() == record_id else None


def _u32(data: bytes) -> int:
    return struct.unpack("<I", data)[0]


def _u16(data: bytes) -> int:
    return struct.unpack("<H", data)[0]


def _parse_dir(data: bytes) -> dict:
    records = _Records(data)
    project: dict = {}
    assert _u32(records.take(0x0001, 4)) in (0, 1, 2, 3)            # PROJECTSYSKIND
    records.optional(0x004A)                                        # PROJECTCOMPATVERSION (newer writers)
    project["lcid"] = _u32(records.take(0x0002, 4))                 # PROJECTLCID
    project["lcid_invoke"] = _u32(records.take(0x0014, 4))          # PROJECTLCIDINVOKE
    project["codepage"] = _u16(records.take(0x0003, 2))             # PROJECTCODEPAGE
    encoding = f"cp{project['codepage']}"
    name = records.take(0x0004)                                     # PROJECTNAME
    assert 1 <= len(name) <= 128
    project["name"] = name.decode(encoding)
    assert len(records.take(0x0005)) <= 2000                        # PROJECTDOCSTRING
    records.take(0x0040)                                            #   …its Unicode form
    help_1 = records.take(0x0006)                                   # PROJECTHELPFILEPATH
    assert records.take(0x003D) == help_1                           #   HelpFile2 MUST equal HelpFile1
    records.take(0x0007, 4)                                         # PROJECTHELPCONTEXT
    assert _u32(records.take(0x0008, 4)) == 0                       # PROJECTLIBFLAGS
    version_id, reserved = struct.unpack_from("<HI", data, records.position)
    assert (version_id, reserved) == (0x0009, 4)                    # PROJECTVERSION: Reserved MUST be 4,
    records.position += 6 + 4 + 2                                   #   then major (4) and minor (2)
    if records.optional(0x000C) is not None:                        # PROJECTCONSTANTS
        records.take(0x003C)
    references = 0
    while records.peek() != 0x000F:                                 # PROJECTREFERENCES
        if records.peek() == 0x0016:                                # REFERENCENAME + Unicode
            records.take(0x0016)
            records.take(0x003E)
        kind = records.peek()
        assert kind in (0x002F, 0x000D, 0x000E, 0x0033), f"unknown reference record 0x{kind:04X}"
        records.take(kind)
        if kind == 0x0033:                                          # REFERENCEORIGINAL is followed by
            records.take(0x002F)                                    #   its REFERENCECONTROL
            kind = 0x002F
        if kind == 0x002F:
            if records.peek() == 0x0016:
                records.take(0x0016)
                records.take(0x003E)
            records.take(0x0030)                                    #   extended part
        references += 1
    project["references"] = references
    count = _u16(records.take(0x000F, 2))                           # PROJECTMODULES
    records.take(0x0013, 2)      # PROJECTCOOKIE: "MUST be ignored on read" (Office writes other values)
    modules = []
    for _ in range(count):
        module = {"name": records.take(0x0019).decode(encoding)}    # MODULENAME
        unicode_name = records.optional(0x0047)                     # MODULENAMEUNICODE
        if unicode_name is not None:
            assert unicode_name.decode("utf-16-le") == module["name"]
        module["stream"] = records.take(0x001A).decode(encoding)    # MODULESTREAMNAME
        assert records.take(0x0032).decode("utf-16-le") == module["stream"]
        records.take(0x001C)                                        # MODULEDOCSTRING
        records.take(0x0048)
        module["offset"] = _u32(records.take(0x0031, 4))            # MODULEOFFSET
        records.take(0x001E, 4)                                     # MODULEHELPCONTEXT
        module["cookie"] = _u16(records.take(0x002C, 2))            # MODULECOOKIE (ignored on read)
        kind = records.peek()
        assert kind in (0x0021, 0x0022)                             # MODULETYPE procedural / document-class
        records.take(kind, 0)
        module["procedural"] = kind == 0x0021
        records.optional(0x0025)                                    # MODULEREADONLY
        records.optional(0x0028)                                    # MODULEPRIVATE
        assert _u32(data[records.position + 2:records.position + 6]) == 0
        records.take(0x002B, 0)                                     # Terminator, Reserved MUST be 0
        modules.append(module)
    records.take(0x0010, 0)                                         # dir stream Terminator
    assert records.position == len(data), "bytes after the dir stream's terminator"
    project["modules"] = modules
    return project


@pytest.fixture(scope="module")
def project(ole) -> dict:
    return _parse_dir(decompress_stream(bytearray(ole.openstream("VBA/dir").read())))


def test_dir_stream_has_every_record_in_spec_order(project):
    assert project["name"] == "Kehu"
    assert project["codepage"] == 1252 and project["lcid"] == project["lcid_invoke"] == 0x0409
    names = [module["name"] for module in project["modules"]]
    assert len(names) == len(set(names))
    assert {"xlwings", "KehuRibbon", "KehuFrozen", "KehuText", "xlwings_udfs", "ThisWorkbook"} <= set(names)
    assert project["references"] >= 2          # at least stdole and Office, kept from the template


def test_each_module_stream_holds_its_source_at_its_offset(project, ole):
    vba_streams = {"/".join(path[1:]) for path in ole.listdir() if path[0] == "VBA"}
    assert vba_streams == {module["stream"] for module in project["modules"]} | {"dir", "_VBA_PROJECT"}
    for module in project["modules"]:
        stream = ole.openstream(f"VBA/{module['stream']}").read()
        assert module["offset"] < len(stream)
        source = decompress_stream(bytearray(stream[module["offset"]:])).decode("cp1252")
        assert source.startswith(f'Attribute VB_Name = "{module["name"]}"'), module["name"]
        assert "\n" not in source.replace("\r\n", ""), f"{module['name']}: lines must end in CRLF"


def test_project_stream_lists_each_module_once_with_its_kind(project, ole):
    lines = ole.openstream("PROJECT").read().decode(f"cp{project['codepage']}").split("\r\n")
    assert re.fullmatch(r'ID="\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}"', lines[0])
    properties = lines[:lines.index("")]
    entries = {}
    for line in properties:
        key, _, value = line.partition("=")
        if key in ("Document", "Module", "Class", "BaseClass"):
            name = value.split("/")[0]
            assert name not in entries, f"{name} is listed twice"
            entries[name] = (key, value)
    assert set(entries) == {module["name"] for module in project["modules"]}
    for module in project["modules"]:
        key, value = entries[module["name"]]
        if module["procedural"]:
            assert key == "Module"
        else:
            assert key in ("Document", "Class", "BaseClass")
            if key == "Document":     # §2.3.1.4: Document=<name>/&H<8 hex digits>
                assert re.fullmatch(rf"{module['name']}/&H[0-9A-F]{{8}}", value)
    assert f'Name="{project["name"]}"' in properties
    for key in ("HelpContextID", "VersionCompatible32", "CMG", "DPB", "GC"):
        assert sum(line.startswith(key + "=") for line in properties) == 1, key
    assert "[Host Extender Info]" in lines
    workspace = lines[lines.index("[Workspace]") + 1:]
    assert {line.split("=")[0] for line in workspace if line} == set(entries)


def test_project_wm_maps_every_module_name(project, ole):
    data = ole.openstream("PROJECTwm").read()
    pairs, position = [], 0
    while data[position:position + 2] != b"\x00\x00":
        end = data.index(b"\x00", position)
        mbcs = data[position:end].decode("cp1252")
        position = end + 1
        wide_end = next(i for i in range(position, len(data), 2) if data[i:i + 2] == b"\x00\x00")
        pairs.append((mbcs, data[position:wide_end].decode("utf-16-le")))
        position = wide_end + 2
    assert position + 2 == len(data)
    assert all(mbcs == wide for mbcs, wide in pairs)
    assert sorted(mbcs for mbcs, _ in pairs) == sorted(module["name"] for module in project["modules"])


# ---- customUI -----------------------------------------------------------------------------------------

_COMMON = {"id", "idQ", "idMso", "tag", "visible", "getVisible", "insertAfterMso", "insertBeforeMso",
           "insertAfterQ", "insertBeforeQ", "keytip", "getKeytip", "label", "getLabel"}
_CONTROL = _COMMON | {"onAction", "enabled", "getEnabled", "image", "imageMso", "getImage", "screentip",
                      "getScreentip", "supertip", "getSupertip", "showImage", "getShowImage", "showLabel",
                      "getShowLabel", "description", "getDescription"}
#: Attributes MS-CUSTOMUI (2006) defines for the elements kehu's ribbon uses (§2.2: customUI, ribbon,
#: tabs, tab, group, button).
ALLOWED = {
    "customUI": {"onLoad", "loadImage"},
    "ribbon": {"startFromScratch"},
    "tabs": set(),
    "tab": _COMMON,
    "group": _COMMON | {"image", "imageMso", "getImage", "screentip", "getScreentip", "supertip",
                        "getSupertip"},
    "button": _CONTROL | {"size", "getSize"},
}
PARENT = {"ribbon": "customUI", "tabs": "ribbon", "tab": "tabs", "group": "tab", "button": "group"}
TEXT_ATTRIBUTES = ("label", "screentip", "supertip", "description", "tag")
CALLBACK = re.compile(r"^(on[A-Z]\w*|get[A-Z]\w*|loadImage)$")
NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")


@pytest.fixture(scope="module")
def custom_ui(xlam):
    with zipfile.ZipFile(xlam) as package:
        return etree.fromstring(package.read("customUI/customUI.xml"))


def _elements(root):
    for element in root.iter():
        if isinstance(element.tag, str):
            assert element.tag.startswith(f"{{{CUSTOMUI_NS}}}"), element.tag
            yield element, etree.QName(element).localname


def test_custom_ui_ids_are_unique_valid_ncnames(custom_ui):
    ids = [element.get("id") for element, _ in _elements(custom_ui) if element.get("id") is not None]
    assert len(ids) == len(set(ids)) and len(ids) >= 10
    for value in ids:
        assert NCNAME.match(value) and 1 <= len(value) <= 1024, value


def test_custom_ui_uses_only_schema_attributes_in_the_right_places(custom_ui):
    for element, name in _elements(custom_ui):
        assert name in ALLOWED, f"<{name}> is not an element kehu's checks know"
        unknown = set(element.attrib) - ALLOWED[name]
        assert not unknown, f"<{name} id={element.get('id')}>: attributes {sorted(unknown)} are not in the schema"
        if name in PARENT:
            assert etree.QName(element.getparent()).localname == PARENT[name], name
        if name in ("tab", "group", "button"):
            assert sum(element.get(key) is not None for key in ("id", "idQ", "idMso")) == 1
        for first, second in (("image", "imageMso"), ("image", "getImage"), ("imageMso", "getImage"),
                              ("label", "getLabel"), ("size", "getSize"), ("screentip", "getScreentip"),
                              ("supertip", "getSupertip"), ("enabled", "getEnabled")):
            assert not (element.get(first) and element.get(second)), f"{element.get('id')}: {first} and {second}"


def test_custom_ui_values_are_within_the_schemas_limits(custom_ui):
    for element, name in _elements(custom_ui):
        for key in TEXT_ATTRIBUTES:
            value = element.get(key)
            if value is not None:
                assert 1 <= len(value) <= 1024, f"{element.get('id')}@{key}: {len(value)} characters"
        if element.get("keytip") is not None:
            assert 1 <= len(element.get("keytip")) <= 3
        if element.get("size") is not None:
            assert element.get("size") in ("normal", "large")
        if element.get("imageMso") is not None:
            assert NCNAME.match(element.get("imageMso")) and len(element.get("imageMso")) <= 1024
        for key in ("visible", "enabled", "showImage", "showLabel", "startFromScratch"):
            if element.get(key) is not None:
                assert element.get(key) in ("true", "false", "1", "0")
        if name == "button":
            assert element.get("label") or element.get("getLabel"), f"{element.get('id')} has no label"
            assert element.get("imageMso") or element.get("image") or element.get("getImage")


def test_every_callback_is_a_public_sub_in_a_standard_module(custom_ui, project, ole):
    sources = {module["name"]: decompress_stream(bytearray(
        ole.openstream(f"VBA/{module['stream']}").read()[module["offset"]:])).decode("cp1252")
        for module in project["modules"] if module["procedural"]}
    callbacks = {(key, value) for element, _ in _elements(custom_ui)
                 for key, value in element.attrib.items() if CALLBACK.match(key)}
    assert {attribute for attribute, _ in callbacks} == {"onAction", "onLoad"}
    for attribute, callback in callbacks:
        module, _, procedure = callback.rpartition(".")
        candidates = [sources[module]] if module else list(sources.values())
        # the callback signatures of MS-CUSTOMUI / the Office ribbon: onLoad gets the ribbon, the rest a control
        argument = "IRibbonUI" if attribute == "onLoad" else "IRibbonControl"
        pattern = rf"^(Public )?Sub {re.escape(procedure)}\(\s*(ByRef |ByVal )?\w+ As {argument}\s*\)"
        assert sum(bool(re.search(pattern, code, re.M)) for code in candidates) == 1, callback


def test_two_separate_builds_are_byte_identical(tmp_path):
    # Separate interpreters with different hash seeds: nothing in the build may depend on set or dict
    # order, object addresses or the clock.
    import hashlib
    import os
    import subprocess
    import sys

    digests = []
    for seed in ("1", "2"):
        out = tmp_path / f"kehu-{seed}.xlam"
        subprocess.run([sys.executable, "-c", f"from addin.xlam.build import build_addin; build_addin({str(out)!r})"],
                       check=True, timeout=300, cwd=Path(__file__).resolve().parents[1],
                       env={**os.environ, "PYTHONHASHSEED": seed})
        digests.append(hashlib.sha256(out.read_bytes()).hexdigest())
    assert digests[0] == digests[1]
