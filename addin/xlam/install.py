"""Install kehu.xlam (and xlwings' own add-in) for the current user, and report what is installed.

Where things go — the folders Excel itself uses, so no Excel automation is needed to find them:
- Windows: %APPDATA%\\Microsoft\\Excel\\XLSTART\\kehu.xlam (Excel opens every file in XLSTART at
  start-up, and an .xlam opened there is loaded as an add-in); config %USERPROFILE%\\.kehu\\kehu.conf.
- Mac: ~/Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel/kehu.xlam; config
  ~/Library/Containers/com.microsoft.Excel/Data/kehu.conf (the sandbox home the add-in reads).
The xlwings add-in is installed by xlwings' own `xlwings addin install`, which also creates
xlwings.conf; we then add `"UDF Modules","udfs.formulas"` to it so "Import Functions" finds the
KEHU_ formulas. kehu.conf gets the Python interpreter (the add-in's RunPython reads kehu.conf,
not xlwings.conf) and, when asked, the frozen-mode switch KEHU_FROZEN_EXE.
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from addin.errors import ExitCode, KehuError
from addin.xlam.build import ADDIN_FILE_NAME, CONFIG_NAME, build_addin

UDF_MODULES = "udfs.formulas"
XLWINGS_ADDIN_FILE_NAME = "xlwings.xlam"
_MAC_STARTUP = ("Library", "Group Containers", "UBF8T346G9.Office", "User Content", "Startup", "Excel")
_MAC_SANDBOX_HOME = ("Library", "Containers", "com.microsoft.Excel", "Data")
_MAC_EXCEL_APP = Path("/Applications/Microsoft Excel.app")
WOULD_INSTALL = (
    {"what": "kehu.xlam", "windows": r"%APPDATA%\Microsoft\Excel\XLSTART\kehu.xlam",
     "mac": "~/Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel/kehu.xlam"},
    {"what": "xlwings.xlam (xlwings addin install)", "windows": r"%APPDATA%\Microsoft\Excel\XLSTART\xlwings.xlam",
     "mac": "~/Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel/xlwings.xlam"},
    {"what": "kehu.conf", "windows": r"%USERPROFILE%\.kehu\kehu.conf",
     "mac": "~/Library/Containers/com.microsoft.Excel/Data/kehu.conf"},
    {"what": "xlwings.conf: UDF Modules", "windows": r"%USERPROFILE%\.xlwings\xlwings.conf",
     "mac": "~/Library/Containers/com.microsoft.Excel/Data/xlwings.conf"},
)


def _system(platform: str) -> str:
    if platform.startswith("win"):
        return "windows"
    if platform.startswith("darwin"):
        return "mac"
    return "other"


def addin_locations(platform: str | None = None, home: Path | None = None,
                    environ: Mapping[str, str] | None = None) -> dict[str, Path] | None:
    """Start-up folder, add-in files and config files for this user; None where Excel does not run."""
    system = _system(platform or sys.platform)
    home = Path(home) if home is not None else Path.home()
    environ = os.environ if environ is None else environ
    if system == "windows":
        appdata = Path(environ.get("APPDATA") or home / "AppData" / "Roaming")
        startup = appdata / "Microsoft" / "Excel" / "XLSTART"
        kehu_config = Path(environ.get("USERPROFILE") or home) / f".{CONFIG_NAME}" / f"{CONFIG_NAME}.conf"
        xlwings_config = home / ".xlwings" / "xlwings.conf"
    elif system == "mac":
        startup = home.joinpath(*_MAC_STARTUP)
        kehu_config = home.joinpath(*_MAC_SANDBOX_HOME, f"{CONFIG_NAME}.conf")
        xlwings_config = home.joinpath(*_MAC_SANDBOX_HOME, "xlwings.conf")
    else:
        return None
    return {
        "startup_dir": startup,
        "kehu_addin": startup / ADDIN_FILE_NAME,
        "xlwings_addin": startup / XLWINGS_ADDIN_FILE_NAME,
        "kehu_config": kehu_config,
        "xlwings_config": xlwings_config,
    }


def excel_present(platform: str | None = None) -> bool:
    """Is desktop Excel installed? (Windows: the Excel.Application COM class; Mac: the app bundle.)"""
    system = _system(platform or sys.platform)
    if system == "windows":
        try:
            import winreg

            with winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, r"Excel.Application\CurVer"):
                return True
        except (ImportError, OSError):   # ImportError: asked about Windows while running elsewhere
            return False
    if system == "mac":
        return _MAC_EXCEL_APP.exists()
    return False


def _conf_encoding() -> str:
    # VBA's `Open ... For Input` reads the file in the ANSI code page (cp936 on Chinese Windows),
    # which is also what xlwings' own `config_create` writes: a user name in Chinese must survive.
    return "mbcs" if sys.platform == "win32" else "utf-8"


def read_conf(path: Path) -> dict[str, str]:
    """An xlwings-style config file ("KEY","value" per line) as a dict; keys upper-cased, as VBA compares them."""
    if not Path(path).is_file():
        return {}
    rows = csv.reader(io.StringIO(Path(path).read_text(encoding=_conf_encoding(), errors="replace")))
    return {row[0].strip().upper(): row[1] if len(row) > 1 else "" for row in rows if row and row[0].strip()}


def update_conf(path: Path, settings: Mapping[str, str]) -> None:
    """Set keys in an xlwings-style config file, keeping every other line as it was."""
    path = Path(path)
    lines = path.read_text(encoding=_conf_encoding(), errors="replace").splitlines() if path.is_file() else []
    wanted = {key.upper(): (key, value) for key, value in settings.items()}
    kept = []
    for line in lines:
        row = next(csv.reader([line]), [])
        if row and row[0].strip().upper() in wanted:
            continue
        kept.append(line)
    # VBA's `Input #` reads the same quoted, comma-separated form; quotes inside values are not supported there.
    kept += [f'"{key}","{value}"' for key, value in wanted.values()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(kept) + "\n", encoding=_conf_encoding())


def addin_status(platform: str | None = None, home: Path | None = None,
                 environ: Mapping[str, str] | None = None,
                 excel_check: Callable[[str], bool] = excel_present) -> dict:
    """What is installed where; without Excel, says so and lists where `install` would put things."""
    platform = platform or sys.platform
    locations = addin_locations(platform, home, environ)
    excel = excel_check(platform)
    status: dict = {"platform": platform, "excel_found": excel, "would_install": list(WOULD_INSTALL)}
    if locations is None or not excel:
        status.update(
            installed=False,
            message_zh="未找到 Microsoft Excel：kehu.xlam 只能安装到 Windows 或 Mac 版 Excel。"
                       "可以用 `kehu addin build` 生成 kehu.xlam，再复制到装有 Excel 的电脑。",
            message_en="Microsoft Excel was not found: kehu.xlam installs into Excel on Windows or Mac. "
                       "`kehu addin build` writes kehu.xlam, which you can copy to a computer with Excel.",
        )
        if locations is None:
            return status
    config = read_conf(locations["kehu_config"])
    xlwings_config = read_conf(locations["xlwings_config"])
    status.update({name: str(path) for name, path in locations.items()})
    status.update(
        kehu_addin_installed=locations["kehu_addin"].is_file(),
        xlwings_addin_installed=locations["xlwings_addin"].is_file(),
        interpreter=config.get("INTERPRETER_WIN" if _system(platform) == "windows" else "INTERPRETER_MAC"),
        frozen_exe=config.get("KEHU_FROZEN_EXE") or None,
        udf_modules=xlwings_config.get("UDF MODULES"),
    )
    if excel:
        status["installed"] = status["kehu_addin_installed"] and status["xlwings_addin_installed"]
        status["message_zh"] = "已安装客户工具加载项。" if status["installed"] else "客户工具加载项尚未完整安装。"
        status["message_en"] = ("The kehu add-in is installed." if status["installed"]
                                else "The kehu add-in is not fully installed.")
    return status


def install_addin(frozen_exe: str | Path | None = None, *, platform: str | None = None,
                  home: Path | None = None, environ: Mapping[str, str] | None = None,
                  run: Callable[..., subprocess.CompletedProcess] = subprocess.run,
                  excel_check: Callable[[str], bool] = excel_present) -> dict:
    """Build kehu.xlam into Excel's start-up folder, install the xlwings add-in, write the config files."""
    platform = platform or sys.platform
    locations = addin_locations(platform, home, environ)
    if locations is None or not excel_check(platform):
        raise KehuError(
            "未找到 Microsoft Excel，无法安装加载项。请在装有 Excel 的 Windows 或 Mac 上运行；"
            "`kehu addin build` 可在任何系统上生成 kehu.xlam。",
            "Microsoft Excel was not found, so the add-in cannot be installed. Run this on Windows or Mac "
            "with Excel; `kehu addin build` writes kehu.xlam on any system.",
            ExitCode.USAGE,
        )
    with tempfile.TemporaryDirectory() as folder:
        built = build_addin(Path(folder) / ADDIN_FILE_NAME)
        try:
            locations["startup_dir"].mkdir(parents=True, exist_ok=True)
            shutil.copyfile(built, locations["kehu_addin"])
        except OSError as error:
            raise KehuError(
                f"无法写入 {locations['kehu_addin']}：请先退出 Excel 再安装。",
                f"Cannot write {locations['kehu_addin']}: quit Excel, then install again ({error}).",
                ExitCode.OUTPUT,
            ) from None
    result = run([sys.executable, "-m", "xlwings.cli", "addin", "install"],
                 capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise KehuError(
            "xlwings 加载项安装失败：" + (result.stderr or result.stdout).strip(),
            "Installing the xlwings add-in failed: " + (result.stderr or result.stdout).strip(),
            ExitCode.OUTPUT,
        )
    interpreter_key = "INTERPRETER_WIN" if _system(platform) == "windows" else "INTERPRETER_MAC"
    kehu_settings = {interpreter_key: sys.executable}
    if frozen_exe is not None:
        kehu_settings["KEHU_FROZEN_EXE"] = str(frozen_exe)
    update_conf(locations["kehu_config"], kehu_settings)
    update_conf(locations["xlwings_config"], {"UDF Modules": UDF_MODULES})
    summary = addin_status(platform, home, environ, excel_check)
    summary["xlwings_output"] = (result.stdout or "").strip()
    return summary
