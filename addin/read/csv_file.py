"""Read a CSV the way Chinese offices write them: UTF-8, UTF-8 with BOM, or GBK/GB18030, comma or tab."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from addin.errors import ExitCode, KehuError

_DELIMITERS = [",", "\t", ";", "|"]


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name). BOMs are honoured; otherwise UTF-8 if it decodes, else GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise KehuError("无法识别 CSV 文件的编码。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx。",
                        "Cannot tell the CSV file's text encoding. Save it from Excel as 'CSV UTF-8' or .xlsx.",
                        ExitCode.INPUT_FILE)
    return str(best), best.encoding


def read_csv_grid(path: Path) -> tuple[list[list[object]], str]:
    """(rows of cells, encoding). Cells are strings, blanks are None; nothing is typed here."""
    text, encoding = decode(path.read_bytes())
    lines = text.splitlines()
    if lines and lines[0].lower().startswith("sep=") and len(lines[0]) <= 6:
        delimiter = lines[0][4:5] or ","  # Excel's "sep=," first line
        text = "\n".join(lines[1:])
    else:
        delimiter = _guess_delimiter(lines[:50])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid = [[(c if c.strip() else None) for c in row] for row in reader]
    return grid, encoding


def _guess_delimiter(lines: list[str]) -> str:
    sample = [ln for ln in lines if ln.strip()]
    if not sample:
        return ","
    best, best_score = ",", -1.0
    for d in _DELIMITERS:
        counts = [ln.count(d) for ln in sample]
        if not counts or max(counts) == 0:
            continue
        # a real delimiter appears the same number of times on most lines
        common = max(set(counts), key=counts.count)
        score = counts.count(common) / len(counts) * (common > 0) + common / 1000
        if score > best_score:
            best, best_score = d, score
    return best
