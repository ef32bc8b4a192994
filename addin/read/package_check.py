"""Say precisely why calamine could not read a package, when the reason is one kehu can name."""
from __future__ import annotations

import zipfile
from pathlib import Path

from addin.errors import ExitCode, KehuError


def explain_package(path: Path) -> KehuError | None:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return missing_content_types(path)
    return None


def missing_content_types(path: Path) -> KehuError:
    return KehuError(f"“{path.name}”缺少 [Content_Types].xml 部件，不是完整的 Excel 工作簿（Excel 也无法打开它）。"
                     f"请找回原始文件，或用生成它的程序重新导出。",
                     f"{path.name} lacks its [Content_Types].xml part, so it is not a complete Excel workbook (Excel "
                     f"cannot open it either). Find the original file or export it again from the program that "
                     f"made it.", ExitCode.INPUT_FILE)
