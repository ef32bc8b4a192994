"""The `kehu` command: one sub-command per job, each a thin door onto the engine."""
from __future__ import annotations

import os
import sys

import typer

from udfs import __version__

app = typer.Typer(
    name="kehu",
    help="kehu 客户工具：清洗客户档案、查找重复客户、客户细分、满意度分析。\n\n"
         "Clean customer registers, find duplicates, segment customers and analyse satisfaction surveys.\n\n"
         "退出码 Exit codes: 0 成功 OK · 1 内部错误 bug · 2 用法错误 usage · 3 输入文件无法读取 unreadable input · "
         "4 缺少表头/列/数据 missing header, column or data · 5 无法写出结果 cannot write output.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool):
    if value:
        typer.echo(f"kehu {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本。")):
    """kehu 客户工具"""


def _register_commands() -> None:
    import importlib

    for name in ("inspect", "clean", "dedupe", "survey", "segment"):
        try:
            module = importlib.import_module(f"addin.commands.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"addin.commands.{name}":
                continue  # command not built yet
            raise
        module.register(app)
    from addin.ribbon.command import register as register_ribbon
    from addin.xlam.commands import register as register_addin

    register_addin(app)
    register_ribbon(app)


_register_commands()


def main() -> None:
    """Console entry point: no tracebacks for users unless KEHU_DEBUG is set."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("已取消。Cancelled.\n")
        sys.exit(130)
    except Exception as exc:  # a bug: say so plainly, keep the details for a report
        if os.environ.get("KEHU_DEBUG"):
            raise
        sys.stderr.write(f"错误：kehu 内部错误（{type(exc).__name__}: {exc}）。请把命令和文件反馈给维护者；"
                         f"设置 KEHU_DEBUG=1 可看到详细信息。\nError: internal error in kehu ({type(exc).__name__}). "
                         f"Please report it; set KEHU_DEBUG=1 for details.\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
