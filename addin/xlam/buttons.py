"""The 客户工具 ribbon's buttons: ids, labels and which of them the frozen kehu.exe can run.

`customUI.xml` (the ribbon) and `vba/KehuFrozen.bas` (`KehuIsFileBased`) are hand-written source;
tests check both agree with this table, and `addin.ribbon.dispatch` is expected to handle every id.

Frozen mode (VBA toggle `KEHU_FROZEN_EXE`, see vba/KehuFrozen.bas) runs a PyInstaller-built
kehu.exe through xlwings' `RunFrozenPython` instead of Python. It serves the *file-based* commands
only, those whose whole job is "read a saved workbook (or nothing), write a result workbook":
the add-in saves the active workbook, runs

    kehu.exe ribbon <id> --book "<workbook path>" --out "<result path>"

(`--out` only for the two new-template commands, whose result goes to the user's Documents
folder) and opens the result. xlwings appends `--wb= --from_xl=1 --app= --hwnd=` to the command
line, so the CLI's `ribbon` command must ignore unknown options. `kehu_help` is answered by a VBA
message box in frozen mode, so it needs no executable.
"""
from __future__ import annotations

from typing import NamedTuple

ON_ACTION = "KehuRibbon.OnRibbon"
DISPATCH_STATEMENT = "import addin.ribbon; addin.ribbon.dispatch('{id}')"


class Button(NamedTuple):
    id: str
    label: str          # as shown on the ribbon
    english: str
    group: str
    file_based: bool    # can the frozen kehu.exe run it (see module docstring)


BUTTONS: tuple[Button, ...] = (
    Button("kehu_clean", "清洗客户表", "Clean register", "清洗与校验", True),
    Button("kehu_ids", "校验证件号", "Validate IDs", "清洗与校验", True),
    Button("kehu_mask", "脱敏副本", "Masked copy", "清洗与校验", True),
    Button("kehu_dupes", "查找重复", "Flag duplicates", "重复客户", True),
    Button("kehu_merge", "合并重复", "Merge duplicates", "重复客户", True),
    Button("kehu_merge_reviewed", "按复核合并", "Merge as reviewed", "重复客户", True),
    Button("kehu_segment", "客户细分", "Segment customers", "分析", True),
    Button("kehu_survey", "满意度报告", "Survey report", "分析", True),
    Button("kehu_complaints", "投诉分析", "Complaint log", "分析", True),
    Button("kehu_report", "客户分析报告", "Customer analysis report", "分析", True),
    Button("kehu_new_register", "新建客户档案", "New customer register", "模板", True),
    Button("kehu_new_survey", "新建满意度调查", "New satisfaction survey", "模板", True),
    Button("kehu_help", "帮助", "Help", "帮助", False),
)

BUTTON_IDS: tuple[str, ...] = tuple(button.id for button in BUTTONS)
FROZEN_FILE_COMMANDS: frozenset[str] = frozenset(button.id for button in BUTTONS if button.file_based)
