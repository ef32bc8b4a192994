"""kehu's doors onto the engine: workbook I/O, the CLI and the ribbon handlers."""
