"""Engine functions of udfs.match raise only InputProblem (Chinese + English text) for bad input."""
from __future__ import annotations

import pandas as pd
import pytest

from udfs.errors import InputProblem
from udfs.match.engine import find_duplicates, find_in_master
from udfs.match.merge import merge_duplicates
from udfs.match.prepare import apply_step
from udfs.match.settings import MatchSettings


@pytest.mark.parametrize("call", [
    lambda: find_duplicates(pd.DataFrame({"备注": ["a", "b"]}), {"备注": "note"}),
    lambda: find_in_master(pd.DataFrame({"姓名": ["张伟"]}), {"姓名": "name"},
                           pd.DataFrame({"手机": ["13800138000"]}), {"手机": "mobile"}),
    lambda: merge_duplicates(pd.DataFrame({"姓名": ["张伟"]}), {"姓名": "name"}, [0], keep="newest"),
    lambda: apply_step("no_such_step", pd.Series(["x"])),
    lambda: MatchSettings.from_json("{not json"),
    lambda: MatchSettings.from_json('{"keys": 3}'),
])
def test_bad_input_is_an_input_problem_with_two_languages(call):
    with pytest.raises(InputProblem) as caught:
        call()
    assert caught.value.zh and caught.value.en
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.zh)
