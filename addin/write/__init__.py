"""Write kehu's results into a copy of the user's workbook, editing only the package parts that change.

    from addin.write import AddedColumn, TableSheet, BuiltSheet, write_results
    report = write_results(Path("客户.xlsx"), None, sheet="客户档案", header_row=1, rows=[2, 3, 4],
                           columns=[AddedColumn("规范手机号", ["13800138000", None, "13912345678"])],
                           sheets=[TableSheet("问题清单", problems_df)])

Modules: specs (the dataclasses), cells (values → cell XML), cell_parts (the same XML as parts joined once
per block), lazy_cells (the added cells, made per block as the sheet streams), styles (styles.xml), sheet_splice
(streaming edit of the data sheet, as UTF-8 bytes), deflate (the fastest installed codec), excel_tables (grow a Table), table_sheet (fast new sheets),
transplant (xlsxwriter-built sheets), workbook_parts, package (zip/OPC plumbing), output
(atomic replace, locks, backups), writeback (write_results itself).
"""
from addin.write.output import default_output_path
from addin.write.specs import AddedColumn, BuiltSheet, TableSheet, WriteReport

__all__ = ["AddedColumn", "BuiltSheet", "TableSheet", "WriteReport", "default_output_path", "write_results"]


def __getattr__(name: str):
    """`write_results` on first use: the writer needs lxml, which xlwings Lite (specs and layouts only) lacks."""
    if name == "write_results":
        from addin.write.writeback import write_results

        return write_results
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
