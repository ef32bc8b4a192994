"""Every `--help` page read at 60 and 80 columns, as a new user would: nothing cut, no programmer labels,
Chinese and English for every option, lines within the width."""
from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from addin.cli import COMMANDS, app, available_commands, load_commands
from addin.cli_help import cells, human_value, wrap

#: what typer/click print for programmers and a person cannot use: type names, ranges, long floats, panels
PROGRAMMER_LABELS = re.compile(r"<\w[^>]*>|\[x\s*[<>]=|x>=|\[default:|\[required\]|\d\.\d{7,}|[╭╰│]")
HAN = re.compile(r"[\u4e00-\u9fff]")
#: an English phrase: a capitalised word followed by another word (not a value such as linear or e164)
ENGLISH = re.compile(r"\b[A-Z][a-z]* [A-Za-z(0-9]")


def _pages() -> list[list[str]]:
    """Every command path kehu has: the top level, each command, each sub-command of `kehu addin`."""
    paths = [[]]
    for name, (module, _) in available_commands().items():
        paths.append([name])
        command = load_commands(module)[name]
        paths += [[name, sub] for sub in getattr(command, "commands", {})]
    return paths


PAGES = _pages()


def _command_for(path: list[str]):
    if not path:
        return None
    command = load_commands(COMMANDS[path[0]][0])[path[0]]
    for part in path[1:]:
        command = command.commands[part]
    return command


def _options_of(command) -> list:
    import typer._click as click

    if command is None:
        import typer.main

        command = typer.main.get_group(app)
    return [p for p in command.get_params(click.Context(command)) if not p.hidden]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_page_is_listed():
    assert ["addin", "build"] in PAGES and ["addin", "status"] in PAGES and ["clean"] in PAGES
    assert len(PAGES) >= len(COMMANDS) + 4


@pytest.mark.parametrize("columns", [60, 80])
@pytest.mark.parametrize("path", PAGES, ids=lambda p: " ".join(p) or "kehu")
def test_help_wraps_within_the_width_and_shows_every_text_whole(path, columns):
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    page = result.stdout
    too_wide = [line for line in page.splitlines() if cells(line) > columns]
    assert not too_wide, too_wide
    labels = PROGRAMMER_LABELS.findall(page)
    assert not labels, labels
    command = _command_for(path)
    sources = [p.help or "" for p in _options_of(command) if p.name != "help"]
    sources += [(command.help if command else app.info.help) or ""]
    for text in sources:   # nothing cut: every help text appears whole (line breaks aside)
        assert _flat(text).replace("\\b", "") in _flat(page) or all(
            _flat(par) in _flat(page) for par in re.split(r"\s{2,}", text) if par.strip()), text[:60]
    # the only "…" on the page are those the texts themselves contain
    assert page.count("…") == sum(t.count("…") for t in sources) + sum(
        _first(c).count("…") for c in _listed(command))


def _first(help_text: str) -> str:
    return help_text.split("\n\n")[0]


def _listed(command) -> list[str]:
    if command is None:
        return [line for _, line in available_commands().values()]
    return [c.help or "" for c in getattr(command, "commands", {}).values()]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: " ".join(p) or "kehu")
def test_every_option_says_what_it_does_in_chinese_and_english(path):
    for param in _options_of(_command_for(path)):
        if param.name == "help":
            continue
        text = param.help or ""
        assert HAN.search(text) and ENGLISH.search(text), (path, param.name, text)


def test_switches_show_no_value_and_defaults_read_as_people_write_them():
    page = CliRunner().invoke(app, ["clean", "--help"], env={"COLUMNS": "80"}).stdout
    assert re.search(r"^  --json$", page, re.M) and re.search(r"^  --output, -o FILE$", page, re.M)
    assert re.search(r"^  --header-row N$", page, re.M)
    assert human_value(2 / 3) == "2/3" and human_value(0.9) == "0.9" and human_value(0.25) == "0.25"
    assert human_value(1 / 3) == "1/3" and human_value(30) == "30"


def test_wrapping_breaks_between_chinese_characters_but_not_before_closing_punctuation():
    text = "输出文件（默认：原名.kehu.xlsx，放在原文件旁边）。Output file written next to the input."
    for width in range(16, 60):   # from the width of the longest unbreakable piece
        lines = wrap(text, width)
        assert all(cells(line) <= width for line in lines)
        assert not any(line[0] in "，。）；：" for line in lines if line)
        assert "原名.kehu.xlsx" in "\n".join(lines)   # a file name is never split
        assert _flat("".join(lines)) == _flat(text)


def test_brackets_in_help_texts_survive():
    page = CliRunner().invoke(app, ["build-exe", "--help"], env={"COLUMNS": "80"}).stdout
    assert 'pip install -e ".[exe]"' in page
