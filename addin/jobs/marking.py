"""The marks a job puts on the user's own data (`--mark`, issue 16 part 1), as data for every book: problem
cells by severity with a note, duplicate groups banded, invalid questionnaires greyed, segments coloured.
The writer places them (addin/write/mark_plan.py); `kehu unmark` takes them away.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from addin.write.specs import Marks
from udfs.text_groups import group_runs, join_runs
from udfs.validate.problems import SEVERITY_LABELS, describe, severity

#: the legend, a note on the first added column's header (the first thing right of the user's data)
LEGEND = {
    "problems": ("kehu 的标记（kehu unmark 文件 可全部去掉）：红色 = 错误，黄色 = 需核对，蓝色 = 提示；批注 = 问题和建议",
                 "kehu's marks (kehu unmark FILE removes them all): red = error, yellow = check, blue = hint; "
                 "notes = problem and suggestion"),
    "duplicates": ("重复组按行着色（相邻两组颜色不同），疑似重复为浅黄色",
                   "duplicate groups banded by row (neighbouring groups differ), possible duplicates light yellow"),
    "invalid": ("灰色行 = 无效问卷（不计入结果）", "grey rows = invalid questionnaires (left out of the results)"),
    "segments": ("细分列按细分着色", "the segment column coloured by segment"),
}
SEVERITY_EN = {"error": "Error", "check": "Check", "hint": "Hint"}
_RANK = {"error": 0, "check": 1, "hint": 2}


def legend(key: str, lang: str) -> list[tuple[str, str]]:
    from .language import to_traditional

    zh, en = LEGEND[key]
    text = en if lang == "en" else to_traditional(zh, "TW") if lang == "zh-Hant" else zh
    return [(key, text)]


def problem_marks(problems: pd.DataFrame, lang: str) -> Marks:
    """A fill per severity on every problem cell and a note with its problems and suggestions (several
    problems of one cell share one note; the cell gets the most serious one's colour)."""
    from .language import to_traditional

    if not len(problems):
        return Marks(legend=legend("problems", lang))
    described = [describe(c) for c in problems["code"].tolist()]
    if lang == "en":
        texts = [f"{SEVERITY_EN[severity(p.code)]}: {p.en}" for p in described]
    else:
        texts = [f"{SEVERITY_LABELS[severity(p.code)]}：{p.zh}。建议：{p.suggestion_zh}" for p in described]
        if lang == "zh-Hant":
            texts = [to_traditional(t, "TW") for t in texts]
    positions, columns = problems["row_position"].to_numpy(), problems["column"].to_numpy(dtype=object)
    ranks = np.array([_RANK[severity(c)] for c in problems["code"].tolist()], dtype=np.int64)
    column_codes, _ = pd.factorize(columns)
    cell = positions.astype(np.int64) * (int(column_codes.max()) + 1) + column_codes  # one key per cell
    order, starts, _ = group_runs(cell, sort=False)  # cells in the order they first appear
    firsts = order[starts]
    kinds = {v: k for k, v in _RANK.items()}
    cells = pd.DataFrame({"position": positions[firsts], "column": columns[firsts],
                          "kind": [kinds[r] for r in np.minimum.reduceat(ranks[order], starts).tolist()],
                          "note": join_runs(texts, order, starts, "\n")})
    return Marks(cells=cells, legend=legend("problems", lang))


def duplicate_marks(groups, duplicate, possible, lang: str) -> Marks:
    """Rows of duplicate groups (`duplicate` True) banded, alternating two colours in the order the groups
    first appear; possible duplicates (`possible` True) a lighter band of their own."""
    groups = pd.Series(groups).reset_index(drop=True)
    duplicate, possible = np.asarray(duplicate, dtype=bool), np.asarray(possible, dtype=bool)
    order = pd.unique(groups[duplicate])
    band = {g: i % 2 for i, g in enumerate(order)}
    rows = pd.DataFrame({"position": np.flatnonzero(duplicate), "kind": [f"dup:{band[g]}" for g in groups[duplicate]],
                         "note": None})
    rows = pd.concat([rows, pd.DataFrame({"position": np.flatnonzero(possible & ~duplicate), "kind": "suspect",
                                          "note": None})], ignore_index=True)
    return Marks(rows=rows, legend=legend("duplicates", lang))


def invalid_marks(invalid, lang: str) -> Marks:
    """Invalid questionnaires (excluded from the figures) greyed across their row."""
    positions = np.flatnonzero(np.asarray(invalid, dtype=bool))
    return Marks(rows=pd.DataFrame({"position": positions, "kind": "invalid", "note": None}),
                 legend=legend("invalid", lang) if len(positions) else [])


def segment_marks(added_index: int, segments, lang: str) -> Marks:
    """Each segment's cells in the added segment column (index `added_index` among the job's added columns)
    in its own colour, by first appearance."""
    values = pd.Series(segments).reset_index(drop=True)
    known = values.notna().to_numpy()
    order = {s: i for i, s in enumerate(pd.unique(values[known]))}
    added = pd.DataFrame({"position": np.flatnonzero(known), "added": added_index,
                          "kind": [f"segment:{order[v]}" for v in values[known]], "note": None})
    return Marks(added=added, legend=legend("segments", lang))
