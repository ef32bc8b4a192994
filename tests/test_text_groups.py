"""Texts joined per key, the whole column at once, equal pandas' groupby-join they replace; the problem
notes and the 问题 column built on them are unchanged."""
import numpy as np
import pandas as pd
import pytest

from addin.jobs.marking import problem_marks
from udfs.text_groups import join_by_key
from udfs.validate.problems import SEVERITY_LABELS, describe, severity
from udfs.validate.register import check_register, row_messages


@pytest.mark.parametrize("sort", [True, False])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_join_by_key_equals_groupby_join(seed, sort):
    rng = np.random.default_rng(seed)
    n = 5_000
    keys = rng.integers(0, 1_500, n)  # many keys with one text, some with several
    texts = [f"t{i}：{rng.integers(0, 9)}" for i in range(n)]
    expected = pd.Series(texts).groupby(keys, sort=sort).agg("；".join)
    got_keys, got = join_by_key(keys, texts, "；", sort=sort)
    assert got_keys.tolist() == expected.index.tolist()
    assert got.tolist() == expected.tolist()


def test_join_by_key_empty_and_single():
    keys, joined = join_by_key(np.array([], dtype=np.int64), [], ";")
    assert len(keys) == 0 and len(joined) == 0
    keys, joined = join_by_key(np.array([7, 7, 7]), ["a", "b", "c"], "|")
    assert keys.tolist() == [7] and joined.tolist() == ["a|b|c"]


def _reference_marks(problems: pd.DataFrame) -> pd.DataFrame:
    """The groupby formulation problem_marks used before (the cells' fill and note)."""
    rank = {"error": 0, "check": 1, "hint": 2}
    described = [describe(c) for c in problems["code"]]
    texts = [f"{SEVERITY_LABELS[severity(p.code)]}：{p.zh}。建议：{p.suggestion_zh}" for p in described]
    frame = pd.DataFrame({"position": problems["row_position"].to_numpy(), "column": problems["column"].to_numpy(),
                          "rank": [rank[severity(c)] for c in problems["code"]], "note": texts})
    grouped = frame.groupby(["position", "column"], sort=False).agg(rank=("rank", "min"),
                                                                     note=("note", lambda x: "\n".join(x)))
    kinds = {v: k for k, v in rank.items()}
    return grouped.reset_index().assign(kind=lambda d: d["rank"].map(kinds))[["position", "column", "kind", "note"]]


def _messy_register(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    pick = lambda options: [options[i] for i in rng.integers(0, len(options), n)]  # noqa: E731
    return pd.DataFrame({
        "姓名": pick(["张伟", "", None, "李娜", "王 芳", "x"]),
        "手机": pick(["13812345678", "1381234567", "+86 138 1234 5678", None, "abc", "02012345678"]),
        "邮箱": pick(["a@b.com", "a@b", None, "ＡＢ@qq.com", "x@@y.cn"]),
        "身份证号": pick(["11010519491231002X", "110105194912310021", None, "123"]),
        "性别": pick(["男", "女", "M", None, "未知"]),
        "出生日期": pick(["1949-12-31", "1990-02-30", None, "昨天"]),
    })


@pytest.mark.parametrize("seed", [3, 4])
def test_problem_marks_and_row_messages_unchanged(seed):
    frame = _messy_register(3_000, seed)
    roles = {"姓名": "name", "手机": "mobile", "邮箱": "email", "身份证号": "id_number", "性别": "gender",
             "出生日期": "birth_date"}
    problems = check_register(frame, roles)
    assert len(problems) > len(frame)  # several problems per row and per cell: the joins are exercised
    expected = _reference_marks(problems)
    got = problem_marks(problems, "zh-Hans").cells
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False)

    texts = [f"{c}：{describe(code).zh}" for c, code in zip(problems["column"], problems["code"])]
    joined = pd.Series(texts).groupby(problems["row_position"].to_numpy(), sort=True).agg("；".join)
    reference = np.full(len(frame), None, dtype=object)
    reference[joined.index.to_numpy()] = joined.to_numpy()
    assert row_messages(problems, len(frame)).tolist() == reference.tolist()
