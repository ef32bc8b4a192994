"""Log figures: counts and shares by a column, the monthly trend, resolution rate and time, reopenings."""
from __future__ import annotations

import numpy as np
import pandas as pd

#: a contact from the same customer this soon after a case was closed means the case came back
REOPEN_DAYS = 7


def resolution_days(f: pd.DataFrame) -> pd.Series:
    """Calendar days from contact to resolution (fractional when times are given), for resolved cases."""
    return (f["resolved_ok"] - f["at"]).dt.total_seconds() / 86400.0


def time_stats(days: pd.Series) -> dict[str, float]:
    d = days.dropna()
    if d.empty:
        return {"n": 0, "median": np.nan, "mean": np.nan, "p90": np.nan}
    return {"n": int(len(d)), "median": float(d.median()), "mean": float(d.mean()), "p90": float(d.quantile(0.9))}


def mark_reopenings(f: pd.DataFrame) -> pd.DataFrame:
    """Add `came_back` (a closed case whose customer contacted again within REOPEN_DAYS, follow-up calls
    aside), `reopened_any` (that, or a 重新打开 status) and `first_contact_resolved`."""
    f = f.copy()
    usable = f["customer"].notna() & f["at"].notna() & (f["contact_type"] != "回访")
    part = f.loc[usable, ["customer", "at"]].sort_values(["customer", "at"], kind="stable")
    nxt = part.groupby("customer", sort=False)["at"].shift(-1)
    end = f.loc[part.index, "resolved_ok"].fillna(f.loc[part.index, "at"])
    back = pd.Series(False, index=f.index)
    back[part.index] = (nxt.notna() & (nxt <= end + pd.Timedelta(days=REOPEN_DAYS))).to_numpy()
    f["came_back"] = back & f["done"]
    f["reopened_any"] = f["came_back"] | f["reopened"]
    f["first_contact_resolved"] = f["done"] & ~f["reopened_any"]
    return f


def breakdown(f: pd.DataFrame, by: str, label: str, days: pd.Series | None = None) -> pd.DataFrame:
    """One row per value of `by`: contacts, share, complaints, resolved, resolution rate, median days, satisfaction."""
    key = f[by].astype(object).where(f[by].notna(), "（空白）")
    known = f["status"].notna()
    g = pd.DataFrame({"k": key, "one": 1, "complaint": f["contact_type"] == "投诉", "done": f["done"],
                      "known": known, "open": f["open"], "sat": f["satisfaction"],
                      "days": days if days is not None else resolution_days(f)})
    agg = g.groupby("k", sort=False).agg(联系数=("one", "sum"), 投诉数=("complaint", "sum"), 已结=("done", "sum"),
                                         状态已知=("known", "sum"), 未结=("open", "sum"),
                                         处理天数中位数=("days", "median"), 处理满意度=("sat", "mean"))
    agg["占比"] = agg["联系数"] / len(f) if len(f) else np.nan
    agg["解决率"] = agg["已结"] / agg["状态已知"].where(agg["状态已知"] > 0)
    agg = agg.reset_index().rename(columns={"k": label})
    cols = [label, "联系数", "占比", "投诉数", "已结", "未结", "解决率", "处理天数中位数", "处理满意度"]
    return agg[cols].sort_values(["联系数", label], ascending=[False, True], kind="stable").reset_index(drop=True)


def monthly_trend(f: pd.DataFrame, types: tuple[str, ...]) -> pd.DataFrame:
    """Month × contact type counts (dated contacts only), months in order, the standard types first."""
    dated = f[f["at"].notna()]
    if dated.empty:
        return pd.DataFrame(columns=["月份"])
    month = dated["at"].dt.to_period("M").astype(str)
    kind = dated["contact_type"].astype(object).where(dated["contact_type"].notna(), "（空白）")
    t = pd.crosstab(month, kind)
    order = [c for c in types if c in t.columns] + sorted(c for c in t.columns if c not in types)
    t = t[order]
    t["合计"] = t.sum(axis=1)
    return t.reset_index().rename(columns={"row_0": "月份", "at": "月份"}).rename_axis(None, axis=1)


def handler_reopenings(f: pd.DataFrame) -> pd.DataFrame:
    """Per handler: cases closed at least once, cases that came back (or carry a 重新打开 status), and the rate."""
    h = f["handler"].astype(object).where(f["handler"].notna(), "（空白）")
    g = pd.DataFrame({"处理人": h, "closed": f["done"] | f["reopened"], "re": f["reopened_any"]})
    agg = g.groupby("处理人", sort=False).agg(曾结案=("closed", "sum"), 重开=("re", "sum")).reset_index()
    agg["重开率"] = agg["重开"] / agg["曾结案"].where(agg["曾结案"] > 0)
    return agg.sort_values(["重开率", "重开"], ascending=False, kind="stable").reset_index(drop=True)
