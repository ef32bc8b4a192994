"""Every file in the bad-input corpus gives a clear two-line message and the documented exit code."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .corpus.build_corpus import EXPECTED, build


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    return build(tmp_path_factory.mktemp("bad"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_inspect_on_corpus_file(corpus, cli, name):
    code, stdout, stderr = cli("inspect", corpus[name])
    want_code, want_text = EXPECTED[name]
    assert code == want_code, (stdout, stderr)
    assert "Traceback" not in stdout + stderr
    if want_code:
        lines = [ln for ln in stderr.splitlines() if ln.strip()]
        assert lines[0].startswith("错误：") and want_text in lines[0]
        assert lines[1].startswith("Error: ")
        assert corpus[name].name in stderr          # the message names the file
    else:
        assert "识别为" in stdout


@pytest.mark.parametrize("name", ["encrypted.xlsx", "truncated.xlsx", "no_header.xlsx"])
def test_json_error_is_machine_readable(corpus, cli, name):
    code, stdout, _ = cli("inspect", corpus[name], "--json")
    doc = json.loads(stdout)
    assert doc["ok"] is False and doc["exit_code"] == code == EXPECTED[name][0]
    assert doc["error_zh"] and doc["error_en"]


def test_unknown_map_column_and_role_are_usage_errors(cli, sample_register):
    code, _, stderr = cli("inspect", sample_register, "--map", "不存在的列=mobile")
    assert code == 2 and "不存在的列" in stderr
    code, _, stderr = cli("inspect", sample_register, "--map", "手机=spaceship")
    assert code == 2 and "spaceship" in stderr


def test_real_process_exit_code_and_no_traceback(corpus):
    """The installed entry point, not only the in-process runner, keeps the promise."""
    proc = subprocess.run([sys.executable, "-m", "addin", "inspect", str(corpus["encrypted.xlsx"])],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3
    assert "密码" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("command", ["clean", "dedupe", "segment", "survey", "complaints"])
def test_every_command_refuses_bad_files_cleanly(corpus, cli, command, tmp_path):
    for name, (want_code, want_text) in EXPECTED.items():
        if not want_code:
            continue
        out = tmp_path / f"{command}_{name}.xlsx"
        code, _stdout, stderr = cli(command, corpus[name], "-o", out, "-q")
        assert code == want_code, (command, name, stderr)
        assert want_text in stderr.splitlines()[0] and "Traceback" not in stderr
        assert not out.exists()                      # never a half-written result
