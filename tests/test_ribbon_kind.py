"""A ribbon button on the wrong kind of sheet gives the CLI's refusal (the same two lines, exit 4)."""
from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from addin.book.file import FileBook
from addin.cli import app
from addin.ribbon.handlers import run_button

SAMPLES = Path(__file__).resolve().parents[1] / "workbook_templates" / "samples"


def test_clean_and_segment_buttons_on_a_survey_refuse_as_the_cli_does(tmp_path):
    survey = SAMPLES / "sample_survey.xlsx"
    for button, command in (("kehu_clean", "clean"), ("kehu_segment", "segment"), ("kehu_dupes", "dedupe")):
        port = FileBook(survey, tmp_path / f"{button}.xlsx")
        code, text = run_button(button, port)
        cli = CliRunner().invoke(app, [command, str(survey), "-o", str(tmp_path / f"{command}.xlsx")])
        assert code == cli.exit_code == 4
        assert "kehu survey" in text and text.splitlines()[0].split("：", 1)[1] in cli.output.replace("\n", "")
        assert port.written is None and not (tmp_path / f"{button}.xlsx").exists()


def test_survey_button_on_a_register_refuses(tmp_path):
    port = FileBook(SAMPLES / "sample_register.xlsx", tmp_path / "x.xlsx")
    code, text = run_button("kehu_survey", port)
    assert code == 4 and text.startswith("错误：") and "\nError: " in text
