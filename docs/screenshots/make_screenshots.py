"""Render the README's screenshots: run kehu on the bundled samples, print the workbooks with LibreOffice, cut the
pages of the 总览 and 待跟进 sheets out of the PDF and crop them to what is on the page.

    python docs/screenshots/make_screenshots.py        (needs LibreOffice, poppler-utils and Pillow)
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
HERE = Path(__file__).resolve().parent
SAMPLES = ROOT / "workbook_templates" / "samples"
AS_OF = "2024-06-30"
#: (png name, job run, the text that marks the page of the sheet wanted)
SHOTS = [
    ("overview_segment.png", ["segment", SAMPLES / "sample_register.xlsx", "--as-of", AS_OF], "总览：客户细分"),
    ("call_list.png", ["segment", SAMPLES / "sample_register.xlsx", "--as-of", AS_OF], "待跟进客户（截至"),
    ("overview_clean.png", ["clean", SAMPLES / "sample_register.xlsx", "--dedupe"], "总览：客户档案整理"),
    ("problem_list.png", ["clean", SAMPLES / "sample_register.xlsx", "--dedupe"], "问题清单："),
    ("pairs_list.png", ["clean", SAMPLES / "sample_register.xlsx", "--dedupe"], "重复对："),
    ("overview_survey.png", ["survey", SAMPLES / "sample_survey.xlsx"], "总览：满意度调查"),
    ("overview_report.png", ["report", SAMPLES / "sample_register.xlsx", "--orders", SAMPLES / "sample_orders.xlsx",
                             "--as-of", AS_OF], "总览：客户分析报告"),
]
MAX_BYTES = 150_000


def _page_with(pdf: Path, marker: str) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
    for p in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        if marker in text:
            return p
    raise SystemExit(f"no page of {pdf.name} shows {marker!r}")


def _crop(png: Path, out: Path) -> None:
    """Trim the white margins and the footer line; shrink until the file is small."""
    from PIL import Image, ImageChops

    img = Image.open(png).convert("RGB")
    body = img.crop((0, 0, img.width, int(img.height * 0.93)))        # the footer (file, sheet, page) is cut off
    box = ImageChops.difference(body, Image.new("RGB", body.size, "white")).getbbox()
    shot = body.crop((max(box[0] - 10, 0), max(box[1] - 10, 0), min(box[2] + 10, body.width),
                      min(box[3] + 10, body.height))) if box else body
    shot = shot.quantize(colors=128)
    shot.save(out, optimize=True)
    while out.stat().st_size > MAX_BYTES:
        shot = shot.resize((int(shot.width * 0.85), int(shot.height * 0.85)))
        shot.save(out, optimize=True)


def main() -> None:
    from typer.testing import CliRunner

    from addin.cli import app

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        done: dict[str, Path] = {}
        for name, args, marker in SHOTS:
            key = " ".join(map(str, args))
            if key not in done:
                book = tmp / f"run{len(done)}.xlsx"
                r = CliRunner().invoke(app, [*map(str, args), "-o", str(book), "-q"])
                if r.exit_code:
                    raise SystemExit(r.output)
                subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/lo", "--headless", "--convert-to",
                                "pdf", "--outdir", str(tmp), str(book)], check=True, capture_output=True, timeout=600)
                done[key] = tmp / f"{book.stem}.pdf"
            pdf = done[key]
            page = _page_with(pdf, marker)
            stem = tmp / name.removesuffix(".png")
            subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", str(page), "-l", str(page), "-singlefile",
                            str(pdf), str(stem)], check=True)
            _crop(stem.with_suffix(".png"), HERE / name)
            print(f"{name}: page {page} of {pdf.name}, {(HERE / name).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
