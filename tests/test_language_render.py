"""What a user sees, rendered by LibreOffice: a traditional-Chinese (Taiwan) register cleaned, de-duplicated and
segmented reads traditional throughout; an English run on an English register has no Chinese in kehu's text.

The registers are written here from the users' world (Taiwan names, 09xx-xxx-xxx mobiles, 民國 dates, NT$
amounts; a Hong Kong register kept in English), with a few customers entered twice. Which characters are
simplified-only is judged by zhconv, a converter independent of the OpenCC kehu uses.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import zhconv
from typer.testing import CliRunner

from addin.cli import app
from addin.report.pairs_sheet import ID_A, ID_B, REVIEW
from udfs.match.review import REVIEW_CHOICES

pytestmark = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                                reason="LibreOffice and poppler-utils (pdftotext) are needed to render")
HAN = re.compile(r"[\u3400-\u9fff]")
#: nothing is exempt any more: what a later run reads back (重复对, 复核 and its choices, 查重设置) is written in the
#: run's language too and read back in any language (addin/report/read_back.py; tested below)
MACHINE_WORDS: tuple[str, ...] = ()

TW_SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾"
TW_GIVEN = ["志明", "淑芬", "家豪", "雅婷", "冠宇", "怡君", "俊傑", "佩珊", "宗翰", "詩涵", "建宏", "美玲"]
HK_NAMES = ["Chan Tai Man", "Wong Siu Ming", "Lee Ka Yan", "Cheung Wing Sze", "Lau Chi Keung", "Ho Mei Ling",
            "Ng Ka Ho", "Leung Hoi Yan", "Yeung Chun Kit", "Tsang Wai Man", "Choi Pui Shan", "Kwok Ho Yin"]


def _taiwan_register(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(22):
        name = TW_SURNAMES[rng.integers(len(TW_SURNAMES))] + TW_GIVEN[rng.integers(len(TW_GIVEN))]
        rows.append([f"TW{i + 1:03d}", name, f"09{rng.integers(10, 99)}-{rng.integers(100, 999)}-{rng.integers(100, 999)}",
                     f"c{i}@example.com.tw", f"民國113年{rng.integers(1, 12)}月{rng.integers(1, 28)}日",
                     int(rng.integers(1, 12)), f"NT${rng.integers(500, 90000):,}", ["意向客戶", "簽單客戶", "無效客戶"][i % 3]])
    for j in (0, 3, 7):   # the same customers entered again by another branch
        again = list(rows[j])
        again[0] = f"TW{100 + j}"
        rows.append(again)
    return pd.DataFrame(rows, columns=["客戶編號", "姓名", "行動電話", "電子郵件", "最近購買日期", "購買次數",
                                       "累計消費金額", "狀態"])


def _english_register(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(22):
        rows.append([f"HK{i + 1:03d}", HK_NAMES[i % len(HK_NAMES)] + ("" if i < 12 else f" {chr(65 + i % 26)}"),
                     f"{rng.choice([5, 6, 9])}{rng.integers(100, 999)} {rng.integers(1000, 9999)}",
                     f"c{i}@example.com.hk", f"2024-{rng.integers(1, 12):02d}-{rng.integers(1, 28):02d}",
                     int(rng.integers(1, 12)), float(rng.integers(500, 90000))])
    for j in (1, 4):
        again = list(rows[j])
        again[0] = f"HK{100 + j}"
        rows.append(again)
    return pd.DataFrame(rows, columns=["Customer ID", "Name", "Mobile", "Email", "Last purchase", "Orders",
                                       "Total spend"])


def _run(tmp_path: Path, frame: pd.DataFrame, stem: str, *lang: str) -> list[Path]:
    src = tmp_path / f"{stem}.xlsx"
    frame.to_excel(src, index=False)
    runner = CliRunner()
    outs = [tmp_path / f"{stem}.clean.xlsx", tmp_path / f"{stem}.segment.xlsx"]
    r = runner.invoke(app, ["clean", str(src), "--dedupe", "-o", str(outs[0]), "-q", *lang])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["segment", str(src), "-o", str(outs[1]), "--as-of", "2024-12-31", "-q", *lang])
    assert r.exit_code == 0, r.output
    return outs


def _rendered_text(paths: list[Path], tmp_path: Path) -> dict[Path, str]:
    out = tmp_path / "pdf"
    profile = (tmp_path / "lo-profile").as_uri()   # our own profile: another soffice on the machine cannot lock us out
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *map(str, paths)], check=True, capture_output=True, timeout=600)
    texts = {}
    for p in paths:
        pdf = out / (p.stem + ".pdf")
        texts[p] = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout
    return texts


def _simplified_only(text: str) -> set[str]:
    return {c for c in set(HAN.findall(text)) if zhconv.convert(c, "zh-hant") != c and zhconv.convert(c, "zh-hans") == c}


def _without_machine_text(text: str) -> str:
    kept = [line for line in text.splitlines() if '"' not in line]   # the settings JSON (read back by --settings)
    text = "\n".join(kept)
    for word in sorted(MACHINE_WORDS, key=len, reverse=True):
        text = text.replace(word, "")
    return text


def test_a_taiwan_register_renders_traditional_throughout(tmp_path):
    outs = _run(tmp_path, _taiwan_register(seed=20261202), "客戶")
    names = [n for p in outs for n in openpyxl.load_workbook(p, read_only=True).sheetnames]
    assert {"問題清單", "去重結果", "合併記錄", "客戶分析", "待跟進", "重複對"} <= set(names)
    assert not _simplified_only("".join(n for n in names if n not in MACHINE_WORDS))
    header = [c.value for c in next(openpyxl.load_workbook(outs[0], read_only=True).worksheets[0].iter_rows(max_row=1))]
    assert "問題" in header and any(str(h).endswith("(規範)") for h in header)
    assert "重複組" in header and "匹配依據" in header
    texts = _rendered_text(outs, tmp_path)
    for path, text in texts.items():
        assert len(HAN.findall(text)) > 200, f"{path.name} rendered almost no text"
        assert _simplified_only(_without_machine_text(text)) == set(), path.name
    assert "號碼" in texts[outs[0]] or "問題" in texts[outs[0]]


def test_an_english_run_has_no_chinese_in_kehus_text(tmp_path):
    frame = _english_register(seed=77)
    outs = _run(tmp_path, frame, "customers", "--lang", "en")
    names = [n for p in outs for n in openpyxl.load_workbook(p, read_only=True).sheetnames]
    assert {"Problems", "Deduplicated", "Merge log", "Customer analysis", "Follow-up", "Duplicate pairs"} <= set(names)
    assert not any(HAN.search(n) for n in names if n not in MACHINE_WORDS)
    header = [c.value for c in next(openpyxl.load_workbook(outs[1], read_only=True).worksheets[0].iter_rows(max_row=1))]
    assert not any(HAN.search(str(h)) for h in header if h)
    texts = _rendered_text(outs, tmp_path)
    for path, text in texts.items():
        leftovers = sorted({line.strip() for line in _without_machine_text(text).splitlines() if HAN.search(line)})
        assert leftovers == [], f"{path.name}: {leftovers}"


@pytest.mark.parametrize("lang, sheet, review, same", [("en", "Duplicate pairs", "Review", "Same customer"),
                                                     ("zh-Hant", "重複對", "複核", "是同一客戶")])
def test_review_decisions_written_in_the_runs_language_are_read_back(tmp_path, lang, sheet, review, same):
    """A reviewer fills the pairs sheet of an English or traditional run; `--reviewed` reads those decisions."""
    frame = _english_register(seed=78) if lang == "en" else _taiwan_register(seed=78)
    src = tmp_path / "reg.xlsx"
    frame.to_excel(src, index=False)
    runner = CliRunner()
    first = tmp_path / "first.xlsx"
    r = runner.invoke(app, ["dedupe", str(src), "-o", str(first), "-q", "--lang", lang])
    assert r.exit_code == 0, r.output
    book = openpyxl.load_workbook(first)
    ws = book[sheet]
    header_row = next(i for i, row in enumerate(ws.iter_rows(values_only=True), 1) if review in row)
    col = [c.value for c in ws[header_row]].index(review) + 1
    assert ws.max_row > header_row, "the register has planted duplicates: there must be pairs to review"
    ws.cell(header_row + 1, col).value = same
    book.save(first)
    second = tmp_path / "second.xlsx"
    r = runner.invoke(app, ["dedupe", str(src), "--reviewed", str(first), "-o", str(second), "-q", "--lang", lang])
    assert r.exit_code == 0, r.output
    again = openpyxl.load_workbook(second, read_only=True)[sheet]
    rows = list(again.iter_rows(values_only=True))
    h = next(i for i, row in enumerate(rows) if review in row)
    assert same in [row[rows[h].index(review)] for row in rows[h + 1:]]   # the decision was read and carried over
