"""`kehu clean FILE`: normalised columns next to the data, a 问题 column, and a 问题清单 sheet (addin/jobs/clean.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from addin.errors import ExitCode, KehuError
from addin.jobs import clean as job
from addin.jobs.clean import CleanOptions, analyse_clean, analyse_ids  # noqa: F401  (scripts import them from here)
from addin.jobs.language import check_lang

from addin.spark.door import check_engine

from .common import DoorFlags, err, finish, handled, job_options, out, shared_options
from .running import read_run_write


def run_clean(path: Path, output: Optional[Path] = None, *, in_place: bool = False, print_setup: bool = False,
              sheet: str | None = None, header_row: int | None = None, role_map: dict[str, str] | None = None, today: Any = None,
              dedupe: bool = False, quiet: bool = True, region: str | None = None, lang: str | None = None,
              kind: str | None = None, phone_format: str = "e164", options: CleanOptions | None = None,
              mark: bool | None = None) -> dict:
    """Read, clean and write back; returns the summary (with `output`)."""
    options = options or CleanOptions(today=None if today is None else str(today), region=region,
                                      lang=check_lang(lang), dedupe=dedupe, phone_format=phone_format)
    ran = read_run_write(path, output, lambda table: job.run(table, options), read_kind="register", command="clean",
                         forced_kind=kind, in_place=in_place, print_setup=print_setup, mark=mark, sheet=sheet,
                         header_row=header_row, role_map=role_map, quiet=quiet, steps=("读取 Reading…", "清洗 Cleaning…", "写出 Writing…"))
    return ran.summary(lines=ran.results.lines)


def register(app: typer.Typer) -> None:
    @app.command("clean")
    @shared_options()
    def clean_cmd(
        file: Path = typer.Argument(..., help="客户表（.xlsx/.xlsm/.xls/.csv）。Customer register."),
        today: Optional[str] = typer.Option(None, "--today", help="把哪一天当作今天（检查未来日期用），默认今天。The date taken as today when checking for dates in the future."),
        dedupe: bool = typer.Option(False, "--dedupe", help="同时查找并合并重复客户（同 kehu dedupe）。Also find duplicates."),
        region: Optional[str] = typer.Option(None, "--region", help="没有国家代码的号码属于哪个地区（CN、TW、HK、MO…），"
                                             "仅在本表号码看不出时使用。Region for numbers without a country code."),
        phone_format: str = typer.Option("e164", "--phone-format", help="非大陆号码的写法：e164（+886912345678，默认）"
                                         "或 national（本地格式 0912 345 678）。Form of non-mainland numbers."),
        engine: str = typer.Option("local", "--engine",
                                   help="local：本机（默认）；spark：在 Apache Spark 上运行，FILE 可为 CSV/Parquet 文件、"
                                        "文件夹或通配符，-o 为输出文件夹。Where to run: local or spark."),
        master: str = typer.Option("local[*]", "--master", help="Spark 主节点 URL（默认本机 local[*]）。Spark master URL."),
        door: DoorFlags = None,
    ):
        """清洗客户表：规范手机号、日期、金额等，列出问题。Clean a customer register.

        原始列保持不变；规范后的列和“问题”列加在数据右侧，另建“问题清单”工作表。
        Original columns stay as they are; normalised columns and a 问题 column are added on the right.

        示例 Example:  kehu clean 客户档案.xlsx -o 客户档案_已清洗.xlsx
        """
        with handled(door.json_out):
            if check_engine(engine) == "spark":
                summary = run_clean_on_spark(file, door.output, master=master, today=today, region=_region(region),
                                             phone_format=phone_format, role_map=door.role_map, quiet=door.quiet)
                finish(summary, door, _print_spark, _print_spark)
                return
            options = job_options(CleanOptions, door, today=today, region=_region(region), dedupe=dedupe,
                                  phone_format=phone_format)
            summary = run_clean(file, door.output, kind=door.kind, in_place=door.in_place, print_setup=door.print_setup,
                                mark=door.mark, sheet=door.sheet, header_row=door.header_row, role_map=door.role_map,
                                quiet=door.quiet, options=options)
            finish(summary, door, _print)


def run_clean_on_spark(inputs: str | Path, output: Path | None, *, master: str = "local[*]", today: str | None = None,
                       region: str | None = None, phone_format: str = "e164", role_map: dict | None = None,
                       quiet: bool = False) -> dict:
    """`kehu clean --engine spark`: the same normalisers and checks on Apache Spark, CSV/Parquet files to a folder."""
    from addin.spark.door import run_spark
    from addin.spark.output import default_output_folder

    def progress(text: str, done: int, total: int) -> None:
        if not quiet:
            err.print(f"{text} {done}/{total}", style="dim", highlight=False)   # markup is off: text as written

    folder = Path(output) if output else default_output_folder(str(inputs), "clean")
    return run_spark("clean", str(inputs), folder, master=master, today=today, region=region,
                     phone_format=phone_format, role_overrides=role_map or None, progress=progress)


def _print_spark(s: dict) -> None:
    out.print(f"清洗完成（Spark）Done  {s['rows']} 行 rows：{s['rows_with_problems']} 行有问题 with problems"
              f"（共 {s['problems']} 个 in all）。结果 Output：{s['output']}")


def _print(summary: dict) -> None:
    for line in summary["lines"]:
        out.print(line)
    out.print(f"结果已写入 Written to: {summary['output']}")
    if summary.get("backup"):
        out.print(f"原文件已备份 Backup: {summary['backup']}")


def _region(region: str | None) -> str | None:
    import phonenumbers

    if region is None:
        return None
    if region.upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise KehuError(f"--region 应为两个字母的地区代码，如 CN、TW、HK、MO；收到“{region}”。",
                        f"--region takes a two-letter region code such as CN, TW, HK, MO; got '{region}'.",
                        ExitCode.USAGE)
    return region.upper()
