"""`kehu addin build | install | status | uninstall`: the add-in's command-line door (a typer sub-app)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from addin.errors import KehuError
from addin.xlam.build import ADDIN_FILE_NAME, build_addin
from addin.xlam.install import addin_status, install_addin, uninstall_addin

app = typer.Typer(name="addin", help="客户工具 Excel 加载项 kehu.xlam：生成、安装、查看状态、卸载。Build, install, check and remove the Excel add-in.",
                  no_args_is_help=True)


def run_build(out: Path) -> dict:
    """Build kehu.xlam; the summary names the file and its size."""
    path = build_addin(out)
    return {"ok": True, "addin": str(path), "bytes": path.stat().st_size}


def _fail(error: KehuError) -> None:
    typer.echo(error.lines(), err=True)
    raise typer.Exit(int(error.code))


@app.command("build")
def build_command(out: Path = typer.Option(Path(ADDIN_FILE_NAME), "--out", "-o",
                                           help="输出文件或文件夹 Output file or folder")) -> None:
    """生成 kehu.xlam（任何系统均可）。Build kehu.xlam from source (works on any OS)."""
    try:
        summary = run_build(out)
    except KehuError as error:
        _fail(error)
        return
    typer.echo(f"已生成 Built: {summary['addin']} ({summary['bytes']:,} bytes)")


@app.command("install")
def install_command(frozen_exe: Optional[Path] = typer.Option(
        None, "--frozen-exe", help="冻结版 kehu.exe 的路径（可选）Path of a frozen kehu.exe (optional)")) -> None:
    """为当前用户安装 kehu.xlam（通过 xlwings 的加载项安装程序）。Install kehu.xlam for this user (through xlwings' add-in installer)."""
    try:
        summary = install_addin(frozen_exe)
    except KehuError as error:
        _fail(error)
        return
    typer.echo(f"已安装 Installed: {summary['kehu_addin']}")
    typer.echo(f"配置 Config: {summary['kehu_config']}")
    typer.echo("请重新启动 Excel；KEHU_… 公式可在任何工作簿中使用。"
               "Please restart Excel; the KEHU_… formulas then work in every workbook.")


@app.command("uninstall")
def uninstall_command() -> None:
    """卸载 kehu.xlam，并撤销安装时所做的配置改动。Remove kehu.xlam and undo what install changed."""
    try:
        summary = uninstall_addin()
    except KehuError as error:
        _fail(error)
        return
    typer.echo(summary["message_zh"])
    typer.echo(summary["message_en"])
    for path in summary["removed"]:
        typer.echo(f"  已删除 Removed: {path}")


@app.command("status")
def status_command(as_json: bool = typer.Option(False, "--json", help="以 JSON 输出 Print JSON")) -> None:
    """查看加载项安装状态。Show what is installed where."""
    status = addin_status()
    if as_json:
        typer.echo(json.dumps(status, ensure_ascii=False, indent=2))
        return
    typer.echo(status["message_zh"])
    typer.echo(status["message_en"])
    if "kehu_addin_installed" in status:
        state = "已安装 installed" if status["kehu_addin_installed"] else "未安装 not installed"
        typer.echo(f"  kehu.xlam: {state} — {status['kehu_addin']}")
        typer.echo(f"  kehu.conf: {status['kehu_config']}")
        typer.echo(f"  Python: {status['interpreter'] or '（未设置 not set）'}")
        typer.echo(f"  KEHU_FROZEN_EXE: {status['frozen_exe'] or '（关闭 off）'}")
    if not status["excel_found"]:
        typer.echo("在装有 Excel 的电脑上将安装到 On a computer with Excel, install puts:")
        for item in status["would_install"]:
            typer.echo(f"  {item['what']}: Windows {item['windows']} | Mac {item['mac']}")


def register(parent: typer.Typer) -> None:
    """Attach `addin` to the kehu command."""
    parent.add_typer(app, name="addin")
