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

#: Packages pulled in by optional imports that no kehu command uses (checked by running every command with
#: sys.modules recorded). A onefile executable unpacks every binary and data file at each start, so what is
#: left out here is start-up time saved, not only size: botocore alone was 14 MB of data.
# scipy stays in: kehu report fits its churn model with it.
EXCLUDES = ["matplotlib", "sklearn", "statsmodels", "pingouin", "seaborn", "IPython", "tkinter", "pytest",
            "hypothesis", "PyInstaller", "oletools", "xarray", "numba", "pyarrow", "jinja2", "notebook", "PIL",
            "botocore", "boto3", "s3transfer", "s3fs", "fsspec", "aiobotocore", "cryptography", "trio", "dns", "yaml",
            "traitlets", "sqlite3", "tornado", "zmq", "jedi", "parso", "docutils", "sphinx", "sqlalchemy", "tables",
            "h5py", "numexpr", "bottleneck", "bs4", "html5lib", "pytz", "xlrd", "pyxlsb", "odf", "pyi_splash",
            # pkg_resources is imported only by zhconv, which falls back to reading its table with open();
            # bundling it also adds a runtime hook that imports it (and setuptools) at every start.
            "pkg_resources", "setuptools", "distutils", "_distutils_hack"]
DATA_PACKAGES = ["zhconv", "pypinyin", "phonenumbers", "email_validator", "udfs", "workbook_templates", "xlwings",
                 "addin", "jieba", "opencc"]  # jieba: its dictionary (dict.txt) for keyword tables; opencc: dictionaries for --lang zh-Hant
HIDDEN = ["addin.commands.inspect", "addin.commands.clean", "addin.commands.dedupe", "addin.commands.survey",
          "addin.commands.segment", "addin.commands.complaints",
          "addin.commands.report", "addin.xlam.commands", "python_calamine", "xlsxwriter", "lxml.etree"]


def pyinstaller_args(dist: Path, work: Path, name: str = "kehu") -> list[str]:
    args = ["--onefile", "--noconfirm", "--clean", "--name", name, "--distpath", str(dist), "--workpath", str(work),
            "--specpath", str(work), "--paths", str(ROOT), "--log-level", "WARN", "--noupx"]
    # Not --strip: stripping numpy's bundled OpenBLAS leaves it unloadable ("ELF load command address/offset
    # not page-aligned"), tried with PyInstaller 6.22 and numpy 2.4.
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
    from addin.errors import ExitCode, KehuError

    if getattr(sys, "frozen", False):
        raise KehuError("kehu 可执行程序不能再打包自己：请在装有 Python 的电脑上运行 kehu build-exe。",
                        "The kehu executable cannot rebuild itself: run kehu build-exe from a Python install.",
                        ExitCode.USAGE)
    try:
        import PyInstaller.__main__ as pyinstaller
    except ModuleNotFoundError:
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
