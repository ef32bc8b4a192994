"""`python -m addin` runs the kehu command."""
from addin.cli import main

main()
