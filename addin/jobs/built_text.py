"""kehu's words inside report sheets drawn with xlsxwriter (BuiltSheet) in the user's language.

A BuiltSheet's build function writes its text with xlsxwriter calls. Rather than give every report builder a
language argument, the workbook and worksheet handed to it are wrapped: every string argument of the calls that
put text on the sheet (cells, merged ranges, headers and footers, comments, text boxes, chart and axis titles,
series names) goes through `convert` first. Cells the user's data fills are written through the same calls, so
the proxy converts only text `convert` changes: kehu's words (the user's traditional text is left as it is by
a simplified → traditional converter, and English conversion only replaces whole known phrases).
"""
from __future__ import annotations

import dataclasses
from typing import Any, Callable

#: xlsxwriter calls whose string arguments are text shown to the user
_TEXT_CALLS = {"write", "write_string", "write_row", "write_column", "merge_range", "write_comment", "set_header",
               "set_footer", "insert_textbox", "write_rich_string", "write_url"}
_CHART_CALLS = {"set_title", "set_x_axis", "set_y_axis", "add_series", "set_legend"}
#: dict keys whose values are shown text (chart options); 'categories' / 'values' are ranges, never converted
_TEXT_KEYS = {"name", "header", "text", "string", "tip"}
#: chart ranges: "'意见分析'!$A$7:$A$11" names the sheet, which is renamed with the same conversion
_RANGE_KEYS = {"categories", "values"}


def _reference(value: Any, convert: Callable[[str], str]) -> Any:
    if isinstance(value, str) and "!" in value:
        sheet, _, cells = value.rpartition("!")
        name = convert(sheet.strip("'").replace("''", "'"))
        return "'" + name.replace("'", "''") + "'!" + cells
    if isinstance(value, list) and value and isinstance(value[0], str):
        return [convert(value[0]), *value[1:]]   # [sheet, first_row, first_col, last_row, last_col]
    return value


def convert_value(value: Any, convert: Callable[[str], str], keep: frozenset[str]) -> Any:
    if isinstance(value, str) and value.startswith("internal:"):   # a link to a sheet renamed with the same words
        return "internal:" + _reference(value[len("internal:"):], convert)
    if isinstance(value, str):
        return value if value in keep or value.startswith("{") else convert(value)   # "{…": settings JSON
    if isinstance(value, (list, tuple)):
        return type(value)(convert_value(v, convert, keep) for v in value)
    if isinstance(value, dict):
        # only text values: a chart's 'name' may also be a [sheet, row, col] reference, left as it is
        return {k: convert_value(v, convert, keep) if k in _TEXT_KEYS and isinstance(v, (str, dict))
                else _reference(v, convert) if k in _RANGE_KEYS else v for k, v in value.items()}
    return value


class _Proxy:
    def __init__(self, target: Any, convert: Callable[[str], str], keep: frozenset[str], calls: set[str]):
        self._target, self._convert, self._keep, self._calls = target, convert, keep, calls

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if name == "add_chart":
            return lambda *a, **k: _Proxy(attr(*a, **k), self._convert, self._keep, _CHART_CALLS)
        if name not in self._calls or not callable(attr):
            return attr
        c, keep = self._convert, self._keep
        return lambda *a, **k: attr(*(convert_value(v, c, keep) for v in a),
                                    **{n: convert_value(v, c, keep) for n, v in k.items()})

    @property
    def target(self) -> Any:
        return self._target


def unwrap(obj: Any) -> Any:
    """The real xlsxwriter object (insert_chart needs the chart itself, not its proxy)."""
    return obj.target if isinstance(obj, _Proxy) else obj


class _Sheet(_Proxy):
    def insert_chart(self, row, col, chart, *args, **kwargs):
        return self._target.insert_chart(row, col, unwrap(chart), *args, **kwargs)


def translated(sheet, convert: Callable[[str], str], keep: frozenset[str] = frozenset()):
    """The BuiltSheet whose text goes through `convert` as it is drawn."""
    build = sheet.build

    def build_converted(wb, ws):
        return build(_Proxy(wb, convert, keep, set()), _Sheet(ws, convert, keep, _TEXT_CALLS))

    return dataclasses.replace(sheet, build=build_converted)
