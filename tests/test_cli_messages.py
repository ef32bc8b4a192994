"""Messages print file names, sheet names and texts as they are: rich markup must not eat `[v2]` or `[exe]`."""
from __future__ import annotations

import shutil

from addin.commands.common import err, out


def test_a_register_named_with_brackets_is_reported_at_its_real_path(cli, sample_register, tmp_path):
    source = tmp_path / "客户[v2].xlsx"
    shutil.copy(sample_register, source)
    code, stdout, stderr = cli("clean", source, "-q")
    assert code == 0, stderr
    written = tmp_path / "客户[v2].kehu.xlsx"
    assert written.exists()
    assert str(written) in stdout            # not 客户.kehu.xlsx: the brackets survive
    assert "客户.kehu.xlsx" not in stdout


def test_an_error_naming_a_file_with_brackets_keeps_them(cli, tmp_path):
    missing = tmp_path / "名单[exe].xlsx"
    code, _, stderr = cli("clean", missing)
    assert code == 3
    assert "名单[exe].xlsx" in stderr


def test_the_consoles_print_markup_literally(capsys):
    out.print('pip install -e ".[exe]"  [bold]x[/]')
    err.print("[v2] [red]y[/]")
    captured = capsys.readouterr()
    assert 'pip install -e ".[exe]"  [bold]x[/]' in captured.out
    assert "[v2] [red]y[/]" in captured.err
