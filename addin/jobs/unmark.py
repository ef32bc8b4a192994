"""The unmark job: take kehu's marks (fills, notes, its filter) out of a workbook kehu wrote with `--mark`."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .options import JobOptions


@dataclass(frozen=True)
class UnmarkOptions(JobOptions):
    job = "unmark"
    lang: str | None = None


def run(path: Path, output: Path | None = None, options: UnmarkOptions = UnmarkOptions()) -> dict:
    """Unmark `path` (into `output`, or in place after a backup); the summary, with the lines to show."""
    from addin.write.unmark_package import unmark_file   # here: the Lite wheel ships addin/jobs, not the writer

    done = unmark_file(Path(path), output)
    if not done.sheets:
        lines = [f"“{Path(path).name}”里没有 kehu 的标记，文件未改动。"]
        lines_en = [f"'{Path(path).name}' has no kehu marks; the file is unchanged."]
    else:
        where = "、".join(done.sheets)
        lines = [f"已去掉 kehu 的标记：工作表“{where}”，{done.formats} 组填充色，{done.notes} 条批注；"
                 "单元格、格式和你自己的批注、筛选保持原样。"]
        lines_en = [f"kehu's marks removed from sheet(s) {', '.join(done.sheets)}: {done.formats} fill rule(s), "
                    f"{done.notes} note(s); cells, formats and your own comments and filters are as they were."]
    return {"ok": True, "file": str(path), "output": str(done.output), "backup": str(done.backup) if done.backup
            else None, "sheets": done.sheets, "notes_removed": done.notes, "formats_removed": done.formats,
            "lang": options.lang, "lines": lines, "lines_en": lines_en}
