"""Build a single-file `kehu` executable with PyInstaller (`kehu build-exe`)."""
