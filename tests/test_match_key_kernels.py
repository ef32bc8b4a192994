"""The column kernels of the key build and the comparisons give exactly what the per-value code they replace
gives (issue 20, speed): pinyin of names, character readings, landline local numbers, fuzzy pinyin, name
length and Han test, birth dates from IDs, the key codes handed to KeyTable, and the data files read without
importing pypinyin or zhconv."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from udfs.match import compare
from udfs.match.cells import _births_from_ids, births_from_ids
from udfs.match.chinese_names import dictionary_readings
from udfs.match.prepare import _as_keys, build_keys
from udfs.match.settings import register_settings
from udfs.normalise.names import _pinyin_of_key, pinyin_dictionary, pinyin_of_keys
from udfs.normalise.package_data import package_file

ROOT = Path(__file__).resolve().parents[1]


def test_dictionary_readings_are_pypinyins_for_every_character():
    from pypinyin import Style, pinyin

    chars = [chr(cp) for cp in pinyin_dictionary()] + [chr(cp) for cp in range(0x20, 0x3000, 7)] + list("ａ１　・")
    wrong = [ch for ch in chars if dictionary_readings(ch) != pinyin(ch, style=Style.NORMAL, heteronym=True)[0]]
    assert wrong == []
    assert dictionary_readings("欸") == pinyin("欸", style=Style.NORMAL, heteronym=True)[0]  # ê kept, not e
    assert "lv" in dictionary_readings("吕")


def test_pinyin_of_keys_is_the_per_value_pinyin():
    rng = np.random.default_rng(5)
    pool = list(pinyin_dictionary())[:3000] + [ord(c) for c in "单曾解覃abcZ1·_- é\x00"]
    keys = ["".join(chr(c) for c in rng.choice(pool, rng.integers(1, 9))) for _ in range(20_000)]
    keys += ["单", "单于", "a", "\x00a", "a\x00", "·", "__", "张伟", "欧阳娜娜"]
    assert pinyin_of_keys(np.array(keys, dtype=object)).tolist() == [_pinyin_of_key(k) for k in keys]
    assert pinyin_of_keys(np.array(["单伟", "曾"], dtype=object)).tolist() == ["shanwei", "zeng"]


def test_landline_local_numbers_as_a_column():
    rng = np.random.default_rng(1)
    alphabet = list("0123456789--0x１²\n")
    phones = ["".join(rng.choice(alphabet, rng.integers(0, 16))) for _ in range(20_000)]
    phones += ["010-12345678", "010-12345678-123", "12345678", "0755-1234567", "01012345678", "0-", "-"]
    phones = np.array(phones, dtype=object)
    assert compare.local_numbers(phones).tolist() == [compare._local_number(v) for v in phones.tolist()]
    assert compare.local_numbers(np.array(["010-12345678-123"], dtype=object)).tolist() == ["12345678"]


def test_fuzzy_codes_length_and_han_test_as_columns():
    pinyins = np.array(["zhangwei", "zanwei", "zhanwei", "liling", "ninin", "shang", "san", "chen", "cen"],
                       dtype=object)
    codes = compare._fuzzy_codes(pinyins)
    fuzzy = [compare._fuzzy(v) for v in pinyins.tolist()]
    assert all((codes[i] == codes[j]) == (fuzzy[i] == fuzzy[j]) for i in range(len(fuzzy)) for j in range(len(fuzzy)))
    assert codes[0] == codes[1] and codes[3] == codes[4]
    names = np.array(["张伟", "john smith", "a张", "鿿", "㐀", "", "ab c"], dtype=object)
    assert compare._lengths(names).tolist() == [len(v) for v in names.tolist()]
    assert compare._has_cjk(names).tolist() == [bool(compare._CJK.search(v)) for v in names.tolist()]


def _resident_ids(n: int, rng) -> list:
    weights = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
    ids = []
    for _ in range(n):
        body = f"110101{rng.integers(1900, 2030)}{rng.integers(0, 14):02d}{rng.integers(0, 33):02d}" \
               f"{rng.integers(0, 1000):03d}"
        check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]
        r = rng.random()
        if r < 0.1:  # a wrong check character, or a lower-case x
            check = "x" if check == "X" else str(rng.integers(0, 10))
        value = body + check
        if r > 0.97:
            value = value.replace("1", "１")  # full-width digits: the general path
        elif r > 0.95:
            value = value[:15]
        ids.append(value)
    return ids


def test_births_from_ascii_ids_as_arrays_equal_the_general_path():
    rng = np.random.default_rng(3)
    values = np.array(_resident_ids(5_000, rng) + [None, np.nan, 3.5, "abc", "11010119900101123x"], dtype=object)
    candidates = rng.random(len(values)) < 0.9
    fast = births_from_ids(values, candidates).tolist()
    assert fast == _births_from_ids(values, candidates).tolist()
    assert sum(v is not None for v in fast) > 1_000


def test_key_codes_handed_to_keytable_are_pandas_factorisation():
    s = pd.Series(["b", None, "", "a", "b", np.nan, "", "c", "a"], dtype=object)
    keys, (codes, uniques) = _as_keys(s)
    assert keys.tolist() == ["b", None, None, "a", "b", None, None, "c", "a"]
    ref_codes, ref_uniques = pd.factorize(keys, use_na_sentinel=True)
    assert codes.tolist() == ref_codes.tolist() and uniques.tolist() == list(ref_uniques)
    from benchmarks.chinese_register import ROLES, generate_register

    register, _ = generate_register(2_000, seed=2, numeric_mobiles=True, written_typos=True)
    register.loc[3:40, "邮箱"] = ""
    table = build_keys(register, ROLES, register_settings().restricted_to(ROLES.values()))
    for name in table.frame.columns:
        ref_codes, ref_uniques = pd.factorize(table.frame[name], use_na_sentinel=True)
        assert table.codes(name).tolist() == ref_codes.tolist(), name
        assert table.uniques(name).tolist() == list(ref_uniques), name


def test_data_files_found_without_importing_their_packages():
    assert package_file("pypinyin", "pinyin_dict.json") is not None
    assert package_file("zhconv", "zhcdict.json") is not None
    assert package_file("no_such_package_kehu", "x.json") is None
    # a register written here: the benchmark generator itself imports pypinyin and zhconv
    code = ("import sys; import pandas as pd; from udfs.match.engine import find_duplicates;"
            "df = pd.DataFrame({'姓名': ['張偉', '张伟', '覃敏', '秦敏', '王先生'] * 20,"
            " '手机': ['13800138000', '13800138000', '13900139000', '139 0013 9000', None] * 20,"
            " '公司名称': ['華為技術有限公司', '华为技术有限公司', None, '北京小米科技', None] * 20});"
            "find_duplicates(df, {'姓名': 'name', '手机': 'mobile', '公司名称': 'company'});"
            "print(sorted(m for m in ('pypinyin', 'zhconv', 'pkg_resources') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-500:]
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("trad", ["張偉", "華為技術有限責任公司", "廣州"])
def test_simplified_table_read_from_the_file_is_zhconvs(trad):
    import zhconv

    from udfs.normalise.text import to_simplified
    assert to_simplified(trad) == zhconv.convert(trad, "zh-cn")
