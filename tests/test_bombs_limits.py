"""No input, however built, takes kehu past 4 GiB of address space or 2 minutes: it finishes or refuses (exit 3).

Each bomb runs in a child process under RLIMIT_AS = 4 GiB and a 120 s timeout, with the two-line refusal
expected on stderr. The bombs are built here (1 GiB inflated each) and never committed.
"""
from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests import bombs

ROOT = Path(__file__).resolve().parents[1]
GIB = 1 << 30


def _limited():
    resource.setrlimit(resource.RLIMIT_AS, (4 * GIB, 4 * GIB))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each bomb built once for both commands."""
    cache: dict[str, Path] = {}

    def get(case: str) -> Path:
        if case not in cache:
            folder = tmp_path_factory.mktemp("bomb")
            cache[case] = CASES[case](folder)
        return cache[case]
    return get


CASES = {
    "whitespace, honest header (ratio 1000:1)": lambda d: bombs.whitespace_bomb(d, 1.0),
    "whitespace, header lying small": lambda d: bombs.whitespace_bomb(d, 1.0, declared=1000),
    "whitespace, header lying plausibly": lambda d: bombs.whitespace_bomb(d, 1.0, declared="plausible"),
    "giant shared string, honest header": lambda d: bombs.string_bomb(d, 1.0),
    "giant shared string, header lying plausibly": lambda d: bombs.string_bomb(d, 1.0, declared="plausible"),
    "billion laughs in styles.xml": bombs.laughs_bomb,
    "cell at XFD1048576": bombs.far_cell,
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("command", ["inspect", "clean"])
def test_bomb_is_refused_within_limits(built, case, command):
    path = built(case)
    out = path.with_name("out.xlsx")
    args = [sys.executable, "-m", "addin", command, str(path)] + (["-o", str(out)] if command == "clean" else [])
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, preexec_fn=_limited, cwd=ROOT,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 3, (case, done.returncode, done.stderr[-2000:])
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith("错误：") and lines[-1].startswith("Error:"), done.stderr
    assert "内部错误" not in done.stderr and not out.exists()


def test_ods_content_bomb_with_a_plausible_header_is_refused(tmp_path):
    from tests.hostile import ods

    base = ods(tmp_path / "base.ods", {"客户档案": [["姓名", "手机"], ["张伟", "13800138000"]]})
    import zipfile

    xml = zipfile.ZipFile(base).read("content.xml")
    cut = xml.index(b"</table:table>")
    raw, size, crc = bombs._deflate_repeated(xml[:cut], b" ", 512 * bombs.MB, xml[cut:])
    src = bombs._replace_member(base, tmp_path / "bomb.ods", "content.xml", raw, size, crc, declared="plausible")
    done = subprocess.run([sys.executable, "-m", "addin", "inspect", str(src)], capture_output=True, text=True,
                          timeout=120, preexec_fn=_limited, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 3 and "内部错误" not in done.stderr, done.stderr
