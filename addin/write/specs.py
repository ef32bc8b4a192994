"""What a caller asks the writer for (added columns, new sheets) and what it reports back."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

import pandas as pd

if TYPE_CHECKING:  # xlsxwriter is only needed when a BuiltSheet is built
    import xlsxwriter
    import xlsxwriter.worksheet


@dataclass
class AddedColumn:
    """One result column appended to the right of the user's data."""

    header: str
    values: Sequence[Any]               # one per data record, aligned with `rows`; None/NaN/NaT → empty cell
    number_format: str | None = None    # e.g. "yyyy-mm-dd", "0.00", "0.0%"
    width: float | None = None


@dataclass
class DropDown:
    """A data-validation list on one column of a TableSheet's data rows (blank allowed)."""

    choices: Sequence[str]
    prompt: str | None = None   # shown when a cell of the column is selected
    error: str | None = None    # shown when a value outside the list is typed


@dataclass
class TableSheet:
    """A list sheet (problem list, dedupe result) written by kehu's own fast XML writer."""

    name: str
    data: pd.DataFrame
    number_formats: dict[str, str] = field(default_factory=dict)   # column -> format
    widths: dict[str, float] = field(default_factory=dict)
    title: str | None = None        # optional bold title row above the table
    freeze_header: bool = True
    preamble: pd.DataFrame | None = None   # optional small table (e.g. counts per problem) between title and table
    drop_downs: dict[str, DropDown] | None = None   # column -> validation list over its data rows
    autofilter: bool = False        # filter buttons on the header row
    hidden: bool = False            # a sheet for kehu itself (settings), not for the user to read
    # links (issue 16 part 2), by column position so a translated header keeps its links:
    links: dict[int, Sequence[str | None]] | None = None          # data column → each row's target ('Sheet'!D17)
    preamble_links: dict[int, Sequence[int | None]] | None = None  # preamble column → the list row (0-based) it opens
    print_repeat_columns: tuple[int, int] | None = None   # 1-based columns repeated on each printed page of a
                                    # sheet wider than a page (default: its leading 行号 / 客户编号 / 姓名 columns)


@dataclass
class Marks:
    """Fills and notes on the user's data rows (`--mark`), every one removable by `kehu unmark`.

    `cells`: columns position (0-based record), column (the user's header or an added column's), kind
    ("error" / "check" / "hint" / "segment:<n>"), note (text or None). `rows`: position, kind ("dup:0" / "dup:1"
    for alternating duplicate groups, "suspect", "invalid"), note: a whole data row's band. `legend`: (kind, text)
    for the legend note on the first added column's header.
    """

    cells: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["position", "column", "kind", "note"]))
    rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["position", "kind", "note"]))
    legend: list[tuple[str, str]] = field(default_factory=list)
    # cells of the columns kehu adds, by their index in the job's added columns (a header may be translated):
    # position, added (int), kind, note
    added: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["position", "added", "kind", "note"]))

    def __add__(self, other: "Marks") -> "Marks":
        return Marks(pd.concat([self.cells, other.cells], ignore_index=True),
                     pd.concat([self.rows, other.rows], ignore_index=True), self.legend + other.legend,
                     pd.concat([self.added, other.added], ignore_index=True))

    def shifted(self, n_columns: int) -> "Marks":
        """The same marks when `n_columns` added columns come before this job's (results combined)."""
        return Marks(self.cells, self.rows, self.legend, self.added.assign(added=self.added["added"] + n_columns))


@dataclass
class BuiltSheet:
    """A report sheet (native charts) built by xlsxwriter, then transplanted into the workbook.

    A build that calls `worksheet.hide()` gives a hidden sheet in every book.
    """

    name: str
    build: Callable[["xlsxwriter.Workbook", "xlsxwriter.worksheet.Worksheet"], None]


@dataclass
class WriteReport:
    """Where the result went and what was added."""

    output: Path
    backup: Path | None
    sheet: str
    first_added_column: str
    added_sheets: list[str]
    notes: list[tuple[str, str]] = field(default_factory=list)   # (zh, en): what the user should know
