"""Named RFM segments: score rules (editable, defaults in default_rules.csv) → one segment per customer.

A rules table has one row per box of scores: 细分 (Chinese name), Segment (English name),
R最低/R最高, F最低/F最高, M最低/M最高 (inclusive), optionally 客户类型 (the customer type the
segment leads to), 重点挽回 (是 = high-value customer at risk) and 说明 (what to do). A segment may
take several rows. The boxes must cover every one of the 5×5×5 = 125 score combinations exactly
once; `check_rules` says which combinations are missing or doubled.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from udfs.errors import InputProblem

from ._values import to_amounts

DEFAULT_RULES_PATH = Path(__file__).with_name("default_rules.csv")
RULES_SHEET = "细分规则"
TYPES = ("忠诚客户", "潜在客户", "边缘客户", "流失客户")

# Header spellings a user's rules sheet may use → our column names.
_HEADERS = {
    "细分": "细分", "细分名称": "细分", "客户细分": "细分", "segment_zh": "细分", "中文名": "细分",
    "segment": "Segment", "英文名": "Segment", "english": "Segment",
    "r最低": "R最低", "rmin": "R最低", "r_min": "R最低", "recency_lower": "R最低", "r从": "R最低",
    "r最高": "R最高", "rmax": "R最高", "r_max": "R最高", "recency_upper": "R最高", "r到": "R最高",
    "f最低": "F最低", "fmin": "F最低", "f_min": "F最低", "frequency_lower": "F最低", "f从": "F最低",
    "f最高": "F最高", "fmax": "F最高", "f_max": "F最高", "frequency_upper": "F最高", "f到": "F最高",
    "m最低": "M最低", "mmin": "M最低", "m_min": "M最低", "monetary_lower": "M最低", "m从": "M最低",
    "m最高": "M最高", "mmax": "M最高", "m_max": "M最高", "monetary_upper": "M最高", "m到": "M最高",
    "客户类型": "客户类型", "type": "客户类型", "customer_type": "客户类型",
    "重点挽回": "重点挽回", "高价值流失风险": "重点挽回", "at_risk": "重点挽回",
    "说明": "说明", "建议": "说明", "description": "说明", "action": "说明",
}
_BOUNDS = ("R最低", "R最高", "F最低", "F最高", "M最低", "M最高")
_YES = {"是", "y", "yes", "true", "1", "√", "✓", "x"}


@dataclass(frozen=True)
class SegmentRules:
    """Validated rules: the table as given, and a 125-cell lookup from scores to a segment number."""
    table: pd.DataFrame          # one row per box, columns 细分, Segment, bounds, 客户类型, 重点挽回, 说明
    segments: pd.DataFrame       # one row per segment, in rules order: 细分, Segment, 客户类型, 重点挽回, 说明
    lookup: np.ndarray           # lookup[(R-1)*25 + (F-1)*5 + (M-1)] = row in `segments`

    def names(self) -> list[str]:
        return self.segments["细分"].tolist()


def default_rules() -> SegmentRules:
    """The eleven commonly used segments shipped with kehu."""
    return rules_from_table(pd.read_csv(DEFAULT_RULES_PATH, dtype=str, keep_default_na=False))


def load_rules(source: Any = None) -> SegmentRules:
    """Rules from None (the defaults), a DataFrame, a .csv file or a workbook (sheet 细分规则, else the first)."""
    if source is None:
        return default_rules()
    if isinstance(source, SegmentRules):
        return source
    if isinstance(source, pd.DataFrame):
        return rules_from_table(source)
    path = Path(source)
    if not path.exists():
        raise InputProblem(f"找不到细分规则文件：{path}", f"Segment rules file not found: {path}", missing_file=True)
    if path.suffix.lower() in (".csv", ".txt"):
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    else:
        sheets = pd.read_excel(path, sheet_name=None, dtype=str, engine="calamine")
        table = sheets.get(RULES_SHEET, next(iter(sheets.values())))
    return rules_from_table(table)


def rules_from_table(table: pd.DataFrame) -> SegmentRules:
    """Check a rules table (header spellings are forgiving) and build the score lookup."""
    t = table.rename(columns=lambda c: _HEADERS.get(str(c).strip().lower().replace(" ", ""), str(c).strip()))
    missing = [c for c in _BOUNDS if c not in t.columns]
    if "细分" not in t.columns and "Segment" not in t.columns:
        missing.insert(0, "细分")
    if missing:
        raise InputProblem("细分规则缺少列：" + "、".join(missing),
                        "Segment rules lack column(s): " + ", ".join(missing))
    t = t.copy()
    t = t[~t[list(_BOUNDS)].apply(lambda c: c.astype(str).str.strip().isin(["", "nan", "None"])).all(axis=1)]
    if "细分" not in t.columns:
        t["细分"] = t["Segment"]
    if "Segment" not in t.columns:
        t["Segment"] = t["细分"]
    for col, default in (("客户类型", None), ("重点挽回", ""), ("说明", "")):
        if col not in t.columns:
            t[col] = default
    bounds = t[list(_BOUNDS)].apply(pd.to_numeric, errors="coerce")
    bad = bounds.isna().any(axis=1) | (bounds < 1).any(axis=1) | (bounds > 5).any(axis=1)
    bad |= (bounds["R最低"] > bounds["R最高"]) | (bounds["F最低"] > bounds["F最高"]) | (bounds["M最低"] > bounds["M最高"])
    if bad.any():
        rows = ", ".join(str(i + 2) for i in np.flatnonzero(bad.to_numpy()))
        raise InputProblem(f"细分规则第 {rows} 行的分数范围不对（应为 1–5 的整数，最低 ≤ 最高）",
                        f"Segment rules row(s) {rows}: score bounds must be whole numbers 1–5, lower ≤ upper")
    t[list(_BOUNDS)] = bounds.astype(int)
    t["细分"] = t["细分"].astype(str).str.strip()
    t["Segment"] = t["Segment"].astype(str).str.strip()
    segs = t.drop_duplicates("细分")[["细分", "Segment", "客户类型", "重点挽回", "说明"]].reset_index(drop=True)
    segs["客户类型"] = [_type_for(zh, en, given) for zh, en, given in
                      segs[["细分", "Segment", "客户类型"]].itertuples(index=False)]
    segs["重点挽回"] = segs["重点挽回"].astype(str).str.strip().str.lower().isin(_YES)
    seg_no = {name: i for i, name in enumerate(segs["细分"])}
    hits = np.zeros(125, dtype=int)
    lookup = np.full(125, -1, dtype=int)
    # A loop over rule rows (a dozen or so), not over customers.
    for row in t.itertuples(index=False):
        r0, r1, f0, f1, m0, m1 = (getattr(row, c) for c in _BOUNDS)
        cells = _cells(r0, r1, f0, f1, m0, m1)
        hits[cells] += 1
        lookup[cells] = seg_no[row.细分]
    problems = check_lookup(hits)
    if problems:
        raise InputProblem("细分规则没有把 125 种 RFM 组合各覆盖一次：" + problems,
                        "Segment rules must cover each of the 125 RFM combinations exactly once: " + problems)
    return SegmentRules(t.reset_index(drop=True), segs, lookup)


def _cells(r0: int, r1: int, f0: int, f1: int, m0: int, m1: int) -> np.ndarray:
    r, f, m = np.meshgrid(np.arange(r0, r1 + 1), np.arange(f0, f1 + 1), np.arange(m0, m1 + 1), indexing="ij")
    return ((r - 1) * 25 + (f - 1) * 5 + (m - 1)).ravel()


def check_lookup(hits: np.ndarray) -> str:
    """'' when every combination is hit once; otherwise the missing and doubled RFM codes."""
    def codes(idx: np.ndarray) -> str:
        shown = [f"{i // 25 + 1}{i // 5 % 5 + 1}{i % 5 + 1}" for i in idx[:10]]
        return ", ".join(shown) + (" …" if len(idx) > 10 else "")
    parts = []
    if (hits == 0).any():
        parts.append(f"缺少 missing {codes(np.flatnonzero(hits == 0))}")
    if (hits > 1).any():
        parts.append(f"重复 doubled {codes(np.flatnonzero(hits > 1))}")
    return "; ".join(parts)


def _type_for(zh: str, en: str, given: Any) -> str:
    text = str(given).strip() if given is not None else ""
    if text in TYPES:
        return text
    default = _DEFAULT_TYPES.get(en) or _DEFAULT_TYPES.get(zh)
    return default or "边缘客户"


# DOMAIN §3 / issue 6: Champions and Loyal → 忠诚; Potential Loyalist, New, Promising → 潜在; the rest → 边缘.
_DEFAULT_TYPES = {
    "Champions": "忠诚客户", "Loyal Customers": "忠诚客户",
    "Potential Loyalist": "潜在客户", "New Customers": "潜在客户", "Promising": "潜在客户",
}


def assign_segments(r: Any, f: Any, m: Any, rules: Any = None) -> pd.DataFrame:
    """R, F, M scores (1–5) → DataFrame 细分, Segment; None where a score is missing or out of range."""
    rules = load_rules(rules)
    rr, ff, mm = (to_amounts(v).to_numpy(dtype="float64", na_value=np.nan) for v in (r, f, m))
    ok = np.isin(rr, np.arange(1, 6)) & np.isin(ff, np.arange(1, 6)) & np.isin(mm, np.arange(1, 6))
    cell = np.where(ok, (np.nan_to_num(rr) - 1) * 25 + (np.nan_to_num(ff) - 1) * 5 + (np.nan_to_num(mm) - 1), 0)
    seg = np.where(ok, rules.lookup[cell.astype(int)], -1)
    zh = np.append(rules.segments["细分"].to_numpy(dtype=object), None)
    en = np.append(rules.segments["Segment"].to_numpy(dtype=object), None)
    return pd.DataFrame({"细分": zh[seg], "Segment": en[seg]})
