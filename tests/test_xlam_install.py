"""`kehu addin install | status | build`: where files go, what the config files say, the CLI door."""
from __future__ import annotations

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


def _fake_xlwings(calls: list):
    def run(command, **kwargs):
        calls.append(command)
        return subprocess.CompletedProcess(command, 0, stdout="Successfully installed the xlwings add-in!", stderr="")
    return run


@pytest.fixture()
def windows_home(tmp_path):
    environ = {"APPDATA": str(tmp_path / "AppData" / "Roaming"), "USERPROFILE": str(tmp_path)}
    return tmp_path, environ


def test_status_without_excel_says_so_and_lists_where_things_would_go(tmp_path):
    status = install.addin_status(platform="linux", home=tmp_path)
    assert status["excel_found"] is False and status["installed"] is False
    assert "未找到 Microsoft Excel" in status["message_zh"] and "not found" in status["message_en"]
    windows_targets = [item["windows"] for item in status["would_install"]]
    assert r"%APPDATA%\Microsoft\Excel\XLSTART\kehu.xlam" in windows_targets
    assert r"%APPDATA%\Microsoft\Excel\XLSTART\xlwings.xlam" in windows_targets


def test_install_without_excel_is_a_clear_error(tmp_path):
    with pytest.raises(KehuError) as raised:
        install.install_addin(platform="linux", home=tmp_path, run=_fake_xlwings([]))
    assert raised.value.code == ExitCode.USAGE
    assert "kehu addin build" in raised.value.en


def test_windows_install_puts_the_addin_in_xlstart_and_writes_both_configs(windows_home):
    home, environ = windows_home
    calls: list = []
    summary = install.install_addin(r"C:\Tools\kehu.exe", platform="win32", home=home, environ=environ,
                                    run=_fake_xlwings(calls), excel_check=lambda platform: True)
    xlstart = home / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART"
    addin = xlstart / "kehu.xlam"
    with zipfile.ZipFile(addin) as package:
        assert "xl/vbaProject.bin" in package.namelist()
    assert calls == [[sys.executable, "-m", "xlwings.cli", "addin", "install"]]
    kehu_conf = (home / ".kehu" / "kehu.conf").read_text(encoding="utf-8").splitlines()
    assert f'"INTERPRETER_WIN","{sys.executable}"' in kehu_conf
    assert r'"KEHU_FROZEN_EXE","C:\Tools\kehu.exe"' in kehu_conf
    xlwings_conf = (home / ".xlwings" / "xlwings.conf").read_text(encoding="utf-8").splitlines()
    assert '"UDF Modules","udfs.formulas"' in xlwings_conf
    assert summary["kehu_addin"] == str(addin) and summary["kehu_addin_installed"] is True
    # the fake xlwings installer wrote nothing, so the status must not claim xlwings.xlam is there
    assert summary["xlwings_addin_installed"] is False and summary["installed"] is False
    assert summary["udf_modules"] == "udfs.formulas" and summary["frozen_exe"] == r"C:\Tools\kehu.exe"


def test_updating_a_config_keeps_the_users_other_settings(tmp_path):
    conf = tmp_path / "xlwings.conf"
    conf.write_text('"INTERPRETER_WIN","C:\\Python311\\python.exe"\n"udf modules","old_module"\n', encoding="utf-8")
    install.update_conf(conf, {"UDF Modules": "udfs.formulas"})
    assert conf.read_text(encoding="utf-8").splitlines() == [
        '"INTERPRETER_WIN","C:\\Python311\\python.exe"', '"UDF Modules","udfs.formulas"']
    assert install.read_conf(conf) == {"INTERPRETER_WIN": "C:\\Python311\\python.exe", "UDF MODULES": "udfs.formulas"}


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
