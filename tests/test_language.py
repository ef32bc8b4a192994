"""The user's language: a traditional-Chinese register gets traditional headers, messages and sheet names;
--lang en gives English; the user's own column names and values are never converted.

Checked with zhconv (a converter independent of OpenCC, which kehu uses): no character kehu wrote on a
traditional run is one that zhconv would change when making the text traditional for Taiwan.
"""
from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
import zhconv

from addin.commands.clean import run_clean

HAN = re.compile(r"[\u3400-\u9fff]")
SAMPLE = Path(__file__).resolve().parents[1] / "workbook_templates" / "samples" / "sample_register.xlsx"
TW_HEADERS = ["客戶編號", "姓名", "行動電話", "市話", "電子郵件", "生日", "消費金額"]
TW_ROWS = [["T001", "陳大文", "0912-345-678", "(02)2345-6789", "chan@example.com.tw", "民國80年3月5日", "NT$1,200"],
           ["T002", "林美玲", "0933-22-111", "(04)2234-5678", "lin@@example.tw", "79/12/01", "1,500元"],
           ["T003", "王小明", "0988-765-432", "(07)345-6789", "wang@example.tw", "113.03.05", "US$300"],
           ["T004", "張志強", "0911-111-111", "12345", "zhang@example.tw", "民國113年13月1日", "NT$80"]]


def _traditional_ok(text: str) -> bool:
    return zhconv.convert(text, "zh-tw") == text


def _kehu_texts(path: Path, user_headers: list[str]) -> list[str]:
    """Everything kehu wrote: sheet names, added headers (without the user's column name), list sheet text."""
    wb = openpyxl.load_workbook(path)
    data, *added_sheets = wb.worksheets
    texts = [ws.title for ws in added_sheets]
    header = [c.value for c in data[1]]
    for h in header[len(user_headers):]:
        texts.append(re.sub(r"^.*\(", "(", str(h)) if "(" in str(h) else str(h))
        col = header.index(h) + 1
        if not str(h).endswith(")"):    # the problems column: kehu's messages, after the user's column name
            texts += [str(data.cell(r, col).value).split("：", 1)[-1] for r in range(2, data.max_row + 1)
                      if data.cell(r, col).value]
    for ws in added_sheets:
        for row in ws.iter_rows(values_only=True):
            texts += [str(v) for v in row[3:] if isinstance(v, str)]   # 問題, 建議 (not the user's 列 / 原值)
    return texts


def test_traditional_register_is_answered_in_traditional(tmp_path):
    src = tmp_path / "客戶.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "客戶資料"
    for r in [TW_HEADERS] + TW_ROWS:
        ws.append(r)
    wb.save(src)
    summary = run_clean(src, tmp_path / "out.xlsx", today="2024-06-30")
    assert summary["lang"] == "zh-Hant"
    texts = _kehu_texts(tmp_path / "out.xlsx", TW_HEADERS)
    assert any(HAN.search(t) for t in texts) and any("問題" in t for t in texts)
    wrong = [t for t in texts if not _traditional_ok(t)]
    assert wrong == []
    assert all(_traditional_ok(line) for line in summary["lines"])
    out = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert [c.value for c in out.worksheets[0][1]][:len(TW_HEADERS)] == TW_HEADERS   # the user's own, unchanged


def test_english_run_is_english(tmp_path):
    summary = run_clean(SAMPLE, tmp_path / "en.xlsx", today="2024-06-30", lang="en")
    wb = openpyxl.load_workbook(tmp_path / "en.xlsx")
    assert [ws.title for ws in wb.worksheets[1:]] == ["Overview", "Problems"]
    page = [str(c.value).replace(wb.worksheets[0].title, "") for row in wb["Overview"].iter_rows() for c in row
            if isinstance(c.value, str)]   # the data sheet's own name is the user's
    assert page and not [t for t in page if HAN.search(t)]
    links = [c.hyperlink.location for row in wb["Overview"].iter_rows() for c in row if c.hyperlink]
    assert "'Problems'!A1" in links
    listing = wb["Problems"]
    title = listing.cell(1, 1).value
    assert not HAN.search(title)
    rows = list(listing.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r[:4] == ("Row", "Column", "Value", "Problems"))
    assert all(not HAN.search(str(r[3])) for r in rows[header_at + 1:] if r[3])
    # the counts per problem sit beside the list, after an empty column, on the list's header row
    header = rows[header_at]
    assert header_at == 1 and header[header.index(None) + 1:header.index(None) + 4] == ("Count", "Rows", "Problem")
    assert all(not HAN.search(line) for line in summary["lines"])
    data = wb.worksheets[0]
    added = [str(c.value) for c in data[4]][-len(summary["added_columns"]):]
    assert all(not HAN.search(re.sub(r"^.*\(", "(", h)) for h in added if "(" in h)


@pytest.mark.parametrize("bad", ["fr", "zh"])
def test_unknown_lang_is_a_usage_error(cli, bad):
    code, _out, err = cli("clean", str(SAMPLE), "--lang", bad)
    assert code == 2 and "--lang" in err


def test_zhconv_loader_gives_zhconvs_own_answers_without_pkg_resources():
    """udfs.zhconv_loader imports zhconv with pkg_resources blocked and hands it the dictionary: the same
    conversions as zhconv's own loader (checked in a fresh interpreter, where neither has run yet)."""
    import subprocess
    import sys

    code = (
        "import sys, json\n"
        "from udfs.zhconv_loader import convert\n"
        "words = ['客戶編號', '乾隆皇帝', '頭髮', '联系电话', '後來', '台灣', '澳門特別行政區', '電郵地址', 'abc']\n"
        "ours = [convert(w, loc) for w in words for loc in ('zh-hans', 'zh-hant', 'zh-tw', 'zh-hk', 'zh-cn')]\n"
        "blocked = 'pkg_resources' not in sys.modules\n"
        "import importlib, zhconv.zhconv as core\n"
        "core.zhcdicts = None\n"
        "for name in ('dict_zhcn', 'dict_zhsg', 'dict_zhtw', 'dict_zhhk', 'pfsdict'):\n"
        "    setattr(core, name, None if name != 'pfsdict' else {})\n"
        "core.loaddict()\n"
        "theirs = [core.convert(w, loc) for w in words for loc in ('zh-hans', 'zh-hant', 'zh-tw', 'zh-hk', 'zh-cn')]\n"
        "print(json.dumps([blocked, ours == theirs, ours[:2]]))\n"
    )
    import json
    from pathlib import Path

    out = subprocess.run([sys.executable, "-W", "error::ResourceWarning", "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1], check=True)
    blocked, same, first = json.loads(out.stdout.strip().splitlines()[-1])
    assert blocked and same
    assert first == ["客户编号", "客戶編號"]
