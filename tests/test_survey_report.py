"""The 满意度报告 sheet, built with xlsxwriter and read back: every printed share and rate, the charts, the command."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from addin.report.survey_sheet import build_survey_sheet
from udfs.score.survey import analyse_survey

from tests.test_survey_engine import WORKED, worked_example

SAMPLES = Path(__file__).resolve().parents[1] / "workbook_templates" / "samples"


def _build(tmp_path: Path, res) -> Path:
    path = tmp_path / "report.xlsx"
    wb = xlsxwriter.Workbook(path)
    build_survey_sheet(wb, wb.add_worksheet("满意度报告"), res)
    wb.close()
    return path


def _find(ws, text):
    for row in ws.iter_rows():
        for c in row:
            if c.value == text:
                return c
    raise AssertionError(f"{text!r} not in the sheet")


@pytest.fixture(scope="module")
def worked_report(tmp_path_factory):
    res = analyse_survey(worked_example(), issued=200)
    path = _build(tmp_path_factory.mktemp("rep"), res)
    return res, path, openpyxl.load_workbook(path)["满意度报告"]


def test_worked_example_rates_in_sheet(worked_report):
    _res, _path, ws = worked_report
    expect = {"发放问卷": 200, "回收问卷": 185, "有效问卷": 180, "无效问卷": 5,
              "回收率": 185 / 200, "有效率（有效/回收）": 180 / 185, "有效回收率（有效/发放）": 0.90}
    for label, value in expect.items():
        c = _find(ws, label)
        below = ws.cell(c.row + 1, c.column)
        assert below.value == pytest.approx(value)
        assert below.number_format == ("0.0%" if "率" in label else "#,##0")


def test_worked_example_every_level_share_in_sheet(worked_report):
    _res, _path, ws = worked_report
    head = _find(ws, "排名")
    headers = {ws.cell(head.row, j).value: j for j in range(1, ws.max_column + 1)}
    seen = set()
    for r in range(head.row + 1, head.row + 1 + len(WORKED)):
        item = ws.cell(r, headers["题目"]).value
        vs, s, d = WORKED[item]
        shares = {name: ws.cell(r, headers[name]) for name in ("非常满意", "满意", "一般", "不满意", "非常不满意")}
        assert shares["非常满意"].value == pytest.approx(vs) and shares["满意"].value == pytest.approx(s)
        assert shares["不满意"].value == pytest.approx(d) and shares["一般"].value == 0
        assert all(c.number_format == "0.0%" for c in shares.values())
        assert ws.cell(r, headers["满意率（前两档）"]).value == pytest.approx(vs + s)
        assert ws.cell(r, headers["满意度"]).value == pytest.approx(vs * 100 + s * 75 + d * 25)
        seen.add(item)
    assert seen == set(WORKED)
    # ranked by satisfaction: 沟通与反馈渠道 (85% very satisfied) first, 送货 last
    assert ws.cell(head.row + 1, headers["题目"]).value == "沟通与反馈渠道"
    assert ws.cell(head.row + 4, headers["题目"]).value == "送货"


def test_findings_and_titles_at_top(worked_report):
    res, path, ws = worked_report
    assert ws["A1"].value == "顾客满意度调查报告"
    top = [ws.cell(r, 1).value for r in range(1, 15)]
    assert "主要发现" in top
    assert any(isinstance(v, str) and v.startswith("2. 满意度最低的题目：「送货」") for v in top)
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    titles = {t for xml in charts for t in re.findall(r"<a:t>([^<]+)</a:t>", xml)}
    assert {"各题满意程度分布", "各题满意度得分"} <= titles
    assert any('c:grouping val="percentStacked"' in xml for xml in charts)


def test_sample_report_has_scatter_groups_and_drivers(tmp_path):
    from workbook_templates.samples.build_survey import build_answers, build_items

    res = analyse_survey(build_answers(), items_sheet=build_items(), issued=360)
    path = _build(tmp_path, res)
    ws = openpyxl.load_workbook(path)["满意度报告"]
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    # levels, scores, importance–performance, and the model's improvement-priority map
    assert len(charts) == 4 and sum("<c:scatterChart>" in x for x in charts) == 2
    assert any("改进优先图" in x for x in charts)
    for label in ("按「门店」", "按「性别」", "按「年龄段」", "象限"):
        _find(ws, label)
    # the group table's CSAT row is a percentage, its NPS row a number of points
    c = _find(ws, "CSAT（前两档占比）")
    assert ws.cell(c.row, c.column + 1).number_format == "0.0%"
    ind = res.indices.set_index("index")["value"]
    c = _find(ws, "NPS 净推荐值")
    assert ws.cell(c.row, c.column + 1).value == pytest.approx(ind["NPS 净推荐值"])


def test_survey_command_on_bundled_sample(tmp_path):
    from addin.commands.survey import run_survey

    out = tmp_path / "out.xlsx"
    s = run_survey(SAMPLES / "sample_survey.xlsx", out, quiet=True)
    assert s["response"]["issued"] == 360 and s["issued_from"] == "cell"      # from the title row
    # 12 planted problems are flagged; by default only the 3 incomplete forms and 2 duplicates are excluded
    assert s["response"]["returned"] == 302 and s["response"]["invalid"] == 5 and s["response"]["flagged"] == 12
    assert s["items_sheet"] == "题目"
    wb = openpyxl.load_workbook(out)
    assert {"答卷", "题目", "满意度报告", "无效问卷"} <= set(wb.sheetnames)
    inv = wb["无效问卷"]
    rows = list(inv.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 12 and all(r[-2] for r in rows)
    # the Excel row numbers point back at the questionnaires (header on row 2, data from row 3)
    answers = wb["答卷"]
    for r in rows:
        assert answers.cell(r[0], 1).value == r[1]
