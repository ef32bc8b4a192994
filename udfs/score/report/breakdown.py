"""Counts and shares of customers by one register field (region, industry, size, channel, status …)."""
from __future__ import annotations

from typing import Any

import pandas as pd

BLANK = "（空白）"


def share_table(values: Any, label: str) -> pd.DataFrame:
    """label, 客户数, 占比 — largest first; blanks counted as their own row so nothing disappears."""
    s = pd.Series(values, dtype=object).astype("string").str.strip()
    s = s.mask(s.isna() | (s == ""), BLANK)
    counts = s.value_counts(sort=True)
    return pd.DataFrame({label: counts.index.astype(object), "客户数": counts.to_numpy().astype(int),
                         "占比": counts.to_numpy() / max(len(s), 1)})
