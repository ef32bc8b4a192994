"""The whole-column fast paths of the matcher's key steps give the per-value function's answer on every
cell, including the cells the fast path must leave alone (full-width digits, traditional characters,
titles, spaces, lower-case x, numbers)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from udfs.match import steps
from udfs.match.prepare import apply_step
from udfs.match.shortcut import canonical_mask
from udfs.normalise.names import person_name_key_one

CELLS = ["张伟", "張偉", "张伟先生", "王总", "李 娜", "Zhang Wei", "zhang  wei", "zhang wei", "ABC", "abc 12",
         "110101199003074514", "11010119900307451x", " 110101199003074514 ", "１１０１０１１９９００３０７４５１４",
         "110101900307451", "1990-03-07", "１９９０-03-07", "1990-13-07", "1990/03/07", 12345.0, 7, None, "",
         "13800138000", "１３８００１３８０００", "a@b.com", "A@B.COM", "北京市朝阳区建国路88号", "北京市朝陽區建國路88號"]


def _random_cells(seed: int, n: int = 400) -> list:
    rng = np.random.default_rng(seed)
    pool = list("张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐許鄭劉陳楊黃") + list("0123456789xX -") + ["１", "先生", "Ｘ"]
    out = []
    for _ in range(n):
        k = int(rng.integers(1, 19))
        out.append("".join(pool[int(i)] for i in rng.integers(0, len(pool), size=k)))
    return out + CELLS


@pytest.mark.parametrize("step, func", [("text", steps.text), ("id_number", steps.id_number)])
def test_fast_value_steps_equal_the_per_value_function(step, func):
    cells = pd.Series(_random_cells(3) + _random_cells(4), dtype=object)
    assert apply_step(step, cells).tolist() == [func(v) for v in cells]


def test_iso_date_shortcut_only_takes_plain_ascii_dates():
    keys = apply_step("birth_date", pd.Series(["1990-03-07", "１９９０-03-07", "1990-13-07", None], dtype=object))
    assert keys.tolist()[0] == "19900307" and keys.tolist()[3] is None
    assert keys.tolist()[1] in ("19900307", None)  # the shared parser decides a full-width date, not the shortcut
    assert keys.tolist()[2] is None


def test_canonical_names_are_exactly_those_the_name_key_leaves_unchanged():
    """Every value the vectorised check calls canonical is its own name key (the shortcut's identity holds)."""
    cells = np.asarray(_random_cells(5) + _random_cells(6), dtype=object)
    mask = canonical_mask("person_name", cells)
    assert mask.any()
    for v in cells[mask]:
        assert person_name_key_one(v) == v
    # titles and traditional characters are never taken as canonical
    odd = np.asarray(["张伟先生", "王总", "張偉", "张伟"], dtype=object)
    assert canonical_mask("person_name", odd).tolist() == [False, False, False, True]
