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
