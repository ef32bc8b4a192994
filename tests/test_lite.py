"""xlwings Lite: the kehu_lite wheel (pure Python, installs with only its declared dependencies, imports with
rapidfuzz/python-calamine/xlsxwriter blocked) and addin/lite/main.py run as plain Python.

xlwings Lite itself (Pyodide in Excel) cannot run here; addin/lite/README.md says what was checked and how.
"""
from __future__ import annotations

import ast
import base64
import datetime as dt
import hashlib
import importlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LITE = ROOT / "addin" / "lite"
SAMPLES = ROOT / "workbook_templates" / "samples"
BLOCKED = ("rapidfuzz", "python_calamine", "xlsxwriter", "openpyxl", "lxml")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    from addin.lite.build_wheel import build_wheel

    return build_wheel(tmp_path_factory.mktemp("wheel"))


# ---------------------------------------------------------------- the wheel

def test_wheel_is_pure_python_with_the_engine_and_its_data(wheel):
    from addin.lite.build_wheel import DEPENDENCIES

    assert wheel.name.endswith("-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        meta = z.read(next(n for n in names if n.endswith("/METADATA"))).decode()
        wheel_file = z.read(next(n for n in names if n.endswith("/WHEEL"))).decode()
    sources = {p.relative_to(ROOT).as_posix() for p in (ROOT / "udfs").rglob("*.py") if "__pycache__" not in p.parts}
    assert sources <= names
    assert {"udfs/normalise/regions.json", "udfs/score/segment/default_rules.csv"} <= names
    assert not [n for n in names if n.startswith("addin/") or n.endswith((".so", ".pyd", ".pyc"))]
    assert "Root-Is-Purelib: true" in wheel_file and "Tag: py3-none-any" in wheel_file
    required = [line.split(": ", 1)[1] for line in meta.splitlines() if line.startswith("Requires-Dist: ")]
    assert required == DEPENDENCIES
    assert not {r.split(">")[0].split("=")[0].lower() for r in required} & {"rapidfuzz", "python-calamine",
                                                                          "xlsxwriter", "lxml", "openpyxl"}


def test_wheel_record_hashes_match_the_files(wheel):
    with zipfile.ZipFile(wheel) as z:
        record_name = next(n for n in z.namelist() if n.endswith("/RECORD"))
        rows = [line.split(",") for line in z.read(record_name).decode().splitlines()]
        listed = {name for name, *_ in rows}
        assert listed == set(z.namelist())
        for name, digest, size in rows:
            if name == record_name:
                assert digest == size == ""
                continue
            data = z.read(name)
            expected = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).decode().rstrip("=")
            assert (digest, int(size)) == (expected, len(data)), name


def test_wheel_build_is_reproducible(wheel, tmp_path):
    from addin.lite.build_wheel import build_wheel

    assert build_wheel(tmp_path).read_bytes() == wheel.read_bytes()


def _third_party_imports() -> dict[str, set[str]]:
    """Top-level third-party module → udfs files importing it (at any depth of the file)."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / "udfs").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                mods = [node.module]
            else:
                continue
            for m in mods:
                top = m.split(".")[0]
                if top not in sys.stdlib_module_names and top not in ("udfs", "__future__"):
                    found.setdefault(top, set()).add(path.relative_to(ROOT).as_posix())
    return found


def test_every_import_of_the_engine_is_declared_or_provided_by_lite():
    from addin.lite.build_wheel import DEPENDENCIES

    declared = {d.split(">")[0].split("=")[0].replace("-", "_").lower() for d in DEPENDENCIES}
    imports = _third_party_imports()
    undeclared = set(imports) - declared - {"xlwings", "rapidfuzz", "jieba", "pyarrow"}
    assert not undeclared, {m: imports[m] for m in undeclared}
    # xlwings comes with xlwings Lite, and only the formula modules use it
    assert all(f.startswith("udfs/formulas/") for f in imports.get("xlwings", ()))
    # rapidfuzz only inside the similarity back end, which has a pure-Python fallback
    assert imports.get("rapidfuzz", set()) <= {"udfs/match/similarity.py"}
    # jieba (a source archive on PyPI, which micropip cannot install) only in the segmenter, which falls back
    assert imports.get("jieba", set()) <= {"udfs/text/segment.py"}
    # pyarrow (optional, the `fast` extra) only in the regex kernels, which run Python's re without it
    assert imports.get("pyarrow", set()) <= {"udfs/normalise/_kernels.py"}


# ---------------------------------------------------------------- the wheel in a venv of its own

def _venv_python(wheel: Path) -> Path:
    """A venv with the wheel (--no-deps) and only its declared dependencies; reused between runs for speed."""
    from addin.lite.build_wheel import DEPENDENCIES

    key = hashlib.sha256("\n".join(DEPENDENCIES).encode()).hexdigest()[:12]
    venv = Path(tempfile.gettempdir()) / f"kehu-lite-venv-{key}"
    python = venv / "bin" / "python"
    if not (venv / "deps-installed").exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *DEPENDENCIES], check=True, timeout=600)
        (venv / "deps-installed").write_text("\n".join(DEPENDENCIES))
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
                   check=True, timeout=300)
    return python


#: Run inside the venv: xlwings Lite supplies `xlwings`; here a pass-through stand-in takes its place.
VENV_SCRIPT = r"""
import json, sys, types
for name in BLOCKED:
    sys.modules[name] = None          # importing any of them now raises ImportError
xw = types.ModuleType("xlwings")
def _decorator(f=None, *a, **k):
    return f if callable(f) else (lambda g: g)
xw.func = xw.script = xw.sub = _decorator
xw.arg = xw.ret = lambda *a, **k: (lambda g: g)
xw.Book = object
sys.modules["xlwings"] = xw
sys.path.insert(0, LITE)
import main, udfs, udfs.match
out = {
    "udfs_file": udfs.__file__,
    "mobile": main.KEHU_MOBILE([["+86 138 0013 8000"], ["１３９-００１３-９０００"], [None]]),
    "province": main.KEHU_PROVINCE([["廣東"], ["北京"]]),
    "city": main.KEHU_CITY([["廣州"]]),
    "pinyin": main.KEHU_NAMEKEY([["張偉"], ["张玮"]], True),
    "phone": main.KEHU_PHONE([["+852 2123 4567"], ["(010)12345678"]]),
    "id": main.KEHU_IDCHECK([["11010519491231002X"], ["110105194912310021"]]),
    "email": main.KEHU_EMAIL([[" Zhang@QQ.COM "]]),
    "nps": main.KEHU_NPS([[10], [9], [8], [7], [6], [0], [10]]),
    "csat": main.KEHU_CSAT([[5], [4], [3], [2], [1]]),
    "date": [[str(v) for v in r] for r in main.KEHU_DATE([["2024年3月5日"], [45356.0]])],
    "loaded": sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED and sys.modules[m] is not None),
}
print(json.dumps(out, ensure_ascii=False))
"""


def test_wheel_in_its_own_venv_runs_the_lite_formulas_without_blocked_packages(wheel, tmp_path):
    python = _venv_python(wheel)
    code = f"BLOCKED = {BLOCKED!r}\nLITE = {str(LITE)!r}\n" + VENV_SCRIPT
    done = subprocess.run([str(python), "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp")})
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert not out["udfs_file"].startswith(str(ROOT)) and "site-packages" in out["udfs_file"]
    assert out["loaded"] == []
    assert out["mobile"] == [["13800138000"], ["13900139000"]]
    assert out["province"] == [["广东省"], ["北京市"]] and out["city"] == [["广州市"]]
    assert out["pinyin"] == [["zhangwei"], ["zhangwei"]]          # 偉 and 玮 are both wěi
    assert out["phone"] == [["+85221234567"], ["010-12345678"]]  # +852: Hong Kong
    assert out["email"] == [["zhang@qq.com"]]
    # 11010519491231002X is the standard's own example; changing its last digit breaks the check character
    assert out["id"][0] == [""] and out["id"][1][0] != ""
    # NPS: promoters (9–10) 3 of 7, detractors (0–6) 2 of 7; CSAT: top two boxes of 1–5, 2 of 5
    assert out["nps"] == pytest.approx((3 - 2) / 7 * 100) and out["csat"] == pytest.approx(2 / 5)
    serial_date = dt.datetime(1899, 12, 30) + dt.timedelta(days=45356)   # Excel's 1900 date system
    assert out["date"] == [[str(dt.datetime(2024, 3, 5))], [str(serial_date)]]


# ---------------------------------------------------------------- main.py as plain Python

@pytest.fixture(scope="module")
def lite_main():
    sys.path.insert(0, str(LITE))
    try:
        sys.modules.pop("main", None)
        yield importlib.import_module("main")
    finally:
        sys.path.remove(str(LITE))
        sys.modules.pop("main", None)


def test_xlwings_has_the_lite_decorators():
    import xlwings

    for name in ("func", "script", "arg", "ret"):
        assert callable(getattr(xlwings, name)), name


def test_main_py_is_up_to_date_with_the_classic_formulas():
    from addin.lite.generate_main import MAIN, updated_main

    current = MAIN.read_text(encoding="utf-8")
    assert updated_main(current) == current, "run: python -m addin.lite.generate_main"


def test_every_classic_formula_has_a_lite_twin_with_the_same_signature(lite_main):
    import inspect

    import udfs.formulas as classic

    names = [n for n in dir(classic) if n.startswith("KEHU_")]
    assert len(names) >= 25
    for name in names:
        assert inspect.signature(getattr(lite_main, name)) == inspect.signature(getattr(classic, name)), name
        assert getattr(lite_main, name).__doc__ == getattr(classic, name).__doc__, name


def test_lite_twins_carry_the_classic_argument_options():
    """Under xlwings' real decorators both modules must register the same arguments (ndim=2, help text)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from xlwings_windows import import_fresh, windows_decorators

    with windows_decorators():
        classic = import_fresh("udfs.formulas")
        sys.modules.pop("main", None)
        sys.path.insert(0, str(LITE))
        try:
            lite = importlib.import_module("main")
        finally:
            sys.path.remove(str(LITE))
            sys.modules.pop("main", None)
        compared = 0
        for name in dir(classic):
            if name.startswith("KEHU_"):
                ours, theirs = getattr(lite, name).__xlfunc__, getattr(classic, name).__xlfunc__
                assert [(a["name"], a["options"], a["doc"]) for a in ours["args"]] == \
                       [(a["name"], a["options"], a["doc"]) for a in theirs["args"]], name
                compared += 1
    import_fresh("udfs.formulas")  # back to the pass-through decorators for other tests
    assert compared >= 25


def test_lite_formulas_give_the_classic_answers(lite_main):
    import udfs.formulas as classic

    column = [["13800138000"], ["+86 139 0013 9000"], ["010-12345678"], ["廣州"], [None], ["abc"]]
    for name in ("KEHU_MOBILE", "KEHU_PHONE", "KEHU_TEXT", "KEHU_CITY", "KEHU_NAMEKEY", "KEHU_GENDER"):
        assert getattr(lite_main, name)(column) == getattr(classic, name)(column), name


# ---------------------------------------------------------------- the scripts, on a workbook stand-in

class FakeRange:
    def __init__(self, sheet, row, column):
        self.sheet, self.row, self.column = sheet, row, column

    def options(self, ndim=None):
        return self

    @property
    def value(self):
        return self.sheet.rows

    @value.setter
    def value(self, block):
        self.sheet.writes.append((self.row, self.column, block))


class FakeSheet:
    """The few Sheet members the scripts use; the cells come from a real workbook read with calamine."""

    def __init__(self, name, rows):
        self.name, self.rows, self.writes = name, rows, []

    @property
    def used_range(self):
        return FakeRange(self, 1, 1)

    def range(self, cell):
        return FakeRange(self, *cell)

    def clear_contents(self):
        self.writes.clear()


class FakeSheets(list):
    active = None

    def __getitem__(self, key):
        return next(s for s in self if s.name == key) if isinstance(key, str) else super().__getitem__(key)

    def add(self, name, after=None):
        self.append(FakeSheet(name, []))
        return self[-1]


def fake_book(path: Path, active: str):
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    sheets = FakeSheets(FakeSheet(n, [list(r) for r in book.get_sheet_by_name(n).to_python()])
                        for n in book.sheet_names)
    sheets.active = sheets[active]
    return type("Book", (), {"sheets": sheets})()


def test_clean_script_writes_what_kehu_clean_writes(lite_main, tmp_path):
    from python_calamine import CalamineWorkbook

    from addin.commands.clean import run_clean

    book = fake_book(SAMPLES / "sample_register.xlsx", "客户档案")
    lite_main.kehu_clean_sheet(book)
    [(row, column, block)] = book.sheets.active.writes
    run_clean(SAMPLES / "sample_register.xlsx", tmp_path / "out.xlsx", quiet=True)
    cli_rows = CalamineWorkbook.from_path(str(tmp_path / "out.xlsx")).get_sheet_by_name("客户档案").to_python()
    width = len(book.sheets.active.rows[3])
    assert (row, column) == (4, width + 1)  # header on row 4, results start right of the last column
    cli_added = [r[width:] for r in cli_rows[3:3 + len(block)]]
    assert block[0] == cli_added[0] and block[0][-1] == "问题"

    def same(a, b):
        if isinstance(a, dt.datetime) and isinstance(b, dt.date):
            return a.date() == (b if not isinstance(b, dt.datetime) else b.date())
        return a == b or (a in ("", None) and b in ("", None))

    mismatches = [(i, j, a, b) for i, (ours, theirs) in enumerate(zip(block[1:], cli_added[1:]))
                  for j, (a, b) in enumerate(zip(ours, theirs)) if not same(a, b)]
    assert not mismatches, mismatches[:5]
    assert sum(1 for r in block[1:] if r[-1]) == 12  # `kehu clean` reports 12 rows with problems on this sample


def test_survey_script_reports_the_response_figures(lite_main):
    book = fake_book(SAMPLES / "sample_survey.xlsx", "答卷")
    lite_main.kehu_survey_report(book)
    report = book.sheets["满意度报告"]
    [(row, column, block)] = report.writes
    assert (row, column) == (1, 1)
    rows = book.sheets["答卷"].rows
    returned = sum(1 for r in rows[2:] if r[0] not in ("", None))   # one answer sheet per 答卷编号 below the header
    assert block[2][:4] == ["发放", "回收", "有效", "无效"]
    issued, got_returned, valid, invalid = block[3][:4]
    assert (issued, got_returned) == (360, returned) and valid + invalid == returned
    assert block[3][4] == pytest.approx(returned / 360)
    items_header = next(i for i, r in enumerate(block) if r[:3] == ["排名", "题号", "题目"])
    item_rows = block[items_header + 1: items_header + 11]
    assert sorted(r[1] for r in item_rows) == sorted(f"Q{k}" for k in range(1, 11))
    assert [r[0] for r in item_rows] == sorted(r[0] for r in item_rows)  # ranked, most satisfied first


def test_requirements_txt_lists_the_wheel_and_exactly_its_dependencies():
    from addin.lite.build_wheel import DEPENDENCIES, wheel_name

    lines = [line.strip() for line in (LITE / "requirements.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    names = {line.split(">")[0].split("=")[0].lower() for line in lines if "://" not in line}
    assert names == {d.split(">")[0].lower() for d in DEPENDENCIES}
    assert [line for line in lines if "://" in line and line.endswith("/" + wheel_name())]


def test_main_py_formulas_are_imports_of_the_classic_ones_only():
    """The formulas section copies no package code: import lines (and an optional import) and nothing else."""
    from addin.lite.generate_main import BEGIN, END, MAIN

    text = MAIN.read_text(encoding="utf-8")
    section = text[text.index(BEGIN) + len(BEGIN):text.index(END)]
    nodes = ast.parse(section).body
    assert nodes
    for node in nodes:
        if isinstance(node, ast.Try):   # the optional duplicate-matching formulas
            assert all(isinstance(n, ast.ImportFrom) for n in node.body), ast.unparse(node)
            assert all(isinstance(n, ast.Pass) for h in node.handlers for n in h.body), ast.unparse(node)
        else:
            assert isinstance(node, ast.ImportFrom) and node.module.startswith("udfs.formulas."), ast.unparse(node)
    # no function anywhere in main.py is one of the formulas: Lite gets the classic objects themselves
    defined = {n.name for n in ast.parse(text).body if isinstance(n, ast.FunctionDef)}
    assert not {n for n in defined if n.startswith("KEHU_")}


def test_main_py_formulas_are_the_classic_objects(lite_main):
    import udfs.formulas as classic

    # (another test re-imports udfs.formulas under other decorators, so compare where they come from)
    for name in [n for n in dir(classic) if n.startswith("KEHU_")]:
        ours, theirs = getattr(lite_main, name), getattr(classic, name)
        assert (ours.__module__, ours.__qualname__) == (theirs.__module__, theirs.__qualname__), name
        assert ours.__module__.startswith("udfs.formulas."), name


def test_lite_reads_a_sheet_as_the_reader_does(lite_main):
    """The drift issue 11 found: traditional end-of-data words (合計, 備註) and a generic header (列1 …).
    Lite now uses the reader's own rules, so the records it takes are the reader's, row for row."""
    from addin.read import table_from_rows

    header = ["客戶編號", "姓名", "手機", "城市", "消費金額"]
    records = [[f"C{i:03d}", f"陳{'大小中'[i % 3]}明{i}", f"0912-345-{i:03d}", "臺北市", 1000 + i] for i in range(12)]
    rows = ([["2024 年客戶資料"], [None] * 5, header] + records
            + [["合計", None, None, None, sum(r[-1] for r in records)], ["備註：資料截至 2024/12/31"]])
    df, kept, h = lite_main.table_below_header(rows, "register", "客戶")
    table = table_from_rows(rows, path=Path("客戶.xlsx"), sheet="客戶")
    assert h == table.header_row - 1
    assert [i + 1 for i in kept] == list(table.rows) and len(kept) == len(records)
    generic = [["列1", "列2", "列3", "列4", "列5"]] + records
    df, kept, h = lite_main.table_below_header(generic, "register", "客戶")
    assert len(kept) == len(records) == len(table_from_rows(generic, path=Path("g.xlsx"), sheet="g").rows)


def test_main_py_scripts_carry_no_reader_copy():
    """Beyond the generated formula imports, main.py holds only the two scripts and their small glue."""
    tree = ast.parse((LITE / "main.py").read_text(encoding="utf-8"))
    defined = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    assert defined == {"sheet_rows", "table_below_header", "kehu_clean_sheet", "kehu_survey_report"}
    assert not [n for n in tree.body if isinstance(n, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id.startswith("_") for t in n.targets)]   # no private regex tables
