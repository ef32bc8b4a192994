"""`kehu survey IN [-o OUT]`: analyse a satisfaction survey and write the 满意度报告 and 无效问卷 sheets
(the work is addin/jobs/survey.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from addin.jobs import survey as job
from addin.jobs.language import check_lang
from addin.jobs.survey import SurveyOptions, analyse_survey  # noqa: F401  (scripts import it from here)

from .common import DoorFlags, finish, handled, job_options, out, shared_options
from .running import read_run_write


def run_survey(input_path: Path, output: Optional[Path] = None, *, sheet: str | None = None,
               header_row: int | None = None, items_sheet: str | None = None, issued: int | None = None,
               threshold: float = 2 / 3, score_map: str = "linear", min_seconds: float | None = None,
               in_place: bool = False, print_setup: bool = False, quiet: bool = False, exclude: str | None = None, interval: str = "default",
               scheme: str = "centroid", bootstrap: int = 200, paths_sheet: str | None = None,
               min_group: int = 30, kind: str | None = None, lang: str | None = None,
               options: SurveyOptions | None = None, mark: bool | None = None) -> dict[str, Any]:
    """Read the survey, analyse it, write the report; returns a summary dict (what the CLI prints)."""
    options = options or SurveyOptions(items_sheet=items_sheet, issued=issued, threshold=threshold,
                                       score_map=score_map, min_seconds=min_seconds, exclude=exclude,
                                       interval=interval, scheme=scheme, bootstrap=bootstrap,
                                       paths_sheet=paths_sheet, min_group=min_group, lang=check_lang(lang))
    wanted = options.items_sheet
    ran = read_run_write(input_path, output, lambda table: job.run(table, options), read_kind="survey",
                         command="survey", forced_kind=kind, in_place=in_place, print_setup=print_setup, mark=mark, sheet=sheet,
                         header_row=header_row,
                         quiet=quiet, steps=("读取问卷 Reading", "分析 Analysing", "写出报告 Writing"),
                         # a usage error (an unknown --items-sheet, exit 2) is told before the kind
                         check_kind=lambda t: wanted is None or wanted.casefold() in {n.casefold() for n in t.book_sheets})
    return ran.summary(sheets=ran.report.added_sheets, lines=ran.results.lines)


def register(app: typer.Typer) -> None:
    @app.command("survey")
    @shared_options("output", "sheet", "header_row", "in_place", "json_out", "quiet", "kind", "lang",
                    "options_file", "save_options", "mask")
    def survey_cmd(
        file: Path = typer.Argument(..., help="问卷答卷表（每行一份问卷）。Survey sheet, one row per questionnaire."),
        items_sheet: Optional[str] = typer.Option(None, "--items-sheet", help="题目表名称（默认找名为“题目”的表）。Sheet listing the questions."),
        issued: Optional[int] = typer.Option(None, "--issued", min=1, help="发放问卷份数（默认从表头上方“发放…份”读取）。Number of questionnaires handed out."),
        valid_share: float = typer.Option(2 / 3, "--valid-share", help="有效问卷至少要答的题目比例（默认 2/3）。Share of questions a valid questionnaire must answer."),
        score_map: str = typer.Option("linear", "--score-map", help="linear：线性 0–100；level：100/80/60/30/0。How answers become scores."),
        min_seconds: Optional[float] = typer.Option(None, "--min-seconds", help="答题用时下限（秒；默认中位数的 1/3）。Shortest credible answering time in seconds."),
        exclude: Optional[str] = typer.Option(None, "--exclude", help="另外排除的标记：straightline,speeding,offscale"
                                              "（默认只排除答题不足 2/3 和重复答卷）。Further flags that exclude a questionnaire."),
        interval: str = typer.Option("default", "--interval", help="区间方法：default（比例 Wilson、NPS 调整 Wald）、"
                                     "wilson、adjusted-wald、wald、bootstrap。Interval method."),
        scheme: str = typer.Option("centroid", "--scheme", help="路径模型内部加权：centroid、factorial、path。Inner weighting of the path model."),
        bootstrap: int = typer.Option(200, "--bootstrap", min=0, help="路径模型自助法次数（0 = 不做）。Bootstrap draws for the path model (0: none)."),
        paths_sheet: Optional[str] = typer.Option(None, "--paths-sheet", help="路径表名称（两列：从、到；默认找名为“路径”的表）。Sheet of the model's paths (from, to)."),
        min_group: int = typer.Option(30, "--min-group", min=2, help="分组检验的最小样本量（更小的组不下结论）。Smallest group that is tested."),
        door: DoorFlags = None,
    ):
        """满意度调查分析：回收情况、各题满意度、综合指数、NPS、驱动因素、分组比较。Analyse a satisfaction survey.

        示例 Example:  kehu survey 满意度调查.xlsx --issued 360 -o 报告.xlsx
        """
        with handled(door.json_out):
            options = job_options(SurveyOptions, door, items_sheet=items_sheet, issued=issued, threshold=valid_share,
                                  score_map=score_map, min_seconds=min_seconds, exclude=exclude, interval=interval,
                                  scheme=scheme, bootstrap=bootstrap, paths_sheet=paths_sheet, min_group=min_group)
            s = run_survey(file, door.output, kind=door.kind, sheet=door.sheet, header_row=door.header_row,
                           in_place=door.in_place, print_setup=door.print_setup, mark=door.mark, quiet=door.quiet, options=options)
            finish(s, door, _print)


def _print(s: dict) -> None:
    r = s["response"]
    out.print(f"{Path(s['file']).name}  工作表 {s['sheet']}  回收 {r['returned']} 份  "
              f"有效 {r['valid']} 份  无效 {r['invalid']} 份")
    for f in s["findings"]:
        out.print(f"· {f}")
    out.print(f"已写出 Written: {s['output']}（{ '、'.join(s['sheets']) }）")
