"""xlwings' own Windows data hooks (`xlwings/_xlwindows.py`), runnable without Windows.

What a UDF's values go through between COM and the function is two per-cell functions of xlwings'
Windows engine: `clean_value_data` on the way in (blanks → None, COM dates rebuilt as datetimes, error
codes → None) and `prepare_xl_data_element` on the way out (`pd.isna` on every cell, dates turned into
UTC-stamped COM times, NaN and None → ""). `_xlwindows.py` cannot be imported off Windows (it loads
pywin32 and `ctypes.windll` at the top), so this takes the source of exactly those functions (and the
`time_types` / `cell_errors` tables they read) out of the installed file and runs it unchanged, with
stand-ins for the two pywin32 names it uses: `pywintypes.TimeType` (pywin32's COM date, a datetime
subclass) and `win32timezone.TimeZoneInfo.utc()`. A benchmark timing this times xlwings' real code.
"""
from __future__ import annotations

import ast
import datetime as dt
import types
from pathlib import Path

_FUNCTIONS = ("_clean_value_data_element", "_com_time_to_datetime", "_datetime_to_com_time")
_TABLES = ("time_types", "cell_errors")
_ENGINE_HOOKS = ("clean_value_data", "prepare_xl_data_element")


def _source_nodes(tree: ast.Module) -> list[ast.stmt]:
    nodes: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in _FUNCTIONS:
            nodes.append(node)
        elif isinstance(node, ast.Assign) and {getattr(t, "id", None) for t in node.targets} & set(_TABLES):
            nodes.append(node)
        elif isinstance(node, ast.If) and any(  # `if np: time_types = time_types + (np.datetime64,)`
                isinstance(s, ast.Assign) and getattr(s.targets[0], "id", None) == "time_types" for s in node.body):
            nodes.append(node)
        elif isinstance(node, ast.ClassDef) and node.name == "Engine":
            for member in node.body:
                if isinstance(member, ast.FunctionDef) and member.name in _ENGINE_HOOKS:
                    member.decorator_list = []  # staticmethods in the class: plain functions here
                    nodes.append(member)
    return nodes


def load() -> types.SimpleNamespace:
    """The installed xlwings' Windows hooks: an object with `clean_value_data`, `prepare_xl_data_element`."""
    import numpy as np
    import pandas as pd
    import xlwings
    from xlwings.utils import np_datetime_to_datetime

    path = Path(xlwings.__file__).with_name("_xlwindows.py")
    nodes = _source_nodes(ast.parse(path.read_text(encoding="utf-8")))
    found = {n.name for n in nodes if isinstance(n, ast.FunctionDef)}
    missing = (set(_FUNCTIONS) | set(_ENGINE_HOOKS)) - found
    if missing:
        raise RuntimeError(f"{path} no longer defines {', '.join(sorted(missing))}: update this benchmark")
    utc = types.SimpleNamespace(TimeZoneInfo=types.SimpleNamespace(utc=lambda: dt.timezone.utc))
    # the functions are that module's own code, and say so (udfs/formulas/_xl.py looks at __module__)
    namespace = {"__name__": "xlwings._xlwindows", "dt": dt, "np": np, "pd": pd,
                 "np_datetime_to_datetime": np_datetime_to_datetime,
                 "pywintypes": types.SimpleNamespace(TimeType=type("TimeType", (dt.datetime,), {})),
                 "win32timezone": utc}
    exec(compile(ast.Module(nodes, type_ignores=[]), str(path), "exec"), namespace)
    return types.SimpleNamespace(name="excel", type="desktop", source=str(path),
                                 clean_value_data=namespace["clean_value_data"],
                                 prepare_xl_data_element=namespace["prepare_xl_data_element"])
