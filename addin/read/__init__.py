"""Read: workbooks and CSVs → raw grid → header row → one table of raw cells with column roles."""
from .table import ERROR_TEXTS, KEHU_SHEETS, Table, read_table

__all__ = ["ERROR_TEXTS", "KEHU_SHEETS", "Table", "read_table"]
