"""Writing under trouble: full disk, read-only file system, no permission, names too long, Ctrl-C and SIGTERM."""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from addin.commands.clean import run_clean
from addin.errors import KehuError
from addin.write import writeback
from tests.hostile import register

ROOT = Path(__file__).resolve().parents[1]

# the child is the real `kehu` entry point; the patch only holds the write open long enough to signal it
SLOW_CHILD = """
import sys, time
from addin.write import writeback
real = writeback._emit
def slow(*a, **k):
    real(*a, **k)
    print("WRITING", flush=True)
    time.sleep(60)
writeback._emit = slow
from addin.cli import main
sys.argv = ["kehu"] + sys.argv[1:]
main()
"""

FAILING_CHILD = """
import errno, os, sys
from addin.write import writeback
def fail(*a, **k):
    raise OSError(errno.{code}, os.strerror(errno.{code}))
writeback._emit = fail
from addin.cli import main
sys.argv = ["kehu"] + sys.argv[1:]
main()
"""


def _temps(folder: Path) -> list[Path]:
    return sorted(folder.glob(".~kehu-*"))


@pytest.mark.parametrize("code", ["ENOSPC", "EROFS", "EACCES", "EDQUOT"])
def test_storage_errors_exit_5_with_path(tmp_path, code):
    src = register(tmp_path / "a.xlsx")
    out = tmp_path / "out.xlsx"
    done = subprocess.run([sys.executable, "-c", FAILING_CHILD.format(code=code), "clean", str(src), "-o", str(out)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, env={"PYTHONPATH": str(ROOT)})
    assert done.returncode == 5, done.stderr
    zh, en = done.stderr.strip().splitlines()[-2:]
    assert zh.startswith("错误：") and en.startswith("Error:") and str(out) in en and "-o" in en
    assert not out.exists() and _temps(tmp_path) == []


def test_read_only_folder_found_at_temp_creation(tmp_path, monkeypatch):
    import tempfile

    def refuse(*a, **k):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))
    src = register(tmp_path / "a.xlsx")
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(KehuError) as caught:
        run_clean(src, tmp_path / "out.xlsx")
    assert caught.value.code == 5 and "read-only" in caught.value.en


def test_disk_full_leaves_nothing_behind(tmp_path, monkeypatch):
    src = register(tmp_path / "a.xlsx")

    def full(plan, src_zip, out, *a, **k):
        Path(out).write_bytes(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(writeback, "_emit", full)
    with pytest.raises(KehuError) as caught:
        run_clean(src, tmp_path / "out.xlsx")
    assert caught.value.code == 5 and "space" in caught.value.en
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx"]


def test_long_input_name_gets_a_shortened_output_name(tmp_path):
    stem = "客户档案" * 20 + "客户"                       # 82 characters = 246 UTF-8 bytes; NAME.kehu.xlsx would be 256
    src = register(tmp_path / f"{stem}.xlsx")
    summary = run_clean(src)
    out = Path(summary["output"])
    assert out.exists() and out.parent == tmp_path and out.name.endswith(".kehu.xlsx")
    assert len(out.name.encode("utf-8")) <= 255 and out.name.startswith("客户档案")


def test_output_name_too_long_asks_for_o(tmp_path):
    src = register(tmp_path / "a.xlsx")
    with pytest.raises(KehuError) as caught:
        run_clean(src, tmp_path / ("长" * 100 + ".xlsx"))
    assert caught.value.code == 5 and "-o" in caught.value.en


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_during_write_removes_temp_and_says_cancelled(tmp_path, sig):
    src = register(tmp_path / "a.xlsx")
    out = tmp_path / "out.xlsx"
    child = subprocess.Popen([sys.executable, "-c", SLOW_CHILD, "clean", str(src), "-o", str(out)], cwd=ROOT,
                             env={"PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    assert child.stdout.readline().strip() == "WRITING"
    assert _temps(tmp_path), "the temporary file exists while writing"
    child.send_signal(sig)
    _, stderr = child.communicate(timeout=max(deadline - time.monotonic(), 5))
    assert child.returncode == 130, stderr
    zh, en = stderr.strip().splitlines()[-2:]
    assert zh.startswith("已取消") and en.startswith("Cancelled")
    assert _temps(tmp_path) == [] and not out.exists()
