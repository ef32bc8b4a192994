"""The dedupe run's own sheets: 查重说明 (the figures, and where the settings that reproduce the run are) and the
hidden 查重设置 (the settings JSON alone, in A1, for `kehu dedupe --settings WORKBOOK`). xlsxwriter calls only."""
from __future__ import annotations

from pathlib import Path

from addin.report.read_back import find_sheet
from addin.write.page_setup import LINE_POINTS, wrapped_lines

SUMMARY_SHEET = "查重说明"
#: hidden sheet whose cell A1 holds the whole settings JSON of the run (`--settings WORKBOOK` reads it)
SETTINGS_SHEET = "查重设置"
LABEL_WIDTH = 32
#: 查重说明 says where the settings that repeat the run are (the JSON itself is not printed)
SETTINGS_NOTE_LABEL = "设置 Settings"
SETTINGS_NOTE = (f"本次运行的全部设置（JSON）保存在隐藏工作表“{SETTINGS_SHEET}”和结果旁的 .kehu.settings.json 文件中，"
                 "用 kehu dedupe --settings 本工作簿（或该文件）即可重复本次运行 "
                 "The run's settings (JSON) are in a hidden sheet of this workbook and the .kehu.settings.json "
                 "file beside the result; kehu dedupe --settings WORKBOOK (or FILE) repeats the run.")


def build_settings_sheet(wb, ws, settings) -> None:
    """查重设置 (hidden): the settings JSON of the run in cell A1, for `--settings WORKBOOK`."""
    ws.write_string(0, 0, settings.to_json(indent=None))
    ws.hide()


def build_dedupe_sheet(wb, ws, results: dict) -> None:
    """查重说明: the figures of the run and where its settings are (printed, so no JSON on it)."""
    s, settings = results["summary"], results["settings"]
    bold = wb.add_format({"bold": True, "font_size": 14})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    cell = wb.add_format({"border": 1, "text_wrap": True, "valign": "top"})   # long m/u lines wrap in print
    ws.set_column(0, 0, LABEL_WIDTH)   # its longest label, '字段权重 Field weights (log2)', on one line
    ws.set_column(1, 1, 60)
    ws.write(0, 0, "查重摘要 Duplicate summary", bold)
    lines = [("记录数 Records", s["records"]), ("重复组 Groups", s["groups"]),
             ("重复行 Rows in groups", s["duplicate_rows"]), ("可删除行 Rows to remove", s["rows_to_remove"]),
             ("疑似重复行 Possible duplicates", s["possible_rows"]),
             ("去重后客户数 Customers after merge", s.get("customers_after_merge", "（未合并 not merged）")),
             ("重复阈值 Duplicate threshold", s["threshold"]), ("疑似阈值 Possible threshold", s["possible"]),
             ("保留规则 Keep rule", s["keep"])]
    ws.write_row(2, 0, ["项目 Item", "数值 Value"], head)
    number = wb.add_format({"border": 1, "num_format": "0.00"})   # the thresholds
    for i, (k, v) in enumerate(lines, start=3):
        ws.write(i, 0, k, cell)
        ws.write(i, 1, v, number if isinstance(v, float) else cell)
    row = 4 + len(lines)
    ws.write(row, 0, "字段权重 Field weights (log2)", head)
    ws.write(row, 1, "m（重复时一致的比例） / u（随机两行一致的比例）", head)
    for comp in settings.comparisons:
        row += 1
        u = settings.u.get(comp.key, {})
        text = "; ".join(f"{lv}: m={m:.3f} u={u.get(lv, float('nan')):.2e}" for lv, m in comp.m.items())
        ws.write(row, 0, f"{comp.label} ({comp.key})", cell)
        ws.write(row, 1, text, cell)
        ws.set_row(row, LINE_POINTS * wrapped_lines(text, 60) + 2)   # a row tall enough for its wrapped lines
    row += 2
    # The settings JSON (pages of it when printed) lives in the hidden 查重设置 sheet and the side file, not here.
    ws.write(row, 0, SETTINGS_NOTE_LABEL, head)
    ws.merge_range(row + 1, 0, row + 1, 1, SETTINGS_NOTE, wb.add_format({"text_wrap": True, "valign": "top",
                                                                           "border": 1}))
    ws.set_row(row + 1, LINE_POINTS * wrapped_lines(SETTINGS_NOTE, LABEL_WIDTH + 60) + 2)


def settings_from_workbook(path: Path) -> str:
    """The settings JSON a dedupe run left in its 查重设置 / 查重说明 sheet."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ours = [find_sheet(book.sheetnames, n) for n in (SETTINGS_SHEET, SUMMARY_SHEET)]  # in any language
        names = [n for n in ours if n] + [n for n in book.sheetnames if n not in ours]
        for name in names:
            if name not in book.sheetnames:
                continue
            for row in book[name].iter_rows(values_only=True):
                for v in row:
                    if isinstance(v, str) and v.startswith("{") and '"comparisons"' in v:
                        return v
    finally:
        book.close()
    raise ValueError("no kehu settings found in the workbook (查重说明 sheet)")
