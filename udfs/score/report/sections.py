"""The report's shape: sections of titled tables, each with the note saying how its numbers were computed."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Chart:
    kind: str                 # bar / column / line / pie
    category: str             # column of the table holding the categories
    values: list[str]         # columns plotted
    percent: bool = False


@dataclass
class Block:
    title: str
    table: pd.DataFrame
    note: str = ""            # how the numbers were computed
    kinds: dict[str, str] = field(default_factory=dict)   # column → int / pct / dec / dec2 / p / date
    chart: Chart | None = None


@dataclass
class Section:
    key: str
    title: str                # also the sheet name
    source: str               # which input it came from
    blocks: list[Block] = field(default_factory=list)
    skipped: str | None = None  # why the section is empty (missing input), in Chinese


@dataclass
class CustomerReport:
    as_of: str
    sections: list[Section]
    kpis: list[tuple[str, object, str, str]]  # label, value, kind, note
    customers: pd.DataFrame                   # one row per register customer: every per-customer figure
    lists: dict[str, pd.DataFrame]            # long lists (at-risk, cross-sell, up-sell, data problems)
    problem_counts: pd.DataFrame | None = None
    findings: list[str] = field(default_factory=list)


def source_name(value: object) -> str:
    """What a source is called in the report: a file name, with its sheet when it has one ("订单.xlsx「订单」");
    a CSV (no sheet) is its file name alone. Accepts a name, a path, or (path, sheet)."""
    from pathlib import PurePath

    file, sheet = value if isinstance(value, tuple) else (value, None)
    name = PurePath(str(file)).name if isinstance(file, PurePath) else ("" if file is None else str(file).strip())
    for empty in ("「」", "「None」", "「nan」"):  # a sheet name that was blank, as older callers wrote it
        if name.endswith(empty):
            name = name[: -len(empty)]
    sheet = "" if sheet is None else str(sheet).strip()
    if sheet and not name.lower().endswith((".csv", ".txt", ".tsv")) and not name.endswith(f"「{sheet}」"):
        name = f"{name}「{sheet}」" if name else sheet
    return name


def source_label(noun: str, value: object, what: str = "") -> str:
    """客户表「客户档案.csv」, 订单表「订单.xlsx「订单」」的产品列 … ; the bare noun when the source has no name."""
    name = source_name(value)
    return (f"{noun}「{name}」" if name else noun) + what
