"""Read the 题目 (items) sheet: code, question text, dimension, weight, importance, scale, labels, reverse coding."""
from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

from udfs.score.survey.textkeys import _norm, _simplified

# ---- the 题目 (items) sheet ---------------------------------------------------------------------

_DEF_HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("题号", "题目编号", "题目代码", "编号", "代码", "编码", "列名", "code", "item"),
    "text": ("题目", "问题", "题干", "内容", "question", "text"),
    "dimension": ("维度", "类别", "分类", "dimension", "block"),
    "weight": ("权重", "weight"),
    "importance": ("重要度", "重要性", "importance"),
    "scale_min": ("最小值", "最低分", "min"),
    "scale_max": ("最大值", "最高分", "max"),
    "labels": ("选项", "标签", "等级", "labels"),
    "reverse": ("反向", "反向计分", "reverse"),
}


def _def_column(header: Any) -> str | None:
    h = _simplified(_norm(header))
    for key, words in _DEF_HEADERS.items():  # an exact header first: 题目编号 is the code, not the 题目 text
        if h in words:
            return key
    for key, words in _DEF_HEADERS.items():
        if any(not w.isascii() and w in h for w in words):
            return key
    return None


def _split_labels(text: Any) -> tuple[str, ...]:
    """'非常不满意|不满意|一般|满意|非常满意' → labels lowest first (a list written best first is turned round)."""
    if text is None or (isinstance(text, float) and math.isnan(text)) or str(text).strip() == "":
        return ()
    parts = [p.strip() for p in re.split(r"[|/、,，;；]", str(text)) if p.strip()]
    if parts and not re.search(r"不|差|低", parts[0]) and re.search(r"不|差|低", parts[-1]):
        parts.reverse()
    return tuple(parts)


def read_items_sheet(items: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """题目 sheet → {code: {text, dimension, weight, importance, scale_min, scale_max, labels, reverse}}.

    Columns (any order, Chinese or English): 题号, 题目, 维度, 权重, 重要度, 最小值, 最大值, 选项, 反向.
    """
    cols = {c: _def_column(c) for c in items.columns}
    out: dict[str, dict[str, Any]] = {}
    for _, row in items.iterrows():  # a 题目 sheet has tens of rows: a loop reads best
        d: dict[str, Any] = {}
        for c, key in cols.items():
            if key is None:
                continue
            v = row[c]
            if v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip()):
                continue
            if key in ("weight", "importance"):
                d[key] = float(v)
            elif key in ("scale_min", "scale_max"):
                d[key] = int(float(v))
            elif key == "labels":
                d[key] = _split_labels(v)
            elif key == "reverse":
                d[key] = _simplified(_norm(v)) in ("是", "y", "yes", "true", "1", "反向", "√", "1.0")
            else:
                d[key] = str(v).strip()
        code = d.pop("code", None) or d.get("text")
        if code:
            out[str(code)] = d
    return out


def _lookup_def(col: Any, defs: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The 题目 row for an answer column: same code, header starting with the code, or same question text."""
    if not defs:
        return None
    h = _norm(col)
    for code, d in defs.items():
        c = _norm(code)
        if h == c or (h.startswith(c) and not h[len(c):len(c) + 1].isdigit()) or (d.get("text") and _norm(d["text"]) == h):
            return {**d, "code": code}
    return None
