"""Shared fixtures: paths to bundled samples and test data, and a CLI runner."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SAMPLES = ROOT / "workbook_templates" / "samples"


@pytest.fixture(scope="session")
def sample_register() -> Path:
    return SAMPLES / "sample_register.xlsx"


@pytest.fixture()
def cli():
    """Invoke the kehu CLI in-process; returns (exit code, stdout, stderr)."""
    from typer.testing import CliRunner

    from addin.cli import app

    runner = CliRunner()

    def run(*args: str):
        result = runner.invoke(app, [str(a) for a in args])
        return result.exit_code, result.stdout, result.stderr

    return run


def soffice_available() -> bool:
    return shutil.which("soffice") is not None
