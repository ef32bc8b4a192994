"""Build the bad-input corpus: files that real users hand kehu and that must fail (or pass) cleanly.

Run `python tests/corpus/build_corpus.py OUTDIR` to look at them; the tests call `build(tmpdir)`.
Each entry: file name → (expected exit code, words the Chinese message must contain).
"""
from __future__ import annotations

import csv
import io
import shutil
import sys
import zipfile
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
XLS_FIXTURE = HERE / "old_format.xls"   # made once with LibreOffice from old_format_source (see make_xls)

HEADER = ["客户编号", "姓名", "手机", "邮箱", "最近购买日期", "累计金额"]
ROWS = [["C001", "张伟", "13800138000", "zw@163.com", "2024-03-05", "￥2,288.38"],
        ["C002", "李娜", "+86 139 1234 5678", "lina@qq.com", "2024年3月5日", "6636元"]]


def _xlsx(path: Path, rows, sheet="客户档案", merge=None, password=None) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = wb.add_worksheet(sheet)
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is not None:
                ws.write(i, j, v)
    if merge:
        for (r0, c0, r1, c1, value) in merge:
            ws.merge_range(r0, c0, r1, c1, value)
    wb.close()
    return path


def _csv_bytes(rows, encoding: str) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding)


# name → (exit code, substring expected in the Chinese message; None for files that must read fine)
EXPECTED: dict[str, tuple[int, str | None]] = {
    "missing.xlsx": (3, "找不到文件"),
    "empty_file.xlsx": (3, "是空的"),
    "plain_text.xlsx": (3, "损坏"),
    "report.docx.xlsx": (3, "Word"),
    "truncated.xlsx": (3, "损坏"),
    "random_bytes.bin": (3, "不是 Excel"),
    "encrypted.xlsx": (3, "密码"),
    "empty_sheet.xlsx": (4, "是空的"),
    "header_only.xlsx": (4, "没有数据"),
    "no_header.xlsx": (4, "找不到表头"),
    "gbk.csv": (0, None),
    "utf8_bom.csv": (0, None),
    "utf8.csv": (0, None),
    "formula_injection.csv": (0, None),
    "title_rows.xlsx": (0, None),
    "merged_cells.xlsx": (0, None),
    "text_dates.xlsx": (0, None),
    "error_cells.xlsx": (0, None),
    "old_format.xls": (0, None),
    "a_folder": (3, "文件夹"),
}


def build(out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}

    def add(name: str) -> Path:
        files[name] = out / name
        return files[name]

    add("missing.xlsx")  # deliberately not created
    add("empty_file.xlsx").write_bytes(b"")
    add("plain_text.xlsx").write_text("这不是工作簿\nthis is not a workbook\n", encoding="utf-8")
    with zipfile.ZipFile(add("report.docx.xlsx"), "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    good = _xlsx(out / "_good.xlsx", [HEADER] + ROWS)
    data = good.read_bytes()
    add("truncated.xlsx").write_bytes(data[: len(data) // 2])
    add("random_bytes.bin").write_bytes(bytes(range(256)) * 8)
    _encrypt(good, add("encrypted.xlsx"))
    _xlsx(add("empty_sheet.xlsx"), [])
    _xlsx(add("header_only.xlsx"), [HEADER])
    _xlsx(add("no_header.xlsx"), [[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    add("gbk.csv").write_bytes(_csv_bytes([HEADER] + ROWS, "gbk"))
    add("utf8_bom.csv").write_bytes(b"\xef\xbb\xbf" + _csv_bytes([HEADER] + ROWS, "utf-8"))
    add("utf8.csv").write_bytes(_csv_bytes([HEADER] + ROWS, "utf-8"))
    add("formula_injection.csv").write_bytes(_csv_bytes(
        [HEADER, ["C003", "=HYPERLINK(\"http://x\",\"点我\")", "+8613800138000", "@SUM(A1)", "-2024-01-01", "=1+1"]],
        "utf-8"))
    _xlsx(add("title_rows.xlsx"), [["2024年客户档案"], ["制表：销售部"], [], HEADER] + ROWS + [[], ["注：内部资料"]])
    _xlsx(add("merged_cells.xlsx"), [HEADER + ["区域"]] + [r + [None] for r in ROWS] + [["C003", "王芳", "13700137000",
                                                                                         None, None, None, None]],
          merge=[(1, 6, 3, 6, "华东")])
    _xlsx(add("text_dates.xlsx"), [HEADER] + [["C1", "张三", "13800138000", None, d, 1] for d in
                                              ["2024-3-5", "2024/03/05", "20240305", "2024年3月5日", "2024.3.5"]])
    wb = xlsxwriter.Workbook(str(add("error_cells.xlsx")))
    ws = wb.add_worksheet("客户档案")
    ws.write_row(0, 0, HEADER)
    ws.write_row(1, 0, ROWS[0])
    ws.write_row(2, 0, ROWS[1][:5])
    ws.write_formula(2, 5, "=NA()", None, "#N/A")
    wb.close()
    if XLS_FIXTURE.exists():
        shutil.copy(XLS_FIXTURE, add("old_format.xls"))
    add("a_folder").mkdir(exist_ok=True)
    (out / "_good.xlsx").unlink()
    return files


def _encrypt(src: Path, dst: Path) -> None:
    import msoffcrypto
    from msoffcrypto.format.ooxml import OOXMLFile

    with src.open("rb") as fin, dst.open("wb") as fout:
        OOXMLFile(fin).encrypt("kehu-secret", fout)
    assert msoffcrypto  # the import above is the dependency check


def make_xls() -> None:
    """Regenerate old_format.xls with LibreOffice (run by hand; the result is committed)."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        src = _xlsx(Path(tmp) / "old_format.xlsx", [HEADER] + ROWS)
        subprocess.run(["soffice", "--headless", "--convert-to", "xls", "--outdir", tmp, str(src)], check=True,
                       capture_output=True, timeout=120)
        shutil.copy(Path(tmp) / "old_format.xls", XLS_FIXTURE)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--make-xls":
        make_xls()
    else:
        for name, path in build(Path(sys.argv[1] if len(sys.argv) > 1 else "corpus_out")).items():
            print(name, path, EXPECTED[name])
