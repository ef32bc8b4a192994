"""Each CSV encoding round-trips: a register written in it reads back cell for cell, or is refused naming
the encoding and --encoding (and then reads back exactly with it). Never silently garbled.

Texts are registers as offices in each place write them (DOMAIN.md §2, §2b): mainland simplified, Taiwan
traditional, Hong Kong with HKSCS characters (深水埗, 屋邨), Japanese kana and kanji.
"""
from __future__ import annotations

import pytest

from addin.errors import KehuError
from addin.read import read_table

SIMPLIFIED = [["客户编号", "姓名", "手机", "地址"], ["C001", "张伟", "13800138000", "北京市朝阳区建国路88号"],
              ["C002", "欧阳娜娜", "13912345678", "广东省深圳市南山区科技园"]]
TAIWAN = [["客戶編號", "姓名", "行動電話", "地址"], ["T001", "張偉", "0912-345-678", "台北市信義區松仁路100號"],
          ["T002", "陳美玲", "0922-333-444", "新北市板橋區文化路一段"]]
HONG_KONG = [["客戶編號", "姓名", "手提電話", "地址"], ["H001", "陳大文", "9123 4567", "九龍深水埗大埔道"],
             ["H002", "李嘉欣", "6123 4567", "新界沙田瀝源邨"]]
JAPAN = [["顧客番号", "氏名", "電話", "住所"], ["J001", "山田太郎", "090-1234-5678", "東京都新宿区西新宿二丁目"],
         ["J002", "佐藤花子", "080-2222-3333", "大阪府大阪市北区梅田"]]

# (rows, codec written, what kehu does without --encoding: "read" or the codec it names)
CASES = [(SIMPLIFIED, "utf-8", "read"), (SIMPLIFIED, "utf-8-sig", "read"), (SIMPLIFIED, "gbk", "read"),
         (SIMPLIFIED, "gb18030", "read"), (TAIWAN, "utf-16", "read"), (HONG_KONG, "utf-16", "read"),
         (TAIWAN, "utf-16-le", "read"), (TAIWAN, "utf-16-be", "read"), (JAPAN, "utf-16", "read"),
         (TAIWAN, "big5", "big5"), (HONG_KONG, "big5hkscs", "big5hkscs"), (JAPAN, "shift_jis", "shift_jis")]


def _write(tmp_path, rows, codec):
    path = tmp_path / "名單.csv"
    path.write_bytes("".join(",".join(r) + "\r\n" for r in rows).encode(codec))  # one BOM at most, at the start
    return path


def _cells(table):
    return [list(table.df.columns)] + [[str(v) for v in r] for r in table.df.itertuples(index=False)]


@pytest.mark.parametrize("rows,codec,without", CASES, ids=[f"{c}-{r[1][0]}" for r, c, _w in CASES])
def test_csv_round_trip(tmp_path, monkeypatch, rows, codec, without):
    monkeypatch.delenv("KEHU_ENCODING", raising=False)
    path = _write(tmp_path, rows, codec)
    if without == "read":
        assert _cells(read_table(path)) == rows
        return
    with pytest.raises(KehuError) as caught:
        read_table(path)
    assert caught.value.code == 3 and f"--encoding {without}" in caught.value.en
    assert f"--encoding {without}" in caught.value.zh
    monkeypatch.setenv("KEHU_ENCODING", without)       # what --encoding sets
    assert _cells(read_table(path)) == rows
