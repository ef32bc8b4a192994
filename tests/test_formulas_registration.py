"""Every kehu formula, as xlwings' real Windows decorators register it from the `udfs.formulas` UDF module."""
from __future__ import annotations

import re

import pytest

from tests.xlwings_windows import VBA_KEYWORDS, import_fresh, vba_wrappers, windows_decorators

#: formulas whose first argument is one value, not a column (KEHU_SIMILARITY compares two cells)
SCALAR_FIRST = {"KEHU_SIMILARITY"}
CELL_REFERENCE = re.compile(r"^[A-Z]{1,3}[0-9]{1,7}$")   # a name like KEHU1 would be read as a cell


@pytest.fixture(scope="module")
def registered():
    with windows_decorators() as udfs_mod:
        module = import_fresh("udfs.formulas")
        names = sorted(n for n in dir(module) if n.startswith("KEHU_"))
        meta = {n: getattr(module, n).__xlfunc__ for n in names}
        vba = vba_wrappers(udfs_mod, "udfs.formulas", module)
    import_fresh("udfs.formulas")  # plain functions again for the other tests
    return meta, vba


def test_all_capabilities_are_collected(registered):
    meta, _ = registered
    for expected in ("KEHU_MOBILE", "KEHU_CHECK", "KEHU_NPS", "KEHU_ALPHA", "KEHU_RFM", "KEHU_SEGMENT"):
        assert expected in meta
    assert len(meta) >= 25


def test_registration_metadata(registered):
    meta, _ = registered
    for name, xlf in meta.items():
        assert xlf["name"] == name and not CELL_REFERENCE.match(name)
        assert xlf["category"] == "kehu 客户工具", name
        assert not xlf["sub"] and not xlf["volatile"], name
        assert any(ch > "\u2e80" for ch in xlf["ret"]["doc"].strip()[:8]), f"{name}: help text should lead in Chinese"
        first = xlf["args"][0]
        if name not in SCALAR_FIRST:
            assert first["options"].get("ndim") == 2, f"{name}: a range argument must arrive as a 2-D list"
        for arg in xlf["args"]:
            assert not arg["doc"].startswith("Positional argument"), f"{name}({arg['name']}) has no help text"


def test_argument_names_are_safe_in_vba(registered):
    meta, vba = registered
    for name, xlf in meta.items():
        for arg in xlf["args"]:
            assert arg["name"].lower() not in VBA_KEYWORDS, f"{name}: argument '{arg['name']}' clashes with VBA"
        assert f"Function {name}(" in vba
        assert f'XLPy.CallUDF("udfs.formulas", "{name}"' in vba
    assert vba.count("End Function") == len(meta)
