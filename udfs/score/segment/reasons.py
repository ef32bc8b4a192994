"""Plain-language reasons: which R, F and M made a customer's segment, and how the scores were cut.

A user reads 分类原因 to see *why* (「最近 12 天前购买（R=5），共 8 次（F=5），金额 ¥3,200（M=4）」), not the
segment name a second time; the method note says in words which days, counts and amounts earn which score.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from .rfm import RfmMethod

_RISK_ZH, _RISK_EN = "，高价值客户有流失风险", ", a high-value customer at risk"


def _money(x: float) -> str:
    return f"¥{x:,.0f}"


def _texts(values: np.ndarray, fmt) -> list[str]:
    """Each value as text, formatted once per distinct value (registers repeat days, counts and scores)."""
    codes, uniques = pd.factorize(pd.Series(values), sort=False)
    text = np.array([fmt(u) for u in uniques] + [""], dtype=object)
    return text[codes].tolist()


def rfm_reasons(days: Any, count: Any, spend: Any, r: Any, f: Any, m: Any, *, at_risk: Any = None,
                lang: str = "zh") -> pd.Series:
    """Per customer: the recency, count and spend that earned R, F and M, in words (None where unscored).

    `at_risk`: True for the customers of segments the rules mark as high-value at risk; the reason says so.
    """
    d, c, s = (np.nan_to_num(np.asarray(x, dtype="float64")) for x in (days, count, spend))
    scores = [np.asarray(x, dtype="float64") for x in (r, f, m)]
    scored = ~(np.isnan(scores[0]) | np.isnan(scores[1]) | np.isnan(scores[2]))
    whole = lambda v: f"{v:,.0f}"  # noqa: E731
    rs, fs, ms = (_texts(np.nan_to_num(x), lambda v: str(int(v))) for x in scores)
    dt, ct, st = _texts(d, whole), _texts(c, whole), _texts(np.round(s), _money)   # shown to the yuan
    risky = np.zeros(len(d), dtype=bool) if at_risk is None else np.asarray(at_risk, dtype=bool)
    tail = np.where(risky, _RISK_EN if lang == "en" else _RISK_ZH, "").tolist()
    if lang == "en":
        text = [f"last purchase {a} days ago (R={x}), {b} purchases (F={y}), spend {e} (M={z}){t}"
                for a, x, b, y, e, z, t in zip(dt, rs, ct, fs, st, ms, tail)]
    else:
        text = [f"最近 {a} 天前购买（R={x}），共 {b} 次（F={y}），金额 {e}（M={z}）{t}"
                for a, x, b, y, e, z, t in zip(dt, rs, ct, fs, st, ms, tail)]
    out = np.array(text, dtype=object)
    out[~scored] = None
    return pd.Series(out, dtype=object)


def _ranges(cuts: tuple[float, ...], closed: str, whole: bool) -> list[tuple[float | None, float | None]]:
    """The value range of each score box, lowest box first: (from, to) with None for open ends.

    Whole values (days, counts) are shown as whole-number ranges; a value equal to a cut belongs to the
    higher box when closed == "left" (the R rfm package's rule), to the lower box otherwise."""
    edges = [-math.inf, *cuts, math.inf]
    out = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        if whole:
            first = (math.ceil(lo) if closed == "left" else math.floor(lo) + 1) if lo != -math.inf else None
            last = (math.ceil(hi) - 1 if closed == "left" else math.floor(hi)) if hi != math.inf else None
        else:
            first, last = (None if lo == -math.inf else lo), (None if hi == math.inf else hi)
        out.append((first, last))
    return out


def _box(first: float | None, last: float | None, unit: str, whole: bool, lang: str) -> str:
    """One score box in words: 「不到 148 天」「148–252 天」「37 次及以上」 (whole values), or amounts from–to."""
    num = (lambda x: f"{x:,.0f}") if whole else _money  # noqa: E731
    unit = unit if whole else ""
    if first is None:
        bound = num(last + 1 if whole else last)
        return f"under {bound}{unit}" if lang == "en" else f"不到 {bound}{unit}"
    if last is None:
        return f"{num(first)}{unit} or more" if lang == "en" else f"{num(first)}{unit}及以上"
    if whole and first >= last:
        return f"{num(first)}{unit}"
    return f"{num(first)}–{num(last)}{unit}"


def plain_method_note(method: RfmMethod, lang: str = "zh") -> str:
    """The scoring rule in words: which days, counts and amounts earn which score (no interval notation)."""
    closed = "left" if method.method in ("rfm", "custom") else "right"
    parts = []
    names = {"R": ("最近一次购买", "days since the last purchase", " 天", " days"),
             "F": ("购买次数", "purchases", " 次", ""),
             "M": ("累计金额", "total spend", "", "")}
    for key in ("R", "F", "M"):
        cuts = tuple(method.breaks.get(key, ()))
        if not cuts or any(np.isnan(cuts)):
            continue
        zh_name, en_name, zh_unit, en_unit = names[key]
        whole = key != "M"
        boxes = _ranges(cuts, closed, whole)
        scores = list(range(len(boxes), 0, -1)) if key == "R" else list(range(1, len(boxes) + 1))
        said = [(sc, _box(a, b, en_unit if lang == "en" else zh_unit, whole, lang)) for sc, (a, b) in zip(scores, boxes)]
        said.sort(key=lambda t: -t[0])
        if lang == "en":
            parts.append(f"{key} ({en_name}): " + ", ".join(f"{sc} = {t}" for sc, t in said))
        else:
            parts.append(f"{key}（{zh_name}）" + "，".join(f"{sc} 分 {t}" for sc, t in said))
    source = {"rfm": ("每项按购买过的客户五等分（与 R 语言 rfm 包的算法相同）", "each split into five equal groups of "
                      "buyers (as the R package rfm does)"),
              "quantile": ("每项按购买过的客户五等分", "each split into five equal groups of buyers")}
    zh_how, en_how = source.get(method.method, ("按给定的分界值", "at the given cut points"))
    if lang == "en":
        return f"RFM scores 1–{method.bins}, {en_how}; a more recent purchase gives a higher R. " + "; ".join(parts) + "."
    return f"RFM 评分 1–{method.bins} 分，{zh_how}；最近买过的 R 分高。" + "；".join(parts) + "。"
