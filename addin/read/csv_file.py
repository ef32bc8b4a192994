"""Read a CSV the way Chinese offices write them: UTF-8, UTF-8 with BOM, or GBK/GB18030, comma or tab."""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from addin.errors import ExitCode, KehuError

_DELIMITERS = [",", "\t", ";", "|"]


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding name). BOMs are honoured; otherwise UTF-8 if it decodes, else GB18030 (a superset of GBK).

    `encoding` (--encoding, or KEHU_ENCODING) is used as given. Text that decodes as GB18030 but reads
    as nonsense (a Big5 or Shift-JIS file) is refused, naming the likely encoding: never garbled silently.
    """
    encoding = encoding or os.environ.get("KEHU_ENCODING") or None
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise KehuError(f"不认识的编码名称“{encoding}”。可用的例如 utf-8、gb18030、big5、shift_jis。",
                            f"Unknown encoding '{encoding}'. Try utf-8, gb18030, big5 or shift_jis.",
                            ExitCode.USAGE) from None
        except UnicodeDecodeError as exc:
            raise KehuError(f"文件不是 {encoding} 编码（第 {exc.start} 字节无法解码）。请换一个 --encoding。",
                            f"The file is not {encoding} (byte {exc.start} does not decode). Try another --encoding.",
                            ExitCode.INPUT_FILE) from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    bomless = _utf16_without_bom(data)
    if bomless:
        return data.decode(bomless), bomless
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        if plausibility(text, "gb") >= PLAUSIBLE:
            return text, "gb18030"
        raise _garbled(data)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise KehuError("无法识别 CSV 文件的编码。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx。",
                        "Cannot tell the CSV file's text encoding. Save it from Excel as 'CSV UTF-8' or .xlsx.",
                        ExitCode.INPUT_FILE)
    return str(best), best.encoding


def _utf16_without_bom(data: bytes) -> str | None:
    """utf-16-le / utf-16-be for text whose every other byte is mostly zero (ASCII in UTF-16, no BOM)."""
    sample = data[:4096]
    if len(sample) < 8 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    codec = "utf-16-le" if odd > 0.3 * half and even < 0.05 * half else \
        "utf-16-be" if even > 0.3 * half and odd < 0.05 * half else None
    if codec is None:
        return None
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return None
    return codec


PLAUSIBLE = 0.8     # share of Han characters that are everyday ones; real registers score > 0.95
_SAMPLE = 200_000


_LEVEL_ONE = {"gb2312": (0xB0, 0xD7), "big5": (0xA4, 0xC6), "shift_jis": (0x88, 0x9F)}
_FAMILIES = {"gb": ("gb2312", "big5", "shift_jis"), "big5": ("big5", "gb2312"), "shift_jis": ("shift_jis",)}


def _everyday(ch: str, family: str) -> bool:
    """A frequent character: level 1 of GB2312 (simplified), Big5 (traditional) or JIS X 0208 (Japanese)."""
    for codec in _FAMILIES[family]:
        try:
            lead = ch.encode(codec)[0]
        except UnicodeEncodeError:
            continue
        low, high = _LEVEL_ONE[codec]
        if low <= lead <= high:
            return True
    return False


def plausibility(text: str, family: str) -> float:
    """1.0 for text without Han characters; else the share of them that are everyday characters."""
    sample = text[:_SAMPLE]
    if any("\ue000" <= ch <= "\uf8ff" for ch in sample):   # private-use code points: bytes read with the wrong table
        return 0.0
    han = [ch for ch in sample if "\u4e00" <= ch <= "\u9fff"]
    if family == "shift_jis" and any("\u3040" <= ch <= "\u30ff" for ch in sample):
        return 1.0
    if len(han) < 4:
        return 1.0
    return sum(_everyday(ch, family) for ch in han) / len(han)


def _garbled(data: bytes) -> KehuError:
    scores = {}
    for codec, family, label in (("big5", "big5", "Big5（繁体中文）"), ("big5hkscs", "big5", "Big5-HKSCS（香港繁体中文）"),
                                 ("shift_jis", "shift_jis", "Shift-JIS（日文）")):
        try:
            scores[codec] = (plausibility(data[:_SAMPLE].decode(codec, errors="strict"), family), label)
        except UnicodeDecodeError as exc:
            if exc.start >= min(len(data), _SAMPLE) - 2:   # only the cut sample's last character broke
                scores[codec] = (plausibility(data[:exc.start].decode(codec), family), label)
    best = max(scores.items(), key=lambda kv: kv[1][0], default=None)
    if best and best[1][0] >= PLAUSIBLE:
        codec, (_, label) = best
        return KehuError(f"这个 CSV 文件看起来是 {label} 编码，不是 GBK/UTF-8；按 GBK 读会变成乱码，所以没有继续。"
                         f"请加上 --encoding {codec} 重新运行。",
                         f"This CSV looks like {codec} text, not GBK/UTF-8; read as GBK it would be garbled, so kehu "
                         f"stopped. Run again with --encoding {codec}.", ExitCode.INPUT_FILE)
    return KehuError("无法确定这个 CSV 文件的编码：按 GBK 读会变成乱码，所以没有继续。请用 --encoding 指定（如 big5、"
                     "shift_jis），或在 Excel 中另存为“CSV UTF-8（逗号分隔）”。",
                     "Cannot tell this CSV's encoding: read as GBK it would be garbled, so kehu stopped. Give it with "
                     "--encoding (e.g. big5, shift_jis) or save it from Excel as 'CSV UTF-8'.", ExitCode.INPUT_FILE)


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
