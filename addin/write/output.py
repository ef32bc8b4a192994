"""Where the result goes and how it gets there safely: default name, lock checks, backup, atomic replace."""
from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Iterator

from addin.errors import ExitCode, KehuError, storage_error

PACKAGE_SUFFIXES = {".xlsx", ".xlsm"}


def default_output_path(source: Path) -> Path:
    """NAME.kehu.xlsx beside the input; an .xlsm stays .xlsm (its macros are kept); .csv/.xls become .xlsx.

    A NAME so long that the result would pass the file system's name limit is shortened (…).
    """
    source = Path(source)
    suffix = ".xlsm" if source.suffix.lower() == ".xlsm" else ".xlsx"
    return source.with_name(fit_name(source.stem, f".kehu{suffix}", source.parent))


def name_limit(folder: Path) -> int:
    try:
        return os.pathconf(folder if folder.is_dir() else ".", "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255


def fit_name(stem: str, ending: str, folder: Path) -> str:
    """stem + ending, with the stem cut (at a character, marked with …) to fit the limit in UTF-8 bytes."""
    limit = name_limit(folder)
    if len((stem + ending).encode("utf-8")) <= limit:
        return stem + ending
    room = limit - len(ending.encode("utf-8")) - len("…".encode("utf-8")) - 16   # room for mkstemp's ".~kehu-…"
    cut = stem.encode("utf-8")[:max(room, 1)].decode("utf-8", "ignore")
    return cut + "…" + ending


def backup_path(source: Path, now: dt.datetime | None = None) -> Path:
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = source.with_name(fit_name(source.stem, f".backup-{stamp}{source.suffix}", source.parent))
    n = 2
    while candidate.exists():   # two runs within one second must not overwrite the first backup
        candidate = source.with_name(fit_name(source.stem, f".backup-{stamp}-{n}{source.suffix}", source.parent))
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
        except OSError as exc:   # e.g. a read-only file system
            raise storage_error(exc, output) from exc


def check_name_length(output: Path) -> None:
    if len(output.name.encode("utf-8")) > name_limit(output.parent):
        raise storage_error(OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG)), output)


def check_not_source(source: Path, output: Path, in_place: bool) -> None:
    check_name_length(output)
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
    check_name_length(output)
    try:
        handle, name = tempfile.mkstemp(prefix=".~kehu-", suffix=output.suffix, dir=output.parent)
    except PermissionError as exc:
        raise (storage_error(exc, output) if output.parent.exists() and not os.access(output.parent, os.W_OK)
               else _locked(output)) from exc
    except OSError as exc:   # read-only file system, full disk, name too long …
        raise storage_error(exc, output) from exc
    os.close(handle)
    temp = Path(name)
    try:
        try:
            yield temp
            # mkstemp makes the file private (0600); give it the permissions the output would normally have
            os.chmod(temp, stat.S_IMODE(output.stat().st_mode) if output.exists() else 0o666 & ~_umask())
            try:
                os.replace(temp, output)
            except PermissionError as exc:
                raise _locked(output) from exc
        except OSError as exc:   # ENOSPC / EDQUOT / EROFS / EACCES while writing the result
            raise storage_error(exc, output) from exc
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
