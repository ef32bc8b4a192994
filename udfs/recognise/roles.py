"""Map a table's columns to roles (mobile, name, …) from header text, then content, then the user's overrides."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from udfs.zhconv_loader import convert

from .aliases import ROLE_SETS, role_label
from .content import infer_role_scored, looks_like_company, phone_kind
from .content_roles import date_roles

_PUNCT = re.compile(r"[\s\u3000:：()（）\[\]【】<>《》*＊#_\-—/\\|,，.。、?？!！'\"“”‘’]+")
# Roles a table normally has once; a second column claiming one is probably something else.
_SINGLE = {"customer_id", "name", "gender", "company", "uscc", "id_number", "respondent", "group", "recommend",
           "overall", "duration", "order_date", "amount", "order_id", "cost", "margin", "order_type",
           "contact_id", "contacted_at", "channel", "contact_type", "store", "handler", "resolved_at",
           "handling_satisfaction"}
_PHONE_ROLES = {"mobile", "landline", "phone"}
_HOW = {"header": "表头", "keyword": "表头关键词", "content": "内容", "user": "用户指定", "kehu": "kehu 结果列"}
# Columns kehu itself added on an earlier run (or a template's formula columns): never inputs again.
_KEHU_OUTPUT = re.compile(r"^fx\s|\((规范|日期|数值|整数|18位|称呼|币种)\)$|^(问题|重复组|重复标记|相似度|匹配依据|问卷有效性|主档状态|主档行)$")


@dataclass(frozen=True)
class ColumnRole:
    column: str
    role: str | None
    how: str | None          # header | keyword | content | user
    label: str               # Chinese label of the role, "未识别" when unknown
    confidence: float | None = None  # for roles told by content: share of sampled values that fit

    @property
    def how_zh(self) -> str:
        return _HOW.get(self.how or "", "")


@lru_cache(maxsize=4096)
def fold_header(text: str) -> str:
    """Header → lookup form: NFKC, simplified, lower-case, no spaces or punctuation."""
    t = unicodedata.normalize("NFKC", str(text))
    t = convert(t, "zh-hans")
    return _PUNCT.sub("", t).lower()


@lru_cache(maxsize=8)
def _alias_index(kind: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    exact: dict[str, str] = {}
    keywords: list[tuple[str, str]] = []
    for role, (_label, aliases, keys) in ROLE_SETS[kind].items():
        for a in aliases:
            exact.setdefault(fold_header(a), role)
        for k in keys:
            keywords.append((fold_header(k), role))
    keywords.sort(key=lambda kr: -len(kr[0]))  # longest keyword first: 最近购买 before 购买
    return exact, keywords


def role_from_header(header: str, kind: str = "register") -> tuple[str | None, str | None]:
    """(role, how) from header text alone."""
    folded = fold_header(header)
    if not folded:
        return None, None
    exact, keywords = _alias_index(kind)
    if folded in exact:
        return exact[folded], "header"
    folded_no_digits = re.sub(r"\d+$", "", folded)  # 电话1, 电话2
    if folded_no_digits in exact:
        return exact[folded_no_digits], "header"
    for key, role in keywords:
        if key and key in folded:
            return role, "keyword"
    return None, None


def known_roles(kind: str = "register") -> list[str]:
    return list(ROLE_SETS[kind])


def parse_role(text: str, kind: str = "register") -> str | None:
    """A role given by a user: its code (mobile) or its Chinese label (手机)."""
    t = text.strip()
    extra = {"item"} if kind == "survey" else set()
    if t in ROLE_SETS[kind] or t in extra or t == "ignore":
        return t
    for role, (label, _a, _k) in ROLE_SETS[kind].items():
        if fold_header(label) == fold_header(t):
            return role
    if t in ("忽略", "无", "-"):
        return "ignore"
    return None


def recognise(df: pd.DataFrame, kind: str = "register", overrides: dict[str, str] | None = None) -> list[ColumnRole]:
    """One ColumnRole per column, in column order."""
    if kind not in ROLE_SETS:
        raise ValueError(f"unknown table kind {kind!r}")
    overrides = dict(overrides or {})
    found: list[tuple[str, str | None, str | None]] = []
    confidence: dict[str, float] = {}
    for col in df.columns:
        if col in overrides:
            role = overrides[col]
            found.append((col, None if role == "ignore" else role, "user"))
            continue
        if _KEHU_OUTPUT.search(str(col)):
            found.append((col, None, "kehu"))
            continue
        role, how = role_from_header(str(col), kind)
        values = df[col]
        if role in _PHONE_ROLES:
            # 联系电话 may hold mobiles, landlines or both: the values decide
            by_content = phone_kind(values)
            if by_content and by_content != role and not (role == "phone" and by_content == "phone"):
                role, how = by_content, "content"
        elif role == "name" and looks_like_company(values):
            role, how = "company", "content"
        if role is None:
            role, confidence[col] = infer_role_scored(values, kind)
            how = "content" if role else None
        found.append((col, role, how))
    dated = date_roles({c: df[c].head(2000).tolist() for c, r, _h in found if r == "date"})
    found = [(c, dated.get(c) if r == "date" else r, h) for c, r, h in found]
    found = _settle_duplicates(found, kind)
    return [ColumnRole(c, r, h if (r or h in ("user", "kehu")) else None,
                       role_label(r) if r else {"user": "忽略", "kehu": "kehu 结果"}.get(h, "未识别"),
                       confidence.get(c) if h == "content" and r else None)
            for c, r, h in found]


def _settle_duplicates(found, kind):
    """Keep a single-valued role on its best column (user > header > keyword > content)."""
    rank = {"user": 0, "header": 1, "keyword": 2, "content": 3}
    out = list(found)
    for role in _SINGLE:
        idx = [i for i, (_c, r, _h) in enumerate(out) if r == role]
        if len(idx) < 2:
            continue
        best = min(idx, key=lambda i: (rank.get(out[i][2], 9), i))
        for i in idx:
            if i != best and out[i][2] != "user":
                col = out[i][0]
                # a second 客户名称-style column next to a 联系人 column names the company
                alt = "company" if role == "name" and kind == "register" and not any(
                    r == "company" for _c, r, _h in out) else None
                out[i] = (col, alt, "keyword" if alt else None)
    return out


def recognise_columns(df: pd.DataFrame, kind: str = "register", overrides: dict[str, str] | None = None
                      ) -> dict[str, str]:
    """column → role for every recognised column (unknown columns are left out)."""
    return {c.column: c.role for c in recognise(df, kind, overrides) if c.role}
