"""zhconv (simplified ↔ traditional conversion) without its slow import.

`import zhconv` imports pkg_resources (~0.2 s of every command's start-up) only to open its dictionary, and
its other loader leaves that file open. zhconv falls back to opening the file itself when pkg_resources
cannot be imported, so the import is made with pkg_resources blocked, and the dictionary is read here and
handed to zhconv the way its own `loaddict` would, so zhconv never opens it. Conversions are zhconv's own.
"""
from __future__ import annotations

import json
import sys
from functools import lru_cache


@lru_cache(maxsize=1)
def zhconv():
    """The zhconv module, its dictionary loaded."""
    if "zhconv.zhconv" not in sys.modules and "pkg_resources" not in sys.modules:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes `from pkg_resources …` fail
        try:
            import zhconv as module
        finally:
            del sys.modules["pkg_resources"]
    else:
        import zhconv as module
    core = sys.modules["zhconv.zhconv"]
    if core.zhcdicts is None:
        from udfs.normalise.package_data import package_file

        path = package_file("zhconv", core.DICTIONARY)
        if path is not None:
            data = json.loads(path.read_bytes().decode("utf-8"))
            data["SIMPONLY"], data["TRADONLY"] = frozenset(data["SIMPONLY"]), frozenset(data["TRADONLY"])
            core.zhcdicts = data  # what zhconv.loaddict() stores; with it set, zhconv reads no file
    return module


def convert(text: str, locale: str) -> str:
    """zhconv.convert(text, locale)."""
    return zhconv().convert(text, locale)
