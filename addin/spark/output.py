"""The output folder of a Spark run: rows (Parquet or CSV parts, the input plus kehu's added columns),
pairs, the run's settings and a small summary workbook (counts, settings, a sample of pairs)."""
from __future__ import annotations

import re
from pathlib import Path

from addin.errors import ExitCode, KehuError

SUMMARY_BOOK = "summary.xlsx"
SETTINGS_FILE = "settings.kehu.settings.json"
SAMPLE_PAIRS = 200
LABELS = {"rows": "行数", "candidate_pairs": "比较的行对", "duplicate_pairs": "重复行对", "possible_pairs": "疑似重复行对",
          "groups": "重复组", "rows_in_groups": "重复组中的行", "rows_to_remove": "可合并删除的行",
          "possible_rows": "疑似重复的行", "roles": "列的角色", "files": "输入文件数", "master": "Spark master",
          "seconds": "用时（秒）", "rows_with_problems": "有问题的行", "rows_without_problems": "没有问题的行",
          "problems": "问题数", "added_columns": "加上的列", "region": "号码地区", "region_how": "地区依据"}


def default_output_folder(inputs: str, job: str) -> Path:
    """-o when none is given: NAME.kehu-<job> beside a file or folder; kehu-<job> in a glob's fixed folder."""
    literal = re.split(r"[*?\[]", inputs, maxsplit=1)[0]   # the part before the first wildcard
    if literal != inputs:
        return (Path(literal) if literal.endswith("/") else Path(literal).parent) / f"kehu-{job}"
    path = Path(inputs.rstrip("/"))
    return path.with_name(f"{path.stem}.kehu-{job}")


def prepare_folder(out: Path, overwrite: bool) -> None:
    """The output folder must be new or empty, unless overwriting was asked for: nothing is lost."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not overwrite:
        raise KehuError(f"输出文件夹已存在且不为空：{out}。请换一个文件夹，或加 --overwrite。",
                        f"The output folder exists and is not empty: {out}. Choose another one or add --overwrite.",
                        ExitCode.OUTPUT)
    out.mkdir(parents=True, exist_ok=True)


def write_table(df, folder: Path, fmt: str) -> str:
    """Write one distributed table as part files (no part reaches the driver)."""
    writer = df.write.mode("overwrite")
    if fmt == "csv":
        writer.option("header", True).option("encoding", "UTF-8").csv(str(folder))
    else:
        writer.parquet(str(folder))
    return str(folder)


def write_summary_book(path: Path, title: str, counts: dict, settings_json: str | None, sample,
                       sample_sheet: str = "样例") -> None:
    """summary.xlsx: 概况 (counts), 设置 (settings JSON, one cell, as the local 查重说明 keeps it), and a
    small table (样例: sample pairs; 问题类型: problems by type)."""
    import xlsxwriter
    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("概况")
    sheet.write(0, 0, title, bold)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, 2, 18)
    sheet.write_row(1, 0, ["项目", "数值", "key"], bold)
    for i, (key, value) in enumerate(counts.items(), start=2):
        sheet.write(i, 0, LABELS.get(key, key))
        if isinstance(value, dict):
            value = "；".join(f"{k} → {v}" for k, v in value.items())
        elif isinstance(value, list):
            value = "、".join(map(str, value))
        sheet.write(i, 1, value if isinstance(value, (int, float)) else str(value))
        sheet.write(i, 2, key)
    if settings_json is not None:
        s = book.add_worksheet("设置")
        s.write(0, 0, "设置 Settings (JSON，可用 --settings 重复本次运行)", bold)
        s.write_string(1, 0, settings_json)
        s.set_column(0, 0, 120)
    if sample is not None:
        s = book.add_worksheet(sample_sheet)
        s.write_row(0, 0, list(sample.columns), bold)
        for r, row in enumerate(sample.itertuples(index=False), start=1):
            for c, v in enumerate(row):
                if v is None or (isinstance(v, float) and v != v):
                    continue
                s.write(r, c, v if isinstance(v, (int, float)) else str(v))
        s.set_column(0, len(sample.columns) - 1, 14)
        s.set_column(len(sample.columns) - 1, len(sample.columns) - 1, 60)
    book.close()
