"""VBA source of kehu.xlam (*.bas, ASCII, one module per file); a package so the files ship in the wheel."""
