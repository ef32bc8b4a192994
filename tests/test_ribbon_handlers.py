"""Ribbon handlers: the file door gives the CLI's output; the live (xlwings) door puts the same values in place."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from addin.ribbon import FileBook, run_button
from addin.ribbon.handlers import ANALYSES, HELP_TEXT
from addin.book.live import XlwingsBook

from .fake_xlwings import FakeBook

SAMPLES = Path(__file__).resolve().parents[1] / "workbook_templates" / "samples"


def _book(path: Path) -> dict[str, list[list]]:
    wb = CalamineWorkbook.from_path(str(path))
    return {n: wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wb.sheet_names}


def test_every_ribbon_button_has_a_handler():
    from addin.ribbon.handlers import SIMPLE
    from addin.xlam.buttons import BUTTON_IDS

    assert set(BUTTON_IDS) == set(ANALYSES) | set(SIMPLE)


def test_survey_button_equals_cli(tmp_path):
    from addin.commands.survey import run_survey

    src = SAMPLES / "sample_survey.xlsx"
    cli_out = Path(run_survey(src, tmp_path / "cli.xlsx", quiet=True)["output"])
    port = FileBook(src, tmp_path / "ribbon.xlsx")
    code, text = run_button("kehu_survey", port)
    assert code == 0 and "有效" in text
    assert _book(port.written) == _book(cli_out)


def test_segment_button_equals_cli(tmp_path):
    from addin.commands.segment import run_segment

    src = SAMPLES / "sample_register.xlsx"
    cli_out = Path(run_segment(src, tmp_path / "cli.xlsx", quiet=True)["output"])
    port = FileBook(src, tmp_path / "ribbon.xlsx")
    code, _text = run_button("kehu_segment", port)
    assert code == 0
    assert _book(port.written) == _book(cli_out)


def test_help_and_unknown_button(tmp_path):
    port = FileBook(tmp_path / "any.xlsx")
    assert run_button("kehu_help", port) == (0, HELP_TEXT)
    code, text = run_button("kehu_nope", port)
    assert code == 2 and text.startswith("错误：")


def _live(src: Path) -> tuple[FakeBook, XlwingsBook]:
    sheets = _book(src)
    fake = FakeBook(str(src), sheets, next(iter(sheets)))
    return fake, XlwingsBook(fake)


def _cells_from_rows(rows: list[list]) -> dict[tuple[int, int], object]:
    return {(i + 1, j + 1): v for i, r in enumerate(rows) for j, v in enumerate(r) if v not in (None, "")}


def _same(a, b) -> bool:
    if isinstance(a, dt.datetime) and isinstance(b, dt.date):
        return a.date() == (b if not isinstance(b, dt.datetime) else b.date())
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) < 1e-9
    return a == b


def test_live_door_writes_the_same_cells_as_the_file_door(tmp_path):
    src = SAMPLES / "sample_register.xlsx"
    port = FileBook(src, tmp_path / "file.xlsx")
    assert run_button("kehu_clean", port)[0] == 0
    expected = _book(port.written)
    fake, live = _live(src)
    code, text = run_button("kehu_clean", live)
    assert code == 0 and fake.alerts == [text]
    got = fake.sheets["客户档案"].cells
    want = _cells_from_rows(expected["客户档案"])
    assert set(got) == set(want)
    assert all(_same(got[k], want[k]) for k in want), [k for k in want if not _same(got[k], want[k])][:5]
    # the problem sheet has the same table (the live door writes title, header and rows the same way)
    problems = fake.sheets["问题清单"].cells
    want_p = _cells_from_rows(expected["问题清单"])
    as_text = lambda v: str(float(v)) if isinstance(v, (int, float)) else str(v)  # noqa: E731  calamine reads 53 as 53.0
    assert {k: as_text(v) for k, v in problems.items()} == {k: as_text(v) for k, v in want_p.items()}
    assert fake.active_name == "问题清单"


def test_live_door_copies_built_report_sheets(tmp_path):
    fake, live = _live(SAMPLES / "sample_survey.xlsx")
    fake.active_name = "答卷"
    code, _text = run_button("kehu_survey", live)
    assert code == 0
    names = [s.name for s in fake.sheets]
    assert "满意度报告" in names and "无效问卷" in names
    report = fake.sheets["满意度报告"].cells
    assert any(isinstance(v, str) and "满意度" in v for v in report.values())


def test_live_door_reports_errors_in_a_message_box(tmp_path):
    fake = FakeBook(str(tmp_path / "empty.xlsx"), {"Sheet1": [["", ""]]}, "Sheet1")
    code, text = run_button("kehu_clean", XlwingsBook(fake))
    assert code == 4 and fake.alerts == [text] and text.startswith("错误：") and "\nError: " in text


TEMPLATES = Path(__file__).resolve().parents[1] / "workbook_templates"


@pytest.mark.parametrize("button,template,cli", [
    ("kehu_clean", "客户档案模板.xlsx", ("clean",)),
    ("kehu_dupes", "客户档案模板.xlsx", None),
    ("kehu_segment", "客户档案模板.xlsx", ("segment",)),
    ("kehu_survey", "满意度调查模板.xlsx", ("survey",)),
])
def test_buttons_on_the_templates(button, template, cli, tmp_path):
    """Every analysis button works on the templates as shipped, and matches its CLI command."""
    from typer.testing import CliRunner

    from addin.cli import app

    port = FileBook(TEMPLATES / template, tmp_path / "ribbon.xlsx")
    code, text = run_button(button, port)
    assert code == 0, text
    if cli:
        result = CliRunner().invoke(app, [*cli, str(TEMPLATES / template), "-o", str(tmp_path / "cli.xlsx"), "-q"])
        assert result.exit_code == 0, result.stderr
        assert _book(port.written) == _book(tmp_path / "cli.xlsx")


@pytest.mark.parametrize("button,template", [("kehu_new_register", "客户档案模板.xlsx"),
                                             ("kehu_new_survey", "满意度调查模板.xlsx")])
def test_new_workbook_buttons_copy_the_template(button, template, tmp_path):
    port = FileBook(tmp_path / "unused.xlsx", tmp_path / "新.xlsx")
    code, text = run_button(button, port)
    assert code == 0 and str(tmp_path / "新.xlsx") in text
    assert (tmp_path / "新.xlsx").read_bytes() == (TEMPLATES / template).read_bytes()
