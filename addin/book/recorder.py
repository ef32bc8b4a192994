"""Report sheets (BuiltSheet) as data: their xlsxwriter calls recorded, then replayed through the Range API.

A BuiltSheet's `build(workbook, worksheet)` is the one description of a report sheet. The file door runs it
on a real xlsxwriter worksheet and transplants the result; a book without files (xlwings Lite) runs it on a
`RecordingWorksheet`, which passes every call to a scratch xlsxwriter worksheet (so formats, charts and
sheet names behave as in the file) and keeps the calls, and `replay` draws the cells, number formats,
bold, fills and column widths from them. Charts, conditional formats, validations and print setup have
no Lite API and are left out (`Replayed.left_out` names them).
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from udfs.excel_values import excel_value

from .render import add_links

_BUILTIN_FORMATS = {0: None, 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 49: "@"}
_CELL_WRITES = {"write", "write_string", "write_number", "write_datetime", "write_boolean", "write_formula",
                "write_url", "write_rich_string", "write_blank"}
_DRAWN = _CELL_WRITES | {"write_row", "write_column", "merge_range", "set_column", "set_row", "hide", "get_name"}


class RecordingWorksheet:
    """An xlsxwriter worksheet that also keeps every call made on it as (method, args, kwargs)."""

    def __init__(self, worksheet):
        object.__setattr__(self, "_worksheet", worksheet)
        object.__setattr__(self, "calls", [])

    def __getattr__(self, name: str):
        target = getattr(self._worksheet, name)
        if not callable(target):
            return target

        def record(*args, **kwargs):
            self.calls.append((name, args, kwargs))
            return target(*args, **kwargs)
        return record


@dataclass
class Replayed:
    hidden: bool = False
    left_out: list[str] = field(default_factory=list)    # what the build drew that this book cannot


def record(spec) -> tuple[list[tuple[str, tuple, dict]], bool]:
    """Run a BuiltSheet's build on a scratch workbook; its calls, and whether it hid the sheet."""
    import xlsxwriter

    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    sheet = book.add_worksheet(spec.name)
    recorder = RecordingWorksheet(sheet)
    spec.build(book, recorder)
    hidden = bool(sheet.hidden)
    book.close()   # xlsxwriter settles fills (a bg_color alone becomes a solid fill) when it closes
    return recorder.calls, hidden


def _cell(args: tuple) -> tuple[tuple[int, int], tuple]:
    """(row, col) 0-based and the remaining args, from (row, col, …) or ("B3", …)."""
    if args and isinstance(args[0], str):
        from xlsxwriter.utility import xl_cell_to_rowcol

        return xl_cell_to_rowcol(args[0]), args[1:]
    return (int(args[0]), int(args[1])), args[2:]


def _columns(args: tuple) -> tuple[int, int, tuple]:
    if args and isinstance(args[0], str):
        from xlsxwriter.utility import xl_cell_to_rowcol

        first, _, last = args[0].partition(":")
        return xl_cell_to_rowcol(first + "1")[1], xl_cell_to_rowcol((last or first) + "1")[1], args[1:]
    return int(args[0]), int(args[1]), args[2:]


def _style(cells, fmt) -> None:
    if fmt is None:
        return
    code = fmt.num_format if isinstance(fmt.num_format, str) else _BUILTIN_FORMATS.get(fmt.num_format)
    if code and code != "General":
        cells.number_format = code
    if fmt.bold:
        cells.font.bold = True
    if fmt.font_size and fmt.font_size != 11:
        cells.font.size = fmt.font_size
    fill = fmt.fg_color if fmt.pattern == 1 else None
    if fill is not None:   # xlsxwriter ≥ 3.2 keeps a Color (its hex only behind a private method), older a string
        cells.color = fill if isinstance(fill, str) else "#" + fill._rgb_hex_value()


def _value(method: str, rest: tuple, kwargs: dict) -> tuple[Any, Any]:
    """(cell value, format) of one recorded cell write, its arguments given by position or by name."""
    def arg(i: int, name: str):
        return rest[i] if len(rest) > i else kwargs.get(name)

    if method == "write_url":
        return arg(2, "string") or arg(0, "url"), arg(1, "cell_format")
    if method == "write_rich_string":
        return "".join(p for p in rest if isinstance(p, str)), None
    if method == "write_blank":
        return None, None
    value, fmt = arg(0, "value" if method == "write" else "formula" if method == "write_formula" else ""), \
        arg(1, "cell_format")
    if value is None and method != "write":
        value = next((v for k, v in kwargs.items() if k not in ("cell_format", "value")), None)
    if method == "write_formula" and isinstance(value, str) and not value.startswith("="):
        value = "=" + value
    return value, fmt


def replay(sheet, calls: list[tuple[str, tuple, dict]]) -> Replayed:
    """Draw recorded calls on an empty sheet (1-based Range API); what cannot be drawn is listed."""
    done = Replayed()
    row_formats, column_formats = {}, {}   # xlsxwriter gives a cell written without a format its row's or column's

    def put(row: int, col: int, value, fmt) -> None:
        target = sheet.range((row + 1, col + 1))
        if value is not None and value != "":
            target.value = excel_value(value)
            _style(target, fmt or row_formats.get(row) or column_formats.get(col))

    for method, args, kwargs in calls:
        if method in _CELL_WRITES:
            (row, col), rest = _cell(args)
            value, fmt = _value(method, rest, kwargs)
            put(row, col, value, fmt)
            url = (args[2] if not isinstance(args[0], str) and len(args) > 2 else
                   args[1] if len(args) > 1 else kwargs.get("url")) if method == "write_url" else None
            if isinstance(url, str) and url.startswith("internal:"):   # a link to a place in the workbook
                add_links(sheet, [(row + 1, col + 1, url[len("internal:"):])])
        elif method in ("write_row", "write_column"):
            (row, col), rest = _cell(args)
            fmt = rest[1] if len(rest) > 1 else kwargs.get("cell_format")
            for k, value in enumerate(rest[0]):
                put(row, col + k, value, fmt) if method == "write_row" else put(row + k, col, value, fmt)
        elif method == "merge_range":   # the value sits in the first cell of the range
            if isinstance(args[0], str):
                (row, col), rest = _cell((args[0].split(":")[0],) + args[1:])
            else:
                (row, col), rest = (int(args[0]), int(args[1])), args[4:]
            put(row, col, rest[0] if rest else kwargs.get("data"), rest[1] if len(rest) > 1 else kwargs.get("cell_format"))
        elif method == "set_column":
            first, last, rest = _columns(args)
            width = rest[0] if rest else kwargs.get("width")
            fmt = rest[1] if len(rest) > 1 else kwargs.get("cell_format")
            options = (rest[2] if len(rest) > 2 else kwargs.get("options")) or {}
            for col in range(first, last + 1):
                if fmt is not None:
                    column_formats[col] = fmt
            if width is not None and not options.get("hidden"):
                sheet.range((1, first + 1), (1, last + 1)).column_width = width
        elif method == "set_row":
            fmt = args[2] if len(args) > 2 else kwargs.get("cell_format")
            if fmt is not None:
                row_formats[int(args[0])] = fmt
        elif method == "hide":
            done.hidden = True
        elif method not in _DRAWN and method not in done.left_out:
            done.left_out.append(method)
    return done
