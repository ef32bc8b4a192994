"""The README's formula examples give the results it shows (so the README stays true)."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import udfs.formulas as formulas

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\| `=(KEHU_\w+)\(([^)]*)\)` \| (.+?) \| (.+?) \|$", re.M)
#: formulas whose README example is one input value and one literal result
SINGLE = {"KEHU_MOBILE", "KEHU_PHONE", "KEHU_EMAIL", "KEHU_IDCHECK", "KEHU_USCCCHECK", "KEHU_NAMEKEY",
          "KEHU_COMPANYKEY", "KEHU_DATE", "KEHU_AMOUNT", "KEHU_GENDER", "KEHU_SENTIMENT", "KEHU_THEMES"}
CASES = [m.groups() for m in ROW.finditer(README) if m.group(1) in SINGLE and "," not in m.group(4)]


def test_readme_has_the_examples():
    assert {c[0] for c in CASES} == SINGLE


@pytest.mark.parametrize("name,args,given,expected", CASES, ids=[f"{c[0]}({c[1]})" for c in CASES])
def test_readme_formula_example(name, args, given, expected):
    extra = [a.strip() == "TRUE" for a in args.split(",")[1:]]
    value = given.strip().strip("`")
    if value != given.strip():            # `…` in the README keeps leading/trailing spaces visible
        value = given.strip()[1:-1]
    result = getattr(formulas, name)([[value], [None]], *extra)[0][0]
    want = expected.strip()
    if want.startswith("blank"):
        want = ""
    want = re.sub(r"\s*\(.*\)$", "", want)  # drop the README's explanation in brackets
    if isinstance(result, dt.datetime):
        result = result.strftime("%Y-%m-%d")
    if isinstance(result, float) and result.is_integer():
        result = str(int(result))
    assert str(result) == want
