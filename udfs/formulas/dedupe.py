"""Excel formulas for duplicate customers: KEHU_DEDUPE (group, flag, similarity, reason) and KEHU_SIMILARITY.

Both run the same engine as `kehu dedupe` (udfs.match), so a formula over a register gives the same
groups, flags and probabilities as the command on the same rows.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import xlwings as xw

from udfs.formulas._xl import CATEGORY, Cells, table_in, table_out
from udfs.match.engine import ROW_COLUMNS, find_duplicates, pair_probability
from udfs.match.prepare import KeyTable, apply_step
from udfs.match.compare import EXACT, HOMOPHONE, compare_one
from udfs.match.settings import register_settings


def _roles(df: pd.DataFrame) -> dict[str, str]:
    from udfs.recognise import recognise_columns

    return recognise_columns(df, kind="register")


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("table", Cells, ndim=2, doc="客户表区域，第一行为表头（姓名、手机、公司名称……）")
@xw.arg("threshold", doc="判为“重复”的最低相似度（0–1），默认 0.9")
@xw.arg("header", doc="是否在结果第一行输出表头，默认 TRUE")
def KEHU_DEDUPE(table, threshold=None, header=True):
    """查找重复客户：返回 重复组、重复标记、相似度、匹配依据 四列。Duplicate group, flag, similarity, reason."""
    df = table_in(table, header=True)
    if df.empty:
        return [list(ROW_COLUMNS)] if header else [[""]]
    result = find_duplicates(df, _roles(df), duplicate=None if threshold in (None, "") else float(threshold))
    return table_out(result.rows[ROW_COLUMNS], header=bool(header))


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("a", doc="第一个值，或表中第一条记录的行号（从 1 起，不含表头）")
@xw.arg("b", doc="第二个值，或第二条记录的行号")
@xw.arg("kind", doc='值的类型：name 姓名（默认）、mobile、landline、email、company、address、id_number；或 "row"')
@xw.arg("table", Cells, ndim=2, doc='kind="row" 时：带表头的客户表区域')
def KEHU_SIMILARITY(a, b, kind="name", table=None):
    """两个值或两条记录的相似度（0–1）。Similarity of two values, or two records of a table (kind="row")."""
    kind = str(kind or "name").strip().lower()
    if kind == "row":
        df = table_in(table, header=True)
        return pair_probability(df, _roles(df), int(a) - 1, int(b) - 1)
    return value_similarity(a, b, kind)


def value_similarity(a, b, kind: str = "name") -> float:
    """Two cells of one kind → 0–1: 1 for the same key (张伟 / 張偉, 138-0013-8000 / 13800138000),
    0.95 for a homophone name, else the Jaro–Winkler similarity of the normalised keys."""
    settings = register_settings()
    if kind not in settings.keys:
        raise ValueError(f"unknown kind {kind!r}")
    spec = settings.keys[kind]
    frame = {}
    for name, sp in settings.keys.items():
        if sp.roles == spec.roles or (kind == "name" and name == "name_py"):
            values = pd.Series([a, b], dtype=object)
            for step in sp.steps:
                values = apply_step(step, values)
            frame[name] = values.where(values.notna(), None)
    keys = KeyTable(pd.DataFrame(frame))
    x, y = keys.values(kind)
    if x is None or y is None:
        return 0.0
    comp = next(c for c in settings.comparisons if c.key == kind)
    level = compare_one(keys, np.array([0]), np.array([1]), comp)[0]
    if level == EXACT:
        return 1.0
    if level == HOMOPHONE:
        return 0.95
    from udfs.match.similarity import pairwise

    return round(float(pairwise("jaro_winkler", [x], [y])[0]), 4)
