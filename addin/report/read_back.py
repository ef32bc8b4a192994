"""The names a later run reads back (重复对 and its 复核 column and choices, 查重设置), in whichever language the
run that wrote them used: simplified, traditional (Taiwan and Hong Kong wording) or English.

A run with `--lang en` writes "Duplicate pairs" / "Review" / "Same customer"; `--reviewed` on that workbook must
find them as surely as it finds 重复对 / 复核 / 是同一客户. Each name maps back to kehu's own (simplified) one.
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=64)
def forms_of(name: str) -> frozenset[str]:
    """`name` as every language kehu writes would spell it (case-folded, spaces trimmed)."""
    from addin.jobs.english import english
    from addin.jobs.language import to_traditional

    return frozenset(_fold(x) for x in (name, english(name), to_traditional(name, "TW"), to_traditional(name, "HK")))


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def canonical(value, names) -> str | None:
    """The kehu name among `names` that `value` spells in any language, else None."""
    if not isinstance(value, str):
        return None
    folded = _fold(value)
    return next((n for n in names if folded in forms_of(n)), None)


def find_sheet(sheet_names, name: str) -> str | None:
    """The workbook's sheet that is kehu's `name` in any language."""
    return next((s for s in sheet_names if canonical(s, (name,)) == name), None)
