"""The 意见分析 part of the survey job: find the free-text columns, analyse them, and hand back the sheets."""
from __future__ import annotations

import re
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from udfs.recognise import fold_header

#: header words of an open question (folded: simplified, lower-case)
COMMENT_HEADERS = ("意见", "建议", "评论", "其他", "其它", "备注", "留言", "看法", "想法", "说明", "comment", "feedback",
                   "suggest", "remark", "note", "opinion")
#: long varied text that is not an answer
_NOT_COMMENTS = ("地址", "address", "邮箱", "email", "电话", "手机", "phone", "公司", "company", "单位", "姓名", "name")
_TEXT = re.compile(r"[\u4e00-\u9fffA-Za-z]")


def _looks_like_free_text(values: pd.Series) -> bool:
    """Long, varied text: most filled cells are words, averaging ≥ 6 characters, with many different answers."""
    v = values.dropna().head(2000)
    v = v[v.map(lambda x: isinstance(x, str) and bool(_TEXT.search(x)))]
    if len(v) < 5 or len(v) < 0.3 * values.notna().sum():
        return False
    return v.str.len().mean() >= 6 and v.nunique() >= min(20, 0.3 * len(v))


def find_comment_columns(table: Any) -> list[str]:
    """Free-text columns of a survey: recognised as comments, named like an open question, or long varied text."""
    roles = table.roles
    found = []
    for col in table.df.columns:
        role, head = roles.get(col), fold_header(str(col))
        if role == "comments":
            found.append(col)
        elif role is None and not any(k in head for k in _NOT_COMMENTS):
            named = any(k in head for k in COMMENT_HEADERS) and table.df[col].map(lambda x: isinstance(x, str)).any()
            if named or _looks_like_free_text(table.df[col]):
                found.append(col)
    return found


def comment_sheets(table: Any, res: Any, inputs: Any = None, themes: Any = None) -> tuple[list, dict | None]:
    """(sheets to add, summary) for the survey's free-text columns; ([], None) when there are none."""
    from addin.report.comments_sheet import DETAIL_SHEET, SHEET_NAME, build_comments_sheet
    from addin.write import BuiltSheet, TableSheet
    from udfs.text.comments import analyse_comments

    from .complaints import THEMES_SHEET, load_themes

    cols = find_comment_columns(table)
    if not cols:
        return [], None
    valid = res.quality["valid"].to_numpy()
    idx = table.df.index[valid]
    part = table.df.loc[idx, cols]
    joined = part.apply(lambda r: "；".join(str(v).strip() for v in r if isinstance(v, str) and v.strip()) or None,
                        axis=1) if len(cols) > 1 else part[cols[0]]
    dictionary, note = load_themes(themes, inputs, table.book_sheets)
    sat = pd.Series(np.asarray(res.composite, dtype=float), index=idx)
    flags = pd.Series(np.asarray(res.extreme_flags, dtype=object), index=idx)
    # store / branch names (the survey's group columns) stay one word in the keyword table
    groups = [c for c, r in table.roles.items() if r == "group"]
    names = [str(v) for c in groups for v in pd.unique(table.df[c].dropna())][:2000]
    ca = analyse_comments(joined.to_numpy(dtype=object), sat.to_numpy(), flags.to_numpy(), dictionary=dictionary,
                          user_words=names + [k for ks in dictionary.keywords for k in ks if len(k) > 2])
    ca.notes = [f"意见列：{'、'.join(map(str, cols))}（仅有效问卷）。"] + ([note] if note else [])
    rows = np.asarray(table.rows)[valid]
    per = ca.per_comment
    has = per["意见"].notna().to_numpy()
    detail = pd.DataFrame({"行号": rows[has], "意见": per["意见"][has].to_numpy(), "主题": per["主题"][has].to_numpy(),
                           "情感": per["情感"][has].to_numpy(), "情感分": per["情感分"][has].to_numpy(),
                           "满意度得分": sat.to_numpy()[has]})
    sheets = [BuiltSheet(SHEET_NAME, partial(build_comments_sheet, ca=ca)),
              TableSheet(DETAIL_SHEET, detail, number_formats={"情感分": "0.00", "满意度得分": "0.0"},
                         widths={"意见": 60, "主题": 20}, title=f"意见明细 {len(detail):,} 条（主题可在「主题词典」中修改）")]
    if themes is None and THEMES_SHEET not in table.book_sheets:
        sheets.append(TableSheet(THEMES_SHEET, dictionary.to_frame(), widths={"关键词": 90, "排除词": 30},
                                 title="主题词典：可直接修改后保存，下次运行时自动使用"))
    summary = {"columns": [str(c) for c in cols], "answered": ca.answered,
               "themes": dict(zip(ca.themes["主题"], ca.themes["提及数"].astype(int))),
               "sentiment": {k: int(v) for k, v in per["情感"].value_counts().items()}}
    return sheets, summary
