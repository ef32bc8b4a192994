"""README's set-up commands: what CI runs is exactly what the README says, and each works in a new terminal.

`.ci/run` reads the two commands from README.md itself; here they are read again with an extraction
written separately, compared with what `.ci/run --print-commands` says it will run, and checked for
what a new terminal on stock Debian lacks (no `python`, no activated environment). Everything the
README links to or names as a repository path must be in the repository.
"""
from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
CI_SCRIPT = REPO / ".ci" / "run"


def _setup_commands() -> list[str]:
    lines = README.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("## Try it"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("## "))
    commands, inside = [], None
    for line in lines[start:end]:
        if inside is None and line.strip() == "```bash":
            inside = []
        elif inside is not None and line.strip() == "```":
            commands.append("\n".join(inside).strip())
            inside = None
        elif inside is not None:
            inside.append(line)
    return commands


@pytest.mark.skipif(shutil.which("bash") is None or shutil.which("python3") is None,
                    reason=".ci/run needs bash and python3")
def test_ci_runs_exactly_the_readme_commands():
    printed = subprocess.run(["bash", str(CI_SCRIPT), "--print-commands"], cwd=REPO, capture_output=True,
                             text=True, check=True, timeout=60).stdout.splitlines()
    assert printed == _setup_commands()
    assert len(printed) == 2


def test_ci_runs_each_command_in_a_fresh_clean_shell_and_refuses_an_empty_test_run():
    script = CI_SCRIPT.read_text(encoding="utf-8")
    assert re.search(r'env -i PATH="\$PATH" HOME="\$HOME" CI="[^"]*" bash --noprofile --norc -c "\$1"', script)
    assert script.count('fresh_shell "${COMMANDS[0]}"') == 1 and script.count('fresh_shell "${COMMANDS[1]}"') == 1
    assert '"$rc" -eq 5' in script                              # pytest's "no tests collected"
    assert "rm -rf .venv" in script                             # from scratch
    assert "sample_register.kehu.xlsx" in script and "trap cleanup EXIT" in script


def _programs(command: str) -> list[str]:
    """The program each `&&`-joined step of a one-line command starts."""
    return [shlex.split(step)[0] for step in command.split("&&")]


def test_first_command_creates_the_environment_installs_and_cleans_the_sample():
    first, _ = _setup_commands()
    assert "\n" not in first
    programs = _programs(first)
    assert programs[0] == "python3" and "-m venv .venv" in first.split("&&")[0]
    assert all(program.startswith(".venv/bin/") for program in programs[1:])
    assert "pip install -e ." in first
    assert first.split("&&")[-1].split() == [".venv/bin/kehu", "clean",
                                             "workbook_templates/samples/sample_register.xlsx"]
    assert (REPO / "workbook_templates/samples/sample_register.xlsx").is_file()


def test_second_command_works_without_the_first_terminals_activation():
    _, second = _setup_commands()
    assert "\n" not in second
    # a bare `python` or `pip` would be another interpreter, or missing on stock Debian
    assert all(program.startswith(".venv/bin/") for program in _programs(second)), second
    assert 'pip install -e ".[test]"' in second and second.rstrip().endswith("-m pytest -q")


def _repository_references() -> set[str]:
    links = {target for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", README)
             if not re.match(r"[a-z]+://", target)}
    top = ("addin/", "udfs/", "tests/", "benchmarks/", "workbook_templates/", "docs/", ".ci/")
    prose = re.sub(r"^```.*?^```", "", README, flags=re.S | re.M)     # fenced blocks hold commands, not paths
    paths = {token.split()[0] for token in re.findall(r"`([^`\n]+)`", prose)
             if token.startswith(top) and "…" not in token and "*" not in token and "<" not in token}
    # outputs kehu writes (NAME.kehu.xlsx) are results, not repository files
    return {path.rstrip(".,;:") for path in links | paths if ".kehu." not in path}


def test_everything_the_readme_refers_to_is_in_the_repository():
    references = _repository_references()
    assert {"docs/DOMAIN.md", "ARCHITECTURE.md", "addin/lite/main.py"} <= references
    missing = sorted(path for path in references if not (REPO / path).exists())
    assert not missing, f"README refers to files that are not in the repository: {missing}"
