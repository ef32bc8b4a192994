"""`kehu mask FILE [-o OUT]`: a copy of a workbook with names, phones, ID numbers, e-mails and addresses masked
(addin/jobs/mask.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from addin.errors import ExitCode, KehuError
from addin.jobs import mask as job

from .common import OPT_JSON, emit_json, handled, out


def run_mask(path: Path, output: Optional[Path] = None) -> dict:
    """Write the masked copy of `path`; returns the summary (with `output`)."""
    path = Path(path)
    target = Path(output) if output is not None else job.masked_copy_path(path)
    if target.resolve() == path.resolve():
        raise KehuError("脱敏副本不能覆盖原文件；请用 -o 指定另一个文件名。",
                        "The masked copy cannot replace the original; give another name with -o.", ExitCode.USAGE)
    results = job.mask_file(path, target)
    return dict(results.summary, lines=results.lines)


def register(app: typer.Typer) -> None:
    @app.command("mask")
    def mask_cmd(
        file: Path = typer.Argument(..., help="要脱敏的工作簿（.xlsx/.xlsm）。Workbook to mask."),
        output: Optional[Path] = typer.Option(None, "--output", "-o", help="脱敏副本的文件名（默认：原名.脱敏.xlsx，"
                                              "放在原文件旁边）。Where the masked copy goes."),
        json_out: bool = OPT_JSON,
    ):
        """脱敏副本：姓名、手机、电话、证件号、个体工商户信用代码、邮箱、地址打码后另存。Write a masked copy.

        手机 138****8000，身份证 110105********002X，邮箱 z***@qq.com，姓名 张*，地址去掉门牌号；原文件不变。
        Mobiles, IDs, e-mails, names and addresses are masked in every sheet, note and property; the original stays.

        示例 Example:  kehu mask 客户档案.xlsx      kehu mask 客户档案.kehu.xlsx -o 外发.xlsx
        """
        with handled(json_out):
            summary = run_mask(file, output)
            if json_out:
                emit_json(summary)
                return
            for line in summary["lines"]:
                out.print(line)
            out.print(f"脱敏副本 Masked copy: {summary['output']}")
