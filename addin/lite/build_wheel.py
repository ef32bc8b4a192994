"""Build `kehu_lite`, a pure-Python wheel (py3-none-any) of the `udfs` engine and the job layer, for Pyodide.

xlwings Lite runs in Pyodide, where only pure-Python wheels and Pyodide's own builds install. The wheel holds
the engine package `udfs` and, for the two Lite scripts, the part of `addin` they run: the jobs
(`addin/jobs`), the Lite book and its port, renderer and recorder (`addin/book`), the reader's `Table`
(`addin/read`, whose file readers import lxml and python-calamine only when a file is read), the writer's
specs and sheet layouts (not the lossless writer itself) and the report sheets (`addin/report`). Its
dependencies are the ones Pyodide can provide: numpy, pandas and scipy (Pyodide builds), zhconv, pypinyin,
phonenumbers, email-validator, chinese-calendar, xlsxwriter and opencc-python-reimplemented (pure-Python
wheels on PyPI; xlsxwriter builds the report sheets the Lite book replays, OpenCC words the sheets of a
traditional-Chinese register). rapidfuzz is not a dependency: duplicate matching falls back
to pure Python without it. xlwings itself is provided by xlwings Lite, so it is not declared either.

The wheel is written directly (zip + METADATA/WHEEL/RECORD) with fixed timestamps, so the same sources
always give the same bytes and no build backend or network is needed.

    python -m addin.lite.build_wheel [OUT_DIR]      # prints the wheel's path
"""
from __future__ import annotations

import base64
import hashlib
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "udfs"
DIST_NAME = "kehu_lite"
#: the top-level packages the wheel installs
TOP_LEVEL = ("addin", "udfs")
#: the part of `addin` the Lite scripts run (folders whole, or single modules); tests/test_lite.py checks that
#: it holds everything main.py imports and that the scripts run with nothing else of kehu installed
ADDIN_PARTS = ("addin/__init__.py", "addin/errors.py", "addin/jobs", "addin/read", "addin/report",
               "addin/book/__init__.py", "addin/book/port.py", "addin/book/lite.py", "addin/book/render.py",
               "addin/book/recorder.py", "addin/write/__init__.py", "addin/write/specs.py",
               "addin/write/output.py", "addin/write/cells.py", "addin/write/sheet_layout.py",
               "addin/write/page_setup.py")
#: what the shipped modules import outside the standard library, as Pyodide/micropip can install them
DEPENDENCIES = ["numpy>=1.24", "pandas>=2.0", "zhconv>=1.4.3", "pypinyin>=0.50", "phonenumbers>=8.13",
                "email-validator>=2.0", "chinese-calendar>=1.9",
                "scipy>=1.10",         # BG/NBD of kehu report; Pyodide ships it
                "xlsxwriter>=3.1",     # the report sheets are built with it and replayed (addin/book/recorder.py)
                "opencc-python-reimplemented>=0.1.7"]   # traditional-Chinese sheet texts (addin/jobs/language.py)
DATA_SUFFIXES = {".py", ".json", ".csv", ".txt"}
_EPOCH = (1980, 1, 1, 0, 0, 0)


def version() -> str:
    namespace: dict = {}
    exec((ROOT / PACKAGE / "__init__.py").read_text(encoding="utf-8"), namespace)
    return namespace["__version__"]


def wheel_name() -> str:
    return f"{DIST_NAME}-{version()}-py3-none-any.whl"


def _files_under(path: Path) -> list[Path]:
    found = path.rglob("*") if path.is_dir() else [path]
    return [p for p in found if p.is_file() and p.suffix in DATA_SUFFIXES and "__pycache__" not in p.parts]


def package_files() -> list[Path]:
    """Every source and data file of `udfs` and of the shipped part of `addin`, sorted, without caches."""
    return sorted({p for part in (PACKAGE, *ADDIN_PARTS) for p in _files_under(ROOT / part)})


def _metadata() -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {DIST_NAME.replace('_', '-')}", f"Version: {version()}",
             "Summary: kehu 客户工具 engine (udfs) and jobs for xlwings Lite / Pyodide: pure Python",
             "License: MIT", "Requires-Python: >=3.10"]
    lines += [f"Requires-Dist: {d}" for d in DEPENDENCIES]
    return "\n".join(lines) + "\n"


def _wheel_file() -> str:
    return ("Wheel-Version: 1.0\nGenerator: kehu addin/lite/build_wheel.py\nRoot-Is-Purelib: true\n"
            "Tag: py3-none-any\n")


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_wheel(out_dir: Path | None = None) -> Path:
    """Write the wheel into `out_dir` (default: dist/) and return its path."""
    out_dir = Path(out_dir or ROOT / "dist")
    out_dir.mkdir(parents=True, exist_ok=True)
    dist_info = f"{DIST_NAME}-{version()}.dist-info"
    entries = [(p.relative_to(ROOT).as_posix(), p.read_bytes()) for p in package_files()]
    entries += [(f"{dist_info}/METADATA", _metadata().encode()), (f"{dist_info}/WHEEL", _wheel_file().encode()),
                (f"{dist_info}/top_level.txt", "".join(f"{p}\n" for p in TOP_LEVEL).encode())]
    record = "\n".join([_record_line(n, d) for n, d in entries] + [f"{dist_info}/RECORD,,"]) + "\n"
    entries.append((f"{dist_info}/RECORD", record.encode()))
    path = out_dir / wheel_name()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return path


if __name__ == "__main__":
    print(build_wheel(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
