"""`kehu addin build | install | status | uninstall`: where files go, what kehu.conf says, the CLI door.

Install and uninstall run xlwings' own add-in installer (its real code, with Excel's start-up folder
stubbed) in a temporary HOME, and check that the global xlwings configuration is untouched and that
uninstall leaves the home exactly as it was before install.
"""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from addin.errors import ExitCode, KehuError
from addin.xlam import install
from addin.xlam.commands import register
from addin.xlam.xlwings_installer import XlwingsAddinInstaller


#: xlwings' real command line (xlwings/cli.py: addin install | status | remove), with the two things only
#: Excel can answer stubbed: the start-up folder (Excel's Application.StartupPath, here %APPDATA%'s
#: XLSTART) and the list of running Excel instances (none). Everything else is xlwings' own code.
XLWINGS_SHIM = """
import os, sys
from pathlib import Path
import xlwings as xw
import xlwings.cli as cli
xw.apps = []
def get_addin_dir(global_location=False):
    startup = Path(os.environ["APPDATA"]) / "Microsoft" / "Excel" / "XLSTART"
    startup.mkdir(parents=True, exist_ok=True)   # Excel's startup_path creates the folder too
    return str(startup)
cli.get_addin_dir = get_addin_dir
sys.argv = ["xlwings", *sys.argv[1:]]
cli.main()
"""


@pytest.fixture()
def windows_home(tmp_path, monkeypatch):
    """A temporary Windows-style home; the xlwings subprocesses see it too (HOME, APPDATA, USERPROFILE)."""
    home = tmp_path / "home"
    home.mkdir()
    environ = {"APPDATA": str(home / "AppData" / "Roaming"), "USERPROFILE": str(home)}
    for key, value in {"HOME": str(home), **environ}.items():
        monkeypatch.setenv(key, value)
    # importing xlwings imports matplotlib, which caches fonts under HOME: not part of an install
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return home, environ


def _real_xlwings() -> XlwingsAddinInstaller:
    return XlwingsAddinInstaller(command=(sys.executable, "-c", XLWINGS_SHIM))


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and folder (None) under `folder`."""
    return {str(path.relative_to(folder)): (path.read_bytes() if path.is_file() else None)
            for path in sorted(folder.rglob("*"))}


def _windows(home, environ, **kwargs) -> dict:
    return dict(platform="win32", home=home, environ=environ, xlwings=_real_xlwings(),
                excel_check=lambda platform: True, **kwargs)


def test_status_without_excel_says_so_and_lists_where_things_would_go(tmp_path):
    status = install.addin_status(platform="linux", home=tmp_path)
    assert status["excel_found"] is False and status["installed"] is False
    assert "未找到 Microsoft Excel" in status["message_zh"] and "not found" in status["message_en"]
    windows_targets = [item["windows"] for item in status["would_install"]]
    assert r"%APPDATA%\Microsoft\Excel\XLSTART\kehu.xlam" in windows_targets
    assert r"%USERPROFILE%\.kehu\kehu.conf" in windows_targets
    # neither xlwings' own add-in nor its global configuration is part of kehu's install any more
    assert not any("xlwings.xlam" in target or "xlwings.conf" in target for target in windows_targets)


def test_install_without_excel_is_a_clear_error(tmp_path):
    with pytest.raises(KehuError) as raised:
        install.install_addin(platform="linux", home=tmp_path, xlwings=_real_xlwings())
    assert raised.value.code == ExitCode.USAGE
    assert "kehu addin build" in raised.value.en


def test_install_status_uninstall_with_xlwings_installer_leave_the_home_as_it_was(windows_home):
    home, environ = windows_home
    global_xlwings = home / ".xlwings" / "xlwings.conf"
    global_xlwings.parent.mkdir()
    global_xlwings.write_text('"INTERPRETER_WIN","C:\\Python311\\python.exe"\n"UDF Modules","my_udfs"\n',
                              encoding="utf-8")
    before = _snapshot(home)

    summary = install.install_addin(r"C:\Tools\kehu.exe", **_windows(home, environ))
    xlstart = home / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART"
    addin = xlstart / "kehu.xlam"
    with zipfile.ZipFile(addin) as package:
        assert "xl/vbaProject.bin" in package.namelist()
    assert summary["kehu_addin"] == str(addin) and summary["installed"] is True
    kehu_conf = (home / ".kehu" / "kehu.conf").read_text(encoding="utf-8").splitlines()
    assert kehu_conf == [f'"INTERPRETER_WIN","{sys.executable}"', r'"KEHU_FROZEN_EXE","C:\Tools\kehu.exe"']
    assert summary["frozen_exe"] == r"C:\Tools\kehu.exe" and summary["interpreter"] == sys.executable
    assert global_xlwings.read_bytes() == before[".xlwings/xlwings.conf"]
    assert not (xlstart / "xlwings.xlam").exists()

    status = install.addin_status(platform="win32", home=home, environ=environ, excel_check=lambda p: True)
    assert status["installed"] is True and "kehu addin uninstall" in status["message_en"]

    removed = install.uninstall_addin(**_windows(home, environ))
    assert str(addin) in removed["removed"]
    after = _snapshot(home)
    # Only Excel's own XLSTART folder (which Excel creates and keeps) may remain; it is empty.
    assert {name: data for name, data in after.items() if not name.startswith("AppData")} == before
    assert not any(name.startswith("AppData") and data is not None for name, data in after.items())


def test_uninstall_restores_the_users_own_kehu_settings_after_two_installs(windows_home):
    home, environ = windows_home
    kehu_conf = home / ".kehu" / "kehu.conf"
    kehu_conf.parent.mkdir()
    original = '"INTERPRETER_WIN","D:\\conda\\python.exe"\n"PYTHONPATH","D:\\work"\n'
    kehu_conf.write_text(original, encoding="utf-8")
    install.install_addin(**_windows(home, environ))
    install.install_addin(r"C:\kehu.exe", **_windows(home, environ))    # upgrade: install again
    conf = install.read_conf(kehu_conf)
    assert conf["INTERPRETER_WIN"] == sys.executable and conf["PYTHONPATH"] == "D:\\work"
    install.uninstall_addin(**_windows(home, environ))
    assert install.read_conf(kehu_conf) == {"INTERPRETER_WIN": "D:\\conda\\python.exe", "PYTHONPATH": "D:\\work"}
    assert sorted(path.name for path in kehu_conf.parent.iterdir()) == ["kehu.conf"]
    assert not (home / ".xlwings").exists()


def test_uninstall_without_an_install_record_changes_nothing(windows_home):
    home, environ = windows_home
    (home / ".kehu").mkdir()
    (home / ".kehu" / "kehu.conf").write_text('"INTERPRETER_WIN","C:\\py.exe"\n', encoding="utf-8")
    before = _snapshot(home)
    result = install.uninstall_addin(**_windows(home, environ))
    assert result["removed"] == [] and "nothing was changed" in result["message_en"]
    assert _snapshot(home) == before


def test_a_failing_xlwings_install_is_reported_and_writes_no_settings(windows_home):
    home, environ = windows_home

    def refuse(command, **kwargs):
        # what xlwings does when Excel holds the file open: prints the error and still exits 0
        return subprocess.CompletedProcess(command, 0, stdout="PermissionError(13, 'Permission denied')", stderr="")

    with pytest.raises(KehuError) as raised:
        install.install_addin(platform="win32", home=home, environ=environ,
                              xlwings=XlwingsAddinInstaller(run=refuse), excel_check=lambda p: True)
    assert raised.value.code == ExitCode.OUTPUT and "Permission denied" in raised.value.en
    assert list(home.iterdir()) == []


def test_updating_a_config_keeps_the_users_other_settings(tmp_path):
    conf = tmp_path / "kehu.conf"
    conf.write_text('"INTERPRETER_WIN","C:\\Python311\\python.exe"\n"kehu_frozen_exe","old.exe"\n', encoding="utf-8")
    install.update_conf(conf, {"KEHU_FROZEN_EXE": "new.exe"})
    assert conf.read_text(encoding="utf-8").splitlines() == [
        '"INTERPRETER_WIN","C:\\Python311\\python.exe"', '"KEHU_FROZEN_EXE","new.exe"']
    assert install.read_conf(conf) == {"INTERPRETER_WIN": "C:\\Python311\\python.exe", "KEHU_FROZEN_EXE": "new.exe"}


def test_mac_locations_are_the_office_sandbox_folders(tmp_path):
    locations = install.addin_locations("darwin", home=tmp_path)
    assert locations["kehu_addin"] == tmp_path / "Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel/kehu.xlam"
    assert locations["kehu_config"] == tmp_path / "Library/Containers/com.microsoft.Excel/Data/kehu.conf"
    assert install.addin_locations("linux", home=tmp_path) is None


def _cli() -> typer.Typer:
    root = typer.Typer()
    register(root)

    @root.callback()
    def main() -> None:
        """kehu"""

    return root


def test_cli_build_writes_the_addin(tmp_path):
    result = CliRunner().invoke(_cli(), ["addin", "build", "--out", str(tmp_path / "kehu.xlam")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "kehu.xlam").stat().st_size > 20_000
    assert "kehu.xlam" in result.output


def test_cli_build_refuses_a_non_xlam_name(tmp_path):
    result = CliRunner().invoke(_cli(), ["addin", "build", "--out", str(tmp_path / "kehu.xlsm")])
    assert result.exit_code == ExitCode.USAGE
    assert not (tmp_path / "kehu.xlsm").exists()


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="checks the no-Excel path")
def test_cli_status_and_install_report_missing_excel():
    status = CliRunner().invoke(_cli(), ["addin", "status"])
    assert status.exit_code == 0 and "未找到 Microsoft Excel" in status.output
    assert "XLSTART" in status.output
    installed = CliRunner().invoke(_cli(), ["addin", "install"])
    assert installed.exit_code == ExitCode.USAGE
    assert "错误：" in installed.output and "Error:" in installed.output
    removed = CliRunner().invoke(_cli(), ["addin", "uninstall"])
    assert removed.exit_code == ExitCode.USAGE and "Error:" in removed.output


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="checks the no-Excel path")
def test_status_suggests_only_commands_that_work_here(tmp_path, monkeypatch):
    status = CliRunner().invoke(_cli(), ["addin", "status"])
    suggested = set(re.findall(r"`kehu (addin \w+)`", status.output))
    assert "addin build" in suggested
    # install is suggested only for "a computer with Excel", never as something to run here
    for line in status.output.splitlines():
        if "kehu addin install" in line:
            assert "Excel" in line.split("kehu addin install")[0], line
    monkeypatch.chdir(tmp_path)
    for command in suggested - {"addin install"}:
        result = CliRunner().invoke(_cli(), command.split())
        assert result.exit_code == 0, (command, result.output)
    assert (tmp_path / "kehu.xlam").is_file() and not list(tmp_path.glob("*.tmp"))


def test_a_failed_build_leaves_no_file_behind(tmp_path, monkeypatch):
    from addin.xlam import build

    def broken(template_bin):
        raise ValueError("stand-in for any failure while the VBA project is assembled")

    monkeypatch.setattr(build, "build_vba_project", broken)
    with pytest.raises(ValueError):
        build.build_addin(tmp_path / "kehu.xlam")
    assert list(tmp_path.iterdir()) == []


def test_a_build_interrupted_while_writing_leaves_no_file_behind(tmp_path, monkeypatch):
    from addin.xlam import build

    real_writestr = zipfile.ZipFile.writestr
    calls = []

    def fail_late(self, info, data, *args, **kwargs):
        calls.append(info)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real_writestr(self, info, data, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", fail_late)
    with pytest.raises(OSError):
        build.build_addin(tmp_path / "kehu.xlam")
    assert list(tmp_path.iterdir()) == []


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _runtime_closure() -> set[str]:
    """kehu's run-time dependencies and theirs, as `pip install -e .` installs them (no extras)."""
    import importlib.metadata

    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text("utf-8"))["project"]
    pending = [re.match(r"[A-Za-z0-9._-]+", req).group(0) for req in project["dependencies"]]
    seen: set[str] = set()
    while pending:
        name = _normalised(pending.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            requirements = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        pending += [re.match(r"[A-Za-z0-9._-]+", req).group(0) for req in requirements if "extra ==" not in req]
    return seen


def test_build_needs_only_what_a_plain_install_brings(tmp_path):
    # In a fresh interpreter every installed module that `pip install -e .` would not bring is blocked
    # (the test extra and what only it pulls in: olefile came with oletools before it was declared).
    import importlib.metadata

    closure = _runtime_closure() | {"kehu"}
    blocked = sorted(module for module, dists in importlib.metadata.packages_distributions().items()
                     if module.isidentifier() and not {_normalised(dist) for dist in dists} & closure)
    assert {"oletools", "pingouin", "pytest", "PyInstaller"} <= set(blocked)
    out = tmp_path / "kehu.xlam"
    script = ("import sys\n"
              f"for name in {blocked!r}:\n    sys.modules[name] = None\n"
              "from addin.cli import main\n"
              f"sys.argv = ['kehu', 'addin', 'build', '--out', {str(out)!r}]\n"
              "main()\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[1], timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert zipfile.is_zipfile(out) and not list(tmp_path.glob("*.tmp"))
