"""Issue 19: the column kernels change no answer. A 1,048,576-row register is cleaned the fast way (the kernels
on); a 100,000-row sample of its rows is cleaned again value by value (`per_value_only()`, every normaliser
and validator through its per-value function); every added cell, every problem and every 问题 text of the
sample must be the same.

The register is benchmarks/bench_normalise.py's messy columns (DOMAIN.md's forms: +86 / full-width / dashed
mobiles, Taiwan and Hong Kong numbers, ROC and Chinese dates, NT$ / HK$ / 万 amounts, traditional
addresses, names with titles), with a share of every column replaced by the cells a reader also hands
over: blanks, whitespace, Excel errors, numbers and booleans where text is expected.
"""
import numpy as np
import pandas as pd
import pytest

from benchmarks.bench_normalise import register_columns
from udfs.cleaning import clean_register
from udfs.normalise.reference import kernels_on, per_value_only

ROWS, SAMPLE = 1_048_576, 100_000
COLUMNS = {  # header → (generated column, role)
    "姓名": ("name", "name"), "性别": ("gender", "gender"), "手机": ("mobile", "mobile"),
    "电话": ("mobile", "landline"), "邮箱": ("email", "email"), "公司名称": ("company", "company"),
    "省份": ("province", "province"), "城市": ("city", "city"), "地址": ("address", "address"),
    "出生日期": ("date", "birth_date"), "最近购买日期": ("date", "last_purchase"), "累计金额": ("amount", "total_spend"),
    "身份证号": ("id", "id_number"), "统一社会信用代码": ("uscc", "uscc"),
}
ODD_CELLS = [None, "", " ", "\u3000", "#N/A", "#VALUE!", 0.0, 13812345678.0, 1.5, True, False, "NULL", "—", "无"]


def _register(n: int, seed: int) -> tuple[pd.DataFrame, dict[str, str]]:
    data = register_columns(n, seed)
    rng = np.random.default_rng(seed + 1)
    frame = {}
    for shift, (header, (column, _)) in enumerate(COLUMNS.items()):
        cells = np.empty(n, dtype=object)
        cells[:] = data[column]
        cells = np.roll(cells, shift * 7919)  # the same generated column under two headers: other rows' values
        odd = rng.choice(n, n // 50, replace=False)
        cells[odd] = np.array(ODD_CELLS, dtype=object)[rng.integers(0, len(ODD_CELLS), len(odd))]
        frame[header] = cells
    return pd.DataFrame(frame), {header: role for header, (_, role) in COLUMNS.items()}


def _cells(values) -> list:
    """Comparable cells: NaN / NaT / None all one blank."""
    return [None if pd.isna(v) else v for v in pd.Series(values, dtype=object)]


@pytest.fixture(scope="module")
def both_paths():
    register, roles = _register(ROWS, seed=20261202)
    assert kernels_on()
    fast = clean_register(register, roles)
    sample = np.sort(np.random.default_rng(5).choice(ROWS, SAMPLE, replace=False))
    with per_value_only():
        assert not kernels_on()
        slow = clean_register(register.iloc[sample].reset_index(drop=True), roles)
    return fast, slow, sample


def test_every_added_cell_is_the_same(both_paths):
    fast, slow, sample = both_paths
    assert list(fast.normalised.columns) == list(slow.normalised.columns)
    assert len(fast.normalised.columns) >= len(COLUMNS)
    for header in fast.normalised.columns:
        got, expected = _cells(fast.normalised[header].to_numpy()[sample]), _cells(slow.normalised[header])
        differing = [i for i, (a, b) in enumerate(zip(got, expected)) if a != b]
        assert not differing, (header, [(got[i], expected[i]) for i in differing[:5]])


def test_every_problem_and_message_is_the_same(both_paths):
    fast, slow, sample = both_paths
    assert fast.region == slow.region
    in_sample = fast.problems["row_position"].isin(sample)
    fast_problems = fast.problems[in_sample].assign(
        row_position=np.searchsorted(sample, fast.problems.loc[in_sample, "row_position"].to_numpy()))
    columns = ["row_position", "column", "code"]
    assert len(slow.problems) > SAMPLE // 10  # the odd cells make problems: the comparison is not empty
    assert fast_problems[columns].reset_index(drop=True).equals(slow.problems[columns].reset_index(drop=True))
    assert _cells(fast_problems["value"]) == _cells(slow.problems["value"])
    assert _cells(fast.messages.to_numpy()[sample]) == _cells(slow.messages)
