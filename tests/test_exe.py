"""The one-file `kehu` executable: lazy command listing, and the built executable against the Python CLI.

The executable tests build it once per session with PyInstaller (minutes), run it with an empty environment
(`env -i PATH=/usr/bin:/bin HOME=…`, so no Python install, venv or PYTHONPATH can help it) and compare every
output workbook with the Python CLI's, sheet by sheet and cell by cell, and part by part inside the package.
Set KEHU_EXE=/path/to/kehu to test an executable built earlier instead of building one.
"""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "workbook_templates" / "samples"
HAS_DEDUPE = (ROOT / "addin" / "commands" / "dedupe.py").exists()
#: package parts that carry the time of writing, so two runs may differ there and nowhere else
TIMESTAMP_PARTS = {"docProps/core.xml", "docProps/app.xml"}

needs_pyinstaller = pytest.mark.skipif(importlib.util.find_spec("PyInstaller") is None,
                                       reason="PyInstaller is not installed (pip install -e '.[exe]')")


# ---------------------------------------------------------------- the lazy command list (no build needed)

def test_help_lists_every_command_without_importing_the_engine():
    code = ("import sys; from typer.testing import CliRunner; from addin.cli import app; "
            "r = CliRunner().invoke(app, ['--help']); print(r.exit_code); print(r.stdout); "
            "print('HEAVY:' + ','.join(m for m in ('pandas', 'numpy', 'udfs.cleaning', 'addin.read') if m in sys.modules))")
    done = subprocess.run([os.sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "COLUMNS": "200"})
    lines = done.stdout.splitlines()
    assert lines[0] == "0", done.stderr
    assert lines[-1] == "HEAVY:", lines[-1]
    listed = "\n".join(lines)
    for name in ("inspect", "clean", "survey", "segment", "ribbon", "addin", "build-exe"):
        assert f" {name} " in listed, name
    assert (" dedupe " in listed) == HAS_DEDUPE


def test_listed_help_lines_are_the_commands_own_first_lines():
    """Each line in cli.COMMANDS must equal the first paragraph of the real command's docstring."""
    from addin.cli import COMMANDS, available_commands, load_commands

    assert set(available_commands()) == set(COMMANDS) - ({"dedupe"} if not HAS_DEDUPE else set())
    for name, (module, line) in available_commands().items():
        command = load_commands(module)[name]
        first_paragraph = " ".join((command.help or "").split("\n\n")[0].split())
        assert first_paragraph == line, (name, first_paragraph)


def test_commands_still_run_and_typos_are_suggested(cli, sample_register):
    code, stdout, _ = cli("inspect", sample_register, "--json")
    assert code == 0 and json.loads(stdout)["records"] == 60
    code, _, stderr = cli("clen")
    assert code == 2 and "clean" in stderr


def test_build_exe_without_pyinstaller_says_how_to_install(cli, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "PyInstaller", None)
    monkeypatch.setitem(sys.modules, "PyInstaller.__main__", None)
    code, _, stderr = cli("build-exe", "--dist", "unused")
    assert code == 2 and "PyInstaller" in stderr and "pip install" in stderr


def test_build_arguments_carry_the_data_the_engine_reads():
    from addin.exe.build import pyinstaller_args

    args = pyinstaller_args(Path("d"), Path("w"))
    collected = {args[i + 1] for i, a in enumerate(args) if a == "--collect-data"}
    assert {"zhconv", "pypinyin", "phonenumbers", "udfs", "workbook_templates", "addin", "xlwings"} <= collected
    assert args[0] == "--onefile" and args[-1].endswith("entry.py")
    excluded = {args[i + 1] for i, a in enumerate(args) if a == "--exclude-module"}
    # what the commands import must never be excluded (found by recording sys.modules over every command)
    assert not excluded & {"pandas", "numpy", "lxml", "openpyxl", "python_calamine", "xlsxwriter", "rapidfuzz",
                           "zhconv", "pypinyin", "phonenumbers", "email_validator", "pydantic", "typer", "rich"}


# ---------------------------------------------------------------- the executable itself

@pytest.fixture(scope="session")
def kehu_exe(tmp_path_factory) -> Path:
    prebuilt = os.environ.get("KEHU_EXE")
    if prebuilt:
        return Path(prebuilt)
    from addin.exe.build import build_exe

    base = tmp_path_factory.mktemp("exe")
    return build_exe(base / "dist", base / "work")


def run_exe(exe: Path, *args, cwd: Path) -> subprocess.CompletedProcess:
    """Run the executable with an empty environment: nothing from a Python install can be found."""
    env = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"), "COLUMNS": "200"}
    return subprocess.run([str(exe), *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def run_python(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    return subprocess.run([os.sys.executable, "-m", "addin", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def sheets(path: Path) -> dict[str, list[list]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def package_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def both_ways(exe: Path, tmp_path: Path, sample: str, *args) -> tuple[Path, Path]:
    """Run one command through the executable and through Python, each in its own folder."""
    outputs = []
    for door in ("exe", "py"):
        folder = tmp_path / door
        folder.mkdir(exist_ok=True)
        shutil.copy(SAMPLES / sample, folder / sample)
        run = run_exe if door == "exe" else run_python
        done = run(*((exe,) if door == "exe" else ()), *args, sample, "-o", "out.xlsx", "-q", cwd=folder)
        assert done.returncode == 0, (door, done.stdout, done.stderr)
        outputs.append(folder / "out.xlsx")
    return outputs[0], outputs[1]


def assert_same_workbook(exe_out: Path, py_out: Path) -> None:
    exe_sheets, py_sheets = sheets(exe_out), sheets(py_out)
    assert list(exe_sheets) == list(py_sheets)
    for name in py_sheets:
        assert exe_sheets[name] == py_sheets[name], f"sheet {name} differs"
    exe_parts, py_parts = package_parts(exe_out), package_parts(py_out)
    assert sorted(exe_parts) == sorted(py_parts)
    differing = {n for n in py_parts if exe_parts[n] != py_parts[n]}
    assert differing <= TIMESTAMP_PARTS, differing


COMMANDS = [("clean", "sample_register.xlsx", ()),
            ("segment", "sample_register.xlsx", ("--as-of", "2024-06-30")),
            ("survey", "sample_survey.xlsx", ())]
if HAS_DEDUPE:
    COMMANDS.append(("dedupe", "sample_register.xlsx", ()))


@needs_pyinstaller
@pytest.mark.parametrize("command, sample, extra", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_exe_output_equals_python_output(kehu_exe, tmp_path, command, sample, extra):
    exe_out, py_out = both_ways(kehu_exe, tmp_path, sample, command, *extra)
    assert_same_workbook(exe_out, py_out)
    assert len(sheets(exe_out)) >= 2  # the command added a sheet: an empty result cannot pass as "equal"


@needs_pyinstaller
def test_exe_reads_its_bundled_tables(kehu_exe, tmp_path):
    """Traditional province/city names (zhconv tables + regions.json) and a Hong Kong number (phonenumbers
    metadata) can only come out right if that data travelled inside the executable."""
    (tmp_path / "trad.csv").write_text("客户编号,姓名,手机,电话,省份,城市\n"
                                      "C1,張偉,13800138000,+852 2123 4567,廣東,廣州\n"
                                      "C2,李娜,139-0013-9000,010-12345678,北京,北京\n", encoding="utf-8")
    done = run_exe(kehu_exe, "clean", "trad.csv", "-o", "out.xlsx", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = next(iter(sheets(tmp_path / "out.xlsx").values()))
    got = [dict(zip(rows[0], r)) for r in rows[1:]]
    assert [(g["省份(规范)"], g["城市(规范)"]) for g in got] == [("广东省", "广州市"), ("北京市", "北京市")]
    # +852 is Hong Kong's country code; E.164 writes it with the 8-digit local number and no spaces
    assert [g["电话(规范)"] for g in got] == ["+85221234567", "010-12345678"]
    assert [g["手机(规范)"] for g in got] == ["13800138000", "13900139000"]


@needs_pyinstaller
def test_exe_inspect_json_equals_python(kehu_exe, tmp_path):
    shutil.copy(SAMPLES / "sample_register.xlsx", tmp_path / "r.xlsx")
    exe = run_exe(kehu_exe, "inspect", "r.xlsx", "--json", cwd=tmp_path)
    py = run_python("inspect", "r.xlsx", "--json", cwd=tmp_path)
    assert exe.returncode == py.returncode == 0, exe.stderr
    assert json.loads(exe.stdout) == json.loads(py.stdout)
    assert json.loads(exe.stdout)["header_row"] == 4


@needs_pyinstaller
def test_exe_help_and_version(kehu_exe, tmp_path):
    done = run_exe(kehu_exe, "--help", cwd=tmp_path)
    assert done.returncode == 0 and "clean" in done.stdout and "build-exe" in done.stdout
    from udfs import __version__

    assert run_exe(kehu_exe, "--version", cwd=tmp_path).stdout.strip() == f"kehu {__version__}"


@needs_pyinstaller
def test_exe_builds_the_addin_like_python(kehu_exe, tmp_path):
    """The VBA sources, customUI.xml and xlwings' template travel inside the executable."""
    exe = run_exe(kehu_exe, "addin", "build", "-o", "exe.xlam", cwd=tmp_path)
    py = run_python("addin", "build", "-o", "py.xlam", cwd=tmp_path)
    assert exe.returncode == py.returncode == 0, exe.stderr
    assert package_parts(tmp_path / "exe.xlam") == package_parts(tmp_path / "py.xlam")


def _bad_inputs(folder: Path) -> list[tuple[list[str], int]]:
    (folder / "damaged.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    (folder / "empty.csv").write_text("", encoding="utf-8")
    (folder / "no_header.csv").write_text("1,2,3\n4,5,6\n", encoding="utf-8")
    shutil.copy(SAMPLES / "sample_register.xlsx", folder / "r.xlsx")
    return [(["clean", "missing.xlsx"], 3), (["clean", "damaged.xlsx"], 3), (["inspect", "empty.csv"], 3),
            (["inspect", "no_header.csv"], 4),
            (["clean", "r.xlsx", "--map", "no-equals-sign"], 2), (["clean", "r.xlsx", "--no-such-option"], 2),
            (["survey", "r.xlsx", "--items-sheet", "没有这张表"], 2), (["no-such-command"], 2)]


@needs_pyinstaller
def test_exe_bad_input_exit_codes_match_python(kehu_exe, tmp_path):
    for args, expected in _bad_inputs(tmp_path):
        exe = run_exe(kehu_exe, *args, cwd=tmp_path)
        py = run_python(*args, cwd=tmp_path)
        assert exe.returncode == py.returncode == expected, (args, exe.returncode, py.returncode, exe.stderr)
        assert "Traceback" not in exe.stderr
        if expected != 2:  # usage errors come from typer's own box; kehu's errors print Chinese then English
            assert "错误" in exe.stderr and "Error" in exe.stderr, exe.stderr
