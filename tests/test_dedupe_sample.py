"""The bundled sample's planted duplicates are found and its look-alikes kept apart, by every door."""
from __future__ import annotations

import json
from pathlib import Path

from python_calamine import CalamineWorkbook

from addin.ribbon import FileBook, run_button

SAMPLES = Path(__file__).resolve().parents[1] / "workbook_templates" / "samples"
TRUTH = json.loads((SAMPLES / "sample_register.truth.json").read_text(encoding="utf-8"))


def _groups(path: Path) -> dict[str, object]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("客户档案").to_python()
    header = rows[3]
    g = header.index("重复组")
    return {r[0]: r[g] for r in rows[4:] if r[0] and r[g] not in ("", None)}


def _check(groups: dict[str, object]) -> None:
    planted = {frozenset(p) for p in TRUTH["duplicates"]}
    found: dict[object, set] = {}
    for cid, g in groups.items():
        found.setdefault(g, set()).add(cid)
    assert {frozenset(s) for s in found.values()} == planted
    for a, b, _why in TRUTH["distinct"]:
        assert not (a in groups and b in groups and groups[a] == groups[b])


def test_cli_dedupe(cli, tmp_path):
    code, _o, err = cli("dedupe", SAMPLES / "sample_register.xlsx", "-o", tmp_path / "d.xlsx", "-q")
    assert code == 0, err
    _check(_groups(tmp_path / "d.xlsx"))
    names = CalamineWorkbook.from_path(str(tmp_path / "d.xlsx")).sheet_names
    assert {"去重结果", "合并记录"} <= set(names)


def test_clean_with_dedupe_adds_both(cli, tmp_path):
    code, _o, err = cli("clean", SAMPLES / "sample_register.xlsx", "--dedupe", "-o", tmp_path / "c.xlsx", "-q")
    assert code == 0, err
    _check(_groups(tmp_path / "c.xlsx"))
    assert {"问题清单", "去重结果", "合并记录"} <= set(CalamineWorkbook.from_path(str(tmp_path / "c.xlsx")).sheet_names)


def test_ribbon_flag_and_merge_buttons(tmp_path):
    flag = FileBook(SAMPLES / "sample_register.xlsx", tmp_path / "f.xlsx")
    assert run_button("kehu_dupes", flag)[0] == 0
    _check(_groups(flag.written))
    assert "去重结果" not in CalamineWorkbook.from_path(str(flag.written)).sheet_names   # flagging only
    merge = FileBook(SAMPLES / "sample_register.xlsx", tmp_path / "m.xlsx")
    assert run_button("kehu_merge", merge)[0] == 0
    golden = CalamineWorkbook.from_path(str(merge.written)).get_sheet_by_name("去重结果").to_python()
    assert sum(1 for r in golden if r and str(r[0]).strip()) - 2 == 60 - len(TRUTH["duplicates"])  # title + header


def test_reasons_stay_short_enough_to_read(cli, tmp_path):
    """At most four agreements are spelt out, strongest first; the rest are counted."""
    cli("dedupe", SAMPLES / "sample_register.xlsx", "-o", tmp_path / "d.xlsx", "-q")
    rows = CalamineWorkbook.from_path(str(tmp_path / "d.xlsx")).get_sheet_by_name("客户档案").to_python()
    header = rows[3]
    reasons = [r[header.index("匹配依据")] for r in rows[4:] if r[header.index("匹配依据")]]
    assert len(reasons) == 6
    for reason in reasons:
        spelt = reason.split("（")[0].split("; ")
        assert len(spelt) <= 4 and all(p.endswith("相同") for p in spelt)
        assert "另有" in reason      # the sample's duplicates agree on more than four fields
