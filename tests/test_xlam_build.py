"""The built kehu.xlam, checked with independent readers: oletools' olevba, olefile, lxml, zipfile."""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path

import olefile
import pytest
from lxml import etree
from oletools.olevba import VBA_Parser

from addin.xlam import buttons
from addin.xlam.build import VBA_DIR, build_addin, template_path

CUSTOMUI_NS = "http://schemas.microsoft.com/office/2006/01/customui"
PACKAGE_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
# The buttons issue 7 asks for, written out here rather than imported.
EXPECTED_BUTTONS = {
    "kehu_clean": "清洗客户表", "kehu_dupes": "查找重复", "kehu_merge": "合并重复",
    "kehu_segment": "客户细分", "kehu_survey": "满意度报告", "kehu_ids": "校验证件号",
    "kehu_new_register": "新建客户档案", "kehu_new_survey": "新建满意度调查", "kehu_help": "帮助",
    "kehu_merge_reviewed": "按复核合并", "kehu_complaints": "投诉分析", "kehu_report": "客户分析报告",
    "kehu_mask": "脱敏副本",   # issue 16 part 7
}
OUR_MODULES = {"KehuRibbon", "KehuFrozen", "KehuText"}


@pytest.fixture(scope="module")
def xlam(tmp_path_factory) -> Path:
    return build_addin(tmp_path_factory.mktemp("addin") / "kehu.xlam")


def _macros(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {filename: code for _, _, filename, code in parser.extract_macros()}
    finally:
        parser.close()


@pytest.fixture(scope="module")
def macros(xlam) -> dict[str, str]:
    return _macros(xlam)


@pytest.fixture(scope="module")
def template_macros() -> dict[str, str]:
    return _macros(template_path())


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n")


def test_olevba_lists_every_module(macros):
    assert set(macros) == {"ThisWorkbook.cls", "Sheet2.cls", "Dictionary.cls", "xlwings.bas",
                           "KehuRibbon.bas", "KehuFrozen.bas", "KehuText.bas", "xlwings_udfs.bas",
                           "KehuFunctions.bas"}


def test_the_formulas_are_imported_into_the_addin_as_xlwings_does(macros):
    # The wrappers xlwings' "Import Functions" writes, checked against the registration the formula
    # tests see (tests/xlwings_windows.py, written separately from the build's generator).
    from tests.xlwings_windows import import_fresh, vba_wrappers, windows_decorators

    with windows_decorators() as udfs_mod:
        module = import_fresh("udfs.formulas")
        expected = vba_wrappers(udfs_mod, "udfs.formulas", module)
        names = sorted(name for name in dir(module) if name.startswith("KEHU_"))
    import_fresh("udfs.formulas")
    code = _lf(macros["xlwings_udfs.bas"])
    assert code.startswith('Attribute VB_Name = "xlwings_udfs"\n')
    assert _lf(expected) in code
    for name in names:
        # an add-in's wrappers hand Python the workbook the formula is in, not the add-in
        assert f'{name} = XLPy.CallUDF("udfs.formulas", "{name}", ' in code
    assert "ThisWorkbook" not in code and code.count("ActiveWorkbook, Application.Caller)") == len(names)


def _zh_literals(expression: str) -> str:
    """Decode a VBA `Zh("…" & _ "…")` expression the way KehuText.Zh does (written separately here)."""
    text = "".join(re.findall(r'"((?:[^"]|"")*)"', expression)).replace('""', '"')
    return re.sub(r"\\u([0-9A-Fa-f]{4})", lambda match: chr(int(match.group(1), 16)), text)


def test_the_addin_registers_each_formulas_insert_function_help(macros):
    from tests.xlwings_windows import import_fresh, windows_decorators

    with windows_decorators():
        module = import_fresh("udfs.formulas")
        expected = {name: getattr(module, name).__xlfunc__ for name in dir(module) if name.startswith("KEHU_")}
    import_fresh("udfs.formulas")
    code = _lf(macros["KehuFunctions.bas"])
    # one block per formula: argument descriptions, then the MacroOptions call
    blocks = re.findall(r"ReDim arguments\(0 To (\d+)\)\n(.*?)\n    If Err.Number <> 0 Then failed = True", code, re.S)
    assert len(blocks) == len(expected)
    seen = set()
    for upper, block in blocks:
        name = re.search(r"& \"'!(KEHU_\w+)\", _", block).group(1)
        xlfunc = expected[name]
        seen.add(name)
        description = re.search(r"Description:=(Zh\(.*?\)), _\n\s+Category:=", block, re.S).group(1)
        category = re.search(r"Category:=(Zh\(.*?\)), ArgumentDescriptions:=arguments", block, re.S).group(1)
        assert _zh_literals(description) == xlfunc["ret"]["doc"][:255]
        assert _zh_literals(category) == "kehu 客户工具"
        arguments = re.findall(r"arguments\((\d+)\) = (Zh\(.*?\))(?=\n    (?:arguments|Err))", block, re.S)
        documented = [arg["doc"][:255] for arg in xlfunc["args"] if not arg["vba"]]
        assert int(upper) == max(len(documented), 1) - 1
        assert [_zh_literals(text) for _, text in arguments] == documented, name
    assert seen == set(expected)
    assert max(len(line) for line in code.split("\n")) < 1023          # VBA's physical line limit
    assert "KehuRegisterFunctions" in _lf(macros["KehuRibbon.bas"])


def test_building_leaves_the_formula_modules_as_they_were(tmp_path):
    import udfs.formulas

    before = udfs.formulas.KEHU_MOBILE
    build_addin(tmp_path / "kehu.xlam")
    import udfs.formulas as after
    assert after.KEHU_MOBILE is before and not hasattr(before, "__xlfunc__")


def test_our_modules_read_back_identical_to_their_bas_source(macros):
    sources = {path.stem: path.read_text(encoding="ascii") for path in VBA_DIR.glob("*.bas")}
    assert set(sources) == OUR_MODULES
    for name, source in sources.items():
        assert _lf(macros[f"{name}.bas"]) == _lf(source), name


def test_xlwings_module_differs_from_the_template_only_in_its_project_name(macros, template_macros):
    ours = _lf(macros["xlwings.bas"]).split("\n")
    theirs = _lf(template_macros["xlwings.bas"]).split("\n")
    assert len(ours) == len(theirs)
    changed = [(a, b) for a, b in zip(theirs, ours) if a != b]
    assert changed == [('Public Const PROJECT_NAME As String = "myaddin"',
                        'Public Const PROJECT_NAME As String = "kehu"')]


def test_document_and_class_modules_are_the_templates(macros, template_macros):
    for name in ("ThisWorkbook.cls", "Sheet2.cls", "Dictionary.cls"):
        assert macros[name] == template_macros[name]


def _custom_ui(xlam: Path) -> etree._Element:
    with zipfile.ZipFile(xlam) as package:
        return etree.fromstring(package.read("customUI/customUI.xml"))


def test_custom_ui_is_well_formed_in_the_2006_namespace(xlam):
    root = _custom_ui(xlam)
    assert root.tag == f"{{{CUSTOMUI_NS}}}customUI"
    tabs = root.findall(f".//{{{CUSTOMUI_NS}}}tab")
    assert [tab.get("label") for tab in tabs] == ["客户工具"]


def test_ribbon_has_every_button_with_its_chinese_label(xlam):
    found = {button.get("id"): button.get("label")
             for button in _custom_ui(xlam).iter(f"{{{CUSTOMUI_NS}}}button")}
    assert found == EXPECTED_BUTTONS
    assert set(buttons.BUTTON_IDS) == set(EXPECTED_BUTTONS)


def test_every_on_action_names_a_ribbon_procedure_that_exists(xlam, macros):
    actions = [element.get("onAction") for element in _custom_ui(xlam).iter() if element.get("onAction")]
    assert len(actions) == len(EXPECTED_BUTTONS)
    assert set(actions) == {"KehuRibbon.OnRibbon"}
    for action in set(actions):
        module, procedure = action.split(".")
        code = macros[f"{module}.bas"]
        # a ribbon onAction callback is a Sub taking one IRibbonControl
        assert re.search(rf"^(Public )?Sub {procedure}\(\s*(ByRef |ByVal )?\w+ As IRibbonControl\s*\)",
                         code, re.M), action


def test_the_callback_hands_the_button_id_to_the_python_dispatcher(macros):
    code = _lf(macros["KehuRibbon.bas"])
    assert "KehuRun control.Id" in code
    assert """RunPython "import addin.ribbon; addin.ribbon.dispatch('" & commandId & "')\"""" in code


def test_custom_ui_relationship_has_the_templates_type_and_a_real_target(xlam):
    with zipfile.ZipFile(template_path()) as template:
        template_rels = etree.fromstring(template.read("_rels/.rels"))
    expected_type = next(rel.get("Type") for rel in template_rels if "ui/extensibility" in rel.get("Type"))
    with zipfile.ZipFile(xlam) as package:
        rels = etree.fromstring(package.read("_rels/.rels"))
        ui = [rel for rel in rels if rel.get("Type") == expected_type]
        assert len(ui) == 1 and ui[0].get("Target") in package.namelist()


def _content_type_of(part: str, types: etree._Element) -> str | None:
    overrides = {node.get("PartName"): node.get("ContentType") for node in types
                 if node.tag == f"{{{CONTENT_TYPES_NS}}}Override"}
    defaults = {node.get("Extension").lower(): node.get("ContentType") for node in types
                if node.tag == f"{{{CONTENT_TYPES_NS}}}Default"}
    return overrides.get("/" + part) or defaults.get(part.rsplit(".", 1)[-1].lower())


def test_content_types_and_relationships_are_consistent(xlam):
    with zipfile.ZipFile(xlam) as package:
        names = [name for name in package.namelist() if not name.endswith("/")]
        types = etree.fromstring(package.read("[Content_Types].xml"))
        for part in names:
            if part != "[Content_Types].xml":
                assert _content_type_of(part, types), f"{part} has no content type"
        for node in types:
            if node.get("PartName"):
                assert node.get("PartName").lstrip("/") in names, node.get("PartName")
        assert _content_type_of("xl/workbook.xml", types) == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
        assert _content_type_of("xl/vbaProject.bin", types) == "application/vnd.ms-office.vbaProject"
        for rels_name in (name for name in names if name.endswith(".rels")):
            source_folder = posixpath.dirname(posixpath.dirname(rels_name))
            for rel in etree.fromstring(package.read(rels_name)):
                assert rel.tag == f"{{{PACKAGE_RELS_NS}}}Relationship"
                if rel.get("TargetMode") == "External":
                    continue
                target = posixpath.normpath(posixpath.join(source_folder, rel.get("Target"))).lstrip("/")
                assert target in names, f"{rels_name}: {rel.get('Target')}"
        for part in names:
            if part.endswith(".xml") or part.endswith(".rels"):
                etree.fromstring(package.read(part))   # every XML part is well-formed


def test_config_sheet_is_renamed_and_the_template_authors_traces_are_gone(xlam):
    with zipfile.ZipFile(xlam) as package:
        workbook = etree.fromstring(package.read("xl/workbook.xml"))
        sheet_names = [node.get("name") for node in workbook.iter() if node.tag.endswith("}sheet")]
        assert sheet_names == ["_kehu.conf"]
        for part in package.namelist():
            if part.endswith(".xml"):
                assert b"felix" not in package.read(part).lower(), part


def test_vba_project_streams_agree_with_the_modules(xlam, macros):
    with zipfile.ZipFile(xlam) as package:
        ole = olefile.OleFileIO(io.BytesIO(package.read("xl/vbaProject.bin")))
    project = ole.openstream("PROJECT").read().decode("cp1252")
    standard = {line.split("=", 1)[1] for line in project.split("\r\n") if line.startswith("Module=")}
    assert standard == {name[:-4] for name in macros if name.endswith(".bas")}
    assert 'Name="Kehu"' in project.split("\r\n")
    name_map = ole.openstream("PROJECTwm").read()
    for name in macros:
        module = name.rsplit(".", 1)[0]
        assert module.encode("cp1252") + b"\x00" + module.encode("utf-16-le") + b"\x00\x00" in name_map
    assert ole.openstream("VBA/_VBA_PROJECT").read() == b"\xcc\x61\xff\xff\x00\x01\x00"   # no compiled cache
    assert not ole.exists("VBA/RibbonMyAddin")


def test_builds_are_reproducible(xlam, tmp_path):
    again = build_addin(tmp_path / "again.xlam")
    assert again.read_bytes() == xlam.read_bytes()


def test_build_into_a_folder_names_the_file_kehu_xlam(tmp_path):
    assert build_addin(tmp_path / "out").name == "kehu.xlam"


def _procedures(code: str, public_only: bool) -> set[str]:
    pattern = r"^\s*(Public |Private |Friend )?(Static )?(Sub|Function|Property Get|Property Let) (\w+)"
    return {match.group(4) for match in re.finditer(pattern, code, re.M)
            if not public_only or match.group(1) != "Private "}


def test_our_public_procedures_do_not_clash_with_each_other_or_xlwings(macros):
    # Two standard modules with the same public name make unqualified calls ambiguous (a compile error).
    seen: dict[str, str] = {}
    for module in sorted(macros):
        if not module.endswith(".bas"):
            continue
        for name in _procedures(macros[module], public_only=True):
            assert name not in seen, f"{name} is public in {seen.get(name)} and {module}"
            seen[name] = module


def _decode_escapes(text: str) -> str:
    return re.sub(r"\\u([0-9A-Fa-f]{4})", lambda match: chr(int(match.group(1), 16)), text)


def test_chinese_messages_are_escaped_and_say_what_they_should():
    texts = {path.stem: path.read_text(encoding="ascii") for path in VBA_DIR.glob("*.bas")}
    joined = _decode_escapes("".join(texts.values()))
    for phrase in ("请先保存工作簿，再运行此命令。", "冻结版 kehu.exe 只能在 Windows 上运行。",
                   "没有生成结果文件：", "客户工具 kehu", "此命令需要安装 Python 版 kehu"):
        assert phrase in joined, phrase


def test_frozen_mode_serves_exactly_the_documented_file_based_commands():
    code = (VBA_DIR / "KehuFrozen.bas").read_text(encoding="ascii")
    select = re.search(r"Select Case commandId\s+Case (.*?)\n\s*KehuIsFileBased = True", code, re.S).group(1)
    assert set(re.findall(r'"(kehu_\w+)"', select)) == buttons.FROZEN_FILE_COMMANDS
    assert 'GetConfig("KEHU_FROZEN_EXE", KEHU_FROZEN_EXE_DEFAULT)' in code
    assert 'Public Const KEHU_FROZEN_EXE_DEFAULT As String = ""' in code   # off unless switched on
    assert "RunFrozenPython exePath, arguments" in code
    assert buttons.FROZEN_FILE_COMMANDS == set(EXPECTED_BUTTONS) - {"kehu_help"}
