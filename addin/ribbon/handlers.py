"""One handler per ribbon button: read the active sheet, run the same job as the CLI (default options), write."""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from addin.book.port import WorkbookPort
from addin.errors import ExitCode, KehuError
from addin.jobs.inputs import Inputs
from addin.jobs.options import JobOptions
from addin.read.kinds import ensure_kind

TEMPLATES = Path(__file__).resolve().parents[2] / "workbook_templates"
REGISTER_TEMPLATE = TEMPLATES / "客户档案模板.xlsx"
SURVEY_TEMPLATE = TEMPLATES / "满意度调查模板.xlsx"

HELP_TEXT = (
    "kehu 客户工具\n"
    "· 清洗客户表：规范手机号、日期、金额等，在数据右侧加“问题”列，另建“问题清单”。\n"
    "· 校验证件号：检查身份证号和统一社会信用代码的校验位。\n"
    "· 查找重复：标出重复客户（重复组、重复标记、相似度、匹配依据）。\n"
    "· 合并重复：另建“去重结果”和“合并记录”工作表，原表不变。\n"
    "· 按复核合并：在「重复对」表的「复核」列选“是同一客户/不是同一客户”后，按复核结果重新合并。\n"
    "· 客户细分：RFM 评分、细分、客户类型、价值等级、下次跟进日期。\n"
    "· 满意度报告：对“答卷”表生成“满意度报告”和“无效问卷”。\n"
    "· 投诉分析：对联系/投诉记录表生成“投诉分析”“逾期未结”“重复投诉”等工作表。\n"
    "· 脱敏副本：另存一份姓名、手机、证件号、邮箱、地址已打码的副本，供发给团队以外的人。\n"
    "· 客户分析报告：客户构成、业务与交易状况、留存与流失、交叉销售等，订单取自“订单”表。\n"
    "公式：在单元格输入 =KEHU_MOBILE(D5:D500) 等，结果自动向下溢出。\n"
    "命令行：kehu --help"
)


@dataclass(frozen=True)
class Analysis:
    """A button that runs one job with its default options on the active sheet of the book."""
    kind: str                    # which kind of table the job reads (register, survey, complaints)
    job: str                     # the job module under addin.jobs
    options: Callable[[], JobOptions]
    command: str | None = None   # the CLI command whose kind check applies (None: the reader's own judgement)

    def run(self, port: WorkbookPort) -> str:
        table = port.table(self.kind)
        if self.command is not None:
            ensure_kind(table, self.command)   # the same refusal as the CLI on the wrong kind of sheet
        job = importlib.import_module(f"addin.jobs.{self.job}")
        results = job.run(Inputs(table, port.sheet_rows), self.options())
        where = port.apply(table, results)
        return "\n".join(results.lines + [f"结果：{where}"])


def _options(module: str, name: str, **values: object) -> Callable[[], JobOptions]:
    """The job's options with the ribbon's defaults, built when the button is pressed (nothing imported before)."""
    return lambda: getattr(importlib.import_module(f"addin.jobs.{module}"), name)(**values)


ANALYSES: dict[str, Analysis] = {
    "kehu_clean": Analysis("register", "clean", _options("clean", "CleanOptions"), "clean"),
    "kehu_ids": Analysis("register", "clean", _options("clean", "CleanOptions", ids_only=True), "clean"),
    "kehu_dupes": Analysis("register", "dedupe", _options("dedupe", "DedupeOptions", merge=False), "dedupe"),
    "kehu_merge": Analysis("register", "dedupe", _options("dedupe", "DedupeOptions", merge=True), "dedupe"),
    "kehu_segment": Analysis("register", "segment", _options("segment", "SegmentOptions"), "segment"),
    "kehu_survey": Analysis("survey", "survey", _options("survey", "SurveyOptions"), "survey"),
    # 按复核合并: the decisions in the workbook's own 重复对 sheet (复核 column) as must/cannot-links
    "kehu_merge_reviewed": Analysis("register", "dedupe", _options("dedupe", "DedupeOptions", reviewed_in_book=True),
                                    "dedupe"),
    # 投诉分析: linked to a 客户档案 sheet of the same workbook when there is one
    "kehu_complaints": Analysis("complaints", "complaints", _options("complaints", "ComplaintsOptions",
                                                                     register_in_book=True)),
    # 客户分析报告: orders from an 订单 sheet of the same workbook
    "kehu_report": Analysis("register", "report", _options("report", "ReportOptions", orders_in_book=True), "report"),
}


def _template(path: Path, name: str) -> Callable[[WorkbookPort], str]:
    def run(port: WorkbookPort) -> str:
        if not path.exists():
            raise KehuError(f"找不到模板文件 {path.name}，请重新安装 kehu。",
                            f"Template {path.name} is missing; reinstall kehu.", ExitCode.INPUT_FILE)
        return f"已新建：{port.open_template(path, name)}"
    return run


def _masked_copy(port: WorkbookPort) -> str:
    """脱敏副本: the saved workbook masked into a copy beside it (or where the frozen exe's --out says)."""
    from addin.jobs.mask import mask_file, masked_copy_path

    path = getattr(port, "path", None)
    if path is None or not Path(path).is_file():
        raise KehuError("请先保存工作簿，再生成脱敏副本（副本按已保存的文件生成）。",
                        "Save the workbook first: the masked copy is made from the saved file.", ExitCode.INPUT_FILE)
    target = getattr(port, "output", None) or masked_copy_path(Path(path))
    results = mask_file(Path(path), target)
    if hasattr(port, "written"):
        port.written = Path(target)
    return "\n".join(results.lines + [f"脱敏副本：{target}（按已保存的文件生成，原工作簿不变）"])


SIMPLE: dict[str, Callable[[WorkbookPort], str]] = {
    "kehu_mask": _masked_copy,
    "kehu_new_register": _template(REGISTER_TEMPLATE, "客户档案.xlsx"),
    "kehu_new_survey": _template(SURVEY_TEMPLATE, "满意度调查.xlsx"),
    "kehu_help": lambda port: HELP_TEXT,
}


def run_button(button_id: str, port: WorkbookPort) -> tuple[int, str]:
    """Run one button on a workbook; the user sees the returned text. Returns (exit code, text)."""
    from udfs.errors import InputProblem

    try:
        try:
            if button_id in ANALYSES:
                text = ANALYSES[button_id].run(port)
            elif button_id in SIMPLE:
                text = SIMPLE[button_id](port)
            else:
                raise KehuError(f"未知的按钮“{button_id}”。", f"Unknown ribbon button '{button_id}'.", ExitCode.USAGE)
        except InputProblem as problem:
            from addin.errors import from_input_problem

            raise from_input_problem(problem) from None
        code = 0
    except KehuError as e:
        text, code = e.lines(), int(e.code)   # the same two lines the CLI prints
    port.message(text)
    return code, text
