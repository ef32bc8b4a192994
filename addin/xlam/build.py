"""Build kehu.xlam from xlwings' ribbon add-in template, our VBA modules and our customUI.xml.

What changes against the template (`xlwings/quickstart_addin_ribbon.xlam`):
- `customUI/customUI.xml` is ours (the 客户工具 tab);
- VBA: the template's `RibbonMyAddin` module is removed, every `vba/*.bas` is added as a standard
  module stored as source, and so is `xlwings_udfs`, the KEHU_ formula wrappers xlwings' own
  generator writes (udf_wrappers.py), so the formulas live in the add-in and work in any workbook,
  and `KehuFunctions`, which registers their Insert Function help when the ribbon loads;
  the template's `xlwings` module is kept with `PROJECT_NAME` set to "kehu" (so its config is
  kehu.conf / a "kehu.conf" sheet, never xlwings.conf), and the project is named Kehu;
- the workbook's config sheet `_myaddin.conf` becomes `_kehu.conf` (leading "_" = inactive, as
  in the template), the author's path and names are dropped from the workbook and core properties.
Every other part is copied byte for byte. The zip is written with fixed timestamps, so two builds
from the same sources are identical.
"""
from __future__ import annotations

import importlib.util
import re
import zipfile
from pathlib import Path

from addin.errors import ExitCode, KehuError
from addin.xlam.udf_wrappers import (REGISTRATION_MODULE_NAME, VBA_MODULE_NAME, registration_module_source,
                                     udf_module_source)
from addin.xlam.vba_project import VbaProject

HERE = Path(__file__).resolve().parent
VBA_DIR = HERE / "vba"
CUSTOM_UI = HERE / "customUI.xml"
PROJECT_NAME = "Kehu"
CONFIG_NAME = "kehu"            # xlwings module's PROJECT_NAME: config file / sheet "kehu.conf"
ADDIN_FILE_NAME = "kehu.xlam"
_TEMPLATE_RIBBON_MODULE = "RibbonMyAddin"
_TEMPLATE_CONFIG_SHEET = "_myaddin.conf"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def template_path() -> Path:
    """xlwings' custom ribbon add-in template, as installed with the xlwings package."""
    # find_spec locates the package without importing it (importing xlwings takes seconds)
    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise KehuError("未安装 xlwings：请先运行 pip install xlwings。",
                        "xlwings is not installed: run pip install xlwings first.", ExitCode.UNEXPECTED)
    return Path(spec.origin).resolve().parent / "quickstart_addin_ribbon.xlam"


def vba_sources() -> dict[str, str]:
    """Our VBA modules, name → source, from vba/*.bas (the name is the file's VB_Name)."""
    sources = {}
    for path in sorted(VBA_DIR.glob("*.bas")):
        text = path.read_text(encoding="ascii")
        match = re.match(r'Attribute VB_Name = "(\w+)"', text)
        if not match or match.group(1) != path.stem:
            raise ValueError(f"{path.name} must start with Attribute VB_Name = \"{path.stem}\"")
        sources[path.stem] = text
    return sources


def patched_xlwings_module(template_source: str) -> str:
    """The template's xlwings module with its PROJECT_NAME (config file and sheet name) set to kehu."""
    patched, count = re.subn(r'(Public Const PROJECT_NAME As String = )"\w+"',
                             rf'\1"{CONFIG_NAME}"', template_source)
    if count != 1:
        raise ValueError("the template's xlwings module has no PROJECT_NAME constant: xlwings changed its template")
    return patched


def build_vba_project(template_bin: bytes) -> bytes:
    project = VbaProject(template_bin)
    project.remove_module(_TEMPLATE_RIBBON_MODULE)
    project.set_standard_module("xlwings", patched_xlwings_module(project.source("xlwings")))
    for name, source in vba_sources().items():
        project.set_standard_module(name, source)
    project.set_standard_module(VBA_MODULE_NAME, udf_module_source())
    project.set_standard_module(REGISTRATION_MODULE_NAME, registration_module_source())
    project.rename(PROJECT_NAME)
    return project.to_bytes()


def _edit_part(name: str, data: bytes) -> bytes:
    if name == "xl/workbook.xml":
        text = data.decode("utf-8")
        text = text.replace(f'name="{_TEMPLATE_CONFIG_SHEET}"', f'name="_{CONFIG_NAME}.conf"')
        # The template records the folder it was saved from (a developer's home): not ours to ship.
        text = re.sub(r"<mc:AlternateContent\b.*?</mc:AlternateContent>", "", text, flags=re.S)
        return text.encode("utf-8")
    if name == "docProps/core.xml":
        text = data.decode("utf-8")
        text = text.replace("<dc:title />", "<dc:title>客户工具 kehu</dc:title>")
        text = re.sub(r"<dc:creator>.*?</dc:creator>", "<dc:creator>kehu</dc:creator>", text)
        text = re.sub(r"<cp:lastModifiedBy>.*?</cp:lastModifiedBy>", "<cp:lastModifiedBy>kehu</cp:lastModifiedBy>", text)
        return text.encode("utf-8")
    if name == "customUI/customUI.xml":
        return CUSTOM_UI.read_bytes()
    if name == "xl/vbaProject.bin":
        return build_vba_project(data)
    return data


def build_addin(out_path: str | Path) -> Path:
    """Write kehu.xlam to `out_path` (an .xlam file, or a folder to put kehu.xlam in); return its path."""
    out_path = Path(out_path)
    if out_path.is_dir() or not out_path.suffix:
        out_path = out_path / ADDIN_FILE_NAME
    elif out_path.suffix.lower() != ".xlam":
        raise KehuError(f"加载项文件名必须以 .xlam 结尾：{out_path}",
                        f"The add-in file name must end in .xlam: {out_path}", ExitCode.USAGE)
    with zipfile.ZipFile(template_path()) as template:
        parts = [(info.filename, template.read(info)) for info in template.infolist()]
    names = [name for name, _ in parts]
    if "customUI/customUI.xml" not in names or "xl/vbaProject.bin" not in names:
        raise ValueError(f"{template_path()} is not the xlwings ribbon add-in template")
    # [Content_Types].xml first: some readers expect it there.
    parts.sort(key=lambda part: part[0] != "[Content_Types].xml")
    # Everything is computed before a byte is written, so a failing step leaves no file behind.
    edited = [(name, _edit_part(name, data)) for name, data in parts]
    out_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = out_path.with_name(out_path.name + ".tmp")
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as package:
            for name, data in edited:
                info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                package.writestr(info, data)
        temporary.replace(out_path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return out_path
