"""Where the result goes and how it gets there safely: default name, lock checks, backup, atomic replace."""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Iterator

from addin.errors import ExitCode, KehuError

PACKAGE_SUFFIXES = {".xlsx", ".xlsm"}


def default_output_path(source: Path) -> Path:
    """NAME.kehu.xlsx beside the input; an .xlsm stays .xlsm (its macros are kept); .csv/.xls become .xlsx."""
    source = Path(source)
    suffix = ".xlsm" if source.suffix.lower() == ".xlsm" else ".xlsx"
    return source.with_name(f"{source.stem}.kehu{suffix}")


def backup_path(source: Path, now: dt.datetime | None = None) -> Path:
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = source.with_name(f"{source.stem}.backup-{stamp}{source.suffix}")
    n = 2
    while candidate.exists():   # two runs within one second must not overwrite the first backup
        candidate = source.with_name(f"{source.stem}.backup-{stamp}-{n}{source.suffix}")
        n += 1
    return candidate


def _locked(path: Path) -> KehuError:
    return KehuError(
        f"无法写入“{path.name}”：文件正被占用（可能已在 Excel 中打开）。请关闭该文件后重试，或换一个输出文件名。",
        f"Cannot write '{path.name}': the file is locked or open (perhaps in Excel). Close it and retry, "
        "or choose another output name.",
        ExitCode.OUTPUT)


def check_writable(output: Path) -> None:
    """Refuse when Excel has the output open (owner file ~$NAME beside it) or the OS denies writing."""
    if (output.parent / f"~${output.name}").exists():   # Excel's owner file while the workbook is open
        raise _locked(output)
    if not output.parent.is_dir():
        raise KehuError(f"输出文件夹不存在：{output.parent}", f"The output folder does not exist: {output.parent}",
                        ExitCode.OUTPUT)
    if output.exists():
        try:
            with open(output, "r+b"):
                pass
        except PermissionError as exc:
            raise _locked(output) from exc


def check_not_source(source: Path, output: Path, in_place: bool) -> None:
    same = output.resolve() == source.resolve() or (output.exists() and os.path.samefile(output, source))
    if same and not in_place:
        raise KehuError("输出文件不能覆盖输入文件；如需直接修改原文件，请使用“就地写入”（会先自动备份）。",
                        "The output would overwrite the input; use in-place mode (which makes a backup first).",
                        ExitCode.USAGE)


def make_backup(source: Path) -> Path:
    backup = backup_path(source)
    try:
        shutil.copy2(source, backup)
    except OSError as exc:
        with contextlib.suppress(OSError):
            backup.unlink()
        raise KehuError(f"无法创建备份文件“{backup.name}”：{exc}", f"Cannot create the backup '{backup.name}': {exc}",
                        ExitCode.OUTPUT) from exc
    return backup


def _umask() -> int:
    mask = os.umask(0o022)   # the only way to read the umask is to set it; put it straight back
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(output: Path) -> Iterator[Path]:
    """Yield a temp path beside `output`; on success it replaces `output`, on any error it is removed."""
    try:
        handle, name = tempfile.mkstemp(prefix=".~kehu-", suffix=output.suffix, dir=output.parent)
    except PermissionError as exc:
        raise _locked(output) from exc
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        # mkstemp makes the file private (0600); give it the permissions the output would normally have
        os.chmod(temp, stat.S_IMODE(output.stat().st_mode) if output.exists() else 0o666 & ~_umask())
        try:
            os.replace(temp, output)
        except PermissionError as exc:
            raise _locked(output) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
