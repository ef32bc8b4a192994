"""`kehu inspect` as a user sees it: the mapping table, --map, --json, and help with an example."""
from __future__ import annotations

import json


def test_inspect_prints_mapping(cli, sample_register):
    code, stdout, _ = cli("inspect", sample_register)
    assert code == 0
    assert "表头第 4 行" in stdout and "数据 60 行" in stdout
    assert "手机 (mobile)" in stdout and "统一社会信用代码 (uscc)" in stdout


def test_inspect_json_and_map(cli, sample_register):
    code, stdout, _ = cli("inspect", sample_register, "--json", "--map", "电话=phone,备注=ignore")
    doc = json.loads(stdout)
    roles = {c["header"]: c["role"] for c in doc["columns"]}
    assert code == 0 and doc["records"] == 60 and doc["header_row"] == 4
    assert roles["电话"] == "phone" and roles["备注"] is None and roles["手机"] == "mobile"


def test_every_command_has_help_with_example(cli):
    code, stdout, _ = cli("--help")
    assert code == 0
    commands = [c for c in ("inspect", "clean", "dedupe", "survey", "segment") if f" {c} " in stdout]
    assert "inspect" in commands
    for c in commands:
        code, out, _ = cli(c, "--help")
        assert code == 0 and ("示例" in out or "Example" in out), c
