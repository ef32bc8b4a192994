"""Every import is declared where it is used, and every declared dependency is used (issue 17).

The scan reads the source (ast), not a list kept by hand: every `import x` / `from x import …`, and the
string given to `importlib.import_module`, `importlib.util.find_spec` or `pytest.importorskip`, in the
installed packages (udfs, addin, workbook_templates) and in tests/ and benchmarks/. Each top-level module
that is neither the standard library nor ours is mapped to the distribution that provides it with
`importlib.metadata.packages_distributions()` and checked against pyproject.toml:

- package code, imported at module level → a run-time dependency (`pip install -e .` must be enough);
- package code, imported inside a function → a run-time dependency or a named extra other than `test`
  (e.g. PyInstaller for `kehu build-exe`, extra `exe`);
- tests and benchmarks → a run-time dependency or the `test` extra.

Nothing counts as declared because something else happens to pull it in (olefile came with oletools).
"""
from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")   # Python 3.11+; CI runs Debian's 3.11

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("udfs", "addin", "workbook_templates")
SUITES = ("tests", "benchmarks")
# Generated for xlwings Lite, where it runs under Pyodide with Lite's own xlwings; it imports only what the
# package already declares, and is scanned like the rest.
_IMPORT_CALLS = {"import_module", "find_spec", "importorskip"}


@dataclass(frozen=True)
class Use:
    module: str        # top-level module name
    path: str          # file, relative to the repository
    line: int
    lazy: bool         # inside a function (imported only when that function runs)


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    return _normalise(re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement).group(1))


def _declared() -> tuple[set[str], dict[str, set[str]]]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_requirement_name(req) for req in project["dependencies"]}
    extras = {extra: {_requirement_name(req) for req in reqs}
              for extra, reqs in project.get("optional-dependencies", {}).items()}
    return runtime, extras


def _uses_in(path: Path) -> list[Use]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    uses: list[Use] = []
    relative = str(path.relative_to(REPO))

    def visit(node: ast.AST, in_function: bool) -> None:
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Call):
            function = node.func
            called = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
            if (called in _IMPORT_CALLS and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                names = [node.args[0].value]
        for name in names:
            uses.append(Use(name.split(".")[0], relative, node.lineno, in_function))
        inside = in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        for child in ast.iter_child_nodes(node):
            visit(child, inside)

    visit(tree, False)
    return uses


def _local_modules() -> set[str]:
    # tests import xlwings_windows; test_lite imports the generated Lite `main` from addin/lite/ on sys.path
    return {path.stem for root in PACKAGES + SUITES for path in (REPO / root).rglob("*.py")}


def _is_ours(module: str, local: set[str]) -> bool:
    return module in PACKAGES or module in SUITES or module in local


def _third_party_uses(roots: tuple[str, ...]) -> list[Use]:
    uses, local = [], _local_modules()
    for root in roots:
        for path in sorted((REPO / root).rglob("*.py")):
            uses += [use for use in _uses_in(path)
                     if use.module not in sys.stdlib_module_names and use.module != "__future__"
                     and not _is_ours(use.module, local)]
    return uses


@pytest.fixture(scope="module")
def providers() -> dict[str, list[str]]:
    return {module: [_normalise(dist) for dist in dists]
            for module, dists in importlib.metadata.packages_distributions().items()}


def _unprovided(uses: list[Use], providers: dict[str, list[str]]) -> list[str]:
    return [f"{use.path}:{use.line} imports {use.module}, which no installed distribution provides"
            for use in uses if use.module not in providers]


def test_the_scan_finds_the_imports_it_must_see():
    # The scanner itself can fail: these are imports known to be in the code, in each of the three forms.
    package = {(use.module, use.path) for use in _third_party_uses(PACKAGES)}
    assert ("pandas", "udfs/columns.py") in package
    assert ("PyInstaller", "addin/exe/build.py") in package
    suites = {(use.module, use.path) for use in _third_party_uses(SUITES)}
    assert ("pingouin", "tests/test_survey_engine.py") in suites            # pytest.importorskip("pingouin")
    assert ("hypothesis", "tests/test_normalise_properties.py") in suites
    assert not any(module in ("udfs", "tests", "xlwings_windows") for module, _ in suites)
    # a file of ours named like a third-party module would hide that module from the scan
    assert not _local_modules() & set(importlib.metadata.packages_distributions())


def test_package_imports_are_run_time_dependencies(providers):
    runtime, extras = _declared()
    named_extras = set().union(*(reqs for extra, reqs in extras.items() if extra != "test"))
    uses = _third_party_uses(PACKAGES)
    problems = _unprovided(uses, providers)
    for use in uses:
        dists = set(providers.get(use.module, ()))
        if dists & runtime:
            continue
        if use.lazy and dists & named_extras:
            continue
        where = "a run-time dependency or a named extra" if use.lazy else "a run-time dependency"
        problems.append(f"{use.path}:{use.line} imports {use.module} ({', '.join(sorted(dists)) or '?'}): "
                        f"not declared as {where} in pyproject.toml")
    assert not problems, "\n".join(problems)


def test_test_and_benchmark_imports_are_declared(providers):
    runtime, extras = _declared()
    allowed = runtime | extras.get("test", set())
    # benchmarks may also compare against tools of the `bench` extra (splink); tests may not
    allowed_in_benchmarks = allowed | extras.get("bench", set())
    uses = _third_party_uses(SUITES)
    # a benchmark's comparison tool from the `bench` extra need not be installed (a plain test run lacks it)
    bench_only = {use for use in uses if use.path.startswith("benchmarks/") and use.module not in providers
                  and _normalise(use.module) in extras.get("bench", set())}
    problems = _unprovided([use for use in uses if use not in bench_only], providers)
    problems += [f"{use.path}:{use.line} imports {use.module} ({', '.join(providers[use.module])}): "
                 "not a run-time dependency nor in the test extra"
                 for use in uses if use.module in providers
                 and not set(providers[use.module])
                 & (allowed_in_benchmarks if use.path.startswith("benchmarks/") else allowed)]
    assert not problems, "\n".join(problems)


def test_every_declared_dependency_is_imported_where_it_is_declared(providers):
    runtime, extras = _declared()
    imported_by = {}
    for scope, roots in (("package", PACKAGES), ("suites", SUITES)):
        imported_by[scope] = {dist for use in _third_party_uses(roots) for dist in providers.get(use.module, ())}
    unused_runtime = runtime - imported_by["package"]
    assert not unused_runtime, f"run-time dependencies the package never imports: {sorted(unused_runtime)}"
    unused_test = extras["test"] - imported_by["suites"] - imported_by["package"]
    assert not unused_test, f"test extra entries no test or benchmark imports: {sorted(unused_test)}"
    for extra, reqs in extras.items():
        if extra == "bench":
            bench = {dist for use in _third_party_uses(SUITES) if use.path.startswith("benchmarks/")
                     for dist in providers.get(use.module, [_normalise(use.module)])}
            assert reqs & bench, "extra 'bench' declares nothing the benchmarks import"
        elif extra != "test":
            assert reqs & imported_by["package"], f"extra {extra!r} declares nothing the package imports"
