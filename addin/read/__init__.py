"""Read: workbooks and CSVs → raw grid → header row → one table of raw cells with column roles."""
from .table import ERROR_TEXTS, KEHU_SHEETS, Table, read_table, table_from_rows

__all__ = ["ERROR_TEXTS", "KEHU_SHEETS", "Table", "read_table", "table_from_rows"]
