"""Read a data file shipped inside an installed package without running the package's own import.

Some packages do slow work on import that kehu does not need: zhconv imports pkg_resources (~0.2 s) only
to locate its dictionary; pypinyin loads a phrase dictionary and trains a segmenter (~0.3 s) when kehu only
reads its character dictionary. Finding the package directory through its import spec runs none of it.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path


def package_file(package: str, name: str) -> Path | None:
    """Path of data file `name` inside the installed top-level `package`, or None when it is not there."""
    try:
        spec = importlib.util.find_spec(package)  # a top-level name: locates the package, imports nothing
    except (ImportError, ValueError):
        return None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / name
        if path.is_file():
            return path
    return None
