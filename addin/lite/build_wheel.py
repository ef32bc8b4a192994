"""Build `kehu_lite`, a pure-Python wheel (py3-none-any) of the `udfs` engine that Pyodide's micropip installs.

xlwings Lite runs in Pyodide, where only pure-Python wheels and Pyodide's own builds install. The engine
package `udfs` is pure Python; its dependencies here are the ones Pyodide can provide: numpy and pandas
(Pyodide builds), zhconv, pypinyin, phonenumbers and email-validator (pure-Python wheels on PyPI). The
reading/writing side of kehu (python-calamine, xlsxwriter, lxml) lives in `addin/` and is not in the wheel;
rapidfuzz is not a dependency: duplicate matching falls back to pure Python without it. xlwings itself is
provided by xlwings Lite and used only by `udfs.formulas`, so it is not declared either.

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
#: what `udfs` imports outside the standard library, as Pyodide/micropip can install them
DEPENDENCIES = ["numpy>=1.24", "pandas>=2.0", "zhconv>=1.4.3", "pypinyin>=0.50", "phonenumbers>=8.13",
                "email-validator>=2.0", "chinese-calendar>=1.9", "scipy>=1.10"]  # scipy: BG/NBD of kehu report; Pyodide ships it
DATA_SUFFIXES = {".py", ".json", ".csv", ".txt"}
_EPOCH = (1980, 1, 1, 0, 0, 0)


def version() -> str:
    namespace: dict = {}
    exec((ROOT / PACKAGE / "__init__.py").read_text(encoding="utf-8"), namespace)
    return namespace["__version__"]


def wheel_name() -> str:
    return f"{DIST_NAME}-{version()}-py3-none-any.whl"


def package_files() -> list[Path]:
    """Every source and data file of `udfs`, sorted, without caches."""
    return sorted(p for p in (ROOT / PACKAGE).rglob("*")
                  if p.is_file() and p.suffix in DATA_SUFFIXES and "__pycache__" not in p.parts)


def _metadata() -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {DIST_NAME.replace('_', '-')}", f"Version: {version()}",
             "Summary: kehu 客户工具 engine (udfs) for xlwings Lite / Pyodide: pure Python",
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
                (f"{dist_info}/top_level.txt", f"{PACKAGE}\n".encode())]
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
