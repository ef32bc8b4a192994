"""Usage errors (missing argument, unknown option, unknown command) in the two-line form of every error."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("args,zh", [(["clean"], "缺少参数"), (["clean", "x.xlsx", "--bogus"], "没有这个选项"),
                                     (["nosuch"], "没有这个命令")])
def test_usage_error_is_two_lines_and_exit_2(args, zh):
    done = subprocess.run([sys.executable, "-m", "addin", *args], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT)})
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("错误：") and zh in lines[0]
    assert lines[1].startswith("Error: ") and "-h" in lines[1]
