"""Never garble silently: a Big5 or Shift-JIS CSV read as GBK is refused, naming --encoding; with it, it reads."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from addin.errors import KehuError
from addin.read import read_table

ROOT = Path(__file__).resolve().parents[1]

# registers as offices write them (DOMAIN.md): Taiwan/Hong Kong in traditional characters, Japan in kana/kanji,
# mainland in simplified — names, addresses and company words, not characters picked for the heuristic
TRADITIONAL = ("客戶編號,姓名,手機,地址,公司\n"
               "T001,張偉,0912-345-678,台北市信義區松仁路100號,鴻海精密工業股份有限公司\n"
               "T002,陳美玲,0922-333-444,新北市板橋區文化路一段,台灣積體電路製造\n"
               "T003,林志明,0933-111-222,香港九龍旺角彌敦道,長江實業（集團）有限公司\n")
JAPANESE = ("顧客番号,氏名,電話,住所\nJ001,山田太郎,090-1234-5678,東京都新宿区西新宿二丁目\n"
            "J002,佐藤花子,080-2222-3333,大阪府大阪市北区梅田\n")
SIMPLIFIED = ("客户编号,姓名,手机,地址\nC001,张伟,13800138000,北京市朝阳区建国路88号\n"
              "C002,欧阳娜娜,13912345678,广东省深圳市南山区科技园\nC003,刘喆,13700001111,浙江省杭州市西湖区\n")


@pytest.mark.parametrize("text,codec", [(TRADITIONAL, "big5"), (JAPANESE, "shift_jis")])
def test_foreign_encoding_is_refused_with_its_name(tmp_path, text, codec):
    path = tmp_path / "名单.csv"
    path.write_bytes(text.encode(codec))
    with pytest.raises(KehuError) as caught:
        read_table(path)
    assert caught.value.code == 3 and f"--encoding {codec}" in caught.value.en


@pytest.mark.parametrize("text,codec", [(SIMPLIFIED, "gbk"), (TRADITIONAL, "gbk"), (JAPANESE, "gbk"),
                                        (SIMPLIFIED, "gb18030")])
def test_gbk_files_still_read(tmp_path, text, codec):
    path = tmp_path / "名单.csv"
    path.write_bytes(text.encode(codec))
    t = read_table(path)
    assert t.df.iloc[0, 1] == text.splitlines()[1].split(",")[1]


def test_encoding_option_after_the_command(tmp_path):
    path = tmp_path / "名单.csv"
    path.write_bytes(TRADITIONAL.encode("big5"))
    done = subprocess.run([sys.executable, "-m", "addin", "inspect", str(path), "--encoding", "big5", "--json"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, env={"PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert "張偉" in done.stdout and "陳美玲" in done.stdout
