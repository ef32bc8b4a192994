"""脱敏副本: a copy of a workbook in which every personal value is masked (udfs/privacy/masking.py).

The sheets are read as tables and their columns' roles recognised as for every job; the columns of a personal
role (name, mobile, landline, ID number, a sole trader's credit code, e-mail, address) give the values to mask,
with kehu's own added forms of them (手机(规范) …). The copy then has every occurrence of those values masked, in
every part of the package (cells, shared strings, comments, defined names, document properties, hidden sheets,
chart caches), and every mobile, ID number, e-mail and landline still written inside other text as well.
Report sheets are not recomputed: `--mask` masks a command's output after its figures were computed unmasked.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from addin.errors import ExitCode, KehuError
from addin.jobs.results import Results
from addin.read import table_from_rows
from addin.read.sniff import sniff
from addin.read.workbook import open_workbook, read_sheet
from addin.write.package_mask import rewrite_package
from udfs.privacy.masking import MASKS, mask_column, mask_in_text

#: kehu's own forms of a column: 手机(规范), 身份证号(18位) … carry the role of the column they came from
_KEHU_FORM = re.compile(r"^(.*?)\s*[(（][^()（）]*[)）]$")
#: values this short are masked where they fill a whole cell, never inside other text (a surname alone)
_SHORTEST_INSIDE_TEXT = 2
_HAN_RUN = re.compile(r"[\u3400-\u9fff]{2,}")


def masked_copy_path(source: Path) -> Path:
    """NAME.脱敏.xlsx beside the source (NAME.kehu.脱敏.xlsx for a kehu output)."""
    suffix = source.suffix if source.suffix.lower() in (".xlsx", ".xlsm") else ".xlsx"
    return source.with_name(f"{source.stem}.脱敏{suffix}")


def personal_values(path: Path) -> tuple[dict[str, str], Counter]:
    """Every personal value of every sheet of `path` → its mask, and how many values each role gave."""
    book = open_workbook(path, "ooxml")
    names = list(book.sheet_names)
    masks: dict[str, str] = {}
    by_role: Counter = Counter()
    for name in names:
        try:
            grid = read_sheet(book, path, name, "ooxml")
            table = table_from_rows(grid.rows, path=path, sheet=name, sheet_names=names, kind="register",
                                    source_kind="ooxml")
        except (KehuError, ValueError):   # a report or chart sheet: no table, its texts are swept by shape
            continue
        roles = {c.column: c.role for c in table.columns if c.role}
        for column in table.df.columns:
            role = roles.get(column) or _role_of_kehu_form(str(column), roles)
            if role not in MASKS:
                continue
            values = table.df[column].reset_index(drop=True)
            pairs = pd.DataFrame({"value": values.astype(object), "mask": mask_column(values, role).astype(object)})
            pairs = pairs[pairs["mask"].notna()].drop_duplicates()   # each distinct value once
            for original, mask in zip(pairs["value"].tolist(), pairs["mask"].astype(str).tolist()):
                forms = {f for f in _forms(original) if f != mask}
                for form in forms:
                    masks.setdefault(form, mask)
                by_role[role] += bool(forms)
    return masks, by_role


def _role_of_kehu_form(header: str, roles: dict[str, str]) -> str | None:
    m = _KEHU_FORM.match(header)
    return roles.get(m.group(1)) if m else None


def _forms(value: Any) -> set[str]:
    """The ways a value is written in a package: as read, width-folded, without spaces."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return set()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text:
        return set()
    folded = unicodedata.normalize("NFKC", text)
    return {text, folded, re.sub(r"\s+", "", folded)}


def text_masker(masks: dict[str, str]) -> Callable[[str], str]:
    """A function masking one text: a whole known value; a known name (two to four Chinese characters) inside
    it; then every mobile, ID number, sole trader's code, e-mail and landline in it, found by its shape
    (udfs.privacy.masking.mask_in_text). Longer known values inside other text (an address in a sentence) are
    not looked for: the registers write them as whole cells."""
    names = {k: v for k, v in masks.items() if _SHORTEST_INSIDE_TEXT <= len(k) <= 4 and _HAN_RUN.fullmatch(k)}

    def mask_run(match: re.Match) -> str:
        run, out, i = match.group(), [], 0
        while i < len(run):   # longest known name first at each position
            hit = next((run[i:i + n] for n in (4, 3, 2) if run[i:i + n] in names), None)
            out.append(names[hit] if hit else run[i])
            i += len(hit) if hit else 1
        return "".join(out)

    def mask(text: str) -> str:
        stripped = text.strip()
        if stripped in masks:
            return masks[stripped]
        if len(stripped) < 7 and stripped.isascii() and "@" not in stripped:
            return text   # a count, a shared-string index, a style number: too short to be personal
        if names:
            text = _HAN_RUN.sub(mask_run, text)
        return mask_in_text(text)

    return mask


def mask_file(source: Path, target: Path | None = None, side_files: tuple[Path, ...] = ()) -> Results:
    """Write the masked copy of `source` to `target` (default NAME.脱敏.xlsx); mask `side_files` in place."""
    source = Path(source)
    if sniff(source) != "ooxml":
        raise KehuError(f"脱敏副本只能由 .xlsx/.xlsm 工作簿生成；“{source.name}”不是。可先用 kehu clean 生成 .xlsx 副本。",
                        f"A masked copy can only be made of an .xlsx/.xlsm workbook; {source.name} is not one. "
                        f"Run kehu clean first to get an .xlsx copy.", ExitCode.INPUT_FILE)
    target = Path(target) if target is not None else masked_copy_path(source)
    masks, by_role = personal_values(source)
    mask = text_masker(masks)
    changed = rewrite_package(source, target, mask)
    for side in side_files:
        side = Path(side)
        if side.exists():
            side.write_text(mask(side.read_text(encoding="utf-8")), encoding="utf-8")
    counted = sorted((r, n) for r, n in by_role.items() if n)
    roles = "、".join(f"{_ROLE_ZH.get(r, r)} {n}" for r, n in counted)
    roles_en = ", ".join(f"{r} {n}" for r, n in counted)
    lines = [f"已脱敏 {changed} 处文字（{roles or '未找到个人信息列'}）。",
             f"Masked {changed} texts ({roles_en or 'no personal column found'})."]
    return Results(summary={"output": str(target), "masked_texts": changed, "masked_values": dict(by_role)},
                   lines=lines)


_ROLE_ZH = {"name": "姓名", "mobile": "手机", "landline": "电话", "phone": "联系电话", "fax": "传真",
            "id_number": "证件号", "uscc": "个体工商户信用代码", "email": "邮箱", "address": "地址",
            "address_2": "地址", "given_name": "名", "street_number": "门牌号", "soc_sec_id": "证件号"}
