"""The whole complaint-log job on one table: prepare, figures, follow-up lists, themes, optional register link."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from udfs.text.segment import fold_text, segment
from udfs.text.sentiment import sentiment
from udfs.text.themes import ThemeDictionary, tag_themes

from .figures import breakdown, handler_reopenings, mark_reopenings, monthly_trend, resolution_days, time_stats
from .followup import REPEAT_MIN, REPEAT_WINDOW_DAYS, overdue, repeat_complainers
from .log import PreparedLog, infer_log_roles, prepare_log
from .vocab import TYPES
from .workdays import working_days_between

#: keyword tables of very large logs are cut from this many distinct complaint texts (a random sample)
KEYWORD_SAMPLE = 10000
BREAKDOWNS = (("contact_type", "类型"), ("channel", "渠道"), ("product", "产品"), ("store", "门店"),
              ("region", "区域"), ("handler", "处理人"))


@dataclass
class ComplaintResults:
    prepared: PreparedLog
    contacts: pd.DataFrame                 # prepared frame + reopen flags + 主题 / 情感
    as_of: pd.Timestamp
    headline: dict[str, Any]
    by: dict[str, pd.DataFrame]            # 类型 / 渠道 / 产品 / 门店 / 区域 / 处理人 / 月份 → breakdown
    trend: pd.DataFrame
    times: pd.DataFrame                    # resolution time overall and per type, calendar (and working) days
    reopenings: pd.DataFrame
    overdue: pd.DataFrame
    repeaters: pd.DataFrame
    themes: pd.DataFrame
    keywords: pd.DataFrame
    sla: dict[str, int]
    notes: list[str] = field(default_factory=list)


def analyse_log(df: pd.DataFrame, roles: dict[str, str], *, as_of: Any = None, rows: Any = None,
                sla: dict[str, int] | None = None, working_days: bool = True, repeat_min: int = REPEAT_MIN,
                repeat_window: int = REPEAT_WINDOW_DAYS, dictionary: ThemeDictionary | None = None,
                user_words: tuple[str, ...] = ()) -> ComplaintResults:
    from .followup import DEFAULT_SLA

    day0 = pd.Timestamp(as_of if as_of is not None else pd.Timestamp.today()).normalize()
    roles = infer_log_roles(df, roles)
    prep = prepare_log(df, roles, as_of=day0, rows=rows)
    f = mark_reopenings(prep.frame)
    notes = list(prep.notes)

    days = resolution_days(f)
    work = None
    if working_days:
        work, known = working_days_between(f["at"], f["resolved_ok"])
        work.index = f.index
        if not known:
            notes.append("部分日期超出 chinesecalendar 的节假日年份，这些日子按周一至周五计工作日。")
    times = _times(f, days, work)

    d = dictionary or ThemeDictionary.default()
    folded = fold_text(f["text"])
    tags = tag_themes(folded, d, folded=True)
    senti = sentiment(folded, folded=True)
    f["主题"] = tags["主题"].to_numpy()
    f["情感"] = senti["情感"].to_numpy()
    themes = _theme_table(f, tags, d.themes)
    # the company's product and store names stay one word in the keyword table, as do the dictionary's keywords
    names = tuple(pd.unique(pd.concat([f["product"], f["store"]]).dropna()))[:2000]
    words = tuple(user_words) + names + tuple(k for ks in d.keywords for k in ks if len(k) > 2)
    keywords = _keywords(folded[(f["contact_type"] == "投诉").to_numpy()], words)

    by = {label: breakdown(f, col, label, days) for col, label in BREAKDOWNS if f[col].notna().any()}
    month = f["at"].dt.to_period("M").astype(str).where(f["at"].notna() & (f["at"] <= day0 + pd.Timedelta(days=1)),
                                                        None)
    by["月份"] = breakdown(f.assign(month=month), "month", "月份", days).sort_values("月份").reset_index(drop=True)
    age = None
    if working_days and work is not None:
        age, _ = working_days_between(f["at"], pd.Series(day0, index=f.index))
        age.index = f.index
    limits = dict(DEFAULT_SLA, **(sla or {}))
    late = overdue(f, day0, limits, age)
    repeaters = repeat_complainers(f, f["主题"], repeat_min, repeat_window)
    reopen = handler_reopenings(f) if f["handler"].notna().any() else pd.DataFrame()

    known = f["status"].notna()
    derivable = bool(f["customer"].notna().any() and f["at"].notna().any())
    head = {
        "contacts": int(len(f)), "complaints": int((f["contact_type"] == "投诉").sum()),
        "dated": int(f["at"].notna().sum()), "status_known": int(known.sum()),
        "resolved": int(f["done"].sum()), "open": int(f["open"].sum()),
        "resolution_rate": float(f["done"].sum() / known.sum()) if known.any() else None,
        "first_contact_resolution": (float(f["first_contact_resolved"].sum() / f["done"].sum())
                                     if derivable and f["done"].any() else None),
        "median_days": times.iloc[0]["中位数（天）"] if len(times) else None,
        "overdue": int(len(late)), "repeat_complainers": int(len(repeaters)),
        "handling_satisfaction": float(np.nanmean(f["satisfaction"])) if f["satisfaction"].notna().any() else None,
        "problems": int(len(prep.problems)), "first": f["at"].min(), "last": f["at"].max(),
    }
    in_range = f["at"] <= day0 + pd.Timedelta(days=1)  # future-dated rows are listed as problems, not trended
    return ComplaintResults(prep, f, day0, head, by, monthly_trend(f[in_range], TYPES), times, reopen, late, repeaters, themes,
                            keywords, limits, notes)


def _times(f: pd.DataFrame, days: pd.Series, work: pd.Series | None) -> pd.DataFrame:
    rows = []
    groups = [("全部", np.ones(len(f), dtype=bool))] + [
        (t, (f["contact_type"] == t).to_numpy()) for t in list(TYPES) + sorted(
            set(f["contact_type"].dropna()) - set(TYPES))]
    for name, mask in groups:
        c = time_stats(days[mask])
        if c["n"] == 0 and name != "全部":
            continue
        row = {"类型": name, "已解决（有日期）": c["n"], "中位数（天）": c["median"], "平均（天）": c["mean"],
               "90%分位（天）": c["p90"]}
        if work is not None:
            w = time_stats(work[mask])
            row.update({"工作日中位数": w["median"], "工作日平均": w["mean"], "工作日90%分位": w["p90"]})
        rows.append(row)
    return pd.DataFrame(rows)


def _theme_table(f: pd.DataFrame, tags: pd.DataFrame, themes: tuple[str, ...]) -> pd.DataFrame:
    comp = (f["contact_type"] == "投诉").to_numpy() & f["text"].notna().to_numpy()
    neg = (f["情感"] == "负面").to_numpy()
    open_ = f["open"].to_numpy()
    n = int(comp.sum())
    rows = []
    for t in themes:
        hit = tags[t].to_numpy() & comp
        k = int(hit.sum())
        rows.append({"主题": t, "投诉提及数": k, "占投诉": k / n if n else np.nan,
                     "负面占比": (hit & neg).sum() / k if k else np.nan,
                     "未结占比": (hit & open_).sum() / k if k else np.nan,
                     "全部联系提及数": int(tags[t].sum())})
    return pd.DataFrame(rows).sort_values("投诉提及数", ascending=False, kind="stable").reset_index(drop=True)


def _keywords(folded: pd.Series, user_words: tuple[str, ...], limit: int = 30) -> pd.DataFrame:
    counts = folded.dropna().value_counts()
    if counts.empty:
        return pd.DataFrame(columns=["关键词", "次数"])
    if len(counts) > KEYWORD_SAMPLE:
        counts = counts.sample(KEYWORD_SAMPLE, random_state=0)
    words = segment(pd.Series(counts.index, dtype=object), user_words, folded=True)
    tally: dict[str, int] = {}
    for ws, c in zip(words, counts.to_numpy()):  # once per distinct text, weighted by how often it occurs
        for w in ws:
            tally[w] = tally.get(w, 0) + int(c)
    top = sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return pd.DataFrame({"关键词": [w for w, _ in top], "次数": [c for _, c in top]})
