"""Duplicate respondents by id: ids already folded (ASCII, no spaces, no lower case) are compared as they are, in
Arrow's kernels; the result must be that of folding every id ("".join(str(id).split()).upper()), for every way a
sheet holds ids and with blanks whose folded text ("NAN") is also typed as an id."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from udfs.score.survey.items import SurveySpec
from udfs.score.survey.quality import _folded_already, duplicated_respondents


def folded_every_id(ids: pd.Series) -> pd.Series:
    keys = pd.Series(["".join(str(v).split()).upper() for v in ids.to_numpy(dtype=object)], index=ids.index)
    return ids.notna() & keys.duplicated(keep="first")


RNG = np.random.default_rng(4)
ID_SETS = {
    "folded": [f"R{i:07d}" for i in RNG.integers(0, 900, 2000)] + [None, "NAN", "<NA>", "NONE", None, "NAN"],
    "lower case": [f"r{i:03d}" for i in RNG.integers(0, 300, 1000)] + [f"R{i:03d}" for i in range(50)] + [None],
    "spaces": ["13800138000", "13800138000 ", " 1380013\t8000", "13900139000", None, "NAN"],
    "full width": ["Ｒ001", "R001", "ｒ００１", "R002", "R002"],
}


@pytest.mark.parametrize("dtype", ["str", "string[pyarrow]", object])
@pytest.mark.parametrize("name", list(ID_SETS))
def test_duplicates_equal_folding_every_id(name, dtype):
    ids = pd.Series(ID_SETS[name], dtype=dtype)
    got = duplicated_respondents(pd.DataFrame({"编号": ids}), SurveySpec(items=[], id_column="编号"))
    want = folded_every_id(ids)
    np.testing.assert_array_equal(got.to_numpy(dtype=bool), want.to_numpy(dtype=bool))
    assert want.any()  # every set has duplicates, so a wrong fold shows


def test_only_folded_text_ids_take_the_arrow_path():
    assert _folded_already(pd.Series(ID_SETS["folded"], dtype="str"))
    assert not _folded_already(pd.Series(ID_SETS["lower case"], dtype="str"))
    assert not _folded_already(pd.Series(ID_SETS["spaces"], dtype="str"))
    assert not _folded_already(pd.Series(ID_SETS["full width"], dtype="str"))
    assert not _folded_already(pd.Series(ID_SETS["folded"], dtype=object))
