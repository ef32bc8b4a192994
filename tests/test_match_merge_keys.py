"""merge_duplicates with the comparison's keys (no second normalisation) gives exactly the records, log and
sources of the path that normalises every column again; typed date cells are keyed without the parser."""
from __future__ import annotations

import pandas as pd

from addin.commands.dedupe import typed_table
from benchmarks.chinese_register import ROLES, generate_register
from udfs.match.engine import find_duplicates
from udfs.match.merge import merge_duplicates
from udfs.match.steps import date_keys, date_keys_of


def test_merge_with_the_comparison_keys_equals_the_merge_without():
    register, _ = generate_register(3000, seed=523, numeric_mobiles=True, written_typos=True)
    register.index = pd.RangeIndex(2, len(register) + 2, name="行号")
    found = find_duplicates(register, ROLES)
    typed, _ = typed_table(register, ROLES)
    groups = found.rows["重复组"]
    assert (pd.Series(groups).fillna(0) > 0).sum() > 300  # there is something to merge
    slow = merge_duplicates(typed, ROLES, groups)
    fast = merge_duplicates(typed, ROLES, groups, keys=found.keys, key_specs=found.settings.keys)
    pd.testing.assert_frame_equal(fast.golden, slow.golden)
    pd.testing.assert_frame_equal(fast.log, slow.log)
    pd.testing.assert_series_equal(fast.kept, slow.kept)
    # the cells as read too (what the dedupe job passes): a cell the cleaning left alone takes its key from there
    as_read = merge_duplicates(typed, ROLES, groups, keys=found.keys, key_specs=found.settings.keys, raw=register)
    pd.testing.assert_frame_equal(as_read.golden, slow.golden)
    pd.testing.assert_frame_equal(as_read.log, slow.log)
    assert as_read.log["冲突"].notna().sum() > 10 and as_read.log["补入的值"].notna().sum() > 10


def test_typed_table_with_the_comparison_keys_equals_the_table_cleaned_again():
    register, _ = generate_register(3000, seed=524, numeric_mobiles=True, written_typos=True)
    register.index = pd.RangeIndex(2, len(register) + 2, name="行号")
    found = find_duplicates(register, ROLES)
    cleaned, formats = typed_table(register, ROLES)
    reused, reused_formats = typed_table(register, ROLES, keys=found.keys, key_specs=found.settings.keys)
    pd.testing.assert_frame_equal(reused, cleaned)
    assert reused_formats == formats
    for col in ("手机", "电话", "邮箱"):   # exact cell types too (a number cell stays a number where unreadable)
        assert reused[col].map(type).tolist() == cleaned[col].map(type).tolist()
    assert (reused["手机"] != register["手机"]).sum() > 50   # something was cleaned


def test_typed_dates_are_keyed_as_the_parser_keys_their_text():
    cells = pd.Series([pd.Timestamp("2022-07-01"), pd.Timestamp("1988-02-29 13:30"), None, "2022年7月1日",
                       "110101198802290016"], dtype=object)
    as_text = pd.Series(["2022-07-01", "1988-02-29", None, "2022年7月1日", "110101198802290016"], dtype=object)
    assert date_keys_of(cells).tolist() == date_keys(as_text).tolist()
    assert date_keys_of(cells).tolist()[:3] == ["20220701", "19880229", None]
    column = pd.Series(pd.to_datetime(["2022-07-01", None]))
    assert date_keys_of(column).tolist() == ["20220701", None]
