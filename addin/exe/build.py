"""Build the one-file `kehu` executable for this platform (kehu on Linux/macOS, kehu.exe on Windows).

The same function runs on every platform; PyInstaller cannot cross-build, so the Windows executable is
built by running `kehu build-exe` on Windows. Data the engine needs at run time travels inside:
traditional→simplified tables (zhconv), pinyin dictionaries (pypinyin), phone metadata
(phonenumbers), province/city tables (udfs), the bundled samples and templates (workbook_templates).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENTRY = Path(__file__).with_name("entry.py")

#: packages pulled in by optional imports that the kehu command never needs
EXCLUDES = ["matplotlib", "scipy", "sklearn", "statsmodels", "pingouin", "seaborn", "IPython", "tkinter", "pytest",
            "hypothesis", "PyInstaller", "oletools", "xarray", "numba", "pyarrow", "jinja2", "notebook", "PIL"]
DATA_PACKAGES = ["zhconv", "pypinyin", "phonenumbers", "email_validator", "udfs", "workbook_templates", "xlwings",
                 "addin"]
HIDDEN = ["addin.commands.inspect", "addin.commands.clean", "addin.commands.dedupe", "addin.commands.survey",
          "addin.commands.segment", "addin.xlam.commands", "python_calamine", "xlsxwriter", "lxml.etree"]


def pyinstaller_args(dist: Path, work: Path, name: str = "kehu") -> list[str]:
    args = ["--onefile", "--noconfirm", "--clean", "--name", name, "--distpath", str(dist), "--workpath", str(work),
            "--specpath", str(work), "--paths", str(ROOT), "--log-level", "WARN"]
    for pkg in DATA_PACKAGES:
        args += ["--collect-data", pkg]
    for pkg in ("phonenumbers", "pypinyin", "udfs", "addin", "rich._unicode_data"):
        args += ["--collect-submodules", pkg]
    for mod in HIDDEN:
        args += ["--hidden-import", mod]
    for mod in EXCLUDES:
        args += ["--exclude-module", mod]
    return args + [str(ENTRY)]


def build_exe(dist: Path | None = None, work: Path | None = None) -> Path:
    """Run PyInstaller and return the path of the executable."""
    try:
        import PyInstaller.__main__ as pyinstaller
    except ModuleNotFoundError:
        from addin.errors import ExitCode, KehuError

        raise KehuError("没有安装 PyInstaller。请先运行：python -m pip install -e \".[exe]\"",
                        "PyInstaller is not installed. Run: python -m pip install -e \".[exe]\"", ExitCode.USAGE)
    dist = Path(dist or ROOT / "dist")
    work = Path(work or ROOT / "build" / "pyinstaller")
    if work.exists():
        shutil.rmtree(work)
    pyinstaller.run(pyinstaller_args(dist, work))
    exe = dist / ("kehu.exe" if sys.platform == "win32" else "kehu")
    return exe


if __name__ == "__main__":
    path = build_exe(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    print(path)
    subprocess.run([str(path), "--version"], check=True)
