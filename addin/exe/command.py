"""`kehu build-exe [--dist DIR]`: build the one-file kehu executable for this platform with PyInstaller."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def run_build_exe(dist: Path | None = None, work: Path | None = None) -> dict:
    """Build the executable; the summary names the file and its size."""
    from .build import build_exe

    path = build_exe(dist, work)
    return {"ok": True, "executable": str(path), "bytes": path.stat().st_size}


def register(app: typer.Typer) -> None:
    @app.command("build-exe")
    def build_exe_cmd(
        dist: Optional[Path] = typer.Option(None, "--dist", "-o", help="放可执行程序的文件夹（默认 dist/）。Output folder."),
        work: Optional[Path] = typer.Option(None, "--work", help="PyInstaller 临时文件夹（默认 build/pyinstaller）。Work folder."),
        json_out: bool = typer.Option(False, "--json", help="输出机器可读的 JSON 摘要。Print a JSON summary."),
    ):
        r"""生成单文件 kehu 可执行程序（本机平台）。Build the one-file kehu executable.

        需要 PyInstaller（pip install -e ".[exe]"）；Windows 上运行得到 kehu.exe。约需几分钟。
        Needs PyInstaller; run it on Windows to get kehu.exe. Takes a few minutes.

        示例 Example:  kehu build-exe --dist dist
        """
        from addin.commands.common import emit_json, handled, out

        with handled(json_out):
            summary = run_build_exe(dist, work)
            if json_out:
                emit_json(summary)
            else:
                out.print(f"已生成 Built: {summary['executable']}（{summary['bytes'] / 1e6:.1f} MB）")
