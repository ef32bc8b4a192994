"""kehu.conf: the add-in's own settings file, in xlwings' config format ("KEY","value" per line).

The add-in's xlwings module has PROJECT_NAME "kehu", so its GetConfig reads the workbook's or the
add-in's `kehu.conf` sheet, then `kehu.conf` beside the workbook, then the user's kehu.conf
(%USERPROFILE%\\.kehu\\kehu.conf; on a Mac the Excel sandbox's Data folder) — the layout xlwings
documents for custom add-ins. The global ~/.xlwings/xlwings.conf is never read nor written by kehu.
"""
from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path


def conf_encoding() -> str:
    # VBA's `Open ... For Input` reads the file in the ANSI code page (cp936 on Chinese Windows),
    # which is also what xlwings' own `config_create` writes: a user name in Chinese must survive.
    return "mbcs" if sys.platform == "win32" else "utf-8"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding=conf_encoding(), errors="replace").splitlines() if path.is_file() else []


def _key(line: str) -> str | None:
    row = next(csv.reader([line]), [])
    return row[0].strip().upper() if row and row[0].strip() else None


def read_conf(path: Path) -> dict[str, str]:
    """An xlwings-style config file as a dict; keys upper-cased, as VBA compares them."""
    path = Path(path)
    if not path.is_file():
        return {}
    rows = csv.reader(io.StringIO(path.read_text(encoding=conf_encoding(), errors="replace")))
    return {row[0].strip().upper(): row[1] if len(row) > 1 else "" for row in rows if row and row[0].strip()}


def _write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding=conf_encoding())


def update_conf(path: Path, settings: Mapping[str, str]) -> None:
    """Set keys in an xlwings-style config file, keeping every other line as it was."""
    path = Path(path)
    wanted = {key.upper(): (key, value) for key, value in settings.items()}
    kept = [line for line in _lines(path) if _key(line) not in wanted]
    # VBA's `Input #` reads the same quoted, comma-separated form; quotes inside values are not supported there.
    kept += [f'"{key}","{value}"' for key, value in wanted.values()]
    _write(path, kept)


def remove_conf_keys(path: Path, keys: Iterable[str], *, delete_if_empty: bool = False) -> None:
    """Delete keys from a config file, keeping every other line (and the file, unless asked)."""
    path = Path(path)
    if not path.is_file():
        return
    unwanted = {key.upper() for key in keys}
    kept = [line for line in _lines(path) if _key(line) not in unwanted]
    if delete_if_empty and not any(line.strip() for line in kept):
        path.unlink()
    else:
        _write(path, kept)
