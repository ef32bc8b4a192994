"""`kehu unmark FILE`: remove the fills, notes and filter kehu put on the data (addin/jobs/unmark.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from addin.jobs import unmark as job
from addin.jobs.language import check_lang

from .common import OPT_JSON, OPT_LANG, OPT_QUIET, emit_json, handled, out


def run_unmark(path: Path, output: Optional[Path] = None, *, lang: str | None = None) -> dict:
    return job.run(path, output, job.UnmarkOptions(lang=check_lang(lang)))


def register(app: typer.Typer) -> None:
    @app.command("unmark")
    def unmark_cmd(
        file: Path = typer.Argument(..., help="kehu 写出的工作簿（.xlsx/.xlsm）。A workbook kehu wrote."),
        output: Optional[Path] = typer.Option(None, "-o", "--output", help="写到另一个文件；默认改写原文件（先自动备份）。"
                                              "Write to another file; default: the file itself, after a backup."),
        json_out: bool = OPT_JSON,
        quiet: bool = OPT_QUIET,
        lang: Optional[str] = OPT_LANG,
    ):
        """去掉 kehu 的标记：填充色、批注和筛选。Remove kehu's fills, notes and filter.

        单元格的值和格式、你自己的批注、筛选和表格都保持原样。
        Cell values and formats, and your own comments, filters and Tables stay as they are.

        示例 Example:  kehu unmark 客户档案.kehu.xlsx
        """
        with handled(json_out):
            summary = run_unmark(file, output, lang=lang)
            if json_out:
                emit_json(summary)
                return
            if quiet:
                return
            for line in summary["lines_en" if summary["lang"] == "en" else "lines"]:
                out.print(line, highlight=False)
            if summary.get("backup"):
                out.print(f"原文件已备份 Backup: {summary['backup']}", highlight=False)
