"""Import kehu's formula modules under xlwings' real Windows decorators, on Linux.

xlwings only gives pass-through decorators off Windows. Its real ones (xlwings.udfs.xlfunc …) import
once pythoncom, pywintypes and win32com.client are stand-ins (EXCEL-INTEGRATION.md); then every
formula carries the `__xlfunc__` metadata Excel's "Import Functions" would read.
"""
from __future__ import annotations

import importlib
import io
import sys
import types
from contextlib import contextmanager

VBA_KEYWORDS = {
    "and", "as", "boolean", "byref", "byte", "byval", "call", "case", "const", "currency", "date", "debug", "decimal",
    "declare", "dim", "do", "double", "each", "else", "elseif", "empty", "end", "enum", "eqv", "erase", "error",
    "event", "exit", "false", "for", "friend", "function", "get", "global", "gosub", "goto", "if", "imp",
    "implements", "in", "input", "integer", "is", "let", "like", "lock", "long", "loop", "lset", "me", "mod", "new",
    "next", "not", "nothing", "null", "object", "on", "open", "option", "optional", "or", "output", "paramarray",
    "preserve", "print", "private", "property", "public", "put", "raiseevent", "randomize", "redim", "rem", "resume",
    "return", "rset", "seek", "select", "set", "single", "static", "step", "stop", "string", "sub", "then", "to",
    "true", "type", "typeof", "until", "variant", "wend", "while", "with", "withevents", "xor", "name", "line",
    "close", "len", "text", "format", "val", "array", "range", "cells", "value", "left", "right", "mid",
}


def _stub_win32() -> dict[str, types.ModuleType]:
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda *a, **k: None
    pythoncom.CoUninitialize = lambda *a, **k: None
    pythoncom.com_error = type("com_error", (Exception,), {})
    pywintypes = types.ModuleType("pywintypes")
    pywintypes.com_error = pythoncom.com_error
    pywintypes.TimeType = type("TimeType", (), {})
    win32com = types.ModuleType("win32com")
    client = types.ModuleType("win32com.client")
    client.Dispatch = lambda *a, **k: None
    win32com.client = client
    return {"pythoncom": pythoncom, "pywintypes": pywintypes, "win32com": win32com, "win32com.client": client}


@contextmanager
def windows_decorators():
    """Within the block, `xlwings.func/arg/ret/sub` are the real Windows decorators."""
    import xlwings

    saved_modules = {k: sys.modules.get(k) for k in ("pythoncom", "pywintypes", "win32com", "win32com.client")}
    saved_attrs = {k: getattr(xlwings, k) for k in ("func", "arg", "ret", "sub")}
    sys.modules.update(_stub_win32())
    try:
        udfs_mod = importlib.import_module("xlwings.udfs")
        xlwings.func, xlwings.arg, xlwings.ret, xlwings.sub = (udfs_mod.xlfunc, udfs_mod.xlarg, udfs_mod.xlret,
                                                               udfs_mod.xlsub)
        yield udfs_mod
    finally:
        for k, v in saved_attrs.items():
            setattr(xlwings, k, v)
        for k, v in saved_modules.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v
        sys.modules.pop("xlwings.udfs", None)


def import_fresh(module_name: str) -> types.ModuleType:
    """Import `module_name` (and its formula submodules) again, so the current decorators apply."""
    for name in list(sys.modules):
        if name == module_name or name.startswith("udfs.formulas"):
            del sys.modules[name]
    return importlib.import_module(module_name)


def vba_wrappers(udfs_mod, module_name: str, module) -> str:
    """The VBA that xlwings' Import Functions would write for `module`, as text."""
    buf = io.StringIO()
    book = types.SimpleNamespace(Name="kehu.xlam")
    udfs_mod.generate_vba_wrapper(module_name, module, buf, book)
    return buf.getvalue()
