"""xlwings Lite: the kehu_lite wheel (pure Python: the engine and the job layer, installs with only its declared
dependencies) and addin/lite/main.py, whose scripts run the clean and survey jobs through the Lite book.

The scripts are run here on the fake xlwings book's Lite subset (tests/fake_xlwings.py) in a separate Python
that sees only the wheel's files, with lxml, python-calamine, openpyxl, rapidfuzz and the other packages
Lite does not carry made unimportable, and their result is compared cell by cell with the same job written to
a saved file (tests/test_book_equivalence.py's compare_books). xlwings Lite itself (Pyodide in Excel) cannot
run here; addin/lite/README.md says what was checked and how.
"""
from __future__ import annotations

import ast
import base64
import datetime as dt
import hashlib
import importlib
import importlib.metadata
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from .test_book_equivalence import LITE_SCRIPTS, _lite, compare_books, run_lite_script

ROOT = Path(__file__).resolve().parents[1]
LITE = ROOT / "addin" / "lite"
SAMPLES = ROOT / "workbook_templates" / "samples"
#: what xlwings Lite does not carry: kehu's file reader and writer (lxml, python-calamine, openpyxl, the CSV
#: encoding guesser), and optional speed-ups without a Pyodide wheel (rapidfuzz, pyarrow, jieba); plus the CLI's typer
BLOCKED = ("rapidfuzz", "python_calamine", "openpyxl", "lxml", "charset_normalizer", "pyarrow", "jieba", "typer")
#: kehu modules that must never load in Lite: the lossless writer and the file and open-workbook books
NEVER_IN_LITE = ("addin.write.writeback", "addin.book.file", "addin.book.live", "addin.cli", "addin.ribbon")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    from addin.lite.build_wheel import build_wheel

    return build_wheel(tmp_path_factory.mktemp("wheel"))


# ---------------------------------------------------------------- the wheel

def test_wheel_is_pure_python_with_the_engine_the_jobs_and_their_data(wheel):
    from addin.lite.build_wheel import DEPENDENCIES

    assert wheel.name.endswith("-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        meta = z.read(next(n for n in names if n.endswith("/METADATA"))).decode()
        wheel_file = z.read(next(n for n in names if n.endswith("/WHEEL"))).decode()
        top_level = z.read(next(n for n in names if n.endswith("/top_level.txt"))).decode().split()
    sources = {p.relative_to(ROOT).as_posix() for p in (ROOT / "udfs").rglob("*.py") if "__pycache__" not in p.parts}
    assert sources <= names
    assert {"udfs/normalise/regions.json", "udfs/score/segment/default_rules.csv"} <= names
    assert {"addin/book/lite.py", "addin/jobs/clean.py", "addin/jobs/survey.py", "addin/report/survey_sheet.py",
            "addin/write/sheet_layout.py", "addin/read/table.py"} <= names
    # the file writer, the file and open-workbook books and the doors stay out
    assert not {"addin/write/writeback.py", "addin/write/sheet_splice.py", "addin/write/transplant.py",
                "addin/book/file.py", "addin/book/live.py", "addin/cli.py"} & names
    assert not [n for n in names if n.startswith(("addin/commands/", "addin/ribbon/", "addin/lite/", "addin/exe/",
                                                  "addin/xlam/", "addin/spark/"))]
    assert not [n for n in names if n.endswith((".so", ".pyd", ".pyc"))]
    assert top_level == ["addin", "udfs"]
    assert "Root-Is-Purelib: true" in wheel_file and "Tag: py3-none-any" in wheel_file
    required = [line.split(": ", 1)[1] for line in meta.splitlines() if line.startswith("Requires-Dist: ")]
    assert required == DEPENDENCIES
    declared = {r.split(">")[0].split("=")[0].lower() for r in required}
    assert "xlsxwriter" in declared   # pure Python (py3-none-any on PyPI): micropip installs it
    assert not declared & {"rapidfuzz", "python-calamine", "lxml", "openpyxl", "charset-normalizer"}


def _module_level_imports(path: Path) -> set[str]:
    """The kehu modules importing `path` imports at once: module-level statements (in if/try too), not function
    bodies and not `if TYPE_CHECKING:` blocks; `from x import y` gives x and, when it is a module, x.y."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    if path.name == "__init__.py":
        package = ".".join(path.relative_to(ROOT).parts[:-1])
    found: set[str] = set()

    def visit(statements) -> None:
        for node in statements:
            if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
                visit(node.orelse)
            elif isinstance(node, (ast.If, ast.Try, ast.With)):
                for block in ("body", "orelse", "finalbody"):
                    visit(getattr(node, block, []))
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
                module = ".".join(base + ([node.module] if node.module else []))
                found.add(module)
                found.update(f"{module}.{a.name}" for a in node.names)
    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return {m for m in found if m.split(".")[0] in ("addin", "udfs") and _module_file(m)}


def _module_file(module: str) -> Path | None:
    base = ROOT / Path(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def test_wheel_holds_every_module_main_py_imports(wheel):
    """The import closure of main.py (module level, transitively, with every package's __init__) is in the wheel."""
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    pending, seen = set(_module_level_imports(LITE / "main.py")), set()
    while pending:
        module = pending.pop()
        parts = module.split(".")
        for k in range(1, len(parts) + 1):   # importing a.b.c runs a/__init__ and a/b/__init__ first
            prefix = ".".join(parts[:k])
            if prefix not in seen and _module_file(prefix):
                seen.add(prefix)
                pending |= _module_level_imports(_module_file(prefix)) - seen
    files = {_module_file(m).relative_to(ROOT).as_posix() for m in seen}
    assert {"addin/book/lite.py", "addin/jobs/clean.py", "addin/jobs/survey.py", "addin/read/table.py",
            "udfs/formulas/clean.py"} <= files   # the walk found the scripts' and the formulas' modules
    assert not files - names, sorted(files - names)
    assert not {m for m in seen if m.startswith(NEVER_IN_LITE)}


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


def _third_party_imports() -> dict[str, set[tuple[str, bool]]]:
    """Top-level third-party module → (shipped file importing it, whether only inside a function)."""
    from addin.lite.build_wheel import package_files

    found: dict[str, set[tuple[str, bool]]] = {}

    def visit(node: ast.AST, lazy: bool, path: str) -> None:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            return   # type hints only: never imported when the module runs
        mods: list[str] = []
        if isinstance(node, ast.Import):
            mods = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            mods = [node.module]
        for m in mods:
            top = m.split(".")[0]
            if top not in sys.stdlib_module_names and top not in ("udfs", "addin", "__future__"):
                found.setdefault(top, set()).add((path, lazy))
        inside = lazy or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        for child in ast.iter_child_nodes(node):
            visit(child, inside, path)

    for path in package_files():
        if path.suffix == ".py":
            visit(ast.parse(path.read_text(encoding="utf-8")), False, path.relative_to(ROOT).as_posix())
    return found


#: kehu's file reader, imported by the shipped reader modules only inside the functions that read a file (Lite
#: reads the open workbook's cells and never calls them: the script runs below have these blocked)
FILE_READING = {"lxml": {"addin/read/limits.py", "addin/read/xml2003.py"},
                "python_calamine": {"addin/read/workbook.py"}, "charset_normalizer": {"addin/read/csv_file.py"},
                "openpyxl": {"addin/report/pairs_sheet.py", "addin/report/dedupe_notes_sheet.py"}}


def test_every_import_of_the_wheel_is_declared_or_provided_by_lite():
    from addin.lite.build_wheel import DEPENDENCIES

    declared = {d.split(">")[0].split("=")[0].replace("_", "-").lower() for d in DEPENDENCIES}
    imports = _third_party_imports()
    files = {m: {f for f, _ in uses} for m, uses in imports.items()}
    providers = importlib.metadata.packages_distributions()   # import name → distributions (opencc → opencc-python-…)
    undeclared = {m for m in imports
                  if not {d.replace("_", "-").lower() for d in providers.get(m, [m])} & declared}
    undeclared = undeclared - {"xlwings", "rapidfuzz", "jieba", "pyarrow", "threadpoolctl"} - set(FILE_READING)
    assert not undeclared, {m: files[m] for m in undeclared}
    # xlwings comes with xlwings Lite, and only the formula modules use it
    assert all(f.startswith("udfs/formulas/") for f in files.get("xlwings", ()))
    # rapidfuzz only inside the similarity back end, which has a pure-Python fallback
    assert files.get("rapidfuzz", set()) <= {"udfs/match/similarity.py"}
    # jieba (a source archive on PyPI, which micropip cannot install) only in the segmenter, which falls back
    assert files.get("jieba", set()) <= {"udfs/text/segment.py"}
    # pyarrow (optional, the `fast` extra) only in the regex kernels, which run Python's re without it
    assert files.get("pyarrow", set()) <= {"udfs/normalise/_kernels.py"}
    # threadpoolctl (optional, the `fast` extra) only where the survey analysis asks BLAS for one thread
    assert files.get("threadpoolctl", set()) <= {"udfs/score/survey/blas.py"}
    assert all(lazy for _, lazy in imports.get("threadpoolctl", ())), "threadpoolctl imported at module level"
    for module, allowed in FILE_READING.items():
        assert imports.get(module), module   # the scan sees them (it can fail)
        assert {f for f, _ in imports[module]} <= allowed, module
        assert all(lazy for _, lazy in imports[module]), f"{module} imported at module level: Lite would need it"


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


def test_wheel_in_its_own_venv_runs_the_scripts_like_the_file_book(wheel, tmp_path, monkeypatch):
    """Installed with only its declared dependencies (no lxml, python-calamine, openpyxl there at all), the
    wheel runs both scripts, and they add what the same jobs add to a saved file."""
    without_jieba(monkeypatch)
    python = _venv_python(wheel)
    cases = [("kehu_clean_sheet", SAMPLES / "sample_register.xlsx"), ("kehu_survey_report", SAMPLES / "sample_survey.xlsx"),
             ("kehu_clean_sheet", traditional_register(tmp_path / "traditional"))]   # its texts go through OpenCC
    for k, (script, src) in enumerate(cases):
        folder, runs = tmp_path / f"run{k}", []
        folder.mkdir()
        compare_books(LITE_SCRIPTS[script], src, folder, _lite,
                      run_live=run_script_elsewhere([str(python)], script, folder, None, runs))
        [loaded] = runs
        assert loaded and all("site-packages" in f and not f.startswith(str(ROOT)) for f in loaded.values())
        assert not [m for m in loaded if m.startswith(NEVER_IN_LITE)]


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


# ---------------------------------------------------------------- the scripts, in a Python that has only the wheel

#: Run in a separate Python: the scripts of main.py on pickled fake books (tests/fake_xlwings.py, Lite subset),
#: with BLOCKED unimportable and (WHEEL_DIR given) every kehu module taken from the unpacked wheel or refused.
SCRIPT_RUNNER = r"""
import contextlib, importlib.abc, importlib.machinery, io, json, pickle, sys, types

class NotInLite(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in BLOCKED:
            raise ModuleNotFoundError(f"{name} is not in xlwings Lite", name=name)
        if WHEEL_DIR and top in ("addin", "udfs"):
            spec = importlib.machinery.PathFinder.find_spec(name, path if "." in name else [WHEEL_DIR])
            if spec is None:
                raise ModuleNotFoundError(f"{name} is not in the kehu_lite wheel", name=name)
            return spec
        return None

sys.meta_path.insert(0, NotInLite())
xw = types.ModuleType("xlwings")            # xlwings Lite supplies xlwings; a pass-through stands in
xw.func = xw.script = xw.sub = lambda f=None, *a, **k: f if callable(f) else (lambda g: g)
xw.arg = xw.ret = lambda *a, **k: (lambda g: g)
xw.Book = object
sys.modules["xlwings"] = xw
sys.path[:0] = [LITE, FAKES]
import main

script, book = sys.argv[1], sys.argv[2]
with open(book, "rb") as f:
    fake = pickle.load(f)
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    code = getattr(main, script)(fake)
with open(book, "wb") as f:
    pickle.dump(fake, f)
loaded = {n: getattr(m, "__file__", None) for n, m in sys.modules.items()
          if m is not None and n.partition(".")[0] in ("addin", "udfs")}
print(json.dumps({"code": code, "printed": printed.getvalue().rstrip("\n"), "loaded": loaded}))
"""


def _plain_env() -> dict[str, str]:
    """No PYTHONPATH (nothing of the checkout leaks in); the machine's OpenBLAS settings kept."""
    kept = {k: v for k, v in os.environ.items() if k.startswith("OPENBLAS_")}
    return {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"), **kept}


def _fakes_dir(tmp_path: Path) -> Path:
    """A folder holding only tests/fake_xlwings.py as `tests.fake_xlwings` (what the pickled fake needs)."""
    folder = tmp_path / "fakes"
    (folder / "tests").mkdir(parents=True, exist_ok=True)
    (folder / "tests" / "__init__.py").write_text("", encoding="utf-8")
    shutil.copyfile(ROOT / "tests" / "fake_xlwings.py", folder / "tests" / "fake_xlwings.py")
    return folder


def run_script_elsewhere(python: list[str], script: str, tmp_path: Path, wheel_dir: Path | None, runs: list):
    """A `run_live` for compare_books: the script runs in `python` on a pickled copy of the fake, whose result
    then replaces the fake's sheets. Each run's modules go into `runs` (module → file)."""
    def run(fake):
        book = tmp_path / f"{script}.pickle"
        book.write_bytes(pickle.dumps(fake))
        code = (f"BLOCKED = {BLOCKED!r}\nWHEEL_DIR = {str(wheel_dir) if wheel_dir else None!r}\n"
                f"LITE = {str(LITE)!r}\nFAKES = {str(_fakes_dir(tmp_path))!r}\n") + SCRIPT_RUNNER
        done = subprocess.run([*python, "-c", code, script, str(book)], cwd=tmp_path, capture_output=True,
                              text=True, timeout=300, env=_plain_env())
        assert done.returncode == 0, done.stderr[-3000:]
        out = json.loads(done.stdout.splitlines()[-1])
        result = pickle.loads(book.read_bytes())
        fake.sheet_list, fake.active_name = result.sheet_list, result.active_name
        for sheet in fake.sheet_list:
            sheet.book = fake
        runs.append(out["loaded"])
        return out["code"], out["printed"], []
    return run


def without_jieba(monkeypatch) -> None:
    """The file side as Lite computes it: without jieba (micropip cannot install its source archive) the
    意见分析 keyword table is cut by kehu's own vocabulary (udfs/text/segment.py), a documented difference."""
    monkeypatch.setitem(sys.modules, "jieba", None)


@pytest.fixture(scope="module")
def unpacked_wheel(wheel, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(wheel) as z:
        z.extractall(folder)
    return folder


@pytest.mark.parametrize("script", LITE_SCRIPTS)
def test_scripts_run_from_the_wheel_alone_and_give_the_file_result(script, unpacked_wheel, tmp_path, monkeypatch):
    """The wheel's import closure: this Python (-I: no PYTHONPATH, no current folder) takes every kehu module
    from the unpacked wheel or fails, and cannot import lxml, python-calamine, openpyxl, rapidfuzz … ; the
    script's sheets and added columns equal, cell by cell, the same job written to a saved file."""
    without_jieba(monkeypatch)
    src = SAMPLES / ("sample_register.xlsx" if script == "kehu_clean_sheet" else "sample_survey.xlsx")
    runs: list[dict] = []
    compare_books(LITE_SCRIPTS[script], src, tmp_path, _lite,
                  run_live=run_script_elsewhere([sys.executable, "-I"], script, tmp_path, unpacked_wheel, runs))
    [loaded] = runs
    assert {"addin.book.lite", "addin.jobs.clean", "addin.jobs.survey", "addin.book.recorder"} <= set(loaded)
    assert all(f and f.startswith(str(unpacked_wheel)) for f in loaded.values())
    assert not [m for m in loaded if m.startswith(NEVER_IN_LITE)]


def test_the_runner_refuses_what_the_wheel_lacks(unpacked_wheel, tmp_path):
    """The blocker can fail: a script that needs the lossless writer (not in the wheel) stops with its name."""
    probe = tmp_path / "probe"
    probe.mkdir()
    (probe / "main.py").write_text("def kehu_probe(book):\n    import addin.write.writeback\n", encoding="utf-8")
    book = tmp_path / "book.pickle"
    book.write_bytes(pickle.dumps(None))
    code = (f"BLOCKED = {BLOCKED!r}\nWHEEL_DIR = {str(unpacked_wheel)!r}\nLITE = {str(probe)!r}\n"
            f"FAKES = {str(_fakes_dir(tmp_path))!r}\n") + SCRIPT_RUNNER
    done = subprocess.run([sys.executable, "-I", "-c", code, "kehu_probe", str(book)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode != 0 and "addin.write.writeback is not in the kehu_lite wheel" in done.stderr


def test_survey_script_reports_the_sheets_response_figures(lite_main, tmp_path):
    """Figures from the sample itself: 发放 360 份 above the header, one returned questionnaire per 答卷编号."""
    from python_calamine import CalamineWorkbook

    from .fake_xlwings import FakeBook

    wb = CalamineWorkbook.from_path(str(SAMPLES / "sample_survey.xlsx"))
    sheets = {n: wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wb.sheet_names}
    fake = FakeBook(str(tmp_path / "s.xlsx"), sheets, "答卷", lite=True)
    assert lite_main.kehu_survey_report(fake) == 0
    rows = sheets["答卷"]
    header = next(i for i, r in enumerate(rows) if r and r[0] == "答卷编号")
    returned = sum(1 for r in rows[header + 1:] if r[0] not in ("", None))
    assert any("发放" in str(v) and "360" in str(v) for r in rows[:header] for v in r)
    report = fake.sheets["满意度报告"].cells
    [(row, column)] = [k for k, v in report.items() if v == "发放问卷"]
    issued, got_returned, valid, invalid = (report[(row + 1, column + k)] for k in range(4))
    assert (issued, got_returned) == (360, returned) and valid + invalid == returned
    assert report[(row + 1, column + 4)] == pytest.approx(returned / 360)   # 回收率
    status = [v for (r, c), v in fake.sheets["答卷"].cells.items() if r > header + 1 and str(v).startswith(("有效", "无效"))]
    assert len(status) == returned and sum(1 for v in status if v.startswith("有效")) == valid


#: a traditional-Chinese register with a title, a blank row, and 合計 / 備註 rows after the records
TRADITIONAL_HEADER = ["客戶編號", "姓名", "手機", "城市", "消費金額"]
TRADITIONAL_RECORDS = [[f"C{i:03d}", f"陳{'大小中'[i % 3]}明{i}", f"0912-345-{i:03d}", "臺北市", 1000 + i]
                       for i in range(12)]


def traditional_register(folder: Path) -> Path:
    import xlsxwriter

    rows = ([["2024 年客戶資料"], [], TRADITIONAL_HEADER] + TRADITIONAL_RECORDS
            + [["合計", None, None, None, sum(r[-1] for r in TRADITIONAL_RECORDS)], ["備註：資料截至 2024/12/31"]])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "客戶.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("客戶")
    for i, row in enumerate(rows):
        sheet.write_row(i, 0, row)
    book.close()
    return path


def test_clean_script_on_traditional_text_stops_at_the_totals(tmp_path):
    """The drift issue 11 found (traditional end-of-data words 合計 / 備註 missing from Lite's reader copy):
    the script now reads with the reader itself, so it adds what the file does and nothing on 合計 / 備註."""
    seen = {}

    def run(fake):
        done = run_lite_script("kehu_clean_sheet")(fake)
        seen["cells"] = dict(fake.sheets["客戶"].cells)
        return done

    compare_books("kehu_clean", traditional_register(tmp_path / "src"), tmp_path, _lite, run_live=run)
    last_record = 3 + len(TRADITIONAL_RECORDS)          # 1-based: title, blank, header, then the records
    added = {r for (r, c) in seen["cells"] if c > len(TRADITIONAL_HEADER)}
    assert max(added) == last_record and not {last_record + 1, last_record + 2} & added
    assert "規範" in seen["cells"][(3, len(TRADITIONAL_HEADER) + 1)]   # kehu's headers in the sheet's script (OpenCC)


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


def test_main_py_scripts_carry_no_reader_copy_and_no_layout():
    """Beyond the generated formula imports, main.py holds the two scripts, and each is one call: the Lite book
    runs the job (reading, the job, drawing its results are package code)."""
    tree = ast.parse((LITE / "main.py").read_text(encoding="utf-8"))
    defined = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    assert {n.name for n in defined} == set(LITE_SCRIPTS)
    for script in defined:
        body = [s for s in script.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
        assert len(body) == 1 and isinstance(body[0], ast.Return), script.name
        call = body[0].value
        assert ast.unparse(call.func) == "LiteBook(book).run", script.name
        assert ast.unparse(call.args[0]) in ("clean.run", "survey.run"), script.name
    assigned = [n for n in tree.body if isinstance(n, (ast.Assign, ast.AnnAssign))]
    assert not assigned   # no constants, sheet names or regex tables of its own
