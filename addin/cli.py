"""The `kehu` command: one sub-command per job, each a thin door onto the engine."""
from __future__ import annotations

import difflib
import importlib
import importlib.util
import os
import re
import signal
import sys

import typer
from typer._click.exceptions import NoArgsIsHelpError, UsageError  # typer 0.29 vendors click here
import typer.core
from typer.core import TyperCommand, TyperGroup

from addin import cli_help
from addin.cli_help import adopt
from addin.errors import Cancelled
from udfs import __version__

#: the click typer uses: its own vendored copy in recent typer, the click package before
_CLICK = getattr(typer.core, "_click", None) or typer.core.click
_USAGE_ERROR = _CLICK.exceptions.UsageError

#: Each command: (the module whose `register(app)` adds it, its one-line help as `kehu --help` shows it).
#: Listing them here lets `kehu --help` answer without importing pandas and the engine (≈0.7 s, more in the
#: frozen executable); a command's module is imported only when that command runs or shows its own help.
#: tests/test_exe.py checks each line against the real command's docstring.
COMMANDS: dict[str, tuple[str, str]] = {
    "inspect": ("addin.commands.inspect", "查看 kehu 如何理解一张表：工作表、表头行、每列的角色。Show how kehu reads a sheet."),
    "clean": ("addin.commands.clean", "清洗客户表：规范手机号、日期、金额等，列出问题。Clean a customer register."),
    "dedupe": ("addin.commands.dedupe", "查找重复客户：标出重复组、重复标记、相似度和匹配依据，生成去重结果和合并记录。"
                                        "Find and merge duplicates."),
    "survey": ("addin.commands.survey", "满意度调查分析：回收情况、各题满意度、综合指数、NPS、驱动因素、分组比较。"
                                        "Analyse a satisfaction survey."),
    "segment": ("addin.commands.segment", "客户细分：RFM 评分、细分、客户类型、价值等级和下次跟进日期。"
                                          "RFM segments, customer types, tiers, follow-up."),
    "complaints": ("addin.commands.complaints", "投诉分析：按类型、渠道、门店和处理人统计，解决率与处理时长，逾期未结，"
                                                "重复投诉，投诉主题。Analyse a complaint log."),
    "report": ("addin.commands.report", "客户分析报告：基本资料、业务状况、交易状况、客户类型、留存与流失、交叉销售、盈利、满意度。"
                                        "Customer analysis report."),
    "unmark": ("addin.commands.unmark", "去掉 kehu 的标记：填充色、批注和筛选。Remove kehu's fills, notes and filter."),
    "mask": ("addin.commands.mask", "脱敏副本：姓名、手机、电话、证件号、个体工商户信用代码、邮箱、地址打码后另存。"
                                    "Write a masked copy."),
    "ribbon": ("addin.ribbon.command", "运行一个功能区按钮（供 kehu.exe 冻结模式使用）。Run a ribbon button on a saved workbook."),
    "addin": ("addin.xlam.commands", "客户工具 Excel 加载项 kehu.xlam：生成、安装、查看状态、卸载。Build, install, check and remove the Excel add-in."),
    "build-exe": ("addin.exe.command", "生成单文件 kehu 可执行程序（本机平台）。Build the one-file kehu executable."),
}


def available_commands() -> dict[str, tuple[str, str]]:
    """The commands whose module exists in this build (one still being written is left out)."""
    return {name: entry for name, entry in COMMANDS.items() if _module_exists(entry[0])}


def _module_exists(module: str) -> bool:
    # Only addin.commands.* modules can be missing (a command still being written). Asking find_spec about
    # addin.ribbon.command would import addin.ribbon, whose __init__ pulls in pandas: the cost we avoid here.
    if not module.startswith("addin.commands."):
        return True
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def load_commands(module: str, rich_markup_mode: str | None = "rich") -> dict:
    """Import one command module and return the click commands its `register(app)` adds, by name."""
    import typer.main

    holder = typer.Typer(rich_markup_mode=rich_markup_mode)
    holder.callback()(lambda: None)  # a callback keeps typer from collapsing a single command into the root
    importlib.import_module(module).register(holder)
    commands = dict(typer.main.get_group(holder).commands)
    adopt(commands.values())   # kehu's own help page: wraps instead of cutting, no programmer labels
    return commands


class LazyGroup(TyperGroup):
    """The kehu command group: lists every command from COMMANDS, imports a command's module only to run it."""

    format_help = cli_help.format_help

    def list_commands(self, ctx):
        names = list(super().list_commands(ctx))
        return names + [n for n in available_commands() if n not in names]

    def get_command(self, ctx, cmd_name):
        # Listing (help) only needs a name and a line of text; running goes through resolve_command.
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in available_commands():
            command = TyperCommand(name=cmd_name, help=COMMANDS[cmd_name][1], rich_markup_mode=self.rich_markup_mode)
        return command

    def resolve_command(self, ctx, args):
        name = args[0] if args else None
        if name in COMMANDS and name not in self.commands and _module_exists(COMMANDS[name][0]):
            for loaded_name, command in load_commands(COMMANDS[name][0], self.rich_markup_mode).items():
                self.commands.setdefault(loaded_name, command)
        try:
            return super().resolve_command(ctx, args)
        except _USAGE_ERROR as e:  # typer suggests only loaded commands; suggest the lazy ones too
            matches = difflib.get_close_matches(name or "", self.list_commands(ctx))
            if matches and "Did you mean" not in e.message:
                e.message = f"{e.message.rstrip('.')}. Did you mean {', '.join(repr(m) for m in matches)}?"
            raise


app = typer.Typer(
    cls=LazyGroup,
    name="kehu",
    help="kehu 客户工具：清洗客户档案、查找重复客户、客户细分、满意度分析。\n\n"
         "Clean customer registers, find duplicates, segment customers and analyse satisfaction surveys.\n\n"
         "退出码 Exit codes: 0 成功 OK · 1 内部错误 bug · 2 用法错误 usage · 3 输入文件无法读取 unreadable input · "
         "4 缺少表头/列/数据 missing header, column or data · 5 无法写出结果 cannot write output · 130 已取消 cancelled.",
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
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本。Show the version."),
          max_cells: int = typer.Option(None, "--max-cells", min=1, help="一张工作表最多读取多少个单元格（行×列），"
                                        "默认 25,165,824；也可在子命令后写。Cell ceiling per sheet (rows × columns)."),
          encoding: str = typer.Option(None, "--encoding", help="CSV 文件的编码，如 big5、shift_jis、gb18030（默认自动识别）；"
                                       "也可在子命令后写。Text encoding of a CSV input.")):
    """kehu 客户工具"""
    from addin.read.limits import set_max_cells

    set_max_cells(max_cells)
    if encoding:
        os.environ["KEHU_ENCODING"] = encoding


#: options of the root command that users naturally type after the sub-command (kehu clean F --max-cells N)
_GLOBAL_OPTIONS = ("--max-cells", "--encoding")


def hoist_global_options(argv: list[str]) -> list[str]:
    """Move --max-cells/--encoding (with their values) in front of the sub-command, where typer expects them."""
    front, rest, i = [], [], 0
    while i < len(argv):
        arg = argv[i]
        name = arg.split("=", 1)[0]
        if name in _GLOBAL_OPTIONS:
            take = 1 if "=" in arg else 2
            front += argv[i:i + take]
            i += take
            continue
        rest.append(arg)
        i += 1
    return front + rest


_USAGE_ZH = [(re.compile(r"Missing argument '([^']+)'"), "缺少参数 {0}"),
             (re.compile(r"No such option: (\S+)"), "没有这个选项：{0}"),
             (re.compile(r"No such command '([^']+)'"), "没有这个命令：{0}"),
             (re.compile(r"Missing option '([^']+)'"), "缺少选项 {0}"),
             (re.compile(r"Option '([^']+)' requires an argument"), "选项 {0} 后面要跟一个值"),
             (re.compile(r"Invalid value for '?([^':]+)'?"), "{0} 的值无效")]


def usage_lines(exc: UsageError) -> tuple[str, str]:
    """A click usage error → (Chinese line, English line), both saying where to read the help."""
    message = exc.format_message().strip().rstrip(".")
    command = exc.ctx.command_path if exc.ctx is not None else "kehu"
    zh = next((template.format(*m.groups()) for rx, template in _USAGE_ZH if (m := rx.search(message))),
              f"命令用法不对（{message}）")
    return f"{zh}。用 {command} -h 查看用法。", f"{message}. Run '{command} -h' for usage."


def _cancel(signum, frame):
    # once is enough: a second Ctrl-C must not interrupt the clean-up of the temporary file
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Cancelled(signum)


def main() -> None:
    """Console entry point: no tracebacks for users unless KEHU_DEBUG is set."""
    sys.argv[1:] = hoist_global_options(sys.argv[1:])
    signal.signal(signal.SIGINT, _cancel)
    signal.signal(signal.SIGTERM, _cancel)
    try:
        code = app(standalone_mode=False, prog_name="kehu")   # the name users type, also for python -m addin
        sys.exit(code if isinstance(code, int) else 0)
    except NoArgsIsHelpError as exc:   # plain `kehu`: the help, as before
        exc.show()
        sys.exit(2)  # the documented usage-error code (ExitCode.USAGE)
    except UsageError as exc:   # missing argument, unknown option or command: two lines, like every error
        zh, en = usage_lines(exc)
        sys.stderr.write(f"错误：{zh}\nError: {en}\n")
        sys.exit(2)  # the documented usage-error code (ExitCode.USAGE)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.stderr.write(f"{Cancelled.ZH}\n{Cancelled.EN}\n")
        sys.exit(130)
    except SystemExit:
        raise
    except (KeyboardInterrupt, Cancelled):
        sys.stderr.write(f"{Cancelled.ZH}\n{Cancelled.EN}\n")
        sys.exit(130)
    except MemoryError:
        sys.stderr.write("错误：内存不足，kehu 无法处理这个文件。请关闭其他程序，或把数据拆成几个较小的文件。\n"
                         "Error: out of memory: kehu cannot process this file. Close other programs or split the data "
                         "into smaller files.\n")
        sys.exit(3)
    except Exception as exc:  # a bug: say so plainly, keep the details for a report
        if os.environ.get("KEHU_DEBUG"):
            raise
        sys.stderr.write(f"错误：kehu 内部错误（{type(exc).__name__}: {exc}）。请把命令和文件反馈给维护者；"
                         f"设置 KEHU_DEBUG=1 可看到详细信息。\nError: internal error in kehu ({type(exc).__name__}). "
                         f"Please report it; set KEHU_DEBUG=1 for details.\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
