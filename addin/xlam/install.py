"""Install and uninstall kehu.xlam for the current user, and report what is installed.

The add-in is a self-contained xlwings custom add-in: it carries its own copy of xlwings' VBA module
(PROJECT_NAME "kehu") and the KEHU_ formula wrappers, so neither xlwings.xlam nor any xlwings setting
is needed. What goes where:
- kehu.xlam: into Excel's start-up folder, copied there by xlwings' own installer
  (`xlwings addin install --file kehu.xlam`, see xlwings_installer.py);
- kehu.conf (kehu_config): the Python interpreter the add-in starts and, when asked, KEHU_FROZEN_EXE —
  the settings file the add-in's GetConfig reads (%USERPROFILE%\\.kehu\\kehu.conf; on a Mac
  ~/Library/Containers/com.microsoft.Excel/Data/kehu.conf). This is all kehu adds to what xlwings does.
- kehu.install.json beside kehu.conf: what install added (files it created, settings it changed and
  their previous values), so `uninstall` removes exactly that and nothing else.
The global xlwings configuration (~/.xlwings/xlwings.conf) is never touched.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from addin.errors import ExitCode, KehuError
from addin.xlam.build import ADDIN_FILE_NAME, CONFIG_NAME, build_addin
from addin.xlam.conf import read_conf, remove_conf_keys, update_conf
from addin.xlam.xlwings_installer import XlwingsAddinInstaller, XlwingsInstallerError

__all__ = ["addin_locations", "addin_status", "excel_present", "install_addin", "read_conf",
           "uninstall_addin", "update_conf"]

MANIFEST_NAME = f"{CONFIG_NAME}.install.json"
_MAC_STARTUP = ("Library", "Group Containers", "UBF8T346G9.Office", "User Content", "Startup", "Excel")
_MAC_SANDBOX_HOME = ("Library", "Containers", "com.microsoft.Excel", "Data")
_MAC_SCRIPTS = ("Library", "Application Scripts", "com.microsoft.Excel")
_MAC_EXCEL_APP = Path("/Applications/Microsoft Excel.app")
WOULD_INSTALL = (
    {"what": "kehu.xlam (xlwings addin install --file kehu.xlam)",
     "windows": r"%APPDATA%\Microsoft\Excel\XLSTART\kehu.xlam",
     "mac": "~/Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel/kehu.xlam"},
    {"what": "kehu.conf", "windows": r"%USERPROFILE%\.kehu\kehu.conf",
     "mac": "~/Library/Containers/com.microsoft.Excel/Data/kehu.conf"},
)
NO_EXCEL_ZH = ("未找到 Microsoft Excel：kehu.xlam 只能安装到 Windows 或 Mac 版 Excel。"
               "可以用 `kehu addin build` 生成 kehu.xlam，再复制到装有 Excel 的电脑上运行 `kehu addin install`。")
NO_EXCEL_EN = ("Microsoft Excel was not found: kehu.xlam installs into Excel on Windows or Mac. "
               "`kehu addin build` writes kehu.xlam here; run `kehu addin install` on a computer with Excel.")


def _system(platform: str) -> str:
    if platform.startswith("win"):
        return "windows"
    if platform.startswith("darwin"):
        return "mac"
    return "other"


def addin_locations(platform: str | None = None, home: Path | None = None,
                    environ: Mapping[str, str] | None = None) -> dict[str, Path] | None:
    """Start-up folder, add-in file, kehu.conf and the install record for this user; None without Excel."""
    system = _system(platform or sys.platform)
    home = Path(home) if home is not None else Path.home()
    environ = os.environ if environ is None else environ
    if system == "windows":
        appdata = Path(environ.get("APPDATA") or home / "AppData" / "Roaming")
        startup = appdata / "Microsoft" / "Excel" / "XLSTART"
        kehu_config = Path(environ.get("USERPROFILE") or home) / f".{CONFIG_NAME}" / f"{CONFIG_NAME}.conf"
    elif system == "mac":
        startup = home.joinpath(*_MAC_STARTUP)
        kehu_config = home.joinpath(*_MAC_SANDBOX_HOME, f"{CONFIG_NAME}.conf")
    else:
        return None
    return {"startup_dir": startup, "kehu_addin": startup / ADDIN_FILE_NAME, "kehu_config": kehu_config,
            "manifest": kehu_config.parent / MANIFEST_NAME}


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


def _interpreter_key(platform: str) -> str:
    return "INTERPRETER_WIN" if _system(platform) == "windows" else "INTERPRETER_MAC"


def _read_manifest(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def addin_status(platform: str | None = None, home: Path | None = None,
                 environ: Mapping[str, str] | None = None,
                 excel_check: Callable[[str], bool] = excel_present) -> dict:
    """What is installed where. Without Excel, says so, and lists where `install` would put things."""
    platform = platform or sys.platform
    locations = addin_locations(platform, home, environ)
    excel = excel_check(platform)
    status: dict = {"platform": platform, "excel_found": excel, "would_install": list(WOULD_INSTALL)}
    if locations is None or not excel:
        status.update(installed=False, message_zh=NO_EXCEL_ZH, message_en=NO_EXCEL_EN)
        if locations is None:
            return status
    manifest = _read_manifest(locations["manifest"]) or {}
    addin = Path(manifest.get("addin") or locations["kehu_addin"])
    config = read_conf(locations["kehu_config"])
    status.update({name: str(path) for name, path in locations.items()})
    status.update(
        kehu_addin=str(addin),
        kehu_addin_installed=addin.is_file(),
        interpreter=config.get(_interpreter_key(platform)),
        frozen_exe=config.get("KEHU_FROZEN_EXE") or None,
        installed_by_kehu=bool(manifest),
    )
    if excel:
        status["installed"] = status["kehu_addin_installed"]
        if status["installed"]:
            status["message_zh"] = "已安装客户工具加载项；卸载：`kehu addin uninstall`。"
            status["message_en"] = "The kehu add-in is installed; to remove it: `kehu addin uninstall`."
        else:
            status["message_zh"] = "客户工具加载项尚未安装；安装：`kehu addin install`。"
            status["message_en"] = "The kehu add-in is not installed; to install it: `kehu addin install`."
    return status


def _require_excel(platform: str, locations: dict | None, excel_check: Callable[[str], bool], verb: str) -> dict:
    if locations is None or not excel_check(platform):
        raise KehuError(
            f"未找到 Microsoft Excel，无法{verb}加载项。请在装有 Excel 的 Windows 或 Mac 上运行；"
            "`kehu addin build` 可在任何系统上生成 kehu.xlam。",
            f"Microsoft Excel was not found, so the add-in cannot be {'installed' if verb == '安装' else 'removed'}. "
            "Run this on Windows or Mac with Excel; `kehu addin build` writes kehu.xlam on any system.",
            ExitCode.USAGE,
        )
    return locations


def _xlwings_failed(action_zh: str, action_en: str, detail: str) -> KehuError:
    return KehuError(f"xlwings {action_zh}加载项失败（请先退出 Excel 再试）：{detail}",
                     f"xlwings could not {action_en} the add-in (quit Excel and try again): {detail}",
                     ExitCode.OUTPUT)


def _created_paths(platform: str, home: Path | None, locations: dict) -> list[Path]:
    """Files the installers may create, to record which of them did not exist before."""
    paths = [locations["kehu_config"], locations["kehu_config"].parent]
    if _system(platform) == "mac":     # xlwings' installer also copies its RunPython AppleScript on a Mac
        import xlwings

        scripts = (Path(home) if home is not None else Path.home()).joinpath(*_MAC_SCRIPTS)
        paths += [scripts / f"xlwings-{xlwings.__version__}.applescript", scripts]
    return paths


def install_addin(frozen_exe: str | Path | None = None, *, platform: str | None = None,
                  home: Path | None = None, environ: Mapping[str, str] | None = None,
                  xlwings: XlwingsAddinInstaller | None = None,
                  excel_check: Callable[[str], bool] = excel_present) -> dict:
    """Build kehu.xlam, install it with xlwings' installer, write kehu.conf and the install record."""
    platform = platform or sys.platform
    locations = _require_excel(platform, addin_locations(platform, home, environ), excel_check, "安装")
    xlwings = xlwings or XlwingsAddinInstaller()
    previous = _read_manifest(locations["manifest"]) or {}
    watched = _created_paths(platform, home, locations)
    missing_before = {str(path) for path in watched if not path.exists()}
    with tempfile.TemporaryDirectory() as folder:
        built = build_addin(Path(folder) / ADDIN_FILE_NAME)
        try:
            output = xlwings.install(built)
            installed_at = xlwings.installed_at(ADDIN_FILE_NAME)
        except XlwingsInstallerError as error:
            raise _xlwings_failed("安装", "install", str(error)) from None
    if installed_at is None or not installed_at.is_file():
        raise _xlwings_failed("安装", "install", output or "kehu.xlam is not in Excel's start-up folder")
    settings = {_interpreter_key(platform): sys.executable}
    if frozen_exe is not None:
        settings["KEHU_FROZEN_EXE"] = str(frozen_exe)
    config = read_conf(locations["kehu_config"])
    # A re-install keeps the first install's record of what was there before kehu.
    changed = dict(previous.get("settings", {}))
    for key in settings:
        changed.setdefault(key.upper(), config.get(key.upper()))
    update_conf(locations["kehu_config"], settings)
    created = sorted(set(previous.get("created", [])) | {str(path) for path in watched
                                                         if str(path) in missing_before and path.exists()})
    manifest = {"addin": str(installed_at), "config": str(locations["kehu_config"]),
                "settings": changed, "created": created}
    locations["manifest"].write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    summary = addin_status(platform, home, environ, excel_check)
    summary["xlwings_output"] = output
    return summary


def uninstall_addin(*, platform: str | None = None, home: Path | None = None,
                    environ: Mapping[str, str] | None = None, xlwings: XlwingsAddinInstaller | None = None,
                    excel_check: Callable[[str], bool] = excel_present) -> dict:
    """Undo `install_addin`: remove the add-in (xlwings' remover), restore kehu.conf, delete what it created."""
    platform = platform or sys.platform
    locations = _require_excel(platform, addin_locations(platform, home, environ), excel_check, "卸载")
    manifest = _read_manifest(locations["manifest"])
    if manifest is None:
        return {"removed": [], "message_zh": "没有找到 `kehu addin install` 的安装记录，未做任何改动。",
                "message_en": "No record of `kehu addin install` was found; nothing was changed."}
    xlwings = xlwings or XlwingsAddinInstaller()
    removed = []
    if Path(manifest["addin"]).is_file():
        try:
            output = xlwings.remove(ADDIN_FILE_NAME)
        except XlwingsInstallerError as error:
            raise _xlwings_failed("卸载", "remove", str(error)) from None
        if Path(manifest["addin"]).is_file():
            raise _xlwings_failed("卸载", "remove", output)
        removed.append(manifest["addin"])
    config = Path(manifest["config"])
    restore = {key: value for key, value in manifest["settings"].items() if value is not None}
    remove_conf_keys(config, [key for key, value in manifest["settings"].items() if value is None],
                     delete_if_empty=str(config) in manifest["created"])
    if restore:
        update_conf(config, restore)
    locations["manifest"].unlink()
    # Longest paths first: files before the folders that hold them; a folder is removed only if empty.
    for created in sorted(manifest["created"], key=len, reverse=True):
        path = Path(created)
        if created == str(config):    # kehu.conf was handled above: deleted only if nothing else is in it
            if not path.exists():
                removed.append(created)
        elif path.is_file():
            path.unlink()
            removed.append(created)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
            removed.append(created)
    return {"removed": removed, "restored_settings": sorted(restore),
            "message_zh": "已卸载客户工具加载项。请重新启动 Excel。",
            "message_en": "The kehu add-in was removed. Please restart Excel."}
