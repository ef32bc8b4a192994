"""Every job's options survive a JSON round trip; a saved run can be repeated; bad option files are refused
in the usual two lines (exit 2), never silently dropped."""
from __future__ import annotations

import dataclasses
import json
import typing
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from addin.cli import app
from addin.errors import ExitCode, KehuError
from addin.jobs.clean import CleanOptions
from addin.jobs.complaints import ComplaintsOptions
from addin.jobs.dedupe import DedupeOptions
from addin.jobs.inspect import InspectOptions
from addin.jobs.report import ReportOptions
from addin.jobs.segment import SegmentOptions
from addin.jobs.survey import SurveyOptions

ALL = [CleanOptions, DedupeOptions, SurveyOptions, SegmentOptions, ComplaintsOptions, ReportOptions, InspectOptions]
SAMPLE = Path(__file__).resolve().parents[1] / "workbook_templates" / "samples" / "sample_register.xlsx"


def _unlike_default(name: str, hint, default):
    """A value of the field's type that differs from its default (so a dropped field would show)."""
    kinds = [a for a in (typing.get_args(hint) or (hint,)) if a is not type(None)]
    kind = typing.get_origin(kinds[0]) or kinds[0]
    if kind is bool:
        return not default
    if kind is int:
        return (default or 0) + 7
    if kind is float:
        return 0.4375 if default != 0.4375 else 0.5
    if kind is Path:
        return Path("子目录") / f"{name}.xlsx"
    if kind is dict:
        return {"投诉": 2, "报修": 4}
    return f"{name}-值"


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.job)
def test_options_round_trip_through_json(cls):
    hints = typing.get_type_hints(cls)
    values = {f.name: _unlike_default(f.name, hints[f.name], getattr(cls(), f.name)) for f in dataclasses.fields(cls)}
    options = cls(**values)
    again = cls.from_json(options.to_json())
    assert again == options
    assert all(getattr(again, k) != getattr(cls(), k) for k in values)   # every field was carried, none defaulted
    assert json.loads(options.to_json())["job"] == cls.job


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.job)
def test_unknown_keys_wrong_types_and_other_jobs_are_refused(cls):
    for text in ('{"job": "%s", "options": {"no_such_option": 1}}' % cls.job,
                 '{"job": "%s", "options": {"lang": 3}}' % cls.job,
                 '{"job": "not-%s", "options": {}}' % cls.job, "{not json"):
        with pytest.raises(KehuError) as caught:
            cls.from_json(text)
        assert caught.value.code == ExitCode.USAGE and caught.value.zh and caught.value.en


def _cells(path: Path, sheet: str | None = None) -> list[tuple]:
    wb = openpyxl.load_workbook(path, read_only=True)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def test_a_saved_run_repeats_and_flags_given_now_win(tmp_path):
    runner = CliRunner()
    saved = tmp_path / "clean.options.json"
    first = runner.invoke(app, ["clean", str(SAMPLE), "-o", str(tmp_path / "a.xlsx"), "--today", "2020-01-01",
                                "--lang", "en", "-q", "--save-options", str(saved)])
    assert first.exit_code == 0, first.output
    assert json.loads(saved.read_text(encoding="utf-8"))["options"]["today"] == "2020-01-01"
    again = runner.invoke(app, ["clean", str(SAMPLE), "-o", str(tmp_path / "b.xlsx"), "-q", "--options", str(saved)])
    assert again.exit_code == 0, again.output
    assert _cells(tmp_path / "a.xlsx") == _cells(tmp_path / "b.xlsx")
    assert "Problems" in openpyxl.load_workbook(tmp_path / "b.xlsx", read_only=True).sheetnames   # --lang en kept
    over = runner.invoke(app, ["clean", str(SAMPLE), "-o", str(tmp_path / "c.xlsx"), "-q", "--options", str(saved),
                               "--lang", "zh-Hans"])
    assert over.exit_code == 0 and "问题清单" in openpyxl.load_workbook(tmp_path / "c.xlsx", read_only=True).sheetnames


def test_a_misspelt_saved_option_is_a_two_line_usage_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"job": "dedupe", "options": {"treshold": 0.8}}', encoding="utf-8")
    r = CliRunner().invoke(app, ["dedupe", str(SAMPLE), "-o", str(tmp_path / "x.xlsx"), "--options", str(bad)])
    assert r.exit_code == 2
    assert "treshold" in r.output and "错误" in r.output and "Error" in r.output
    assert not (tmp_path / "x.xlsx").exists()


def test_phone_format_national_on_the_command_line(tmp_path):
    """--phone-format national: non-mainland numbers as phonenumbers' own NATIONAL format gives them."""
    import phonenumbers
    import pandas as pd

    mobiles = ["0912-345-678", "0933 221 110", "0988765432"]
    src = tmp_path / "台灣客戶.xlsx"
    pd.DataFrame({"客戶編號": ["T1", "T2", "T3"], "姓名": ["陳大文", "林美玲", "王小明"], "行動電話": mobiles}
                 ).to_excel(src, index=False)
    for form, style in (("national", phonenumbers.PhoneNumberFormat.NATIONAL),
                        ("e164", phonenumbers.PhoneNumberFormat.E164)):
        out = tmp_path / f"{form}.xlsx"
        r = CliRunner().invoke(app, ["clean", str(src), "-o", str(out), "-q", "--phone-format", form])
        assert r.exit_code == 0, r.output
        ws = openpyxl.load_workbook(out).worksheets[0]
        header = [c.value for c in ws[1]]
        got = [ws.cell(i, header.index("行動電話(規範)") + 1).value for i in range(2, 5)]
        assert got == [phonenumbers.format_number(phonenumbers.parse(m, "TW"), style) for m in mobiles]
    bad = CliRunner().invoke(app, ["clean", str(src), "-o", str(tmp_path / "x.xlsx"), "--phone-format", "local"])
    assert bad.exit_code == 2
