"""The 客户分析报告 as LibreOffice prints it: the overview fits one page; each section sheet renders (issue 21)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import xlsxwriter

from addin.report.customer_report_overview import build_overview
from addin.report.customer_report_sheet import build_section_sheet
from udfs.score.report.analysis import ReportInput, analyse_customers

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from make_company import make_company  # noqa: E402

pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdfinfo")),
                                 reason="needs LibreOffice and poppler")]
FIELDS = ["区域", "行业", "公司规模", "公司性质", "来源渠道", "状态"]


def _report(seed: int):
    c = make_company(2000, 40_000, seed=seed)
    o = c.orders.rename(columns={"客户编号": "customer", "下单日期": "date", "金额": "amount", "订单编号": "order_id",
                                 "产品": "product", "成本": "cost", "订单类型": "kind"})
    r = c.register
    return analyse_customers(ReportInput(r["客户编号"], "2024-06-30", fields={k: r[k] for k in FIELDS},
                                         region=r["区域"], status=r["状态"], orders=o))


def _pages(xlsx: Path, out: Path) -> int:
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(xlsx)],
                   check=True, capture_output=True, timeout=240)
    info = subprocess.run(["pdfinfo", str(out / (xlsx.stem + ".pdf"))], capture_output=True, text=True, check=True)
    return int(next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages")))


def test_overview_prints_on_one_page(tmp_path):
    rep = _report(8)
    wb = xlsxwriter.Workbook(tmp_path / "overview.xlsx")
    ws = wb.add_worksheet("客户分析报告")
    build_overview(wb, ws, rep, {s.key: s.title for s in rep.sections})
    wb.close()
    assert _pages(tmp_path / "overview.xlsx", tmp_path) == 1


def test_every_section_sheet_renders_with_its_charts(tmp_path):
    rep = _report(9)
    wb = xlsxwriter.Workbook(tmp_path / "sections.xlsx")
    charts = 0
    for s in rep.sections:
        ws = wb.add_worksheet(s.title)
        build_section_sheet(wb, ws, s, rep.as_of)
        charts += len(ws.charts)
    wb.close()
    assert charts >= 8
    assert _pages(tmp_path / "sections.xlsx", tmp_path) >= len(rep.sections)
