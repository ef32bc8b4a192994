"""The doors stay doors: no module under a door folder imports another door, or a private (`_name`) engine module.

Door folders: addin/commands (the CLI), addin/ribbon (the add-in's buttons), udfs/formulas (the =KEHU_ formulas)
and addin/lite (xlwings Lite). They share work through addin/jobs, addin/book and the engine's public modules.
The imports are read from the source (ast), so a lazy import inside a function counts as much as one at the top.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOORS = ("addin.commands", "addin.ribbon", "udfs.formulas", "addin.lite")
#: a door's own plumbing, importable from inside that door only
OWN_PLUMBING = {"udfs.formulas._xl": "udfs.formulas"}
#: xlwings Lite registers the formulas it finds in main.py's namespace, so main.py imports the public formula
#: modules (the classic formulas themselves, no copies: issue 11). That, and nothing else, crosses a door.
LITE_KNOWN: set[tuple[str, str]] = {
    ("addin.lite.main", "udfs.formulas"), ("addin.lite.main", "udfs.formulas.clean"),
    ("addin.lite.main", "udfs.formulas.dedupe"), ("addin.lite.main", "udfs.formulas.segment"),
    ("addin.lite.main", "udfs.formulas.survey"), ("addin.lite.main", "udfs.formulas.text"),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[str]:
    """Every module `path` imports (absolute names; relative imports resolved; `from x import y` gives x and x.y)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append(module)
            found += [f"{module}.{a.name}" for a in node.names if a.name != "*"]
    return found


def _door_of(module: str) -> str | None:
    return next((d for d in DOORS if module == d or module.startswith(d + ".")), None)


def _is_module(name: str) -> bool:
    return (ROOT / Path(*name.split("."))).with_suffix(".py").exists() or (ROOT / Path(*name.split("."))).is_dir()


def violations(folder: str) -> set[tuple[str, str]]:
    """(module, what it imports that it must not) for every module under `folder`."""
    bad = set()
    for path in sorted((ROOT / folder).rglob("*.py")):
        me = _module_name(path)
        my_door = _door_of(me)
        for name in imports_of(path):
            if not name.startswith(("addin.", "udfs.")) or not _is_module(name):
                continue
            other = _door_of(name)
            if other is not None and other != my_door:
                bad.add((me, name))
            elif name.startswith("udfs.") and any(p.startswith("_") and not p.startswith("__")
                                                  for p in name.split(".")):
                if OWN_PLUMBING.get(name) != my_door:
                    bad.add((me, name))
    return bad


@pytest.mark.parametrize("folder", ["addin/commands", "addin/ribbon", "udfs/formulas"])
def test_no_door_imports_another_door_or_a_private_engine_module(folder):
    assert violations(folder) == set()


def test_lite_imports_no_other_door_and_no_private_engine_module():
    """Lite's main.py re-exports the public formula modules (LITE_KNOWN) and imports no other door or private module."""
    assert violations("addin/lite") - LITE_KNOWN == set()


def test_the_checker_finds_what_it_must(tmp_path, monkeypatch):
    """The walk sees a lazy cross-door import, a relative one and a private engine module (it can fail)."""
    door = ROOT / "addin" / "commands" / "_layering_probe.py"
    door.write_text("def f():\n    from addin.ribbon import handlers\n    from ..ribbon import command\n"
                    "    import udfs.score.segment._values\n", encoding="utf-8")
    try:
        found = {name for me, name in violations("addin/commands") if me.endswith("_layering_probe")}
    finally:
        door.unlink()
    assert {"addin.ribbon.handlers", "addin.ribbon.command", "udfs.score.segment._values"} <= found


def test_formula_plumbing_is_not_imported_from_outside_the_formulas():
    """udfs/formulas/_xl.py is the formulas' own; everyone else takes excel_value from udfs/excel_values.py."""
    pending: set[str] = set()
    users = set()
    for folder in ("addin", "udfs"):
        for path in (ROOT / folder).rglob("*.py"):
            me = _module_name(path)
            if _door_of(me) != "udfs.formulas" and any(n.startswith("udfs.formulas._xl") for n in imports_of(path)):
                users.add(me)
    assert users - pending == set()
