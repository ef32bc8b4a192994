"""`kehu dedupe IN [-o OUT] [--threshold P] [--keep RULE] [--against MASTER]`: find and merge duplicate customers
(the work is addin/jobs/dedupe.py; this module parses flags, writes and prints)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Optional

import typer

from addin.errors import ExitCode, KehuError
from addin.jobs import dedupe as job
from addin.jobs.dedupe import GOLDEN_SHEET, LOG_SHEET, DedupeOptions, analyse_dedupe, typed_table  # noqa: F401
from addin.jobs.language import check_lang
from addin.report.dedupe_notes_sheet import settings_from_workbook  # noqa: F401  (scripts import it from here)

from .common import DoorFlags, err, finish, handled, job_options, out, shared_options
from .running import read_run_write

SETTINGS_SUFFIX = ".kehu.settings.json"


def run_dedupe(input_path: Path, output: Optional[Path] = None, *, sheet: str | None = None,
               header_row: int | None = None, role_map: dict[str, str] | None = None,
               threshold: float | None = None, possible: float | None = None, keep: str = "most_complete",
               against: Path | None = None, against_sheet: str | None = None, settings_path: Path | None = None,
               reviewed_path: Path | None = None, sum_amounts: bool = False, in_place: bool = False, print_setup: bool = False,
               quiet: bool = False, kind: str | None = None, lang: str | None = None,
               options: DedupeOptions | None = None, mark: bool | None = None) -> dict[str, Any]:
    """Flag duplicates (or, with `against`, customers already in a master register) and write the result."""
    options = options or DedupeOptions(threshold=threshold, possible=possible, keep=keep, against=against,
                                       against_sheet=against_sheet, settings=settings_path, reviewed=reviewed_path,
                                       sum_amounts=sum_amounts, lang=check_lang(lang))
    job.check(options)   # usage errors before the (slow) read
    ran = read_run_write(input_path, output, lambda table: job.run(table, options), read_kind="register",
                         command="dedupe", forced_kind=kind, in_place=in_place, print_setup=print_setup, mark=mark, sheet=sheet,
                         header_row=header_row,
                         role_map=role_map, quiet=quiet,
                         steps=("读取客户表 Reading the register", "查找重复 Matching", "写出结果 Writing"))
    if options.against is not None:
        return ran.summary(lines=ran.results.lines)
    settings_file = settings_path_for(Path(ran.report.output))
    settings_file.write_text(ran.results.settings.to_json(), encoding="utf-8")
    return ran.summary(settings_file=str(settings_file), lines=ran.results.lines, added_columns=[c.header for c in ran.results.columns],
                       added_sheets=ran.report.added_sheets)


def run_dedupe_on_spark(inputs: str | Path, output: Path | None, *, master: str = "local[*]",
                        settings_path: Path | None = None, threshold: float | None = None,
                        possible: float | None = None, quiet: bool = False) -> dict[str, Any]:
    """`kehu dedupe --engine spark`: the same rules on Apache Spark, from CSV/Parquet files to an output folder."""
    from addin.spark.door import run_spark
    from udfs.match.settings import MatchSettings

    folder = Path(output) if output else spark_output_folder(str(inputs))
    settings = MatchSettings.from_json(Path(settings_path).read_text(encoding="utf-8")) if settings_path else None

    def progress(text: str, done: int, total: int) -> None:
        if not quiet:
            err.print(f"{text} {done}/{total}", highlight=False)

    return run_spark("dedupe", str(inputs), folder, master=master, settings=settings, duplicate=threshold,
                     possible=possible, progress=progress)


def spark_output_folder(inputs: str) -> Path:
    """Default -o for Spark: NAME.kehu-spark beside a file or folder; kehu-spark in a glob's fixed folder."""
    literal = re.split(r"[*?\[]", inputs, maxsplit=1)[0]   # the part before the first wildcard
    if literal != inputs:
        return (Path(literal) if literal.endswith("/") else Path(literal).parent) / "kehu-spark"
    path = Path(inputs.rstrip("/"))
    return path.with_name(path.stem + ".kehu-spark")


def _print_spark(s: dict) -> None:
    out.print(f"查重完成（Spark）Done  {s['rows']} 行 rows，重复组 groups {s['groups']}（{s['rows_in_groups']} 行 rows）。"
              f"结果 Output：{s['output']}")


def settings_path_for(output: Path) -> Path:
    """NAME.kehu.settings.json beside the output workbook: the run's settings and measured u-probabilities."""
    return output.with_name(output.stem + SETTINGS_SUFFIX)


def register(app: typer.Typer) -> None:
    @app.command("dedupe")
    @shared_options()
    def dedupe_cmd(
        file: Path = typer.Argument(..., help="客户表（.xlsx/.xlsm/.xls/.csv）。Customer register."),
        threshold: Optional[float] = typer.Option(None, "--threshold", help="判为“重复”的最低相似度（默认 0.9）。Lowest match probability for a duplicate."),
        possible: Optional[float] = typer.Option(None, "--possible", help="判为“疑似重复”的最低相似度（默认 0.3）。Lowest match probability for a possible duplicate."),
        keep: str = typer.Option("most_complete", "--keep",
                                 help="合并时保留哪一行：most_complete 最完整（默认）、most_recent 最近联系、earliest_id 最早编号。Which row a merge keeps."),
        against: Optional[Path] = typer.Option(None, "--against", help="主档客户表：标出本表中已在主档里的客户。Master register."),
        against_sheet: Optional[str] = typer.Option(None, "--against-sheet", help="主档所在工作表。Sheet of the master register."),
        settings_file: Optional[Path] = typer.Option(None, "--settings",
                                                     help="查重设置：NAME.kehu.settings.json 或上次的结果工作簿。Match settings from a settings file or an earlier result."),
        sum_amounts: bool = typer.Option(False, "--sum-amounts/--keep-amounts",
                                         help="合并时把购买次数、累计金额相加（各行是不同的购买记录时）；默认保留一行的值。Add up purchase counts and amounts when merging, instead of keeping one row's."),
        reviewed: Optional[Path] = typer.Option(None, "--reviewed",
                                                help="已复核的结果工作簿（「重复对」表的「复核」列）：按复核结果合并。A reviewed result workbook: merge as its 复核 column says."),
        engine: str = typer.Option("local", "--engine",
                                   help="local：本机（默认）；spark：在 Apache Spark 上运行，FILE 可为 CSV/Parquet 文件、"
                                        "文件夹或通配符，-o 为输出文件夹。Where to run: local or spark."),
        master: str = typer.Option("local[*]", "--master", help="Spark 主节点 URL（默认本机 local[*]）。Spark master URL."),
        door: DoorFlags = None,
    ):
        """查找重复客户：标出重复组、重复标记、相似度和匹配依据，生成去重结果和合并记录。Find and merge duplicates.

        示例 Example:  kehu dedupe 客户档案.xlsx      kehu dedupe 新客户.xlsx --against 客户主档.xlsx
        """
        with handled(door.json_out):
            if engine not in ("local", "spark"):
                raise KehuError(f"--engine 只能是 local 或 spark，收到“{engine}”。",
                                f"--engine must be local or spark; got '{engine}'.", ExitCode.USAGE)
            if engine == "spark":
                summary = run_dedupe_on_spark(file, door.output, master=master, settings_path=settings_file,
                                              threshold=threshold, possible=possible, quiet=door.quiet)
                finish(summary, door, _print_spark, _print_spark)
                return
            options = job_options(DedupeOptions, door, threshold=threshold, possible=possible, keep=keep,
                                  against=against, against_sheet=against_sheet, settings=settings_file,
                                  reviewed=reviewed, sum_amounts=sum_amounts)
            summary = run_dedupe(file, door.output, kind=door.kind, sheet=door.sheet, header_row=door.header_row,
                                 role_map=door.role_map, in_place=door.in_place, print_setup=door.print_setup, mark=door.mark, quiet=door.quiet,
                                 options=options)
            finish(summary, door, _print)


def _print(s: dict) -> None:
    if "master" in s:
        out.print(f"对照主档完成  {s['records']} 行中：已存在 {s['existing']}，疑似 {s['possible']}，"
                  f"新客户 {s['new']}。结果：{s['output']}")
        return
    out.print(f"查重完成  {s['records']} 行，重复组 {s['groups']} 个（{s['duplicate_rows']} 行），"
              f"可合并删除 {s['rows_to_remove']} 行，疑似重复 {s['possible_rows']} 行。结果：{s['output']}")
    out.print(f"· 去重后 {s['customers_after_merge']} 位客户（见「{GOLDEN_SHEET}」「{LOG_SHEET}」工作表）")
