"""RFM scores 1–5: recency, frequency and monetary binned at quantile breaks computed on the data.

Two methods, both computing breaks at the 20/40/60/80% quantiles (R's default type-7 quantile,
numpy's "linear") over the customers who have bought something:

* ``"rfm"`` (default) — the R package *rfm* (``rfm_table_order``): the breaks are those quantiles
  **plus 1**, each value scores in the bin [lower, upper) that holds it, the lowest bin starting
  at the minimum. On whole numbers (days, order counts, whole-yuan spend) this means a value equal
  to a quantile stays in the lower score. Source: rfm/R/utils.R ``bins()``, ``bins_lower()``,
  ``bins_upper()`` and rfm/R/rfm-table-transaction.R.
* ``"quantile"`` — the plain quantiles as breaks, a value equal to a break kept in the lower
  score, i.e. bins (lower, upper].

Equal values always get the same score. Recency is scored on days since the last purchase and
reversed, so the most recent customers get 5. Customers with no purchase get no score (NaN).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from ._values import analysis_date, to_amounts, to_dates

METHODS = ("rfm", "quantile")
SCORE_COLUMNS = ("R", "F", "M")


@dataclass(frozen=True)
class RfmMethod:
    """How scores were computed: the method, the number of bins and the breaks used per score."""
    method: str
    bins: int
    breaks: Mapping[str, tuple[float, ...]] = field(default_factory=dict)

    def describe(self) -> str:
        """One line for the report, Chinese first."""
        if self.method == "rfm":
            rule = ("按 20/40/60/80% 分位数 +1 分段，区间左闭右开（R 语言 rfm 包规则）"
                    " / quantile breaks + 1, bins [lower, upper) as in R package rfm")
        elif self.method == "quantile":
            rule = ("按 20/40/60/80% 分位数分段，等于分界值的归入较低分 / quantile breaks, bins (lower, upper]")
        else:
            rule = "按给定分界值分段 / user-given breaks, bins [lower, upper)"
        cuts = "；".join(f"{k}: " + ", ".join(_fmt(b) for b in v) for k, v in self.breaks.items())
        return f"RFM 评分 1–{self.bins}：{rule}；最近购买越近 R 越高。分界值 {cuts}"


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def recency_days(last_purchase: Any, as_of: Any = None) -> pd.Series:
    """Whole days from the last purchase to the analysis date `as_of` (default today); NaN when unknown."""
    dates = to_dates(last_purchase)
    day0 = analysis_date(as_of)
    days = (day0 - dates.dt.normalize()) / np.timedelta64(1, "D")
    return days.astype("float64")


def quantile_breaks(values: Any, *, bins: int = 5, method: str = "rfm") -> tuple[float, ...]:
    """The bins−1 inner breaks for `values` (NaN ignored): type-7 quantiles, plus 1 for method "rfm"."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    x = np.asarray(values, dtype="float64")
    x = x[~np.isnan(x)]
    if not len(x):
        return tuple([np.nan] * (bins - 1))
    q = np.quantile(x, np.linspace(0, 1, bins + 1)[1:-1], method="linear")
    return tuple(float(b) for b in (q + 1 if method == "rfm" else q))


def score_by_breaks(values: Any, breaks: Sequence[float], *, reverse: bool = False,
                    closed: str = "left") -> pd.Series:
    """Score 1…len(breaks)+1 for each value; NaN stays NaN.

    closed="left": value in [lower, upper) — a value equal to a break takes the higher bin;
    closed="right": value in (lower, upper]. `reverse` turns the highest bin into score 1
    (recency: more days since the last purchase, lower score).
    """
    x = np.asarray(values, dtype="float64")
    b = np.asarray(breaks, dtype="float64")
    side = "right" if closed == "left" else "left"
    score = (np.searchsorted(b, x, side=side) + 1).astype("float64")
    if reverse:
        score = len(b) + 2 - score
    score[np.isnan(x)] = np.nan
    return pd.Series(score)


def rfm_scores(recency: Any, frequency: Any, monetary: Any, *, bins: int = 5, method: str = "rfm",
               breaks: Mapping[str, Sequence[float]] | None = None,
               has_purchase: Any = None) -> tuple[pd.DataFrame, RfmMethod]:
    """Recency days, purchase counts and spend → DataFrame R, F, M, RFM (e.g. 543) and the method used.

    Breaks are computed over customers with a purchase (`has_purchase`, default: a count above 0 or
    a known recency); the others get NaN scores. `breaks` may give fixed breaks for some of
    "R", "F", "M" (used as they are, bins [lower, upper), like R's custom thresholds).
    """
    r = to_amounts(recency).to_numpy(dtype="float64", na_value=np.nan)
    f = to_amounts(frequency).to_numpy(dtype="float64", na_value=np.nan)
    m = to_amounts(monetary).to_numpy(dtype="float64", na_value=np.nan)
    if not (len(r) == len(f) == len(m)):
        raise ValueError("recency, frequency and monetary must have the same length")
    if has_purchase is None:
        buyer = (np.nan_to_num(f) > 0) | ~np.isnan(r)
    else:
        buyer = np.asarray(has_purchase, dtype=bool)
    used: dict[str, tuple[float, ...]] = {}
    out = {}
    given = dict(breaks or {})
    for name, x in (("R", r), ("F", f), ("M", m)):
        x = np.where(buyer, x, np.nan)
        if name in given:
            cut, closed = tuple(float(v) for v in given[name]), "left"
        else:
            cut = quantile_breaks(x, bins=bins, method=method)
            closed = "left" if method == "rfm" else "right"
        used[name] = cut
        out[name] = score_by_breaks(x, cut, reverse=(name == "R"), closed=closed).to_numpy()
    table = pd.DataFrame(out)
    table["RFM"] = table["R"] * 100 + table["F"] * 10 + table["M"]
    return table, RfmMethod(method if not given else "custom" if len(given) == 3 else method, bins, used)
