"""Competitor comparison per market: our score against each named competitor's (paired t test), and the
"compared with X we are better / on par / worse" answers (sign test), Holm-corrected across the table."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from udfs.score.survey.groups import ALPHA, MIN_GROUP_SIZE, holm
from udfs.score.survey.items import VERSUS_LABELS, ItemSpec, SurveySpec, _norm, _scale_fit, _simplified, to_scores

ALL_MARKETS = "全部"


def _score_0_100(values: pd.Series, default: tuple[int, int]) -> pd.Series:
    lo, hi = _scale_fit(values.dropna(), 1) or default
    x, _ = to_scores(values, ItemSpec(column=None, code="", scale_min=lo, scale_max=hi))
    return (x - lo) / (hi - lo) * 100


def _markets(df: pd.DataFrame, spec: SurveySpec, market: Any) -> list[tuple[str, np.ndarray]]:
    """(market name, row mask) for the whole sample and each market of the `market` column."""
    out = [(ALL_MARKETS, np.ones(len(df), bool))]
    if market is not None:
        m = df[market].astype(object)
        for name in sorted(pd.unique(m.dropna().astype(str))):
            out.append((name, (m.astype(str) == name).to_numpy() & m.notna().to_numpy()))
    return out


def market_column(spec: SurveySpec) -> Any:
    """The column that names the market or store: the first grouping column that is not gender or age."""
    from udfs.score.survey.items import header_role

    return next((c for c in spec.group_columns if header_role(c) == "group"), None)


def rating_comparison(df: pd.DataFrame, spec: SurveySpec, min_n: int = MIN_GROUP_SIZE) -> pd.DataFrame:
    """Market × competitor: our 0–100 score, theirs, the gap (ours − theirs) and a paired t test over the
    respondents who rated both; ★ after Holm across the table. Empty without competitor ratings."""
    from udfs.score.survey.distributions import t_two_sided_p

    ours_col = spec.ours_column if spec.ours_column is not None else (spec.overall.column if spec.overall else None)
    if not spec.competitors or ours_col is None:
        return pd.DataFrame()
    ours = _score_0_100(df[ours_col], (1, 5)).to_numpy()
    rows = []
    for name, mask in _markets(df, spec, market_column(spec)):
        for col, rival in spec.competitors:
            theirs = _score_0_100(df[col], (1, 5)).to_numpy()
            both = mask & np.isfinite(ours) & np.isfinite(theirs)
            n = int(both.sum())
            d = ours[both] - theirs[both]
            # paired t test on the differences
            t = d.mean() / (d.std(ddof=1) / np.sqrt(n)) if n >= min_n and d.std() > 0 else np.nan
            p = float(t_two_sided_p(t, n - 1)) if np.isfinite(t) else np.nan
            rows.append({"market": name, "competitor": rival, "n": n, "ours": float(ours[both].mean()) if n else np.nan,
                         "theirs": float(theirs[both].mean()) if n else np.nan,
                         "gap": float(d.mean()) if n else np.nan, "p": p})
    out = pd.DataFrame(rows)
    out["p_holm"] = holm(out["p"])
    out["significant"] = out["p_holm"] < ALPHA
    out["verdict"] = np.select([out["significant"] & (out["gap"] > 0), out["significant"] & (out["gap"] < 0),
                                out["p"].isna()], ["我们更好", "我们更差", "样本不足"], "相当")
    return out


def versus_comparison(df: pd.DataFrame, spec: SurveySpec, min_n: int = MIN_GROUP_SIZE) -> pd.DataFrame:
    """Market × competitor: shares saying better / on par / worse, net (better − worse), and a sign test of
    better against worse (on par left out); ★ after Holm across the table. Empty without such items."""
    if not spec.versus:
        return pd.DataFrame()
    from udfs.score.survey.distributions import binom_two_sided_p
    rows = []
    for name, mask in _markets(df, spec, market_column(spec)):
        for col, rival in spec.versus:
            kind = df[col].map(lambda v: VERSUS_LABELS.get(_simplified(_norm(v))) if v is not None and v == v else None)
            k = kind[mask]
            n = int(k.notna().sum())
            better, par, worse = (int((k == w).sum()) for w in ("better", "par", "worse"))
            p = (binom_two_sided_p(better, better + worse, 0.5)
                 if n >= min_n and better + worse > 0 else np.nan)
            rows.append({"market": name, "competitor": rival, "n": n,
                         "better": better / n if n else np.nan, "par": par / n if n else np.nan,
                         "worse": worse / n if n else np.nan,
                         "net": (better - worse) / n if n else np.nan, "p": p})
    out = pd.DataFrame(rows)
    out["p_holm"] = holm(out["p"])
    out["significant"] = out["p_holm"] < ALPHA
    out["verdict"] = np.select([out["significant"] & (out["net"] > 0), out["significant"] & (out["net"] < 0),
                                out["p"].isna()], ["更好", "更差", "样本不足"], "相当")
    return out
