"""Rewrite the text of every part of an .xlsx/.xlsm package (a masked copy): cell strings, shared strings,
comments, defined names, document properties, chart caches, hidden sheets. Only XML text nodes change, never
tags or attributes, so the package's structure, styles and charts stay as they are."""
from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from html import escape, unescape
from pathlib import Path
from typing import Callable

#: a text node of an XML part (between a tag's end and the next tag)
_TEXT_NODE = re.compile(r">([^<]+)<")
#: a number cell (no type, or t="n"): a mobile or ID typed as a number must become a text cell when masked
_NUMBER_CELL = re.compile(r'<c ((?:(?!\bt=)[^>])*?)(?: t="n")?><v>([^<]+)</v></c>')


def rewrite_package(source: Path, target: Path, text: Callable[[str], str]) -> int:
    """Copy `source` to `target` with `text(s)` applied to every XML text node; returns how many nodes changed."""
    changed = 0

    def node(match: re.Match) -> str:
        nonlocal changed
        old = unescape(match.group(1))
        new = text(old)
        if new == old:
            return match.group(0)
        changed += 1
        return ">" + escape(new, quote=False) + "<"

    def number_cell(match: re.Match) -> str:
        nonlocal changed
        value = match.group(2)
        shown = value[:-2] if value.endswith(".0") else value
        new = text(shown)
        if new == shown:
            return match.group(0)
        changed += 1
        return f'<c {match.group(1)} t="inlineStr"><is><t>{escape(new, quote=False)}</t></is></c>'

    with tempfile.NamedTemporaryFile(dir=Path(target).parent, suffix=".tmp", delete=False) as handle:
        temporary = Path(handle.name)
    try:
        with zipfile.ZipFile(source) as zin, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                data = zin.read(info.filename)
                if info.filename.endswith(("xml", ".rels", ".vml")):   # text parts; images and VBA stay as they are
                    xml = data.decode("utf-8")
                    if info.filename.startswith("xl/worksheets/"):
                        xml = _NUMBER_CELL.sub(number_cell, xml)
                    xml = _TEXT_NODE.sub(node, xml)
                    data = xml.encode("utf-8")
                zout.writestr(info, data)
        shutil.move(str(temporary), target)
    finally:
        temporary.unlink(missing_ok=True)
    return changed
