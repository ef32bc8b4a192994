"""How much kehu agrees to inflate and parse, checked before any part is read.

The ceilings follow Excel's own maxima: a sheet holds at most 1,048,576 rows × 16,384 columns and a
cell at most 32,767 characters, but a register kehu can clean in memory is far smaller, so the cell
ceiling (`--max-cells`, or KEHU_MAX_CELLS) is Excel's full row count × 24 columns, and the bytes a part
may inflate to grow with it. A zip member that claims a compression ratio no spreadsheet reaches
(whitespace or a repeated string) is refused before it is inflated. XML is parsed without entity
expansion, DTDs or network access.
"""
from __future__ import annotations

import contextlib
import functools
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, TypeVar

from addin.errors import ExitCode, KehuError

if TYPE_CHECKING:
    from lxml import etree

T = TypeVar("T")

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLS = 16_384
EXCEL_MAX_CELL_CHARS = 32_767
DEFAULT_MAX_CELLS = EXCEL_MAX_ROWS * 24
BYTES_PER_CELL = 96                  # generous XML bytes per cell (an inline string, a style, a formula)
MIN_PART_BYTES = 256 << 20
DEFAULT_MAX_RATIO = 200              # real sheet XML deflates 5-50×; deflate's own maximum is ≈1032×
RATIO_FLOOR_BYTES = 8 << 20          # small parts may be as repetitive as they like

_ENV_CELLS, _ENV_BYTES, _ENV_RATIO = "KEHU_MAX_CELLS", "KEHU_MAX_BYTES", "KEHU_MAX_RATIO"


@dataclass(frozen=True)
class Limits:
    max_cells: int
    max_part_bytes: int
    max_total_bytes: int
    max_ratio: float


def _env_number(name: str, default: float) -> float:
    text = os.environ.get(name, "").replace(",", "").replace("_", "").strip()
    try:
        value = float(text) if text else default
    except ValueError:
        raise KehuError(f"环境变量 {name} 应为正数，收到“{text}”。", f"{name} must be a positive number, got '{text}'.",
                        ExitCode.USAGE) from None
    if value <= 0:
        raise KehuError(f"环境变量 {name} 应为正数，收到“{text}”。", f"{name} must be a positive number, got '{text}'.",
                        ExitCode.USAGE)
    return value


def set_max_cells(n: int | None) -> None:
    """The CLI's --max-cells: kept in the environment so worker processes see it too."""
    if n is not None:
        os.environ[_ENV_CELLS] = str(int(n))


def current() -> Limits:
    cells = int(_env_number(_ENV_CELLS, DEFAULT_MAX_CELLS))
    part = int(_env_number(_ENV_BYTES, max(MIN_PART_BYTES, cells * BYTES_PER_CELL)))
    return Limits(cells, part, 2 * part, _env_number(_ENV_RATIO, DEFAULT_MAX_RATIO))


def _mb(n: int) -> str:
    return f"{n / (1 << 20):,.0f} MB"


def refuse_bomb(path_name: str, member: str, why_zh: str, why_en: str, env: str) -> KehuError:
    return KehuError(f"“{path_name}”中的部件 {member} {why_zh}，超出 kehu 的安全上限，已停止读取（原文件未改动）。"
                     f"如确属正常文件，可用 --max-cells 或环境变量 {env} 提高上限。",
                     f"Part {member} of {path_name} {why_en}, beyond kehu's safety limit; reading stopped (the "
                     f"file is untouched). If the file is genuine, raise the limit with --max-cells or {env}.",
                     ExitCode.INPUT_FILE)


def check_member(info: zipfile.ZipInfo, path_name: str, limits: Limits | None = None) -> None:
    """Refuse a member whose declared size or compression ratio no real workbook has."""
    limits = limits or current()
    if info.compress_type == zipfile.ZIP_DEFLATED and info.compress_size > info.file_size * 1.01 + 1024:
        # deflate never grows data by more than a few bytes per 64 KiB block: the declared size is a lie
        raise refuse_bomb(path_name, info.filename, "声明的解压大小小于压缩后的大小（头部被篡改）",
                          "declares an inflated size smaller than its compressed size (a forged header)",
                          _ENV_BYTES)
    if info.file_size > limits.max_part_bytes:
        raise refuse_bomb(path_name, info.filename, f"解压后有 {_mb(info.file_size)}（上限 {_mb(limits.max_part_bytes)}）",
                          f"inflates to {_mb(info.file_size)} (limit {_mb(limits.max_part_bytes)})", _ENV_BYTES)
    if info.file_size > RATIO_FLOOR_BYTES and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        ratio = info.file_size / max(info.compress_size, 1)
        raise refuse_bomb(path_name, info.filename, f"压缩比为 {ratio:,.0f}:1（上限 {limits.max_ratio:,.0f}:1，像是“压缩炸弹”）",
                          f"has a compression ratio of {ratio:,.0f}:1 (limit {limits.max_ratio:,.0f}:1; a zip bomb?)",
                          _ENV_RATIO)


def check_package(zf: zipfile.ZipFile, path_name: str) -> None:
    """Every member's declared size and ratio, and their total, before anything is inflated."""
    limits = current()
    total = 0
    for info in zf.infolist():
        check_member(info, path_name, limits)
        total += info.file_size
    if total > limits.max_total_bytes:
        raise refuse_bomb(path_name, "(全部 all)", f"解压后共有 {_mb(total)}（上限 {_mb(limits.max_total_bytes)}）",
                          f"inflate to {_mb(total)} in all (limit {_mb(limits.max_total_bytes)})", _ENV_BYTES)


def verify_members(zf: zipfile.ZipFile, path_name: str, members) -> None:
    """Inflate the parts a reader loads whole (shared strings, styles, workbook) and check their CRC.

    zipfile stops at the declared size, so a member that inflates to more than it says fails its CRC
    here, after at most its declared size, instead of inside calamine with no bound.
    """
    for member in members:
        inflate_fast_or_as_before(lambda fast, member=member: _drain(zf, member, fast))


def _drain(zf: zipfile.ZipFile, member: str, fast: bool) -> None:
    with bounded_open(zf, member, fast=fast) as fh:
        while fh.read(1 << 22):
            pass


def inflate_fast_or_as_before(read_part: Callable[[bool], T]) -> T:
    """read_part(True), which inflates with the fastest codec installed (ISA-L, zlib-ng: the same bytes,
    about twice as fast); if that codec finds the stream damaged, read_part(False) with the standard
    library's zlib, so a damaged part fails with the very error it always did."""
    from addin.write.deflate import codec

    name, module = codec()
    if name == "zlib":
        return read_part(False)
    try:
        return read_part(True)
    except module.error:
        return read_part(False)


@contextlib.contextmanager
def bounded_open(zf: zipfile.ZipFile, member: str, *, fast: bool = False) -> Iterator:
    """Open a member after checking its size. zipfile never returns more than the declared size and checks
    the CRC at the end, so a member that lies about its size fails here instead of inflating without end.
    With `fast`, it is inflated by the fastest codec installed (see inflate_fast_or_as_before)."""
    info = zf.getinfo(member)
    check_member(info, Path(zf.filename or "").name or "workbook")
    try:
        with zf.open(info) as fh:
            if fast:
                from addin.write.deflate import use_fast_decompressor

                use_fast_decompressor(fh)
            yield fh
    except (zipfile.BadZipFile, EOFError, NotImplementedError) as exc:
        name = Path(zf.filename or "").name
        raise KehuError(f"工作簿“{name}”已损坏或不完整（部件 {member}：{exc}），无法读取。请找回原始文件。",
                        f"{name} is damaged or incomplete (part {member}: {exc}). Find the original file.",
                        ExitCode.INPUT_FILE) from None


def check_cells(path_name: str, sheet: str, rows: int, cols: int, far_ref: str) -> None:
    """A sheet's real extent against --max-cells, before a grid of that size is built."""
    limits = current()
    if rows * cols <= limits.max_cells:
        return
    raise KehuError(f"“{path_name}”的工作表“{sheet}”的范围到 {far_ref}，共 {rows:,} 行 × {cols:,} 列 = {rows * cols:,} 个单元格，"
                    f"超过上限 {limits.max_cells:,}。如果远处有一个多余的单元格（如 {far_ref}），请删除它后另存；"
                    f"确需处理这么大的表，请用 --max-cells {rows * cols} 提高上限。",
                    f"Sheet '{sheet}' of {path_name} reaches {far_ref}: {rows:,} rows × {cols:,} columns = "
                    f"{rows * cols:,} cells, more than the limit of {limits.max_cells:,}. If a stray cell sits far "
                    f"away (e.g. {far_ref}), delete it and save; to read it anyway, raise the limit with "
                    f"--max-cells {rows * cols}.", ExitCode.INPUT_FILE)


@functools.cache
def safe_parser() -> etree.XMLParser:
    """OOXML parts never need a DTD or entities; refusing them stops billion-laughs and external fetches."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           dtd_validation=False)


def parse_xml(data: bytes, *, where: str = "") -> etree._Element:
    """Parse one package part safely; a malformed or entity-laden part is a damaged file (exit 3)."""
    # lxml is imported when a part is parsed, not with this module: xlwings Lite (no lxml) imports the
    # reader's tables and limits but never parses a file
    from lxml import etree

    try:
        if b"<!ENTITY" in data[:65536]:
            raise etree.XMLSyntaxError("entity declarations are not allowed in OOXML", None, 0, 0)
        return etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise KehuError(f"工作簿的部件 {where or 'XML'} 已损坏或含有不允许的内容（{str(exc)[:80]}），无法读取。"
                        f"请在 Excel 中打开并另存为 .xlsx。",
                        f"Part {where or 'XML'} of the workbook is damaged or holds content that is not allowed "
                        f"({str(exc)[:80]}). Open it in Excel and save it as .xlsx again.",
                        ExitCode.INPUT_FILE) from None
