"""Compile a word list into one regex shaped like a trie (common prefixes factored out).

Python's `re` tries alternatives one by one at each position; with hundreds of lexicon words that is the
cost of the whole scan. Factoring shared prefixes (不满意|不太|不好 → 不(?:满意|太|好)) lets it reject a
position after one character. Longer words still win over their prefixes, as in a longest-first alternation.
"""
from __future__ import annotations

import re
from typing import Iterable


def _build(words: list[str]) -> dict:
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True
    return root


def _emit(node: dict) -> str:
    ends = "" in node
    branches = sorted((k for k in node if k), key=lambda k: k)
    if not branches:
        return ""
    parts = [re.escape(k) + _emit(node[k]) for k in branches]
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    if ends:  # this node ends a word too: the longer continuation is optional and tried first
        return "(?:" + body + ")?"
    return body


def trie_pattern(words: Iterable[str]) -> str:
    """A regex source matching any of `words`, preferring the longest at each position."""
    ws = sorted({w for w in words if w})
    if not ws:
        return "(?!)"
    return _emit(_build(ws))


def word_pattern(words: Iterable[str]) -> re.Pattern:
    """Chinese words anywhere, English (ASCII) words only between word edges; longest match first."""
    ws = {w for w in words if w}
    cjk = [w for w in ws if not w.isascii()]
    latin = [w for w in ws if w.isascii()]
    parts = []
    if cjk:
        parts.append(trie_pattern(cjk))
    if latin:
        parts.append(r"(?<![a-z'])" + trie_pattern(latin) + r"(?![a-z'])")
    return re.compile("|".join(parts) or "(?!)")
