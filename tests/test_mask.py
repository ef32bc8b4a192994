"""Masked copies: the customary masks, and no unmasked personal value anywhere in the package afterwards
(every part: sheets, shared strings, comments, defined names, document properties, hidden sheets, side files),
on the bundled sample and on a generated register of 10,000 rows; figures computed before masking."""
from __future__ import annotations

import json
import re
import unicodedata
import zipfile
from html import unescape
from pathlib import Path

import numpy as np
import pytest

from udfs.privacy import masking as m

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "workbook_templates" / "samples" / "sample_register.xlsx"
PERSONAL_HEADERS = ("姓名", "手机", "电话", "邮箱", "身份证号", "地址", "统一社会信用代码")


# ------------------------------------------------------------------ the masks themselves

@pytest.mark.parametrize("mask, value, expected", [
    (m.mask_mobile_one, "13800138000", "138****8000"),
    (m.mask_mobile_one, "+86 138-0013-8000", "138****8000"),
    (m.mask_mobile_one, "１３８００１３８０００", "138****8000"),
    (m.mask_landline_one, "(010)27558835", "010-****8835"),
    (m.mask_landline_one, "0755-88881234", "0755-****1234"),
    (m.mask_id_one, "11010519491231002X", "110105********002X"),
    (m.mask_id_one, "110105491231002", "110105******002"),
    (m.mask_id_one, "A123456(7)", "A12****(7)"),
    (m.mask_id_one, "1234567(8)", "12*****(8)"),
    (m.mask_id_one, "A123456789", "A1******89"),
    (m.mask_credit_code_one, "92110105MA01ABCD3X", "92110105********3X"),
    (m.mask_credit_code_one, "91110105HEPE320LKH", "91110105HEPE320LKH"),   # a company: public, kept
    (m.mask_email_one, "zhangwei@qq.com", "z***@qq.com"),
    (m.mask_name_one, "张伟", "张*"),
    (m.mask_name_one, "欧阳娜娜", "欧阳*"),
    (m.mask_name_one, "欧阳", "欧*"),   # 欧阳 alone is a surname 欧 with the given name 阳, or unknown: one kept
    (m.mask_name_one, "John Smith", "J* S*"),
    (m.mask_address_one, "北京市朝阳区建国路88号SOHO现代城5号楼1201室", "北京市朝阳区建国路**"),
])
def test_customary_masks(mask, value, expected):
    assert mask(value) == expected


def test_masks_keep_missing_cells_and_work_on_whole_columns():
    masked = m.mask_mobiles([13800138000.0, None, "13800138000", "139 0000 1111"])
    assert masked.tolist() == ["138****8000", None, "138****8000", "139****1111"]
    assert m.mask_column(["张伟"], "company") is None and m.mask_column(["张伟"], "name").tolist() == ["张*"]


def test_values_inside_other_text_are_found_by_their_shape():
    text = "手机 13800138000 与 zhang@qq.com 重复；证件 11010519491231002X；个体 92110105MA01ABCD3X；电话 010-27558835"
    masked = m.mask_in_text(text)
    for secret in ("13800138000", "zhang@qq.com", "11010519491231002X", "92110105MA01ABCD3X", "27558835"):
        assert secret not in masked
    assert "138****8000" in masked and "z***@qq.com" in masked


# ------------------------------------------------------------------ the whole package

def _forms(value) -> set[str]:
    """An original value as it could be written anywhere: as typed, width-folded, digits only (phones)."""
    if value is None or value == "":
        return set()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    folded = unicodedata.normalize("NFKC", text)
    forms = {text, folded}
    digits = re.sub(r"\D", "", folded)
    if len(digits) >= 10 and len(digits) == len(re.sub(r"[\s\-+()（）]", "", folded)):
        digits = re.sub(r"^(?:00)?86(?=1\d{10}$)", "", digits)
        forms |= {digits}
    return {f for f in forms if len(f) >= 2}


def _personal_values(path: Path, header_row: int) -> set[str]:
    import openpyxl

    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[header_row - 1])
    values = set()
    for name in PERSONAL_HEADERS:
        if name not in header:
            continue
        j = header.index(name)
        for row in rows[header_row:]:
            v = row[j] if j < len(row) else None
            if name == "统一社会信用代码" and not str(v or "").startswith("92"):
                continue   # a company's code is public
            if name == "地址" and v:
                values |= {str(v).strip()}   # the whole address must go; the road may stay
                continue
            values |= _forms(v)
    return values


def _package_texts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: unescape(z.read(n).decode("utf-8", "replace")) for n in z.namelist()}


def _survivors(values: set[str], texts: dict[str, str]) -> list[tuple[str, str]]:
    """(value, part) for every personal value still written in a part: a whole text, a word in it, a number in
    it (digits only), or a two-to-four-character run of Chinese inside it (a name in a sentence)."""
    found = []
    for part, text in texts.items():
        for node in re.findall(r">([^<]+)<", text) or [text]:
            candidates = {node.strip()} | set(re.findall(r"[^\s，。；：、（）()\[\]\"'=,;:|]+", node))
            numbers = {re.sub(r"\D", "", d) for d in re.findall(r"[\d\s\-+()（）]{7,}", node)}
            candidates |= numbers | {re.sub(r"^(?:00)?86(?=1\d{10}$)", "", d) for d in numbers}
            for run in re.findall(r"[\u4e00-\u9fff]{2,}", node):
                candidates |= {run[i:i + n] for n in (2, 3, 4) for i in range(len(run) - n + 1)}
            found += [(v, part) for v in candidates & values]
    return found


def _with_extras(source: Path, target: Path) -> dict[str, str]:
    """The register with personal values also in a note, a defined name, the document title and a hidden sheet."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.workbook.defined_name import DefinedName

    book = openpyxl.load_workbook(source)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[4]]
    name = sheet.cell(5, header.index("姓名") + 1).value
    mobile = str(sheet.cell(6, header.index("手机") + 1).value)
    email = sheet.cell(7, header.index("邮箱") + 1).value
    id_number = sheet.cell(8, header.index("身份证号") + 1).value
    sheet.cell(5, 1).comment = Comment(f"回访 {name}，手机 {mobile}", "销售部")
    book.defined_names["联系邮箱"] = DefinedName("联系邮箱", attr_text=f'"{email}"')
    book.properties.title = f"{name}的档案"
    book.properties.subject = f"证件 {id_number}"
    hidden = book.create_sheet("备份")
    hidden.sheet_state = "hidden"
    hidden["A1"], hidden["B1"] = name, id_number
    book.save(target)
    return {"name": name, "mobile": mobile, "email": email, "id": id_number}


def test_kehu_mask_leaves_no_personal_value_in_any_part(cli, tmp_path):
    source = tmp_path / "客户档案.xlsx"
    extras = _with_extras(SAMPLE, source)
    code, stdout, stderr = cli("mask", source, "-o", tmp_path / "外发.xlsx")
    assert code == 0, stderr
    texts = _package_texts(tmp_path / "外发.xlsx")
    values = _personal_values(source, 4)
    assert len(values) > 300 and {extras["name"], extras["email"], extras["id"]} <= values
    assert not _survivors(values | set(extras.values()), texts)
    assert extras["name"] in "".join(_package_texts(source).values())   # the original is untouched
    # the masks are there, in the places the values were
    assert f"{extras['name'][0]}*的档案" in texts["docProps/core.xml"]
    assert any("****" in t for n, t in texts.items() if n.startswith("xl/comments"))


@pytest.mark.parametrize("command", [["clean"], ["dedupe"], ["segment", "--as-of", "2024-06-30"]])
def test_mask_flag_masks_every_output_after_the_figures_were_computed(cli, tmp_path, command):
    plain, masked = tmp_path / "plain.xlsx", tmp_path / "masked.xlsx"
    code, plain_out, err = cli(*command, SAMPLE, "-o", plain, "--json")
    assert code == 0, err
    code, masked_out, err = cli(*command, SAMPLE, "-o", masked, "--json", "--mask")
    assert code == 0, err
    plain_summary, masked_summary = json.loads(plain_out), json.loads(masked_out)
    figures = {k: v for k, v in plain_summary.items() if k not in ("output", "lines", "settings_file", "masked")}
    assert {k: masked_summary.get(k) for k in figures} == figures   # the same figures as unmasked
    texts = _package_texts(masked)
    if masked_summary.get("settings_file"):
        texts["settings"] = Path(masked_summary["settings_file"]).read_text(encoding="utf-8")
    values = _personal_values(SAMPLE, 4)
    assert not _survivors(values, texts)
    assert _survivors(values, _package_texts(plain))   # the unmasked output did hold them


def test_mask_refuses_in_place_and_files_it_cannot_mask(cli, tmp_path):
    code, _, stderr = cli("clean", SAMPLE, "--in-place", "--mask")
    assert code == 2 and "--mask" in stderr and "Error:" in stderr
    csv = tmp_path / "a.csv"
    csv.write_text("姓名,手机\n张伟,13800138000\n", encoding="utf-8")
    code, _, stderr = cli("mask", csv)
    assert code == 3 and "xlsx" in stderr


# ------------------------------------------------------------------ 10,000 generated rows

_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
_ID_CHECK = np.array(list("10X98765432"))
_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def _resident_ids(rng, n: int) -> np.ndarray:
    """GB 11643-1999 numbers: region, birth date, sequence, check character (DOMAIN.md)."""
    region = rng.choice([110105, 310104, 440106, 510107], n)
    birth = np.datetime64("1950-01-01") + rng.integers(0, 20000, n)
    body = [f"{r}{str(b).replace('-', '')}{s:03d}" for r, b, s in zip(region, birth, rng.integers(0, 999, n))]
    digits = np.array([[int(c) for c in b] for b in body])
    return np.array([b + _ID_CHECK[c] for b, c in zip(body, (digits @ _ID_WEIGHTS) % 11)])


def _credit_code(body: str) -> str:
    """GB 32100-2015: check = 31 − (Σ value × weight mod 31), 31 ↦ 0."""
    total = sum(_CODE_CHARS.index(c) * w for c, w in zip(body, _CODE_WEIGHTS))
    return body + _CODE_CHARS[(31 - total % 31) % 31]


def _generated_register(path: Path, n: int = 10_000) -> Path:
    import sys

    import xlsxwriter

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_register import HEADERS, columns

    rng = np.random.default_rng(16)
    cols = columns(n, seed=16)
    cols["身份证号"] = _resident_ids(rng, n)
    sole = rng.random(n) < 0.5   # half are 个体工商户 (92…), half companies (91…)
    cols["统一社会信用代码"] = np.array([
        _credit_code(("92" if s else "91") + "110105" + "".join(rng.choice(list(_CODE_CHARS), 9))) for s in sole])
    headers = HEADERS + ["身份证号", "统一社会信用代码"]
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    sheet = book.add_worksheet("客户档案")
    sheet.write_row(0, 0, headers)
    lists = {h: cols[h].tolist() for h in headers}
    for i in range(n):
        for j, h in enumerate(headers):
            v = lists[h][i]
            if h == "最近购买日期":
                v = str(v)
            if h == "手机" and i % 5 == 0 and str(v).isdigit():
                sheet.write_number(i + 1, j, int(v))   # a mobile typed as a number
            elif v != "":
                sheet.write(i + 1, j, v)
    book.close()
    return path


def test_ten_thousand_generated_rows_leave_nothing_unmasked(cli, tmp_path):
    source = _generated_register(tmp_path / "register_10000.xlsx")
    values = _personal_values(source, 1)
    assert len(values) > 40_000
    code, _, stderr = cli("clean", source, "-o", tmp_path / "cleaned.xlsx", "--mask", "-q")
    assert code == 0, stderr
    assert not _survivors(values, _package_texts(tmp_path / "cleaned.xlsx"))
    code, _, stderr = cli("mask", source)
    assert code == 0, stderr
    masked = _package_texts(source.with_name("register_10000.脱敏.xlsx"))
    assert not _survivors(values, masked)
    assert masked["xl/sharedStrings.xml"].count("****") > 10_000


# ------------------------------------------------------------------ the ribbon's 脱敏副本

def test_ribbon_masked_copy_from_a_saved_file_and_from_the_open_workbook(tmp_path):
    import shutil

    from addin.book.file import FileBook
    from addin.book.live import XlwingsBook
    from addin.ribbon.handlers import run_button
    from addin.xlam.buttons import BUTTON_IDS

    from .fake_xlwings import FakeBook

    assert "kehu_mask" in BUTTON_IDS
    source = tmp_path / "客户档案.xlsx"
    shutil.copy(SAMPLE, source)
    values = _personal_values(SAMPLE, 4)

    code, text = run_button("kehu_mask", FileBook(source, tmp_path / "out.xlsx"))
    assert code == 0, text
    assert not _survivors(values, _package_texts(tmp_path / "out.xlsx"))

    fake = FakeBook(str(source), {"客户档案": [["姓名"], ["张伟"]]}, "客户档案")
    code, text = run_button("kehu_mask", XlwingsBook(fake))
    assert code == 0, text
    assert "脱敏副本" in fake.alerts[-1]
    assert not _survivors(values, _package_texts(tmp_path / "客户档案.脱敏.xlsx"))

    unsaved = FakeBook(str(tmp_path / "工作簿1"), {"Sheet1": [["姓名"], ["张伟"]]}, "Sheet1")
    code, text = run_button("kehu_mask", XlwingsBook(unsaved))
    assert code == 3 and "保存" in text and "Save" in text


def _values_of(frame, columns) -> set[str]:
    values = set()
    for name in columns:
        for v in frame[name].dropna():
            values |= _forms(v)
    return values


def test_mask_flag_on_survey_complaints_and_report(cli, tmp_path):
    """`--mask` on the other file commands: the same figures as unmasked, and no respondent's, caller's or
    customer's name, phone or e-mail left in any part of what they write."""
    import openpyxl

    from benchmarks.make_complaint_log import make_log, make_register

    # a survey whose respondents left a name and a mobile for the prize draw (a common layout)
    survey = tmp_path / "问卷.xlsx"
    book = openpyxl.load_workbook(SAMPLE.parent / "sample_survey.xlsx")
    sheet = book["答卷"]
    last = sheet.max_column
    sheet.cell(2, last + 1, "姓名"), sheet.cell(2, last + 2, "手机")
    surnames, given = "王李张刘陈杨赵黄周吴", "伟芳娜敏静丽强磊军洋"
    people = {}
    for r in range(3, sheet.max_row + 1):
        k = r - 3
        people[r] = (surnames[k % 10] + given[(k // 10) % 10] + given[(k * 7) % 10], f"139{10000000 + k * 7919:08d}")
        sheet.cell(r, last + 1, people[r][0]), sheet.cell(r, last + 2, people[r][1])
    book.save(survey)
    log, _ = make_log(400, 11, make_register(200, 7))
    log_path = tmp_path / "投诉记录.xlsx"
    log.to_excel(log_path, index=False, sheet_name="投诉记录")
    staff = set(log["处理人"].dropna().astype(str))
    runs = {
        "survey": (["survey", survey], {v for p in people.values() for v in (_forms(p[0]) | _forms(p[1]))}),
        "complaints": (["complaints", log_path, "--as-of", "2025-01-15"],
                       _values_of(log, ["客户姓名", "联系电话", "邮箱"]) - staff),
        "report": (["report", SAMPLE, "--orders", SAMPLE.parent / "sample_orders.xlsx", "--as-of", "2024-06-30"],
                   _personal_values(SAMPLE, 4)),
    }
    for name, (command, values) in runs.items():
        plain, masked = tmp_path / f"{name}.plain.xlsx", tmp_path / f"{name}.masked.xlsx"
        code, plain_out, err = cli(*command, "-o", plain, "--json")
        assert code == 0, (name, err)
        code, masked_out, err = cli(*command, "-o", masked, "--json", "--mask")
        assert code == 0, (name, err)
        plain_summary, masked_summary = json.loads(plain_out), json.loads(masked_out)
        figures = {k: v for k, v in plain_summary.items() if k not in ("output", "lines", "settings_file", "masked")}
        assert {k: masked_summary.get(k) for k in figures} == figures, name
        assert len(values) > 50, name
        assert _survivors(values, _package_texts(plain)), name    # the unmasked output did hold them
        assert not _survivors(values, _package_texts(masked)), name
