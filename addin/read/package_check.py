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


#: rels that calamine cannot read as sheets; kehu reads the workbook without them and the writer copies them
_NOT_WORKSHEETS = ("/xlMacrosheet", "/xlIntlMacrosheet", "/dialogsheet")


def without_macro_sheets(path: Path) -> bytes | None:
    """The package with Excel 4 macro sheets and dialog sheets left out of workbook.xml, for reading only.

    None when it has none. The original file is never changed; the writer copies those parts as they are.
    """
    import re

    from addin.read.limits import check_package

    with zipfile.ZipFile(path) as zf:
        check_package(zf, path.name)
        rels_name = "xl/_rels/workbook.xml.rels"
        if rels_name not in zf.namelist() or "xl/workbook.xml" not in zf.namelist():
            return None
        rels = zf.read(rels_name).decode("utf-8", "replace")
        odd = [m.group(1) for m in re.finditer(r'<Relationship\b[^>]*?\bId="([^"]+)"[^>]*>', rels)
               if any(kind in m.group(0) for kind in _NOT_WORKSHEETS)]
        odd += [m.group(1) for m in re.finditer(r'<Relationship\b[^>]*?Type="[^"]*(?:' +
                                                "|".join(k.strip("/") for k in _NOT_WORKSHEETS) +
                                                r')"[^>]*?\bId="([^"]+)"', rels)]
        if not odd:
            return None
        book = zf.read("xl/workbook.xml").decode("utf-8")
        for rid in set(odd):
            book = re.sub(r'<(?:\w+:)?sheet\b[^>]*?:id="' + re.escape(rid) + r'"[^>]*/>', "", book)
        import io

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
            for info in zf.infolist():
                out.writestr(info.filename, book.encode("utf-8") if info.filename == "xl/workbook.xml"
                             else zf.read(info.filename))
        return buffer.getvalue()
