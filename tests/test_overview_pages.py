"""Every job writes one 总览 page: headline figures that agree with the detail sheets they link to, links that go
to sheets that exist, one or two native charts, page setup fit to one A4 page — and LibreOffice prints it on
exactly one page. Run on the bundled samples, the workbook template and a generated complaint log."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from addin.cli import app
from benchmarks.make_complaint_log import make_log, make_register

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "workbook_templates" / "samples"
TEMPLATE = ROOT / "workbook_templates" / "客户档案模板.xlsx"
OVERVIEW = "总览"


def _complaint_files(tmp: Path) -> tuple[Path, Path]:
    register = make_register(300, 5)
    log, _ = make_log(1_500, 6, register)
    log_path, reg_path = tmp / "投诉记录.xlsx", tmp / "客户档案.xlsx"
    log.to_excel(log_path, index=False)
    register.to_excel(reg_path, index=False)
    return log_path, reg_path


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("overview")
    log, reg = _complaint_files(tmp)
    runs = {
        "clean": ["clean", str(SAMPLES / "sample_register.xlsx"), "--dedupe"],
        "dedupe": ["dedupe", str(SAMPLES / "sample_register.xlsx")],
        "against": ["dedupe", str(SAMPLES / "sample_register.xlsx"), "--against", str(TEMPLATE)],
        "survey": ["survey", str(SAMPLES / "sample_survey.xlsx")],
        "segment": ["segment", str(SAMPLES / "sample_register.xlsx"), "--as-of", "2024-06-30"],
        "report": ["report", str(SAMPLES / "sample_register.xlsx"), "--orders", str(SAMPLES / "sample_orders.xlsx"),
                   "--as-of", "2024-06-30"],
        "complaints": ["complaints", str(log), "--register", str(reg), "--as-of", "2025-01-15"],
        "template": ["segment", str(TEMPLATE), "--as-of", "2024-06-30"],
    }
    out = {}
    for name, args in runs.items():
        path = tmp / f"{name}.xlsx"
        r = CliRunner().invoke(app, [*args, "-o", str(path), "-q"])
        assert r.exit_code == 0, (name, r.output)
        out[name] = path
    return out


JOBS = ["clean", "dedupe", "against", "survey", "segment", "report", "complaints", "template"]


def _cards(ws) -> dict[str, object]:
    """label → value of each card: a label cell with the value in the cell below."""
    cards = {}
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            below = ws.cell(cell.row + 1, cell.column).value
            if isinstance(cell.value, str) and cell.hyperlink is not None or (
                    isinstance(cell.value, str) and isinstance(below, (int, float))):
                cards[cell.value] = below
    return cards


@pytest.mark.parametrize("job", JOBS)
def test_one_overview_whose_links_go_to_existing_sheets(outputs, job):
    wb = openpyxl.load_workbook(outputs[job])
    assert wb.sheetnames.count(OVERVIEW) == 1
    ws = wb[OVERVIEW]
    links = [c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink is not None]
    assert len(links) >= 3
    for target in links:
        m = re.fullmatch(r"'(.+)'!A1", target)
        assert m and m.group(1) in wb.sheetnames, target
    setup = ws.page_setup
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # fitToWidth / fitToHeight default to 1 in OOXML (xlsxwriter leaves a 1 out)
    assert (setup.fitToWidth or 1, setup.fitToHeight or 1, int(setup.paperSize)) == (1, 1, 9)
    assert setup.orientation == "portrait" and ws.print_area


@pytest.mark.parametrize("job", JOBS)
def test_one_or_two_native_charts_drawn_from_the_page(outputs, job):
    with zipfile.ZipFile(outputs[job]) as z:
        charts = [z.read(n).decode() for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml", n)]
    own = [c for c in charts if f"{OVERVIEW}!$" in c or f"'{OVERVIEW}'!$" in c]
    assert 1 <= len(own) <= 2


def test_figures_agree_with_the_sheets_they_link_to(outputs):
    wb = openpyxl.load_workbook(outputs["segment"])
    cards = _cards(wb[OVERVIEW])
    follow = [r for r in wb["待跟进"].iter_rows(min_row=3, values_only=True) if r[0] is not None]
    assert cards["今天要联系"] == len(follow) > 0
    data = wb["客户档案"]
    head = [c.value for c in data[4]]
    types = [r[head.index("客户类型")] for r in data.iter_rows(min_row=5, values_only=True) if r[0]]
    for kind in ("忠诚客户", "流失客户", "潜在客户", "边缘客户"):
        assert cards[kind] == types.count(kind)
    wb = openpyxl.load_workbook(outputs["clean"])
    cards = _cards(wb[OVERVIEW])
    listed = wb["问题清单"]
    head_row = next(r for r in listed.iter_rows(values_only=True) if r and r[0] == "行号")
    rows = list(listed.iter_rows(values_only=True))
    start = rows.index(head_row) + 1
    problems = [r for r in rows[start:] if r[0] is not None]
    assert cards["问题总数"] == len(problems)
    assert cards["有问题的行"] == len({r[0] for r in problems})
    assert cards["去重后客户数"] == sum(1 for r in wb["去重结果"].iter_rows(min_row=3, values_only=True) if r[0])


@pytest.mark.libreoffice
@pytest.mark.parametrize("job", JOBS)
def test_each_overview_prints_on_exactly_one_page(outputs, job, tmp_path):
    assert shutil.which("soffice") and shutil.which("pdftotext"), "LibreOffice and poppler-utils are needed"
    pdf = tmp_path / (outputs[job].stem + ".pdf")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(outputs[job])], check=True, capture_output=True, timeout=300)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    # every page of the overview carries the sheet name in its footer (&A), so an overflow page would be counted
    on = [p for p in range(1, pages + 1)
          if OVERVIEW in subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), str(pdf), "-"],
                                        capture_output=True, text=True, check=True).stdout]
    assert len(on) == 1, on
