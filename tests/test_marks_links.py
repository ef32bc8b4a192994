"""Issue 16 parts 1–2: marks on the user's data (fills per severity, notes, duplicate bands, a filter), links
from every list row to its record, and `kehu unmark`.

Expected cells come from the sample's planted truth (workbook_templates/samples/sample_register.truth.json)
and the sheet's own header cells read with openpyxl, not from kehu's results; every link is followed to its
target cell and the cell read back.
"""
from __future__ import annotations

import json
import tempfile
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.worksheet.table import Table, TableStyleInfo

from addin.commands.clean import run_clean
from addin.commands.dedupe import run_dedupe
from addin.commands.segment import run_segment
from addin.commands.unmark import run_unmark
from addin.write.marks import AUTHOR
from udfs.validate.problems import PROBLEMS, SEVERITY_LABELS, severity

ROOT = Path(__file__).resolve().parents[1]
REGISTER = ROOT / "workbook_templates" / "samples" / "sample_register.xlsx"
TRUTH = json.loads((ROOT / "workbook_templates" / "samples" / "sample_register.truth.json").read_text("utf-8"))
DATA = "客户档案"


def _header(ws) -> tuple[int, dict[str, int]]:
    """The header row (the row holding 客户编号) and header → column, read from the sheet itself."""
    for row in ws.iter_rows(max_row=10):
        values = [c.value for c in row]
        if "客户编号" in values:
            return row[0].row, {str(c.value): c.column for c in row if c.value is not None}
    raise AssertionError("no header row")


def _row_of(ws, header_row: int, id_col: int) -> dict[str, int]:
    """customer id (C0001 …) → sheet row; the footer note under the register is no customer."""
    ids = {r: ws.cell(r, id_col).value for r in range(header_row + 1, ws.max_row + 1)}
    return {v: r for r, v in ids.items() if isinstance(v, str) and re.fullmatch(r"C\d{4}", v)}


def _kehu_formats(ws) -> dict[str, set[tuple[int, int]]]:
    """kind → the cells kehu's conditional formats cover (its rules say LEN("kehu:<kind>")>0)."""
    out: dict[str, set[tuple[int, int]]] = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            text = rule.formula[0] if rule.formula else ""
            if "kehu:" not in text:
                continue
            kind = text.split('"kehu:', 1)[1].split('"', 1)[0]
            for rng in str(cf.sqref).split():
                c1, r1, c2, r2 = range_boundaries(rng)
                out.setdefault(kind, set()).update((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
    return out


def _notes(ws, author=AUTHOR) -> dict[tuple[int, int], str]:
    return {(c.row, c.column): c.comment.text for row in ws.iter_rows() for c in row
            if c.comment is not None and c.comment.author == author}


def _follow(wb, location: str):
    sheet, ref = location.rsplit("!", 1)
    return wb[sheet.strip("'").replace("''", "'")][ref.replace("$", "")]


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory):
    folder = tmp_path_factory.mktemp("marks")
    marked, plain = folder / "marked.xlsx", folder / "plain.xlsx"
    run_clean(REGISTER, marked, today="2024-06-30")
    run_clean(REGISTER, plain, today="2024-06-30", mark=False)
    return marked, plain


def test_fills_and_notes_on_exactly_the_problem_cells(cleaned):
    marked, _ = cleaned
    wb = openpyxl.load_workbook(marked)
    ws = wb[DATA]
    header_row, columns = _header(ws)
    row_of = _row_of(ws, header_row, columns["客户编号"])
    expected = {(row_of[p["customer_id"]], columns[p["column"]]): p["code"] for p in TRUTH["problems"]}
    formats = _kehu_formats(ws)
    by_cell = {cell: kind for kind in ("error", "check", "hint") for cell in formats.get(kind, ())}
    assert by_cell == {cell: severity(code) for cell, code in expected.items()}
    notes = _notes(ws)
    problem_notes = {k: v for k, v in notes.items() if k[0] != header_row}
    assert set(problem_notes) == set(expected)
    for cell, code in expected.items():
        assert PROBLEMS[code].zh in problem_notes[cell] and PROBLEMS[code].suggestion_zh in problem_notes[cell]
        assert problem_notes[cell].startswith(SEVERITY_LABELS[severity(code)])
    # the legend is a note on the first added column's header, right of the user's last column
    first_added = max(_header(openpyxl.load_workbook(REGISTER)[DATA])[1].values()) + 1
    legend = notes[(header_row, first_added)]
    assert "错误" in legend and "需核对" in legend and "kehu unmark" in legend


def test_the_filter_covers_the_data_and_the_added_columns(cleaned):
    marked, _ = cleaned
    ws = openpyxl.load_workbook(marked)[DATA]
    header_row, columns = _header(ws)
    last_record = max(_row_of(ws, header_row, columns["客户编号"]).values())   # the footer note below stays out
    c1, r1, c2, r2 = range_boundaries(ws.auto_filter.ref)
    assert (c1, r1, c2, r2) == (1, header_row, max(columns.values()), last_record)
    with zipfile.ZipFile(marked) as z:   # the hidden name LibreOffice needs to show the filter
        assert "_xlnm._FilterDatabase" in z.read("xl/workbook.xml").decode("utf-8")


def test_problem_list_links_open_the_cell_of_each_problem(cleaned):
    marked, _ = cleaned
    wb = openpyxl.load_workbook(marked)
    data = wb[DATA]
    header_row, columns = _header(data)
    listing = wb["问题清单"]
    head = next(r for r in range(1, 6) if listing.cell(r, 1).value == "行号")
    names = {listing.cell(head, c).value: c for c in range(1, listing.max_column + 1) if listing.cell(head, c).value}
    assert listing.freeze_panes == f"A{head + 1}"   # only the title and the list header stay on screen
    followed = 0
    for r in range(head + 1, listing.max_row + 1):
        number = listing.cell(r, names["行号"]).value
        if number is None:
            continue
        link = listing.cell(r, names["行号"]).hyperlink
        target = _follow(wb, link.location)
        assert target.parent.title == DATA and target.row == number
        assert target.column == columns[listing.cell(r, names["列"]).value]
        value = listing.cell(r, names["原值"]).value
        if value is not None:   # the list shows the cell's text as read
            assert str(value) in str(target.value) or str(target.value).startswith(str(value)[:6])
        followed += 1
    assert followed == len(TRUTH["problems"])
    # each summary line opens the first list row of its problem type
    kind_col = names["问题类型"]
    for r in range(head + 1, listing.max_row + 1):
        kind = listing.cell(r, kind_col).value
        if kind is None:
            continue
        target = _follow(wb, listing.cell(r, kind_col).hyperlink.location)
        assert target.parent.title == "问题清单"
        rows_of_kind = [x for x in range(head + 1, listing.max_row + 1) if listing.cell(x, names["问题"]).value == kind]
        assert target.row == rows_of_kind[0]


def test_pairs_link_to_both_rows_and_duplicate_groups_are_banded(tmp_path):
    out = tmp_path / "d.xlsx"
    run_dedupe(REGISTER, out, quiet=True)
    wb = openpyxl.load_workbook(out)
    data = wb[DATA]
    header_row, columns = _header(data)
    id_col = columns["客户编号"]
    pairs = wb["重复对"]
    head = next(r for r in range(1, 6) if pairs.cell(r, 1).value == "行A")
    names = {pairs.cell(head, c).value: c for c in range(1, pairs.max_column + 1)}
    seen = set()
    for r in range(head + 1, pairs.max_row + 1):
        for side in ("A", "B"):
            target = _follow(wb, pairs.cell(r, names["行" + side]).hyperlink.location)
            assert target.parent.title == DATA and target.row == pairs.cell(r, names["行" + side]).value
            assert data.cell(target.row, id_col).value == pairs.cell(r, names["客户编号" + side]).value
        seen.add(frozenset((pairs.cell(r, names["客户编号A"]).value, pairs.cell(r, names["客户编号B"]).value)))
    assert {frozenset(p) for p in TRUTH["duplicates"]} <= seen
    # bands: each planted pair's two rows share a band; neighbouring groups (in sheet order) differ
    row_of = _row_of(data, header_row, id_col)
    formats = _kehu_formats(data)
    band = {r: kind for kind in ("dup:0", "dup:1") for (r, _c) in formats.get(kind, ())}
    for a, b in TRUTH["duplicates"]:
        assert band[row_of[a]] == band[row_of[b]]
    firsts = sorted(min(row_of[a], row_of[b]) for a, b in TRUTH["duplicates"])
    assert [band[r] for r in firsts] == ["dup:0", "dup:1", "dup:0"]
    # the band spans the whole record, the added columns included
    last = max(columns.values())
    assert {c for (r, c) in formats["dup:0"] if r == firsts[0]} == set(range(1, last + 1))


def test_followup_rows_link_to_their_customer(tmp_path):
    out = tmp_path / "s.xlsx"
    run_segment(REGISTER, out, quiet=True)
    wb = openpyxl.load_workbook(out)
    data = wb[DATA]
    _header_row, columns = _header(data)
    follow = wb["待跟进"]
    head = next(r for r in range(1, 6) if "客户编号" in [c.value for c in follow[r]])
    id_at = [c.value for c in follow[head]].index("客户编号") + 1
    n = 0
    for r in range(head + 1, follow.max_row + 1):
        cell = follow.cell(r, id_at)
        target = _follow(wb, cell.hyperlink.location)
        assert target.parent.title == DATA and data.cell(target.row, columns["客户编号"]).value == cell.value
        n += 1
    assert n > 0
    # the 细分 column kehu added is coloured by segment: one colour per segment, every segment its own
    kinds = {cell: kind for kind, cells in _kehu_formats(data).items() if kind.startswith("segment:") for cell in cells}
    segment_col = columns["细分"]
    values = {(r, segment_col): data.cell(r, segment_col).value for r in range(_header_row + 1, data.max_row + 1)
              if data.cell(r, segment_col).value is not None}
    assert set(kinds) == set(values)
    colour_of = {}
    for cell, value in values.items():
        colour_of.setdefault(value, set()).add(kinds[cell])
    assert all(len(k) == 1 for k in colour_of.values())
    assert len({next(iter(k)) for k in colour_of.values()}) == len(colour_of)


def _styles(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): (c.value, c.number_format, repr(c.font), repr(c.fill), repr(c.border),
                                       repr(c.alignment), repr(c.protection))
            for ws in wb.worksheets for row in ws.iter_rows() for c in row}


def test_unmark_restores_every_style_and_removes_only_kehus_marks(cleaned, tmp_path):
    marked, plain = cleaned
    back = tmp_path / "back.xlsx"
    summary = run_unmark(marked, back)
    assert summary["sheets"] == [DATA] and summary["notes_removed"] == len(TRUTH["problems"]) + 1  # + legend
    assert _styles(back) == _styles(plain) == _styles(marked)   # marks never touch a cell's own style
    ws = openpyxl.load_workbook(back)[DATA]
    assert not _kehu_formats(ws) and not _notes(ws) and ws.auto_filter.ref is None
    with zipfile.ZipFile(back) as z:
        assert "_xlnm._FilterDatabase" not in z.read("xl/workbook.xml").decode("utf-8")
    with zipfile.ZipFile(back) as a, zipfile.ZipFile(plain) as b:
        # the data sheet is byte for byte what an unmarked run writes; no comments or VML part is left
        assert a.read("xl/worksheets/sheet1.xml") == b.read("xl/worksheets/sheet1.xml")
        assert not [n for n in a.namelist() if "comments" in n or n.endswith(".vml")]
    again = run_unmark(back)   # nothing left to remove: the file is not touched
    assert again["sheets"] == [] and again["backup"] is None


def test_in_place_does_not_mark_unless_asked(tmp_path):
    target = tmp_path / "r.xlsx"
    target.write_bytes(REGISTER.read_bytes())
    run_clean(target, in_place=True, today="2024-06-30")
    ws = openpyxl.load_workbook(target)[DATA]
    assert not _kehu_formats(ws) and not _notes(ws)
    run_clean(target, in_place=True, today="2024-06-30", mark=True)
    assert _kehu_formats(openpyxl.load_workbook(target)[DATA])


def _user_register(path: Path, *, table: bool) -> None:
    """A register from another hand: the user's own comments, and their own filter or Table."""
    src = openpyxl.load_workbook(REGISTER)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = DATA
    rows = [[c.value for c in r] for r in src[DATA].iter_rows(min_row=4)]
    for r in rows:
        ws.append(r)
    ws["A2"].comment = Comment("老客户，优先", "王经理")
    c0040 = next(i for i, r in enumerate(rows, start=1) if r[0] == "C0040")
    ws.cell(c0040, 4).comment = Comment("号码待客户确认", "王经理")   # C0040's mobile (手机, D), a planted problem
    if table:
        ref = f"A1:{get_column_letter(len(rows[0]))}{len(rows)}"
        t = Table(displayName="客户表", ref=ref)
        t.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        ws.add_table(t)
    else:
        ws.auto_filter.ref = f"A1:E{len(rows)}"
    wb.save(path)


@pytest.mark.parametrize("table", [False, True], ids=["filter", "table"])
def test_users_comments_filter_and_table_survive_marks_and_unmark(tmp_path, table):
    src, out = tmp_path / "mine.xlsx", tmp_path / "mine.kehu.xlsx"
    _user_register(src, table=table)
    run_clean(src, out, today="2024-06-30")
    wb = openpyxl.load_workbook(out)
    ws = wb[DATA]
    mine = _notes(ws, author="王经理")
    mobile = (_row_of(ws, 1, 1)["C0040"], 4)
    assert mine == {(2, 1): "老客户，优先", mobile: "号码待客户确认"}
    assert mobile in _kehu_formats(ws)["error"]        # the user's commented problem cell is still filled
    assert mobile not in _notes(ws)                     # … and keeps the user's comment, not kehu's note
    assert len([k for k in _notes(ws) if k[0] > 1]) == len(TRUTH["problems"]) - 1
    if table:
        assert ws.auto_filter.ref is None and list(ws.tables) == ["客户表"]
        assert range_boundaries(ws.tables["客户表"].ref)[2] > column_index_from_string("T")   # grown over kehu's
    else:
        assert ws.auto_filter.ref == f"A1:E{ws.max_row}"   # the user's filter, as it was
    run_unmark(out)
    ws = openpyxl.load_workbook(out)[DATA]
    assert _notes(ws, author="王经理") == mine and not _notes(ws) and not _kehu_formats(ws)
    if table:
        assert list(ws.tables) == ["客户表"]
    else:
        assert ws.auto_filter.ref == f"A1:E{ws.max_row}"


def test_a_rerun_replaces_its_marks(cleaned, tmp_path):
    marked, _ = cleaned
    again = tmp_path / "again.xlsx"
    run_clean(marked, again, today="2024-06-30")
    ws = openpyxl.load_workbook(again)[DATA]
    first = openpyxl.load_workbook(marked)[DATA]
    assert _kehu_formats(ws) == _kehu_formats(first) and _notes(ws) == _notes(first)


def test_english_notes(tmp_path):
    out = tmp_path / "en.xlsx"
    run_clean(REGISTER, out, today="2024-06-30", lang="en")
    notes = _notes(openpyxl.load_workbook(out)[DATA])
    texts = list(notes.values())
    assert any(t.startswith("Error: ") for t in texts) and any("kehu unmark" in t for t in texts)
    assert not any("错误" in t or "建议" in t for t in texts)


@pytest.mark.libreoffice
def test_libreoffice_keeps_the_marks_filter_and_links(cleaned, tmp_path):
    """Another program reads the marks as kehu wrote them: LibreOffice opens the copy and saves it again."""
    import shutil
    import subprocess

    marked, _ = cleaned
    profile = Path(tempfile.gettempdir()) / "kehu-test-marks-lo-profile"
    subprocess.run([shutil.which("soffice") or "soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"), str(marked)],
                   check=True, capture_output=True, timeout=240)
    before, after = openpyxl.load_workbook(marked), openpyxl.load_workbook(tmp_path / "lo" / marked.name)
    assert _kehu_formats(after[DATA]) == _kehu_formats(before[DATA])
    assert after[DATA].auto_filter.ref == before[DATA].auto_filter.ref
    # LibreOffice keeps every note's text (it drops comment authors, so `kehu unmark` needs Excel's or kehu's file)
    notes = {(c.row, c.column): c.comment.text for row in after[DATA].iter_rows() for c in row if c.comment}
    assert set(notes) == set(_notes(before[DATA]))
    links = lambda ws: {c.coordinate: c.hyperlink.location for row in ws.iter_rows() for c in row  # noqa: E731
                        if c.hyperlink is not None}
    assert links(after["问题清单"]) == links(before["问题清单"]) != {}


def test_unmark_bad_input_is_two_lines_and_a_documented_exit(cli, tmp_path):
    code, _out, err = cli("unmark", tmp_path / "missing.xlsx")
    assert code == 3 and "找不到文件" in err and "File not found" in err and "Traceback" not in err
    (tmp_path / "r.csv").write_text("客户编号,姓名\nC1,张三\n", encoding="utf-8")
    code, _out, err = cli("unmark", tmp_path / "r.csv")
    assert code == 2 and ".xlsx" in err and "Traceback" not in err
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    code, _out, err = cli("unmark", broken)
    assert code == 3 and "not a valid" in err


def test_invalid_questionnaires_are_greyed(tmp_path):
    """Greyed rows = the rows the default rules exclude, found here from the answers themselves: more than a
    third of the items blank, or a questionnaire keyed in twice (a row equal to an earlier one)."""
    from addin.commands.survey import run_survey

    survey = ROOT / "workbook_templates" / "samples" / "sample_survey.xlsx"
    out = tmp_path / "s.xlsx"
    run_survey(survey, out, quiet=True)
    src = openpyxl.load_workbook(survey)
    items = {r[0] for r in src["题目"].iter_rows(min_row=2, values_only=True) if r[0]}
    answers = src["答卷"]
    code = lambda h: str(h).split()[0] if h else None  # noqa: E731  ("Q1 产品质量" → Q1)
    header_row = next(r for r in range(1, 6) if any(code(c.value) in items for c in answers[r]))
    header = [c.value for c in answers[header_row]]
    item_at = [j for j, h in enumerate(header) if code(h) in items]
    seen, expected = set(), set()
    for row in answers.iter_rows(min_row=header_row + 1):
        values = tuple(c.value for c in row)
        if all(v is None for v in values):
            continue
        blank = sum(values[j] is None for j in item_at)
        if blank > len(item_at) / 3 or values in seen:
            expected.add(row[0].row)
        seen.add(values)
    greyed = {r for r, _c in _kehu_formats(openpyxl.load_workbook(out)["答卷"]).get("invalid", ())}
    assert greyed == expected and len(expected) == 5
