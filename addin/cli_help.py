"""kehu's own `--help` page: plain text that wraps Chinese and English at the terminal's width, never cuts.

typer's rich panels cut a Chinese sentence with "…" (rich breaks lines only at spaces, and a Chinese sentence has
none), print programmer labels (`<bool>`, `<int range> [x>=1]`) and read help texts as rich markup (so `[exe]`
vanishes). This page breaks between Chinese characters (not before closing or after opening punctuation), counts
East Asian wide characters as two columns, and prints texts as they are. Imports nothing heavy: `kehu --help`
stays fast.
"""
from __future__ import annotations

import inspect
import re
import shutil
import unicodedata
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterable

#: no line starts with these (they belong to the character before) …
_CLOSING = set("，。、；：？！）」』”’》〉】…·%,.;:?!)]}")
#: … and none ends with these (they belong to the character after)
_OPENING = set("（「『“‘《〈【([{")
#: characters that join a file name or a COLUMN=ROLE pair: 客户档案_已清洗.xlsx stays on one line
_JOINERS = set("._/\\-=:")
#: a file name or COLUMN=ROLE pair written with Chinese characters (\w includes them): kept whole
_COMPOUND = re.compile(r"\w+(?:[._/\\=-]+\w+)+")

HELP_OPTION_TEXT = "显示本帮助并退出。Show this help and exit."
WIDEST = 100   # beyond this, lines get too long to read; narrower terminals get their own width
NARROWEST = 40


def page_width() -> int:
    """The terminal's width (COLUMNS wins, as for every program), within [NARROWEST, WIDEST]."""
    columns = shutil.get_terminal_size((80, 24)).columns
    return max(NARROWEST, min(WIDEST, columns))


def cells(text: str) -> int:
    """Display width: East Asian wide and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def _units(text: str) -> list[tuple[str, bool]]:
    """Unbreakable pieces, each with whether a space stood before it: Latin words, single wide characters,
    punctuation glued to its neighbour."""
    units: list[list] = []
    word, word_space, space = "", False, False
    i = 0
    while i < len(text):
        ch = text[i]
        compound = _COMPOUND.match(text, i) if not ch.isspace() else None
        if compound and any(unicodedata.east_asian_width(c) in "WF" for c in compound.group()):
            if not word:
                word_space = space
            word += compound.group()
            space = False
            i = compound.end()
            continue
        i += 1
        if ch.isspace():
            if word:
                units.append([word, word_space])
                word = ""
            space = True
            continue
        if unicodedata.east_asian_width(ch) in "WF":
            if word:
                units.append([word, word_space])
                word = ""
            units.append([ch, space])
        else:
            if not word:
                word_space = space
            word += ch
        space = False
    if word:
        units.append([word, word_space])
    glued: list[list] = []
    for piece, spaced in units:
        if glued and not spaced and (piece[0] in _CLOSING or glued[-1][0][-1] in _OPENING
                                     or piece[0] in _JOINERS or glued[-1][0][-1] in _JOINERS):
            glued[-1][0] += piece
        else:
            glued.append([piece, spaced])
    return [(p, s) for p, s in glued]


def wrap(text: str, width: int) -> list[str]:
    """`text` as lines of at most `width` columns; a piece wider than a line (a long path) is split by columns.
    A line's leading spaces indent all the lines it wraps into."""
    lines: list[str] = []
    for source_line in text.splitlines() or [""]:
        lead = " " * (len(source_line) - len(source_line.lstrip(" ")))
        lines += [lead + line if line else line for line in _wrap_line(source_line, width - len(lead))]
    return lines


def _wrap_line(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for piece, spaced in _units(text):
        joint = " " if spaced and line else ""
        if cells(line + joint + piece) <= width:
            line += joint + piece
            continue
        if line:
            lines.append(line)
            line = ""
        while cells(piece) > width:
            cut = _cut(piece, width)
            lines.append(piece[:cut])
            piece = piece[cut:]
        line = piece
    return lines + [line]


def _cut(piece: str, width: int) -> int:
    used = 0
    for i, ch in enumerate(piece):
        used += cells(ch)
        if used > width:
            return max(i, 1)
    return len(piece)


def indented(text: str, indent: int, width: int) -> list[str]:
    return [" " * indent + line if line else "" for line in wrap(text, width - indent)]


# ------------------------------------------------------------------ what a parameter shows

def value_label(param: Any) -> str:
    """What the user types after an option: FILE, N, NUMBER, TEXT; nothing for a switch."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return ""
    if param.metavar:
        return param.metavar
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    label = _label_of(annotation)
    return label


def _label_of(annotation: Any) -> str:
    text = str(annotation)
    if annotation is Path or "Path" in text:
        return "FILE"
    if annotation is int or text.endswith("int]") or text == "int":
        return "N"
    if annotation is float or "float" in text:
        return "NUMBER"
    return "TEXT"


def human_value(value: Any) -> str:
    """A default as a person writes it: 2/3 rather than 0.6666666666666666, 0.9 as 0.9."""
    if isinstance(value, bool):
        return "是 yes" if value else "否 no"
    if isinstance(value, float):
        fraction = Fraction(value).limit_denominator(12)
        if fraction.denominator != 1 and abs(float(fraction) - value) < 1e-12 and len(repr(value)) > 6:
            return f"{fraction.numerator}/{fraction.denominator}"
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "、".join(human_value(v) for v in value)
    return str(value)


def _default_text(param: Any) -> str:
    if getattr(param, "is_flag", False) or getattr(param, "required", False) or not getattr(param, "show_default", True):
        return ""
    default = param.default
    if default is None or default == [] or default == () or callable(default):
        return ""
    return f"默认 default: {human_value(default)}"


def _option_names(param: Any) -> str:
    longs = sorted(param.opts, key=lambda o: not o.startswith("--"))
    names = ", ".join(longs)
    if param.secondary_opts:
        names += " / " + ", ".join(param.secondary_opts)
    label = value_label(param)
    return f"{names} {label}" if label else names


def _help_of(param: Any) -> str:
    if param.name == "help":
        return HELP_OPTION_TEXT
    text = " ".join((param.help or "").split())
    default = "" if "默认" in text else _default_text(param)   # a text that names its default says it better
    extra = [t for t in (default, "必填 required" if param.required else "") if t]
    return " ".join([text, *extra]).strip()


def _first_paragraph(text: str | None) -> str:
    return " ".join(inspect.cleandoc(text or "").split("\n\n")[0].split())


def _paragraphs(text: str | None) -> list[str]:
    """A docstring's paragraphs, each line as written; an example line (`示例 Example:  a   b`) becomes one
    indented line per example, so a command is never broken across lines by the wrapping."""
    out = []
    for block in inspect.cleandoc(text or "").split("\n\n"):
        block = block.strip("\b\n")
        if not block.strip():
            continue
        lines = []
        for line in block.splitlines():
            parts = [p for p in re.split(r"\s{2,}", line.strip()) if p]
            if len(parts) > 1 and parts[0].startswith("示例"):
                lines += [parts[0]] + ["    " + p for p in parts[1:]]
            else:
                lines.append(" ".join(line.split()))
        out.append("\n".join(lines))
    return out


# ------------------------------------------------------------------ the page

def help_page(command: Any, ctx: Any, width: int | None = None) -> str:
    """The whole help page of a typer/click command or group, as text."""
    width = width or page_width()
    lines: list[str] = []
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    arguments = [p for p in params if not hasattr(p, "is_flag")]
    options = [p for p in params if hasattr(p, "is_flag")]
    is_group = hasattr(command, "list_commands")

    usage = [ctx.command_path, "[选项 OPTIONS]"] + [_argument_label(a) for a in arguments]
    if is_group:
        usage.append("COMMAND [ARGS]")
    lines += wrap("用法 Usage: " + " ".join(usage), width) + [""]

    for paragraph in _paragraphs(command.help):
        lines += wrap(paragraph, width) + [""]

    if arguments:
        lines.append("参数 Arguments:")
        for argument in arguments:
            lines.append("  " + _argument_label(argument))
            lines += indented(_help_of(argument), 6, width)
        lines.append("")
    if options:
        lines.append("选项 Options:")
        for option in options:
            lines += indented(_option_names(option), 2, width)
            lines += indented(_help_of(option), 6, width)
        lines.append("")
    if is_group:
        lines += _commands_block(command, ctx, width)
    if command.epilog:
        lines += wrap(command.epilog, width)
    return "\n".join(lines).rstrip("\n") + "\n"


def _argument_label(argument: Any) -> str:
    name = argument.metavar or (argument.name or "").upper()
    return name + ("..." if argument.nargs != 1 else "")


def _commands_block(group: Any, ctx: Any, width: int) -> list[str]:
    rows = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or getattr(command, "hidden", False):
            continue
        rows.append((name, _first_paragraph(command.short_help or command.help)))
    if not rows:
        return []
    name_width = max(cells(n) for n, _ in rows) + 4
    lines = ["命令 Commands:"]
    for name, text in rows:
        body = wrap(text, width - name_width) if width - name_width >= 24 else None
        if body is None:   # too narrow for two columns: the name on its own line
            lines.append(f"  {name}")
            lines += indented(text, 6, width)
            continue
        lines.append(f"  {name}{' ' * (name_width - 2 - cells(name))}{body[0]}")
        lines += [" " * name_width + line for line in body[1:]]
    return lines + [""]


# ------------------------------------------------------------------ hooking it into typer's classes

def format_help(self, ctx, formatter) -> None:
    """click's format_help, kehu's page: typer/click echo what the formatter holds."""
    formatter.write(help_page(self, ctx))


def adopt(commands: Iterable[Any]) -> None:
    """Give every command (and the commands of a group, recursively) kehu's help page."""
    for command in commands:
        command.format_help = format_help.__get__(command)
        for sub in getattr(command, "commands", {}).values():
            adopt([sub])
