"""`kehu clean` on the bundled sample: the planted problems and no others; formulas, CLI and ribbon agree."""
from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from addin.read import read_table
from addin.ribbon import FileBook, run_button
from udfs.formulas import clean as formulas

SAMPLE_TRUTH = Path(__file__).resolve().parents[1] / "workbook_templates" / "samples" / "sample_register.truth.json"


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory, sample_register):
    from addin.commands.clean import run_clean

    out = tmp_path_factory.mktemp("clean") / "out.xlsx"
    summary = run_clean(sample_register, out, today="2024-06-30")
    return summary, out


def _sheet(path: Path, name: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python(skip_empty_area=False)


def test_planted_problems_and_no_others(cleaned, sample_register):
    summary, out = cleaned
    truth = json.loads(SAMPLE_TRUTH.read_text(encoding="utf-8"))["problems"]
    table = read_table(sample_register)
    row_of = dict(zip(table.df["客户编号"], table.rows.tolist()))
    expected = sorted((row_of[p["customer_id"]], p["column"], p["code"]) for p in truth)
    listing = _sheet(out, "问题清单")
    header_at = next(i for i, r in enumerate(listing) if r[:2] == ["行号", "列"])
    from udfs.validate.problems import PROBLEMS

    zh_to_code = {p.zh: c for c, p in PROBLEMS.items()}
    got = sorted((int(r[0]), r[1], zh_to_code[r[3]]) for r in listing[header_at + 1:] if r[0] != "")
    assert got == expected
    assert summary["problems"] == len(truth) and summary["rows_with_problems"] == len(truth)
    assert summary["rows_without_problems"] == 60 - len(truth)


def test_original_cells_untouched_and_columns_added(cleaned, sample_register):
    _summary, out = cleaned
    before, after = _sheet(sample_register, "客户档案"), _sheet(out, "客户档案")
    width = len(before[3])
    assert [r[:width] for r in after[:len(before)]] == [r + [""] * (width - len(r)) for r in before]
    header = after[3]
    for added in ("手机(规范)", "身份证号(18位)", "最近购买日期(日期)", "累计金额(数值)", "问题"):
        assert added in header[width:]


def test_normalised_values_in_the_copy(cleaned, sample_register):
    _summary, out = cleaned
    wb = openpyxl.load_workbook(out, read_only=True)
    ws = wb["客户档案"]
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[3])
    table = read_table(sample_register)
    by_id = {r[0]: r for r in rows[4:] if r[0]}
    # C0058 was entered with a full-width mobile; its normalised copy must be the plain digits of C0023's
    assert by_id["C0058"][header.index("手机(规范)")] == by_id["C0023"][header.index("手机(规范)")]
    assert by_id["C0058"][header.index("手机(规范)")].isdigit()
    # every non-blank amount in the register became a number
    amounts = [by_id[c][header.index("累计金额(数值)")] for c in table.df["客户编号"]]
    assert all(isinstance(a, (int, float)) for a in amounts)
    # the date columns are real dates, shown as dates
    d = by_id["C0001"][header.index("最近购买日期(日期)")]
    assert hasattr(d, "year")


def test_formulas_agree_with_the_cli(cleaned, sample_register):
    """KEHU_CHECK over the register range gives the 问题 column; KEHU_MOBILE gives 手机(规范)."""
    _summary, out = cleaned
    table = read_table(sample_register)
    excel_range = [list(table.df.columns)] + table.df.astype(object).where(table.df.notna(), None).values.tolist()
    check = [r[0] for r in formulas.KEHU_CHECK(excel_range)]
    mobile = [r[0] for r in formulas.KEHU_MOBILE([[v] for v in table.df["手机"]])]
    written = _sheet(out, "客户档案")
    header = written[3]
    by_row = {i + 1: r for i, r in enumerate(written)}
    problem_col = [by_row[r][header.index("问题")] for r in table.rows]
    mobile_col = [by_row[r][header.index("手机(规范)")] for r in table.rows]
    # the CLI ran with today=2024-06-30, the formula with the real today: only future-date checks could differ,
    # and the one planted future date (2031) is in the future either way
    assert [c or "" for c in check] == problem_col
    assert [m or "" for m in mobile] == mobile_col


def test_ribbon_handler_writes_the_same_workbook(cleaned, sample_register, tmp_path):
    _summary, out = cleaned
    port = FileBook(sample_register, tmp_path / "ribbon.xlsx")
    code, text = run_button("kehu_clean", port)
    assert code == 0 and "12 行有问题" in text
    assert _sheet(port.written, "客户档案") == _sheet(out, "客户档案")
    assert _sheet(port.written, "问题清单") == _sheet(out, "问题清单")


def test_ribbon_reports_errors_with_cli_text(tmp_path, cli):
    missing = tmp_path / "nope.xlsx"
    port = FileBook(missing, tmp_path / "o.xlsx")
    code, text = run_button("kehu_clean", port)
    cli_code, _out, cli_err = cli("clean", missing)
    assert code == cli_code == 3
    assert text.splitlines()[0] == cli_err.strip().splitlines()[0]
    assert port.messages == [text]


def test_clean_never_overwrites_input_without_in_place(cli, sample_register, tmp_path):
    import shutil

    src = tmp_path / "reg.xlsx"
    shutil.copy(sample_register, src)
    code, _o, err = cli("clean", src, "-o", src)
    assert code == 2 and "--in-place" in err
    before = src.read_bytes()
    code, _o, _e = cli("clean", src, "--in-place", "-q")
    assert code == 0
    backups = list(tmp_path.glob("reg.backup-*.xlsx"))
    assert len(backups) == 1 and backups[0].read_bytes() == before
    assert "问题清单" in CalamineWorkbook.from_path(str(src)).sheet_names


def test_clean_json_summary(cli, sample_register, tmp_path):
    code, stdout, _ = cli("clean", sample_register, "-o", tmp_path / "j.xlsx", "--json", "--today", "2024-06-30")
    doc = json.loads(stdout)
    assert code == 0 and doc["rows"] == 60 and doc["problems"] == 12
    assert {p["code"] for p in doc["problems_by_type"]} >= {"ID_CHECKSUM", "USCC_CHECKSUM", "MOBILE_ROUNDED"}


def test_csv_input_becomes_xlsx_with_text_kept(cli, tmp_path):
    src = tmp_path / "客户.csv"
    src.write_text("客户编号,姓名,手机\nC1,=1+1,+86 138 0013 8000\n", encoding="gbk")
    code, _o, err = cli("clean", src, "-q")
    out = tmp_path / "客户.kehu.xlsx"
    assert code == 0, err
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    assert ws["B2"].value == "=1+1" and ws["B2"].data_type == "s"   # text, never a formula
    header = [c.value for c in ws[1]]
    assert ws.cell(2, header.index("手机(规范)") + 1).value == "13800138000"
