"""What every kehu command shares: the common flags, progress, printing results, errors in two lines."""
from __future__ import annotations

import dataclasses
import functools
import inspect
import json
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import typer
from rich.console import Console

from addin.errors import ExitCode, KehuError

#: results and tables go to stdout; progress and errors to stderr, so `--json` output stays clean.
#: markup=False: kehu prints file names, sheet names and cell values, which may hold `[v2]` or `[exe]`; rich markup
#: would eat them (客户[v2].xlsx reported as 客户.xlsx), so text is printed as it is and styles go by `style=`.
out = Console(highlight=False, soft_wrap=True, markup=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)

# Reusable option declarations (typer reads the default value objects).
OPT_SHEET = typer.Option(None, "--sheet", "-s", help="工作表名称（默认自动选择像客户表的那张）。Sheet name.")
OPT_HEADER = typer.Option(None, "--header-row", min=1, help="表头所在行号（默认自动识别）。Header row (1-based).")
OPT_MAP = typer.Option(None, "--map", "-m", help="指定列的角色，如 --map 联系电话=mobile，可重复。Override a column's role.")
OPT_OUTPUT = typer.Option(None, "--output", "-o", help="输出文件（默认：原名.kehu.xlsx，放在原文件旁边）。Output file.")
OPT_IN_PLACE = typer.Option(False, "--in-place", help="直接写回原文件（先自动备份）。Write into the input (after a backup).")
OPT_MARK = typer.Option(None, "--mark/--no-mark", help="在数据上标出问题（填充色、批注、筛选）；写副本时默认标出，"
                        "--in-place 时默认不标。kehu unmark 可去掉。Mark problems on the data (fills, notes, filter); "
                        "default on for a copy, off with --in-place.")
OPT_PRINT_SETUP = typer.Option(False, "--print-setup", help="与 --in-place 同用：也给数据表补上缺少的打印设置"
                               "（副本总是会补）。Also give the data sheet the print setup it lacks when writing with --in-place.")
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
    """The run's phases on stderr, each with a percentage bar and rows (or columns) done / total when the phase
    knows its size (udfs/progress.py); silent with --quiet or --json and in pipes, logs and scheduled jobs."""

    def __init__(self, total: int, quiet: bool):
        self.quiet = quiet
        self._bar = None
        if not quiet and err.is_terminal:  # no bar (and no stray blank line) in pipes, logs and scheduled jobs
            from rich.progress import (BarColumn, Progress as RichProgress, TaskProgressColumn, TextColumn,
                                       TimeElapsedColumn)

            self._bar = RichProgress(TextColumn("{task.description}", markup=False), BarColumn(),
                                     TaskProgressColumn(), TextColumn("{task.fields[count]}", markup=False),
                                     TimeElapsedColumn(), console=err, transient=True)
            self._task = self._bar.add_task("", total=None, count="")

    def __enter__(self) -> "Progress":
        if self._bar:
            self._bar.start()
        return self

    def step(self, description: str) -> None:
        """A new phase: its size is unknown (a moving bar) until the work reports it."""
        if self._bar:
            self._bar.reset(self._task, total=None, description=description, count="")

    def rows(self, done: int, total: int, unit: str) -> None:
        """udfs.progress callback: `done` of `total` of this phase, as a percentage and a count."""
        if self._bar:
            self._bar.update(self._task, completed=done, total=total, count=f"{done:,}/{total:,} {unit}")

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
            err.print(f"错误：{e.zh}", style="bold red")
            err.print(f"Error: {e.en}", style="dim")
        raise typer.Exit(int(e.code)) from None


OPT_LANG = typer.Option(None, "--lang", help="结果的语言：zh-Hans（简体）、zh-Hant（繁体，台湾/香港用语）、"
                        "en（英文）；默认按表头的字体。Language of what kehu writes.")
OPT_OPTIONS = typer.Option(None, "--options", help="按上次保存的选项重复运行（JSON 文件；命令行上另给的选项优先）。"
                           "Repeat a run from its saved options (flags given now win).")
OPT_MASK = typer.Option(False, "--mask", help="结果脱敏：报表先用原始数据算好，再把姓名、手机、电话、证件号、邮箱、地址等"
                        "按惯例打码（138****8000、张*）。Mask personal values in the output, after every figure "
                        "was computed from the unmasked data.")
OPT_SAVE_OPTIONS = typer.Option(None, "--save-options", help="把本次运行的选项存为 JSON，供 --options 重复运行。"
                                "Save this run's options as JSON for --options.")


@dataclass(frozen=True)
class DoorFlags:
    """The flags every command shares: which sheet, where the result goes, how to report, which language."""

    sheet: Optional[str] = None
    header_row: Optional[int] = None
    role_map: dict = field(default_factory=dict)
    output: Optional[Path] = None
    in_place: bool = False
    json_out: bool = False
    quiet: bool = False
    kind: Optional[str] = None
    lang: Optional[str] = None
    options_file: Optional[Path] = None
    save_options: Optional[Path] = None
    mark: Optional[bool] = None      # --mark / --no-mark; None: on for a copy, off in place
    print_setup: bool = False
    mask: bool = False


#: name → (type, typer option); `shared_options(...)` adds the chosen ones to a command's signature
SHARED: dict[str, tuple[Any, Any]] = {
    "sheet": (Optional[str], OPT_SHEET), "header_row": (Optional[int], OPT_HEADER),
    "role_map": (Optional[list[str]], OPT_MAP), "output": (Optional[Path], OPT_OUTPUT),
    "in_place": (bool, OPT_IN_PLACE), "json_out": (bool, OPT_JSON), "quiet": (bool, OPT_QUIET),
    "kind": (Optional[str], OPT_KIND), "lang": (Optional[str], OPT_LANG),
    "options_file": (Optional[Path], OPT_OPTIONS), "save_options": (Optional[Path], OPT_SAVE_OPTIONS),
    "mark": (Optional[bool], OPT_MARK),
    "print_setup": (bool, OPT_PRINT_SETUP),
    "mask": (bool, OPT_MASK),
}
ALL_SHARED = tuple(SHARED)


def shared_options(*names: str) -> Callable:
    """Give a typer command the shared flags `names` (default: all) as one `door: DoorFlags` argument.

    typer reads a command's parameters from its signature: the wrapper's signature is the command's own
    parameters followed by the shared ones, so each flag is declared once, here, for every command.
    """
    names = names or ALL_SHARED

    def wrap(func: Callable) -> Callable:
        own = [p for p in inspect.signature(func, eval_str=True).parameters.values() if p.name != "door"]
        extra = [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, default=SHARED[n][1], annotation=SHARED[n][0])
                 for n in names]
        own = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own]   # typer passes every value by name

        @functools.wraps(func)
        def command(*args, **kwargs):
            shared = {n: kwargs.pop(n) for n in names}
            with handled(bool(shared.get("json_out"))):   # a bad --map is a two-line usage error too
                shared["role_map"] = parse_map(shared.get("role_map"))
                check_mask(bool(shared.get("mask")), bool(shared.get("in_place")))
            shared["quiet"] = bool(shared.get("quiet")) or bool(shared.get("json_out"))
            return func(*args, door=DoorFlags(**shared), **kwargs)

        command.__signature__ = inspect.Signature(own + extra)
        command.__annotations__ = {p.name: p.annotation for p in own + extra}
        del command.__wrapped__   # typer must see the new signature, not the function's own
        return command

    return wrap


def job_options(cls, door: DoorFlags, **flags: Any):
    """The job's options: the saved ones (--options) if given, with every flag that differs from its default on top."""
    from addin.jobs.language import check_lang

    if "lang" in {f.name for f in dataclasses.fields(cls)}:
        flags["lang"] = check_lang(door.lang)
    defaults = cls()
    if door.options_file is None:
        options = cls(**flags)
    else:
        options = cls.load(door.options_file, **{k: v for k, v in flags.items() if v != getattr(defaults, k)})
    if door.save_options is not None:
        options.save(door.save_options)
    return options


def finish(summary: dict[str, Any], door: DoorFlags, show: Callable[[dict], None],
           show_en: Callable[[dict], None] | None = None) -> None:
    """The run's summary as JSON (--json) or as the command's own lines, in the run's language."""
    if door.mask:
        summary = mask_outputs(summary)
    if door.json_out:
        emit_json(summary)
        return
    lang = summary.get("lang")
    if lang == "en":
        (show_en or _show_english)(summary)
    elif lang == "zh-Hant":   # the command's simplified lines, in the traditional wording of the results
        from addin.jobs.language import to_traditional

        with out.capture() as captured:
            show(summary)
        sys.stdout.write(to_traditional(captured.get(), summary.get("region") or "TW"))
    else:
        show(summary)


def check_mask(mask: bool, in_place: bool) -> None:
    """--mask writes a copy for people outside the team: never into the user's own file."""
    if mask and in_place:
        raise KehuError("--mask 和 --in-place 不能同时使用：脱敏会改掉原始数据。请用 -o 写一个脱敏副本。",
                        "--mask and --in-place cannot be used together: masking would overwrite the original data. "
                        "Write a masked copy with -o.", ExitCode.USAGE)


#: the files a command writes besides its workbook, by summary key: masked like the workbook
_SIDE_FILES = ("settings_file",)
_OTHER_WORKBOOKS = ("register_output",)


def mask_outputs(summary: dict[str, Any]) -> dict[str, Any]:
    """--mask: the written workbook(s) and side files masked in place, after the job computed every figure."""
    from addin.jobs.mask import mask_file

    output = Path(summary.get("output") or "")
    if output.suffix.lower() not in (".xlsx", ".xlsm") or not output.is_file():
        raise KehuError(f"--mask 只适用于写出 .xlsx 工作簿的命令；这次的结果是“{output}”。",
                        f"--mask works only where a command writes an .xlsx workbook; this run wrote {output}.",
                        ExitCode.USAGE)
    sides = tuple(Path(summary[k]) for k in _SIDE_FILES if summary.get(k))
    masked = mask_file(output, output, sides)
    for key in _OTHER_WORKBOOKS:
        if summary.get(key):
            mask_file(Path(summary[key]), Path(summary[key]))
    return dict(summary, masked=masked.summary["masked_values"],
                lines=list(summary.get("lines") or []) + masked.lines)


def _show_english(summary: dict[str, Any]) -> None:
    for line in summary.get("lines") or []:
        out.print(line)
    out.print(f"Written to: {summary['output']}")
    if summary.get("backup"):
        out.print(f"Backup: {summary['backup']}")
