"""kehu engine: pure, vectorised column functions (recognise → normalise → validate → match → score).

Nothing in this package knows about Excel files; the `formulas` subpackage is the thin
xlwings door onto the same functions.
"""
__version__ = "0.1.0"
