"""Duplicate formulas agree with the engine and the `kehu dedupe` command on the same rows."""
from __future__ import annotations

import openpyxl
import pytest

from benchmarks.chinese_register import ROLES, generate_register
from udfs.formulas.dedupe import KEHU_DEDUPE, KEHU_SIMILARITY, value_similarity
from udfs.match.engine import find_duplicates


@pytest.fixture(scope="module")
def register():
    return generate_register(300, seed=17)[0]


def _as_range(df):
    """The register as Excel hands a range to a formula: tuples of rows, header first, blanks as None."""
    body = df.astype(object).where(df.notna(), None).values.tolist()
    return tuple(tuple(r) for r in [list(df.columns)] + body)


def test_dedupe_formula_spills_the_engine_result(register):
    spilled = KEHU_DEDUPE(_as_range(register))
    assert spilled[0] == ["重复组", "重复标记", "相似度", "匹配依据"]
    assert len(spilled) == len(register) + 1
    engine = find_duplicates(register, ROLES).rows
    flags = [row[1] for row in spilled[1:]]
    assert flags == engine["重复标记"].tolist()
    groups = [row[0] or None for row in spilled[1:]]
    assert groups == engine["重复组"].tolist()
    assert sum(f == "重复" for f in flags) > 50


def test_dedupe_formula_agrees_with_the_command(register, tmp_path, cli):
    path = tmp_path / "客户.xlsx"
    register.to_excel(path, index=False)
    code, _, _ = cli("dedupe", path, "-o", tmp_path / "out.xlsx", "--quiet")
    assert code == 0
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True).worksheets[0]
    cells = list(ws.iter_rows(values_only=True))
    header = list(cells[0])
    from_cli = [[r[header.index(h)] for h in ("重复组", "重复标记", "相似度", "匹配依据")] for r in cells[1:]]
    spilled = KEHU_DEDUPE(_as_range(register))[1:]
    assert [r[1] for r in from_cli] == [r[1] for r in spilled]
    assert [r[0] for r in from_cli] == [r[0] or None for r in spilled]
    assert [r[3] for r in from_cli] == [r[3] or None for r in spilled]
    assert all(a == pytest.approx(b) for a, b in zip([r[2] for r in from_cli], [r[2] or None for r in spilled])
               if a is not None)


def test_similarity_of_two_values():
    assert value_similarity("张伟", "張偉") == 1.0           # traditional form of the same name
    assert value_similarity("张伟", "张玮") == 0.95          # homophone
    assert value_similarity("张伟", "李娜") < 0.5
    assert KEHU_SIMILARITY("+86 138 0013 8000", "13800138000", "mobile") == 1.0
    assert KEHU_SIMILARITY("北京华通科技有限公司", "华通科技（北京）有限责任公司", "company") == 1.0


def test_similarity_of_two_rows_matches_the_pair_table(register):
    result = find_duplicates(register, ROLES)
    pair = result.pairs.iloc[0]
    rng = _as_range(register)
    # rows are 1-based positions below the header; the engine's labels are 0-based positions here
    assert KEHU_SIMILARITY(int(pair["行A"]) + 1, int(pair["行B"]) + 1, "row", rng) == pytest.approx(pair["相似度"], abs=1e-4)
