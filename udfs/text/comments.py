"""Open-ended answers analysed together: themes, sentiment, satisfaction of those who raised each theme,
the themes of the least vs most satisfied 20 %, representative comments and a keyword table."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

import numpy as np
import pandas as pd

from .segment import fold_text, segment
from .sentiment import sentiment
from .themes import ThemeDictionary, tag_themes
from .welch import welch_p

REPRESENTATIVES = 3
KEYWORDS = 30


@dataclass
class CommentAnalysis:
    per_comment: pd.DataFrame        # one row per input row: 意见, 主题, 情感, 情感分 (+ a bool column per theme)
    themes: pd.DataFrame             # one row per theme: counts, shares, satisfaction with / without, p value
    extremes: pd.DataFrame           # theme share among the least / most satisfied 20 %
    representatives: pd.DataFrame    # 主题, 排名, 意见, 情感
    keywords: pd.DataFrame           # 关键词, 次数, 评论数
    dictionary: ThemeDictionary
    answered: int = 0
    notes: list[str] = field(default_factory=list)


def analyse_comments(comments: Any, satisfaction: Any = None, extremes: Any = None, *,
                     dictionary: ThemeDictionary | None = None, user_words: Iterable[str] = (),
                     keyword_limit: int = KEYWORDS) -> CommentAnalysis:
    """`comments` one cell per respondent; `satisfaction` their 0–100 (or Likert) score; `extremes` the survey's
    最满意 / 最不满意 flags. Blank comments count as 'did not raise the theme' for the satisfaction comparison."""
    d = dictionary or ThemeDictionary.default()
    raw = pd.Series(np.asarray(comments, dtype=object)).where(lambda s: s.notna(), None)
    folded = fold_text(raw)
    folded = folded.where(~folded.isin(_NOTHING), None)  # 无 / 没有 / 暂无 are not comments
    flags = tag_themes(folded, d, folded=True)
    senti = sentiment(folded, folded=True)
    words = segment(folded, user_words, folded=True)
    has = folded.notna().to_numpy()
    per = pd.DataFrame({"意见": raw.where(has, None), "主题": flags["主题"], "情感": senti["情感"],
                        "情感分": senti["情感分"]})
    for t in d.themes:
        per[t] = flags[t].to_numpy()
    sat = None if satisfaction is None else pd.Series(np.asarray(satisfaction, dtype=float))
    themes = _theme_table(per, d.themes, has, sat)
    ext = _extremes(per, d.themes, extremes)
    reps = _representatives(per, words, d.themes)
    keys = _keywords(words[has], keyword_limit)
    return CommentAnalysis(per, themes, ext, reps, keys, d, answered=int(has.sum()))


_NOTHING = {"无", "没有", "暂无", "没", "无意见", "没有意见", "无建议", "没有建议", "暂时没有", "/", "-", "--", "—", "n/a",
            "na", "none", "nil", "no", "nothing", "好", "ok", "没什么", "没有了", "无。", "沒有"}


def _theme_table(per: pd.DataFrame, themes: tuple[str, ...], has: np.ndarray, sat: pd.Series | None) -> pd.DataFrame:
    n = int(has.sum())
    neg = (per["情感"] == "负面").to_numpy()
    rows = []
    for t in themes:
        hit = per[t].to_numpy(dtype=bool)
        k = int(hit.sum())
        row = {"主题": t, "提及数": k, "占比": k / n if n else np.nan,
               "负面占比": (neg & hit).sum() / k if k else np.nan}
        if sat is not None:
            s = sat.to_numpy()
            row["提及者满意度"] = np.nanmean(s[hit]) if np.isfinite(s[hit]).any() else np.nan
            row["未提及者满意度"] = np.nanmean(s[~hit]) if np.isfinite(s[~hit]).any() else np.nan
            row["差异"] = row["提及者满意度"] - row["未提及者满意度"]
            row["p值"] = welch_p(s[hit], s[~hit])
            row["显著"] = "是" if row["p值"] < 0.05 else ("否" if np.isfinite(row["p值"]) else None)
        rows.append(row)
    out = pd.DataFrame(rows)
    return out.sort_values(["提及数", "主题"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _extremes(per: pd.DataFrame, themes: tuple[str, ...], flags: Any) -> pd.DataFrame:
    cols = ["主题", "最不满意20%", "最满意20%", "差距"]
    if flags is None:
        return pd.DataFrame(columns=cols)
    f = pd.Series(np.asarray(flags, dtype=object))
    low, high = (f == "最不满意").to_numpy(), (f == "最满意").to_numpy()
    rows = []
    for t in themes:
        hit = per[t].to_numpy(dtype=bool)
        a = hit[low].mean() if low.any() else np.nan
        b = hit[high].mean() if high.any() else np.nan
        rows.append({"主题": t, "最不满意20%": a, "最满意20%": b, "差距": a - b})
    return pd.DataFrame(rows, columns=cols).sort_values("差距", ascending=False, kind="stable").reset_index(drop=True)


def _representatives(per: pd.DataFrame, words: pd.Series, themes: tuple[str, ...]) -> pd.DataFrame:
    """Per theme, the comments closest to the theme's word centroid (cosine of word-count vectors).

    Typical beats first: a comment that uses the words most comments on the theme use. Ties go to the
    comment shared by more respondents, then the shorter one.
    """
    rows = []
    for t in themes:
        hit = per[t].to_numpy(dtype=bool) & per["意见"].notna().to_numpy()
        if not hit.any():
            continue
        texts = per.loc[hit, "意见"].astype(str)
        counts = texts.value_counts(sort=False)
        first = ~texts.duplicated()
        docs = [Counter(w) for w in words[hit][first.to_numpy()]]
        uniq = texts[first].tolist()
        centroid: Counter = Counter()
        for doc, text in zip(docs, uniq):
            norm = np.sqrt(sum(v * v for v in doc.values())) or 1.0
            for w, v in doc.items():
                centroid[w] += counts[text] * v / norm
        c_norm = np.sqrt(sum(v * v for v in centroid.values())) or 1.0
        scored = []
        for doc, text in zip(docs, uniq):
            norm = np.sqrt(sum(v * v for v in doc.values())) or 1.0
            cos = sum(v * centroid[w] for w, v in doc.items()) / (norm * c_norm)
            scored.append((-cos, -counts[text], len(text), text))
        for rank, (_c, _n, _l, text) in enumerate(sorted(scored)[:REPRESENTATIVES], start=1):
            label = per.loc[hit, "情感"][texts == text].iloc[0]
            rows.append({"主题": t, "排名": rank, "意见": text, "情感": label})
    return pd.DataFrame(rows, columns=["主题", "排名", "意见", "情感"])


def _keywords(words: pd.Series, limit: int) -> pd.DataFrame:
    total: Counter = Counter()
    docs: Counter = Counter()
    for ws in words:  # Counter over word lists: the lists are short and already per distinct text
        total.update(ws)
        docs.update(set(ws))
    top = sorted(total.items(), key=lambda kv: (-kv[1], -docs[kv[0]], kv[0]))[:limit]
    return pd.DataFrame({"关键词": [w for w, _ in top], "次数": [c for _, c in top],
                         "评论数": [docs[w] for w, _ in top]})
