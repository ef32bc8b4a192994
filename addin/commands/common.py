"""What every kehu command shares: options, opening the input, progress, printing results, writing back."""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Optional

import typer
from rich.console import Console

from addin.errors import ExitCode, KehuError

#: results and tables go to stdout; progress and errors to stderr, so `--json` output stays clean
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

# Reusable option declarations (typer reads the default value objects).
OPT_SHEET = typer.Option(None, "--sheet", "-s", help="工作表名称（默认自动选择像客户表的那张）。Sheet name.")
OPT_HEADER = typer.Option(None, "--header-row", min=1, help="表头所在行号（默认自动识别）。Header row (1-based).")
OPT_MAP = typer.Option(None, "--map", "-m", help="指定列的角色，如 --map 联系电话=mobile，可重复。Override a column's role.")
OPT_OUTPUT = typer.Option(None, "--output", "-o", help="输出文件（默认：原名.kehu.xlsx，放在原文件旁边）。Output file.")
OPT_IN_PLACE = typer.Option(False, "--in-place", help="直接写回原文件（先自动备份）。Write into the input (after a backup).")
OPT_JSON = typer.Option(False, "--json", help="输出机器可读的 JSON 摘要。Print a machine-readable summary.")
OPT_KIND = typer.Option(None, "--kind", help="强制按此类型处理：register、survey、orders、interactions（默认按列判断）。"
                        "Force the kind of sheet instead of judging it from its columns.")
OPT_QUIET = typer.Option(False, "--quiet", "-q", help="不显示进度。No progress display.")


def parse_map(items: Optional[list[str]]) -> dict[str, str]:
    """['联系电话=mobile', 'A=b,C=d'] → {'联系电话': 'mobile', 'A': 'b', 'C': 'd'}."""
    mapping: dict[str, str] = {}
    for item in items or []:
        for part in item.replace("，", ",").split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise KehuError(f"--map 的写法应为“列名=角色”，例如 --map 联系电话=mobile；收到“{part}”。",
                                f"--map takes COLUMN=ROLE, e.g. --map 联系电话=mobile; got '{part}'.", ExitCode.USAGE)
            col, role = part.split("=", 1)
            mapping[col.strip()] = role.strip()
    return mapping


class Progress:
    """Named steps with a rich progress bar on stderr; silent with --quiet or --json."""

    def __init__(self, total: int, quiet: bool):
        self.quiet = quiet
        self._bar = None
        if not quiet and err.is_terminal:  # no bar (and no stray blank line) in pipes, logs and scheduled jobs
            from rich.progress import BarColumn, Progress as RichProgress, TextColumn, TimeElapsedColumn

            self._bar = RichProgress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                                     console=err, transient=True)
            self._task = self._bar.add_task("", total=total)

    def __enter__(self) -> "Progress":
        if self._bar:
            self._bar.start()
        return self

    def step(self, description: str) -> None:
        if self._bar:
            self._bar.update(self._task, description=description, advance=1)

    def __exit__(self, *exc) -> None:
        if self._bar:
            self._bar.stop()


def emit_json(summary: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=1, default=str) + "\n")


def resolve_output(source: Path, output: Optional[Path], in_place: bool) -> Optional[Path]:
    """Where results go; refuses to overwrite the input unless --in-place was given."""
    if in_place:
        if output is not None:
            raise KehuError("--in-place 和 --output 不能同时使用。", "--in-place and --output cannot be used together.",
                            ExitCode.USAGE)
        return None
    if output is not None and Path(output).resolve() == Path(source).resolve():
        raise KehuError("输出文件不能与输入文件相同；要写回原文件请用 --in-place（会先备份）。",
                        "The output cannot be the input file; use --in-place to write into it (a backup is made first).",
                        ExitCode.USAGE)
    return output


@contextmanager
def handled(json_mode: bool) -> Iterator[None]:
    """Turn KehuError into the two-line message + exit code (or a JSON error), never a traceback."""
    from udfs.errors import InputProblem

    try:
        try:
            yield
        except InputProblem as problem:
            from addin.errors import from_input_problem

            raise from_input_problem(problem) from None
    except KehuError as e:
        if json_mode:
            emit_json(e.as_dict())
        else:
            err.print(f"[bold red]错误：[/]{e.zh}", highlight=False)
            err.print(f"[dim]Error: {e.en}[/]", highlight=False)
        raise typer.Exit(int(e.code)) from None
