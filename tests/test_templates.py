"""The workbook templates: committed files equal a fresh build, native formulas recalculate in LibreOffice to
independently computed values, kehu's commands accept the templates, validation and flags are in place."""
from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import subprocess
import warnings
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from workbook_templates import build_templates as bt

ROOT = Path(__file__).resolve().parents[1]
REGISTER = ROOT / "workbook_templates" / "客户档案模板.xlsx"
SURVEY = ROOT / "workbook_templates" / "满意度调查模板.xlsx"
SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not on PATH; "
                                                           "apt-get install libreoffice-calc")

#: The functions native formulas may use: the classic set that old Excel, WPS and LibreOffice all compute.
CLASSIC = {"COUNTIFS", "SUMIFS", "AVERAGEIFS", "SUMPRODUCT", "IFERROR", "COUNTA", "COUNT", "COUNTIF",
           "COUNTBLANK", "SUM", "TODAY", "INDEX", "RANK", "AND", "LEN", "SUBSTITUTE", "MEDIAN"}


def load(path: Path, data_only: bool = False):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl does not read the data-bar extension; not under test
        return openpyxl.load_workbook(path, data_only=data_only)


def table_frame(ws, table_name: str) -> pd.DataFrame:
    """An Excel Table's cells as a DataFrame, read from the sheet (not from the builder's constants)."""
    ref = ws.tables[table_name].ref
    rows = [[c.value for c in row] for row in ws[ref]]
    return pd.DataFrame(rows[1:], columns=rows[0], dtype=object)


# ---- committed == fresh build ------------------------------------------------------------------------

def _cell_text(cell) -> object:
    v = cell.value
    if hasattr(v, "text") and hasattr(v, "ref"):  # ArrayFormula
        return ("array", v.ref, v.text)
    return v


def _snapshot(path: Path) -> dict:
    """Everything the test compares, per sheet: cells (formula or value), cached values, number formats,
    tables, validations, conditional formats, comments, frozen panes, column widths; plus defined names."""
    wb, cached = load(path), load(path, data_only=True)
    out = {"sheets": wb.sheetnames, "names": sorted((n, d.attr_text) for n, d in wb.defined_names.items())}
    for ws in wb.worksheets:
        cv = cached[ws.title]
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None or c.comment is not None:
                    cells[c.coordinate] = (_cell_text(c), cv[c.coordinate].value, c.number_format,
                                           c.comment.text if c.comment else None)
        out[ws.title] = {
            "cells": cells,
            "tables": sorted((t.name, t.ref) for t in ws.tables.values()),
            "validations": sorted((str(v.sqref), v.type, v.formula1, v.formula2) for v in ws.data_validations.dataValidation),
            "cf": sorted((str(rng.sqref), r.type, tuple(r.formula or ())) for rng in ws.conditional_formatting
                         for r in rng.rules),
            "freeze": ws.freeze_panes,
            "widths": sorted((k, d.width) for k, d in ws.column_dimensions.items()),
        }
    return out


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fresh")
    bt.build_all(folder)
    return folder


@pytest.mark.parametrize("name", [REGISTER.name, SURVEY.name])
def test_committed_templates_equal_a_fresh_build(fresh, name):
    committed, rebuilt = _snapshot(ROOT / "workbook_templates" / name), _snapshot(fresh / name)
    assert committed["sheets"] == rebuilt["sheets"]
    assert committed["names"] == rebuilt["names"]
    for sheet in committed["sheets"]:
        a, b = committed[sheet], rebuilt[sheet]
        diff = sorted(k for k in set(a["cells"]) | set(b["cells"]) if a["cells"].get(k) != b["cells"].get(k))
        assert not diff, f"{name}/{sheet}: cells differ from a fresh build: {diff[:10]} — run " \
                         f"python -m workbook_templates.build_templates"
        for part in ("tables", "validations", "cf", "freeze", "widths"):
            assert a[part] == b[part], f"{name}/{sheet}: {part} differ from a fresh build"


# ---- LibreOffice recalculation -----------------------------------------------------------------------

# LibreOffice's default for .xlsx is "never recalculate on load": it shows cached values. The templates
# carry cached values for their native formulas, so that default would only echo what the builder wrote.
# A private profile with OOXMLRecalcMode = 0 ("always recalculate") makes LibreOffice compute every formula
# itself; those results are what the tests compare with Python computed here, independently.
RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory) -> dict[str, list[list[str]]]:
    """{"<file stem>-<sheet>": rows} from LibreOffice's CSV export, every formula recalculated."""
    base = tmp_path_factory.mktemp("lo")
    profile = base / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
    out = base / "csv"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", CSV_FILTER,
                    "--outdir", str(out), str(REGISTER), str(SURVEY)],
                   check=True, capture_output=True, timeout=180)
    sheets = {}
    for f in out.glob("*.csv"):
        with f.open(encoding="utf-8", newline="") as fh:
            sheets[f.stem] = list(csv.reader(fh))
    return sheets


def number(text: str) -> float | str:
    """A CSV cell as LibreOffice wrote it → float ("89.5%" → 0.895), or the text itself."""
    t = text.replace(",", "").strip()
    try:
        return float(t[:-1]) / 100 if t.endswith("%") else float(t)
    except ValueError:
        return text


def labelled(rows: list[list[str]], label_col: int = 0) -> dict[str, list]:
    """First occurrence of each label → the numbers to its right."""
    out = {}
    for r in rows:
        if len(r) > label_col and r[label_col] and r[label_col] not in out:
            out[r[label_col]] = [number(v) for v in r[label_col + 1:]]
    return out


@pytest.fixture(scope="module")
def register_rows() -> pd.DataFrame:
    return table_frame(load(REGISTER)["客户档案"], "客户档案")


@needs_soffice
def test_register_summary_recalculates_to_independent_values(recalculated, register_rows):
    df = register_rows
    rows = recalculated["客户档案模板-统计汇总"]
    today = dt.datetime.combine(dt.date.today(), dt.time())
    amount = df["累计金额"].astype(float)
    mobiles = [m for m in df["手机"] if m]
    signed = df["状态"] == "签单客户"
    overdue = df["下次跟进日期"].map(lambda d: d is not None and d < today)

    # Overall block: label in column A, value in B.
    overall = labelled(rows[:12])
    assert overall["客户总数"][0] == len(df)
    assert overall["累计金额合计（元）"][0] == pytest.approx(sum(amount))
    assert overall["签单客户数"][0] == signed.sum()
    assert overall["手机号重复的行"][0] == sum(1 for m in mobiles if mobiles.count(m) > 1)
    assert overall["逾期未跟进（未签单）"][0] == (overdue & ~signed).sum()
    assert overall["缺少备注"][0] == df["备注"].isna().sum()
    assert overall["缺少联系方式"][0] == (df["手机"].isna() & df["电话"].isna()).sum()

    blocks = labelled(rows)
    for status in bt.STATUSES:
        m = df["状态"] == status
        got = blocks[status]
        assert got[0] == m.sum()
        assert got[1] == pytest.approx(amount[m].sum())
        assert got[2] == (pytest.approx(amount[m].mean()) if m.any() else "")
        assert got[3] == (m & overdue).sum()
    total = amount.sum()
    for kind in bt.CUSTOMER_TYPES:
        m = df["客户类型"] == kind
        got = blocks[kind]
        assert got[:2] == [m.sum(), pytest.approx(amount[m].sum())]
        assert got[2] == pytest.approx(df.loc[m, "购买次数"].astype(float).mean())
        assert got[3] == pytest.approx(amount[m].sum() / total, abs=5e-4)  # shown as 0.0%
    for channel in bt.CHANNELS:
        m = df["来源渠道"] == channel
        got = blocks[channel]
        assert got[:2] == [m.sum(), (m & signed).sum()]
        assert got[2] == (pytest.approx((m & signed).sum() / m.sum()) if m.any() else "")


def survey_expectations() -> dict:
    """The report's headline numbers computed from the survey template's own cells, written out plainly."""
    wb = load(SURVEY)
    answers = table_frame(wb["答卷"], "答卷")
    items = table_frame(wb["题目"], "题目")
    issued = wb["报告"]["C5"].value
    scored = [c for c in answers.columns if re.match(r"Q\d+ ", c)] + ["总体满意度", "推荐意愿（0至10分）"]
    answered_per_row = [sum(v is not None for v in row) for row in answers[scored].itertuples(index=False)]
    valid_rows = [n >= len(scored) * 2 / 3 for n in answered_per_row]
    out = {"issued": issued, "returned": len(answers), "valid": sum(valid_rows), "items": {}}
    for _, item in items.iterrows():
        column = next(c for c in answers.columns if c.startswith(item["题号"] + " "))
        values = [v for v, ok in zip(answers[column], valid_rows) if ok and v is not None]
        mean = sum(values) / len(values)
        low, high = item["最小值"], item["最大值"]
        out["items"][item["题目"]] = {"n": len(values), "mean": mean, "score": (mean - low) / (high - low) * 100,
                                    "top2": sum(v >= high - 1 for v in values) / len(values),
                                    "weight": item["权重"]}
    scores = sorted((s["score"] for s in out["items"].values()), reverse=True)
    for s in out["items"].values():
        s["rank"] = scores.index(s["score"]) + 1
    out["index"] = (sum(s["score"] * s["weight"] for s in out["items"].values())
                    / sum(s["weight"] for s in out["items"].values()))
    return out


@needs_soffice
def test_survey_report_recalculates_to_independent_values(recalculated):
    want = survey_expectations()
    rows = recalculated["满意度调查模板-报告"]
    head = labelled(rows, label_col=1)
    assert head["发放问卷（份）"][0] == want["issued"]
    assert head["回收问卷（份）"][0] == want["returned"]
    assert head["有效问卷（份）"][0] == want["valid"]
    assert head["回收率"][0] == pytest.approx(want["returned"] / want["issued"])
    assert head["有效率"][0] == pytest.approx(want["valid"] / want["returned"])
    assert head["有效回收率"][0] == pytest.approx(want["valid"] / want["issued"])
    for text, exp in want["items"].items():
        code, dim, weight, n, mean, score, top2, rank = head[text]
        assert (weight, n, rank) == (pytest.approx(exp["weight"]), exp["n"], exp["rank"])
        assert mean == pytest.approx(exp["mean"])
        assert score == pytest.approx(exp["score"])
        assert top2 == pytest.approx(exp["top2"], abs=5e-4)  # shown as 85.7%
    index_row = head["综合满意度指数（0–100）"]
    assert [v for v in index_row if isinstance(v, float)] == [pytest.approx(want["index"])]
    # The answers sheet's title shows the issued count from the report (where `kehu survey` reads it).
    assert f"发放问卷 {want['issued']} 份" in recalculated["满意度调查模板-答卷"][0][0]


@needs_soffice
def test_cached_native_values_equal_libreoffice_results(recalculated):
    """What a reader that does not recalculate shows (the cached values) is what LibreOffice computes."""
    checked = 0
    for path, sheet in ((REGISTER, "统计汇总"), (SURVEY, "报告")):
        formulas, values = load(path)[sheet], load(path, data_only=True)[sheet]
        lo = recalculated[f"{path.stem}-{sheet}"]
        for row in formulas.iter_rows():
            for c in row:
                f = c.value
                if not (isinstance(f, str) and f.startswith("=")) or "KEHU_" in f or "TODAY()" in f:
                    continue
                shown = number(lo[c.row - 1][c.column - 1])
                cached = values[c.coordinate].value
                if isinstance(shown, float):
                    # percentages are exported rounded as displayed (0.0%)
                    tol = 5e-4 if lo[c.row - 1][c.column - 1].endswith("%") else 1e-9
                    assert cached == pytest.approx(shown, rel=1e-9, abs=tol), (sheet, c.coordinate, f)
                else:
                    assert (cached or "") == shown, (sheet, c.coordinate, f)
                checked += 1
    assert checked > 60


# ---- the kehu commands accept the templates -----------------------------------------------------------

def test_kehu_clean_accepts_the_register(tmp_path):
    from addin.commands.clean import run_clean

    s = run_clean(REGISTER, tmp_path / "clean.xlsx", today="2026-06-30")
    assert s["ok"] and s["sheet"] == "客户档案" and s["rows"] == 7
    # the planted problems of KH0005: 10-digit mobile, wrong ID check digit, no 备注
    assert {p["code"] for p in s["problems_by_type"]} == {"MOBILE_LENGTH", "ID_CHECKSUM", "REMARKS_MISSING"}
    assert s["rows_with_problems"] == 1
    assert (tmp_path / "clean.xlsx").exists()


def test_kehu_segment_accepts_the_register_and_agrees_with_the_cached_formula(tmp_path):
    from addin.commands.segment import run_segment

    as_of = bt.SAMPLE_AS_OF.date().isoformat()
    s = run_segment(REGISTER, tmp_path / "segment.xlsx", as_of=as_of, quiet=True)
    assert s["ok"] and s["records"] == 7
    ws = load(REGISTER, data_only=True)["客户档案"]
    header = [c.value for c in ws[3]]
    col = header.index("fx 建议类型") + 1
    cached_types = Counter(ws.cell(r, col).value for r in range(4, 11))
    assert {k: v for k, v in s["types"].items() if v} == dict(cached_types)


def test_kehu_survey_accepts_the_survey_template(tmp_path):
    from addin.commands.survey import run_survey

    want = survey_expectations()
    s = run_survey(SURVEY, tmp_path / "report.xlsx", quiet=True)
    r = s["response"]
    assert s["items_sheet"] == "题目" and s["issued_from"] == "cell"
    assert (r["issued"], r["returned"], r["valid"]) == (want["issued"], want["returned"], want["valid"])
    assert s["indices"]["综合满意度（加权）"] == pytest.approx(want["index"])
    assert {i["text"]: i["score"] for i in s["items"]} == pytest.approx(
        {k: v["score"] for k, v in want["items"].items()})


# ---- structure: validation, flags, formulas ---------------------------------------------------------

def _validations(ws) -> dict[str, str]:
    """First column letter of each validated range → its list (or type)."""
    out = {}
    for v in ws.data_validations.dataValidation:
        first = str(v.sqref).split(":")[0]
        out[re.sub(r"\d", "", first)] = v.formula1 if v.type == "list" else v.type
    return out


def test_register_has_list_validation_and_flags():
    ws = load(REGISTER)["客户档案"]
    header = {c.value: c.column_letter for c in ws[3] if c.value}
    lists = _validations(ws)
    assert lists[header["性别"]] == '"男,女"'
    assert lists[header["状态"]] == '"意向客户,签单客户,无效客户,丢单客户"'
    assert lists[header["客户类型"]] == '"忠诚客户,潜在客户,边缘客户,流失客户"'
    assert lists[header["来源渠道"]].strip('"').split(",") == bt.CHANNELS
    assert lists[header["下次跟进日期"]] == "date"
    rules: dict[str, list] = {}
    for r in ws.conditional_formatting:
        rules.setdefault(str(r.sqref).split(":")[0], []).extend(r.rules)
    formulas = lambda letter: " ".join(f for x in rules.get(f"{letter}4", []) for f in (x.formula or []))  # noqa: E731
    assert "COUNTIF($D$4:$D$1003,$D4)>1" in formulas(header["手机"])          # duplicate mobile
    assert "<TODAY()" in formulas(header["下次跟进日期"]) and "签单客户" in formulas(header["下次跟进日期"])
    assert '$T4=""' in formulas(header["备注"])                                  # missing remark
    assert ws.freeze_panes == "C4"
    rfm_followers = {"fx F", "fx M", "fx RFM"}  # the four RFM columns share the comment on "fx R"
    for c in ws[3]:
        if c.value is None or c.value in rfm_followers:
            continue
        # every header explains itself: fields by their own name, kehu result columns by their formula
        start = "kehu 公式" if c.value.startswith("fx ") else c.value[:2]
        assert c.comment is not None and c.comment.text.startswith(start), c.value
    assert ws[f"{header['最近购买日期']}4"].number_format == bt.DATE_FORMAT
    assert ws[f"{header['手机']}4"].number_format == "@"
    assert ws[f"{header['累计金额']}4"].number_format == bt.MONEY_FORMAT


def test_register_result_columns_are_spilled_kehu_formulas_beside_the_table():
    import udfs.formulas as formulas

    ws = load(REGISTER)["客户档案"]
    table_end = ws.tables["客户档案"].ref.split(":")[1]
    first_result = openpyxl.utils.column_index_from_string(re.sub(r"\d", "", table_end)) + 1
    anchors = [c for c in ws[4][first_result - 1:] if c.value is not None and hasattr(c.value, "text")]
    assert len(anchors) == 6
    for c in anchors:
        name = re.match(r"=?(KEHU_\w+)\(", c.value.text).group(1)
        assert callable(getattr(formulas, name)), name
        assert "_xlfn.KEHU" not in c.value.text          # UDFs are stored without a prefix
        assert c.value.ref.startswith(c.coordinate) and c.value.ref.endswith("10")  # spills over 7 rows
    assert any("客户档案[手机]" in c.value.text for c in anchors)


def test_survey_has_likert_validation_and_items_sheet_layout():
    wb = load(SURVEY)
    ws = wb["答卷"]
    header = {c.value: c.column_letter for c in ws[3] if c.value}
    lists = _validations(ws)
    for h in [h for h in header if h.startswith("Q")] + ["总体满意度"]:
        assert lists[header[h]] == '"5,4,3,2,1"', h
    assert lists[header["推荐意愿（0至10分）"]] == "whole"
    assert lists[header["门店"]] == '"县城店,乡镇店,市区旗舰店"'
    # the 题目 sheet reads back through the engine's own reader as six 1–5 items with weights summing to 1
    from udfs.score.survey.items import read_items_sheet

    defs = read_items_sheet(table_frame(wb["题目"], "题目"))
    assert list(defs) == ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6"]
    assert sum(d["weight"] for d in defs.values()) == pytest.approx(1.0)
    assert {(d["scale_min"], d["scale_max"]) for d in defs.values()} == {(1, 5)}
    assert defs["Q1"]["labels"] == ("非常不满意", "不满意", "一般", "满意", "非常满意")


@pytest.mark.parametrize("path,sheets", [(REGISTER, ["统计汇总"]), (SURVEY, ["报告", "答卷", "题目"])])
def test_native_formulas_use_only_classic_functions(path, sheets):
    wb = load(path)
    used = set()
    for sheet in sheets:
        for row in wb[sheet].iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("=") and "KEHU_" not in c.value:
                    used |= set(re.findall(r"([A-Z][A-Z0-9.]*)\(", c.value))
    for _, d in wb.defined_names.items():
        used |= set(re.findall(r"([A-Z][A-Z0-9.]*)\(", d.attr_text))
    assert used and used <= CLASSIC, used - CLASSIC
