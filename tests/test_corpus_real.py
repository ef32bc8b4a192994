"""Real workbooks from public test suites (tests/data/corpus, sources in its MANIFEST.csv) through inspect and
clean with a generic role mapping; every output checked part by part, cell by cell, for what Excel
re-validates, and opened by LibreOffice headless.

The generic mapping: the first sheet (in workbook order) that calamine finds holding a row of values with
at least one row below it; that row is the header; its first non-blank header is mapped to `name`.
"""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from addin.commands.clean import run_clean
from addin.commands.inspect import run_inspect
from addin.errors import KehuError
from tests import workbook_checks as checks

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
MANIFEST = list(csv.DictReader((CORPUS / "MANIFEST.csv").open(encoding="utf-8")))
FILES = [row["file"] for row in MANIFEST]
PACKAGES = (".xlsx", ".xlsm")


def _header_name(v) -> str:
    # the header text as kehu names a column (addin/read/table.py _headers): whitespace folded, 1.0 → "1"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return " ".join(str(v).split())


def generic_mapping(path: Path):
    """(sheet, header row, {header: 'name'}) or None when no sheet has a header with a row below it."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception:
        return None
    for name in book.sheet_names:
        try:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception:
            continue
        filled = [i for i, r in enumerate(rows) if any(v not in ("", None) for v in r)]
        if len(filled) < 2:
            continue
        header = rows[filled[0]]
        first = next(v for v in header if v not in ("", None))
        if isinstance(first, str) and ("=" in first or "," in first):
            continue
        return name, filled[0] + 1, {_header_name(first): "name"}
    return None


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """Each file through inspect and clean once; the LibreOffice check wants every output together."""
    out_dir = tmp_path_factory.mktemp("corpus_out")
    done: dict[str, dict] = {}
    for name in FILES:
        src = CORPUS / name
        entry: dict = {"src": src}
        try:
            entry["inspect"] = run_inspect(src)[0]
        except KehuError as e:
            entry["inspect_refused"] = e
        mapping = generic_mapping(src)
        if mapping is not None:
            sheet, header_row, role_map = mapping
            out = out_dir / (src.name + (".kehu.xlsm" if src.suffix.lower() == ".xlsm" else ".kehu.xlsx"))
            try:
                run_clean(src, out, sheet=sheet, header_row=header_row, role_map=role_map)
                entry.update(out=out, sheet=sheet)
            except KehuError as e:
                entry["clean_refused"] = e
        done[name] = entry
    return done


def test_manifest_names_every_file_and_its_licence():
    on_disk = {p.name for p in CORPUS.iterdir()} - {"MANIFEST.csv"}
    assert on_disk == set(FILES)
    for row in MANIFEST:
        assert row["repository"].startswith("github:") and row["licence"] and row["commit"]


def test_at_least_sixty_workbooks_are_cleaned(results):
    cleaned = [n for n, e in results.items() if "out" in e]
    assert len(cleaned) >= 60, sorted(set(results) - set(cleaned))
    # a refusal is a documented one, never anything else (the fixture would have raised)
    for e in results.values():
        for key in ("inspect_refused", "clean_refused"):
            if key in e:
                assert e[key].code in (3, 4), (e["src"].name, e[key].en)


@pytest.mark.parametrize("name", FILES)
def test_output_is_valid_and_keeps_every_cell(results, name):
    e = results[name]
    if "out" not in e:
        # no result written: that must be a documented refusal (exit 3 or 4), never a silent nothing
        refusal = e.get("clean_refused") or e.get("inspect_refused")
        if refusal is None:   # nothing to clean: no sheet with a header and a row below it, and inspect read it
            assert generic_mapping(e["src"]) is None and "inspect" in e, name
        else:
            assert refusal.code in (3, 4), (name, refusal.en)
        return
    out, src = e["out"], e["src"]
    checks.check_package(out, baseline=src)
    if src.suffix.lower() in PACKAGES:
        if checks.is_strict(src):   # written as transitional: every part is re-namespaced on purpose, and
            _compare_values_with_calamine(src, out, e["sheet"])   # openpyxl reads no cells from Strict
            return
        checks.check_parts_kept(src, out, e["sheet"])
        try:
            checks._load(src, False)
        except Exception:   # openpyxl cannot read the input itself: calamine compares the values
            _compare_values_with_calamine(src, out, e["sheet"])
            return
        # without a styles part openpyxl invents its own default font for the input; style 0 is checked instead
        styled = checks.has_styles(src)
        assert checks.check_cells_kept(src, out, e["sheet"], compare_styles=styled) > 0
        if not styled:
            checks.check_original_cells_plain(src, out, e["sheet"])
    else:                  # .xls/.xlsb/.ods/XML 2003: values of every sheet carried into a new .xlsx
        _compare_values_with_calamine(src, out, e["sheet"])


def _compare_values_with_calamine(src: Path, out: Path, data_sheet: str) -> None:
    from python_calamine import CalamineWorkbook

    if src.suffix.lower() == ".xml":
        from addin.read.xml2003 import read_xml2003

        before = {n: rows for n, rows, _ in read_xml2003(src)}
    else:
        book = CalamineWorkbook.from_path(str(src))
        before = {}
        for n in book.sheet_names:
            try:
                before[n] = book.get_sheet_by_name(n).to_python(skip_empty_area=False)
            except Exception:
                continue   # a chart sheet: nothing to carry
    after_book = CalamineWorkbook.from_path(str(out))
    assert len(after_book.sheet_names) >= len(before)
    for n, rows in before.items():
        assert n[:31] in after_book.sheet_names, n
        got = after_book.get_sheet_by_name(n[:31]).to_python(skip_empty_area=False)
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if v in ("", None):
                    continue
                w = got[i][j] if i < len(got) and j < len(got[i]) else None
                assert _same(v, w), (n, i + 1, j + 1, v, w)


def _same(v, w) -> bool:
    import datetime as dt

    day = (lambda d: d if isinstance(d, dt.datetime) else dt.datetime.combine(d, dt.time()))
    if isinstance(v, dt.date) and isinstance(w, dt.date):   # a date and midnight of that day are one cell value
        return day(v) == day(w)
    if isinstance(v, float) and isinstance(w, (int, float)):
        return w == pytest.approx(v)
    return w == v or str(w) == str(v)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_every_output(results, tmp_path):
    outputs = [e["out"] for e in results.values() if "out" in e]
    profile = Path(tempfile.mkdtemp(prefix="kehu-lo-"))
    try:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "csv",
                        "--outdir", str(tmp_path), *map(str, outputs)], capture_output=True, timeout=600,
                       env=dict(os.environ, HOME=str(profile)))
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    missing = [o.name for o in outputs if not (tmp_path / (o.stem + ".csv")).exists()]
    assert not missing, missing
