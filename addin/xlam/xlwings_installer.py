"""xlwings' own add-in installer (`xlwings addin install|remove|status --file …`), driven from kehu.

xlwings asks Excel for its start-up folder (XLSTART on Windows, the Office sandbox's Startup/Excel on a
Mac), closes an open copy of the add-in, copies the file there and, on a Mac, installs its RunPython
AppleScript. For a custom add-in (any file not called xlwings.xlam) it writes no configuration, so the
global xlwings.conf stays as it was. Its commands print errors and still exit 0, so every call here
is checked by asking `xlwings addin status` where the file now is.
"""
from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

_INSTALLED_AT = re.compile(r"The add-in is installed at (.+)$", re.M)


@dataclass
class XlwingsAddinInstaller:
    """Runs xlwings' command line; `command` is how to start it (tests point it at a shim)."""

    command: Sequence[str] = field(default_factory=lambda: (sys.executable, "-m", "xlwings.cli"))
    run: Callable[..., subprocess.CompletedProcess] = subprocess.run

    def _call(self, *arguments: str) -> str:
        result = self.run([*self.command, "addin", *arguments], capture_output=True, text=True, check=False)
        output = "\n".join(part.strip() for part in (result.stdout, result.stderr) if part and part.strip())
        if result.returncode != 0:
            raise XlwingsInstallerError(output or f"xlwings exited with {result.returncode}")
        return output

    def install(self, addin_file: Path) -> str:
        """Install `addin_file` for this user; returns what xlwings printed."""
        return self._call("install", "--file", str(addin_file))

    def remove(self, addin_name: str) -> str:
        return self._call("remove", "--file", addin_name)

    def installed_at(self, addin_name: str) -> Path | None:
        """Where xlwings finds the add-in installed, or None."""
        match = _INSTALLED_AT.search(self._call("status", "--file", addin_name))
        return Path(match.group(1).strip()) if match else None


class XlwingsInstallerError(RuntimeError):
    """xlwings' add-in command failed (its own message is the text)."""
