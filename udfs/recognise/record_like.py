"""Never drop a customer on a guess: which rows above a header may be skipped, placeholder headers, no header.

A row above the header is skipped only when it is clearly unlike the records below it (a lone or merged
title cell, a sentence, a report's date stamp, a row much shorter than the header). A row whose typed cells
(phones, e-mails, dates, numbers) line up with the columns below is a record, never a title. Generic
placeholder headers (列1, Column1, Unnamed: 0, F1, 字段1, A…Z) are a header with no meaning; a sheet whose
first row already looks like a record has no header row at all.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from udfs.recognise.header_rows import blank, find_header, header_score

_PLACEHOLDER = re.compile(r"^\s*(?:列\s*\d+|字段\s*\d+|column\s*\d+|col\s*\d+|field\s*\d+|unnamed:?\s*\d+(?:_level_\d+)?|"
                          r"f\s*\d+|[a-z]{1,2}|\([a-z]{1,3}列\))\s*$", re.I)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[\d\s\-()（）.]{7,20}$")
_DATE = re.compile(r"^(?:民國|民国)?\s*\d{2,4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,4}\s*日?$")
_STAMP = re.compile(r"(制表|製表|统计|統計|导出|導出|打印|列印|截至|截止|日期[:：]|时间[:：]|時間[:：]|单位[:：]|單位[:：]|"
                    r"printed|exported|as of|report date)", re.I)
#: rows of data below the header used to learn what each column's cells look like
PROFILE_ROWS = 50


@dataclass
class HeaderChoice:
    header_row: int | None           # 0-based header row; None for a sheet with no header row
    first_data: int                  # 0-based first row that may hold records
    skipped: list[int] = field(default_factory=list)   # 0-based rows above the data that were skipped
    placeholder: bool = False        # the header is generic (列1 …): names carry no meaning


def is_placeholder(v: object) -> bool:
    return isinstance(v, str) and bool(_PLACEHOLDER.match(v))


def placeholder_row(row: list[object]) -> bool:
    cells = [v for v in row if not blank(v)]
    return len(cells) >= 2 and sum(is_placeholder(v) for v in cells) >= 0.6 * len(cells)


def cell_type(v: object) -> str | None:
    """phone | email | date | number | text | None (blank): a coarse type, enough to tell a record from a title."""
    if blank(v):
        return None
    if isinstance(v, bool):
        return "text"
    if isinstance(v, (dt.date, dt.datetime)):
        return "date"
    if isinstance(v, (int, float)):
        return "phone" if float(v).is_integer() and abs(v) >= 1e7 else "number"
    t = str(v).strip()
    if _EMAIL.match(t):
        return "email"
    if _DATE.match(t):
        return "date"
    if _PHONE.match(t) and sum(c.isdigit() for c in t) >= 7:
        return "phone"
    try:
        float(t.replace(",", "").lstrip("¥$").replace("元", ""))
        return "number"
    except ValueError:
        return "text"


def _column_profile(rows: list[list[object]], start: int) -> dict[int, str]:
    """Column → its typed cell kind (not text) when most non-blank cells below `start` share it."""
    counts: dict[int, dict[str, int]] = {}
    seen = 0
    for row in rows[start:]:
        if seen >= PROFILE_ROWS:
            break
        if sum(not blank(v) for v in row) < 2:
            continue
        seen += 1
        for j, v in enumerate(row):
            t = cell_type(v)
            if t:
                counts.setdefault(j, {}).setdefault(t, 0)
                counts[j][t] += 1
    profile = {}
    for j, c in counts.items():
        t, n = max(c.items(), key=lambda kv: kv[1])
        phone_num = c.get("phone", 0) + c.get("number", 0)
        if t in ("phone", "number") and phone_num >= 0.6 * sum(c.values()):
            profile[j] = t
        elif t != "text" and n >= 0.6 * sum(c.values()):
            profile[j] = t
    return profile


def typed_match(row: list[object], profile: dict[int, str]) -> bool:
    """The row's typed cells line up with the typed columns below: it is a record."""
    typed = [j for j in profile if j < len(row) and not blank(row[j])]
    if not typed:
        return False
    same = 0
    for j in typed:
        t = cell_type(row[j])
        same += t == profile[j] or {t, profile[j]} == {"phone", "number"}
    return same >= 1 and same * 2 >= len(typed)


def _title_like(row: list[object], width: int) -> bool:
    cells = [v for v in row if not blank(v)]
    if len(cells) <= 1:
        return True
    texts = [str(v) for v in cells if isinstance(v, str)]
    if texts and any(_STAMP.search(t) for t in texts):
        return True      # 制表日期：2024-05-01, 单位：…
    if texts and all(len(t.strip()) > 30 for t in texts):
        return True      # sentences
    return len(cells) * 2 < width  # much shorter than the header


def choose_header(rows: list[list[object]], kind: str = "register") -> HeaderChoice | None:
    """Where the header is (or that there is none) and which rows above the data are skipped."""
    top = [i for i, r in enumerate(rows[:30]) if any(not blank(v) for v in r)]
    if not top:
        return None
    for i in top:
        if placeholder_row(rows[i]):
            if all(_skippable(rows, k, rows[i]) for k in top if k < i):
                return _upgrade_placeholder(rows, kind, i, top)
            break
    h = find_header(rows, kind)
    anchor = h if h is not None else top[0]
    width = sum(not blank(v) for v in rows[anchor])
    if h is not None:
        profile = _column_profile(rows, h + 1)
        if typed_match(rows[h], profile):
            h = None      # the "header" is a record whose text happened to look like titles
    if h is not None:
        blockers = [k for k in top if k < h and not _skippable(rows, k, rows[h])]
        if not blockers:
            return HeaderChoice(h, h + 1, [k for k in top if k < h])
        f = blockers[0]
        profile = _column_profile(rows, f + 1)
        if not typed_match(rows[f], profile) and _header_like(rows[f]):
            return HeaderChoice(f, f + 1, [k for k in top if k < f])
        return HeaderChoice(None, f, [k for k in top if k < f])
    # no header: the data starts at the first row that is not a title
    profile = _column_profile(rows, top[0])
    start = next((k for k in top if typed_match(rows[k], profile) or not _title_like(rows[k], max(width, 2))),
                 top[0])
    return HeaderChoice(None, start, [k for k in top if k < start])


def _skippable(rows, k: int, header: list[object]) -> bool:
    width = sum(not blank(v) for v in header)
    if typed_match(rows[k], _column_profile(rows, k + 1)):
        return False
    return _title_like(rows[k], width)


def _header_like(row: list[object]) -> bool:
    cells = [v for v in row if not blank(v)]
    labels = sum(isinstance(v, str) and cell_type(v) == "text" for v in cells)
    return len(cells) >= 2 and labels >= 0.6 * len(cells)


def _upgrade_placeholder(rows, kind: str, i: int, top: list[int]) -> HeaderChoice:
    """列1 … 列7 over a real header row (Power Query without "promote headers" twice): take the real one."""
    below = next((k for k in top if k > i), None)
    if below is not None and header_score(rows[below], kind)[0] >= 2 and _header_like(rows[below]) \
            and not typed_match(rows[below], _column_profile(rows, below + 1)):
        return HeaderChoice(below, below + 1, [k for k in top if k < below])
    return HeaderChoice(i, i + 1, [k for k in top if k < i], placeholder=True)
