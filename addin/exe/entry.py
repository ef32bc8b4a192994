"""Entry point frozen into the kehu executable."""
from addin.cli import main

if __name__ == "__main__":
    main()
