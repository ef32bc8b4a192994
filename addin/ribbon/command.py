"""`kehu ribbon BUTTON --book FILE --out RESULT`: a ribbon button on a saved workbook (frozen kehu.exe mode)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer



def register(app: typer.Typer) -> None:
    @app.command("ribbon", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    def ribbon_cmd(
        ctx: typer.Context,
        button: str = typer.Argument(..., help="按钮编号，如 kehu_clean。Button id."),
        book: Optional[Path] = typer.Option(None, "--book", help="已保存的工作簿。Saved workbook."),
        out_path: Optional[Path] = typer.Option(None, "--out", help="结果文件。Result file."),
        sheet: Optional[str] = typer.Option(None, "--sheet", help="工作表名称。Sheet name."),
        json_out: bool = typer.Option(False, "--json", help="输出 JSON。Print JSON."),
    ):
        """运行一个功能区按钮（供 kehu.exe 冻结模式使用）。Run a ribbon button on a saved workbook.

        示例 Example:  kehu ribbon kehu_clean --book 客户档案.xlsx --out 客户档案.kehu.xlsx
        """
        from addin.xlam.buttons import BUTTON_IDS

        from .handlers import run_button
        from addin.book.file import FileBook

        # xlwings' RunFrozenPython appends --wb= --from_xl=1 --app= --hwnd=: ctx.args holds them; ignored.
        if button not in BUTTON_IDS:
            typer.echo(f"错误：未知按钮“{button}”。可用：{', '.join(BUTTON_IDS)}\nError: unknown button '{button}'.",
                       err=True)
            raise typer.Exit(2)
        port = FileBook(book or Path.cwd(), out_path, sheet)
        code, text = run_button(button, port)
        if json_out:
            typer.echo(json.dumps({"ok": code == 0, "exit_code": code, "message": text,
                                   "output": str(port.written) if port.written else None}, ensure_ascii=False, indent=1))
        else:
            typer.echo(text, err=code != 0)   # plain text: the ribbon's message box, as the user would see it
        raise typer.Exit(code)
