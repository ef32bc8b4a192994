"""Tell what kind of file we were given, and refuse the ones we cannot read, in words the user can act on."""
from __future__ import annotations

import zipfile
from pathlib import Path

from addin.errors import ExitCode, KehuError
from addin.read.limits import check_package
from addin.read.package_check import missing_content_types
from addin.read.xml2003 import is_xml2003

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xltm", ".xlam"}
OTHER_SHEET_SUFFIXES = {".xls", ".xlsb", ".ods"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def sniff(path: Path) -> str:
    """'ooxml', 'xls', 'xlsb', 'ods', 'xml2003' or 'csv'; raises KehuError for anything else."""
    name = path.name
    if not path.exists():
        raise KehuError(f"找不到文件“{name}”（{path}），请检查路径和文件名。",
                        f"File not found: {path}. Check the path and the file name.", ExitCode.INPUT_FILE)
    if path.is_dir():
        raise KehuError(f"“{name}”是文件夹，不是工作簿。", f"{path} is a folder, not a workbook.", ExitCode.INPUT_FILE)
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except PermissionError:
        raise KehuError(f"没有权限读取“{name}”。如果它正在 Excel 中打开，请先关闭。",
                        f"No permission to read {name}. If it is open in Excel, close it first.",
                        ExitCode.INPUT_FILE) from None
    if not head:
        raise KehuError(f"文件“{name}”是空的（0 字节）。", f"{name} is empty (0 bytes).", ExitCode.INPUT_FILE)
    if head.startswith(_OLE_MAGIC):
        if _is_encrypted_ooxml(path):
            raise KehuError(f"工作簿“{name}”设有打开密码，kehu 无法读取。请在 Excel 中用“文件→信息→保护工作簿→用密码进行加密”"
                            f"清除密码后另存，再试一次。",
                            f"{name} is password-protected. Remove the password in Excel (File → Info → Protect "
                            f"Workbook → Encrypt with Password), save, and try again.", ExitCode.INPUT_FILE)
        return "xls"
    if head.startswith(b"PK"):
        if suffix == ".ods":
            return "ods"
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
                check_package(zf, path.name)   # sizes and ratios before testzip inflates anything
                bad = zf.testzip() if path.stat().st_size < 5_000_000 else None
        except (zipfile.BadZipFile, EOFError, OSError):
            raise _corrupt(path) from None
        if bad is not None:
            raise _corrupt(path)
        if "xl/workbook.xml" in names or _office_document(path) in names:
            if "[Content_Types].xml" not in names:
                raise missing_content_types(path)
            return "ooxml"
        if "xl/workbook.bin" in names:
            return "xlsb"
        if "content.xml" in names:
            return "ods"
        if "word/document.xml" in names or "ppt/presentation.xml" in names:
            raise _not_a_workbook(path, "是 Word/PowerPoint 文件", "a Word/PowerPoint document")
        raise _corrupt(path)
    if is_xml2003(head):
        return "xml2003"
    if suffix in WORKBOOK_SUFFIXES | OTHER_SHEET_SUFFIXES:
        # named like a workbook but holds something else (often an HTML or CSV export renamed .xls)
        if suffix == ".xls" and _looks_like_text(path):
            return "csv"
        raise _corrupt(path)
    if suffix in TEXT_SUFFIXES or _looks_like_text(path):
        return "csv"
    raise _not_a_workbook(path, "是其他类型的文件", "some other kind of file")


def _office_document(path: Path) -> str | None:
    """The workbook part a package names in _rels/.rels (it need not be xl/workbook.xml)."""
    from addin.read.workbook import workbook_member

    try:
        with zipfile.ZipFile(path) as zf:
            member = workbook_member(zf)
            return member if member.endswith(".xml") and "workbook" in member.rsplit("/", 1)[-1] else None
    except (zipfile.BadZipFile, KeyError, OSError, KehuError):
        return None


def _is_encrypted_ooxml(path: Path) -> bool:
    # An encrypted .xlsx is an OLE container holding an EncryptedPackage stream; its directory is near
    # the start or the end, so a look at both ends finds the stream name without a CFB parser.
    size = path.stat().st_size
    with path.open("rb") as fh:
        data = fh.read(min(size, 4_000_000))
        if size > 4_000_000:
            fh.seek(size - 1_000_000)
            data += fh.read()
    return _ENCRYPTED_STREAM in data


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as fh:
        chunk = fh.read(4096)
    return b"\x00" not in chunk and not chunk.lstrip().lower().startswith((b"<html", b"<!doctype"))


def _corrupt(path: Path) -> KehuError:
    return KehuError(f"工作簿“{path.name}”已损坏或不完整，无法打开。请在 Excel 中打开并另存为 .xlsx，或找回原始文件。",
                     f"{path.name} is damaged or incomplete and cannot be opened. Open it in Excel and save it as "
                     f".xlsx again, or find the original file.", ExitCode.INPUT_FILE)


def _not_a_workbook(path: Path, what_zh: str, what_en: str) -> KehuError:
    return KehuError(f"“{path.name}”{what_zh}，不是 Excel 工作簿或 CSV。kehu 读取 .xlsx、.xlsm、.xls、.csv 文件。",
                     f"{path.name} is {what_en}, not an Excel workbook or CSV. kehu reads .xlsx, .xlsm, .xls and "
                     f".csv files.", ExitCode.INPUT_FILE)
