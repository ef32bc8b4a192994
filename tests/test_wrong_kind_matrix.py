"""The wrong-kind matrix: register / survey / orders files × clean / dedupe / survey / segment.

The right kind is processed; a wrong kind stops with exit 4, one Chinese and one English line naming what the
file looks like and the command to run; --kind forces it. Files: the bundled samples and two public data sets
(tests/data/satisfaction.csv, tests/data/rfm_data_orders.csv, see SOURCES.md) that kehu's authors did not make.
"""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "workbook_templates" / "samples"
DATA = ROOT / "tests" / "data"
FILES = {
    "register": [SAMPLES / "sample_register.xlsx"],
    "survey": [SAMPLES / "sample_survey.xlsx", DATA / "satisfaction.csv"],
    "orders": [SAMPLES / "sample_orders.xlsx", DATA / "rfm_data_orders.csv"],
}
COMMAND_KIND = {"clean": "register", "dedupe": "register", "segment": "register", "survey": "survey"}
SUGGESTION = {"register": "kehu clean", "survey": "kehu survey", "orders": "--orders"}
CASES = [(kind, f, cmd) for kind, files in FILES.items() for f in files for cmd in COMMAND_KIND]


@pytest.mark.parametrize("kind,path,command", CASES, ids=[f"{p.name}-{c}" for _k, p, c in CASES])
def test_each_file_kind_against_each_command(cli, tmp_path, kind, path, command):
    args = [command, str(path), "-o", str(tmp_path / "out.xlsx")]
    if command == "segment":
        args += ["--as-of", "2024-06-30"]
    code, _out, err = cli(*args)
    if COMMAND_KIND[command] == kind:
        assert code == 0, err
        assert (tmp_path / "out.xlsx").exists()
        return
    assert code == 4 and "Traceback" not in err
    zh, en = [line for line in err.splitlines() if line.strip()][:2]
    assert zh.startswith("错误：") and en.startswith("Error:")
    assert SUGGESTION[kind] in zh and SUGGESTION[kind] in en
    assert f"--kind {COMMAND_KIND[command]}" in zh
    assert not (tmp_path / "out.xlsx").exists()


def test_kind_forces_a_command_on_a_file_that_looks_otherwise(cli, tmp_path):
    code, _out, err = cli("clean", str(SAMPLES / "sample_survey.xlsx"), "--kind", "register",
                          "-o", str(tmp_path / "forced.xlsx"))
    assert code in (0, 4) and "像是一份" not in err      # the kind check is skipped; cleaning may still object
    code, _out, err = cli("clean", str(SAMPLES / "sample_register.xlsx"), "--kind", "spreadsheet")
    assert code == 2 and "--kind" in err


@pytest.mark.parametrize("path,zh", [(SAMPLES / "sample_register.xlsx", "客户档案"),
                                     (SAMPLES / "sample_survey.xlsx", "满意度调查答卷"),
                                     (SAMPLES / "sample_orders.xlsx", "订单明细")])
def test_inspect_prints_the_kind(cli, path, zh):
    code, out, _err = cli("inspect", str(path))
    assert code == 0 and f"类型：{zh}" in out
