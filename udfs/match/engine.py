"""Run the duplicate pipeline on a table: keys → blocking → comparison → scoring → groups → per-row flags.

`find_duplicates` flags duplicates inside one register; `find_in_master` tells which incoming rows already
exist in a master register (second-file mode). Both take a DataFrame and a column → role mapping and
return results aligned with the input index, so callers can use Excel row numbers as the index.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from udfs.errors import InputProblem
from udfs.match.blocking import candidate_pairs, rows_without_key
from udfs.match.cluster import cluster_pairs
from udfs.match.compare import compare_pairs
from udfs.match.explain import explain_pairs
from udfs.match.keytable import KeyTable
from udfs.match.prepare import build_keys
from udfs.match.scoring import DIFFERENT, DUPLICATE, POSSIBLE, estimate_u, score_pairs
from udfs.match.settings import MatchSettings, febrl_settings, register_settings
from udfs.progress import advance

GROUP, FLAG, SIMILARITY, REASON, PARTNER = "重复组", "重复标记", "相似度", "匹配依据", "对照行"
UNIQUE = "唯一"
ROW_COLUMNS = [GROUP, FLAG, SIMILARITY, REASON]

FEBRL_ROLES = {"given_name", "surname", "date_of_birth", "soc_sec_id"}
#: roles of a Chinese register's identity: with any of them the register settings are used
_REGISTER_IDENTITY = {"name", "mobile", "phone", "email", "id_number", "company", "uscc"}


@dataclass
class DedupeResult:
    """rows: 重复组/重复标记/相似度/匹配依据/对照行 per input row; pairs: flagged pairs; settings as run."""

    rows: pd.DataFrame
    pairs: pd.DataFrame
    settings: MatchSettings
    summary: dict = field(default_factory=dict)
    #: the comparison keys of the rows (positions 0..n-1): merge_duplicates(keys=…) reuses them
    keys: KeyTable | None = None


MATCH_STAGES = 5   # keys, blocking, comparing + scoring, clustering, explaining: the bar counts them
STAGE_UNIT = "步 stages"


def default_settings(roles: dict[str, str]) -> MatchSettings:
    """English person records with the name in parts (given name, surname, …) and no register identity
    column get the Febrl settings; everything else the register settings."""
    present = set(roles.values())
    return febrl_settings() if FEBRL_ROLES & present and not _REGISTER_IDENTITY & present else register_settings()


def _prepare(df, roles, settings, duplicate, possible):
    settings = (settings or default_settings(roles)).restricted_to(roles.values())
    settings = settings.with_thresholds(duplicate, possible)
    if not settings.comparisons:
        raise InputProblem("没有可用于查重的列（姓名、手机、邮箱……）。",
                           "No column with a role the duplicate settings can compare (name, mobile, e-mail …).")
    keys = build_keys(df, roles, settings)
    settings.u = estimate_u(keys, settings)
    return settings, keys


def find_duplicates(df: pd.DataFrame, roles: dict[str, str], settings: MatchSettings | None = None, *,
                    duplicate: float | None = None, possible: float | None = None,
                    must_link: np.ndarray | None = None, cannot_link: np.ndarray | None = None) -> DedupeResult:
    """Flag duplicate customers inside one table.

    roles: column → role (name, mobile, …; Febrl: given_name, surname, …). duplicate / possible override
    the probability thresholds of the settings. must_link / cannot_link: (k, 2) row positions a person has
    reviewed (udfs.match.review): hard constraints on the groups, whatever the scores say.
    """
    timings = {}
    t0 = time.perf_counter()
    settings, keys = _prepare(df, roles, settings, duplicate, possible)
    timings["keys"] = time.perf_counter() - t0
    advance(1, MATCH_STAGES, STAGE_UNIT)
    n = len(df)

    t = time.perf_counter()
    a, b = candidate_pairs(keys, settings.blocking)
    must = _pair_codes(must_link, n)
    refuse = _pair_codes(cannot_link, n)
    if len(must):  # reviewed pairs are compared even when blocking did not pair them
        codes = np.union1d(a.astype(np.int64) * n + b, must)
        a, b = codes // n, codes % n
    without_key = rows_without_key(keys, settings.blocking)
    timings["blocking"] = time.perf_counter() - t
    advance(2, MATCH_STAGES, STAGE_UNIT)

    t = time.perf_counter()
    levels = compare_pairs(keys, a, b, settings.comparisons)
    scores = score_pairs(keys, a, b, levels, settings)
    timings["compare_score"] = time.perf_counter() - t
    advance(3, MATCH_STAGES, STAGE_UNIT)

    t = time.perf_counter()
    codes = a.astype(np.int64) * n + b
    forced_same, forced_diff = np.isin(codes, must), np.isin(codes, refuse)
    scores.verdict[forced_same] = DUPLICATE
    scores.verdict[forced_diff] = DIFFERENT
    is_dup = scores.verdict == DUPLICATE
    cannot = ((scores.vetoed | (scores.probability < settings.cannot_link_probability)) & ~forced_same) | forced_diff

    def score_more(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        extra = score_pairs(keys, x, y, compare_pairs(keys, x, y, settings.comparisons), settings)
        xy = x.astype(np.int64) * n + y
        return ((extra.vetoed | (extra.probability < settings.cannot_link_probability)) & ~np.isin(xy, must)) \
            | np.isin(xy, refuse)

    # reviewed same-customer pairs are joined first, before any scored pair
    order_by = np.where(forced_same, 2.0, scores.probability)
    groups = cluster_pairs(n, a, b, order_by, is_dup, cannot, score_more)
    timings["cluster"] = time.perf_counter() - t
    advance(4, MATCH_STAGES, STAGE_UNIT)

    t = time.perf_counter()
    same_group = (groups[a] > 0) & (groups[a] == groups[b])
    shown = np.flatnonzero(same_group | (scores.probability >= settings.possible_probability))
    reasons = explain_pairs(keys, a[shown], b[shown], levels.iloc[shown].reset_index(drop=True),
                            scores.weights.iloc[shown].reset_index(drop=True), settings)
    # a pair reviewed as two customers no longer makes its rows 疑似重复
    flagging = ~forced_diff[shown] | same_group[shown]
    rows = _row_flags(df.index, groups, a[shown][flagging], b[shown][flagging], scores.probability[shown][flagging],
                      same_group[shown][flagging], reasons[flagging])
    labels = np.asarray(df.index, dtype=object)
    verdict = scores.verdict[shown].copy()
    verdict[same_group[shown] & (verdict != DUPLICATE)] = "同组"  # joined through other members
    pairs = pd.DataFrame({
        "行A": labels[a[shown]], "行B": labels[b[shown]],
        GROUP: np.where(same_group[shown], groups[a[shown]], 0),
        SIMILARITY: np.round(scores.probability[shown], 4),
        "判定": verdict, REASON: reasons,
        "得分": np.round(scores.bits[shown], 2),
    })
    pairs[GROUP] = pairs[GROUP].where(pairs[GROUP] > 0, None)
    pairs = pairs.sort_values([SIMILARITY, "行A"], ascending=[False, True], kind="stable").reset_index(drop=True)
    timings["explain"] = time.perf_counter() - t
    advance(5, MATCH_STAGES, STAGE_UNIT)

    summary = {
        "rows": n, "candidate_pairs": int(len(a)), "duplicate_pairs": int(is_dup.sum()),
        "possible_pairs": int((scores.verdict == POSSIBLE).sum()),
        "groups": int(groups.max()) if n else 0,
        "rows_in_groups": int((groups > 0).sum()),
        "rows_to_remove": int((groups > 0).sum() - (groups.max() if n else 0)),
        "possible_rows": int((rows[FLAG] == POSSIBLE).sum()),
        "rows_without_key": int(without_key.sum()),
        "rows_without_key_share": float(without_key.mean()) if n else 0.0,
        "seconds": {k: round(v, 3) for k, v in timings.items()},
    }
    return DedupeResult(rows=rows, pairs=pairs, settings=settings, summary=summary, keys=keys)


def _pair_codes(pairs: np.ndarray | None, n: int) -> np.ndarray:
    """(k, 2) positions → sorted codes min·n + max."""
    if pairs is None or not len(pairs):
        return np.empty(0, np.int64)
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    return np.unique(pairs.min(axis=1) * n + pairs.max(axis=1))


def _row_flags(index: pd.Index, groups: np.ndarray, a: np.ndarray, b: np.ndarray, p: np.ndarray,
               same_group: np.ndarray, reasons: np.ndarray) -> pd.DataFrame:
    """Per row: its group, flag, best similarity, the reason of its best pair and that pair's other row."""
    n = len(groups)
    ends = np.concatenate([a, b])
    other = np.concatenate([b, a])
    prob = np.concatenate([p, p])
    within = np.concatenate([same_group, same_group])
    why = np.concatenate([reasons, reasons])
    # A grouped row explains itself by its best pair inside its group; others by their best pair.
    grouped_row = groups[ends] > 0
    usable = np.where(grouped_row, within, True)
    ends, other, prob, why = ends[usable], other[usable], prob[usable], why[usable]
    order = np.lexsort((-prob, ends))
    first = order[np.unique(ends[order], return_index=True)[1]]
    best_p = np.full(n, np.nan)
    best_why = np.full(n, None, dtype=object)
    best_other = np.full(n, -1, dtype=np.int64)
    best_p[ends[first]] = prob[first]
    best_why[ends[first]] = why[first]
    best_other[ends[first]] = other[first]
    flag = np.full(n, UNIQUE, dtype=object)
    flag[~np.isnan(best_p)] = POSSIBLE
    flag[groups > 0] = DUPLICATE
    labels = np.asarray(index, dtype=object)
    partner = np.where(best_other >= 0, labels[np.maximum(best_other, 0)], None)
    return pd.DataFrame({
        GROUP: pd.Series(np.where(groups > 0, groups, None), dtype=object).to_numpy(),
        FLAG: flag,
        SIMILARITY: np.round(best_p, 4),
        REASON: best_why,
        PARTNER: partner,
    }, index=index)


def pair_probability(df: pd.DataFrame, roles: dict[str, str], i: int, j: int,
                     settings: MatchSettings | None = None) -> float:
    """Match probability of rows i and j (positions) of a table, weighed as `find_duplicates` weighs them."""
    settings, keys = _prepare(df, roles, settings, None, None)
    a, b = np.array([min(i, j)]), np.array([max(i, j)])
    scores = score_pairs(keys, a, b, compare_pairs(keys, a, b, settings.comparisons), settings)
    return round(float(scores.probability[0]), 4)


def find_in_master(incoming: pd.DataFrame, incoming_roles: dict[str, str], master: pd.DataFrame,
                   master_roles: dict[str, str], settings: MatchSettings | None = None, *,
                   duplicate: float | None = None, possible: float | None = None) -> pd.DataFrame:
    """For each incoming row: 已存在 (重复 / 疑似重复 / 新客户), the master row it matches, 相似度, 匹配依据."""
    shared_roles = sorted(set(incoming_roles.values()) & set(master_roles.values()))
    if not shared_roles:
        raise InputProblem("两个表没有共同的可比较列（姓名、手机、邮箱……）。",
                           "The two tables share no column that can be compared (name, mobile, e-mail …).")

    def by_role(df, roles):
        cols = {}
        for role in shared_roles:
            col = next(c for c, r in roles.items() if r == role and c in df.columns)
            cols[role] = df[col].reset_index(drop=True)
        return pd.DataFrame(cols)

    combined = pd.concat([by_role(incoming, incoming_roles), by_role(master, master_roles)], ignore_index=True)
    roles = {r: r for r in shared_roles}
    settings, keys = _prepare(combined, roles, settings, duplicate, possible)
    n_in = len(incoming)
    is_incoming = np.arange(len(combined)) < n_in
    a, b = candidate_pairs(keys, settings.blocking, only_across=is_incoming)
    levels = compare_pairs(keys, a, b, settings.comparisons)
    scores = score_pairs(keys, a, b, levels, settings)
    keep = scores.probability >= settings.possible_probability
    a, b = a[keep], b[keep]  # blocking puts the smaller position first: incoming rows come first
    reasons = explain_pairs(keys, a, b, levels[keep].reset_index(drop=True),
                            scores.weights[keep].reset_index(drop=True), settings)
    p, verdict = scores.probability[keep], scores.verdict[keep]
    order = np.lexsort((-p, a))
    first = order[np.unique(a[order], return_index=True)[1]]
    status = np.full(n_in, "新客户", dtype=object)
    master_row = np.full(n_in, None, dtype=object)
    best_p = np.full(n_in, np.nan)
    why = np.full(n_in, None, dtype=object)
    status[a[first]] = np.where(verdict[first] == DUPLICATE, "已存在", POSSIBLE)
    master_row[a[first]] = np.asarray(master.index, dtype=object)[b[first] - n_in]
    best_p[a[first]] = np.round(p[first], 4)
    why[a[first]] = reasons[first]
    return pd.DataFrame({"主档状态": status, "主档行": master_row, SIMILARITY: best_p, REASON: why},
                        index=incoming.index)


__all__ = ["DedupeResult", "find_duplicates", "find_in_master", "pair_probability", "default_settings", "ROW_COLUMNS",
           "GROUP", "FLAG", "SIMILARITY", "REASON", "PARTNER", "UNIQUE", "DUPLICATE", "POSSIBLE", "DIFFERENT"]
