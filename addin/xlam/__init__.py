"""The 客户工具 Excel add-in (kehu.xlam): built from source on any OS, installed on Windows/Mac."""
