"""Merge each duplicate group into one golden record, and log what was taken and what conflicted.

For each group the record to keep is chosen by a rule (most complete, most recent contact, earliest
customer id); its empty cells are filled from the other rows in the same order of preference; a non-empty
value that differs from the kept one (after the same normalisation the matcher uses, so 138-0013-8000 and
13800138000 do not conflict) is listed as a conflict. Nothing non-empty is lost: each value is kept, equal
to the kept value, or listed. The input table is never changed.
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from udfs.errors import InputProblem
from udfs.match.golden import apply_field_rules
from udfs.match.cells import numeric_cell_text
from udfs.match.keytable import KeyTable
from udfs.match.prepare import apply_step
from udfs.match.steps import date_keys_of
from udfs.match.settings import KEEP_RULES

GOLDEN_SHEET, LOG_SHEET = "去重结果", "合并记录"
MERGED_ROW, KEPT_ROW, TAKEN, CONFLICTS, GROUP, MERGED_COUNT = "被合并行", "保留行", "补入的值", "冲突", "重复组", "合并行数"
SOURCES = "字段来源"  # for every field of the golden record: the row it came from
MERGED_IDS = "合并的编号"  # the customer id of each merged row: ids are accounted for here, never as conflicts

# role → normaliser step used to decide whether two values are the same fact
_EQUIVALENCE_STEP = {"name": "person_name", "mobile": "mobile", "landline": "landline", "phone": "mobile",
                     "email": "email", "company": "company", "id_number": "id_number", "uscc": "uscc",
                     "city": "city", "province": "city", "address": "address", "birth_date": "birth_date",
                     "gender": "gender", "last_purchase": "birth_date", "first_contact": "birth_date"}


@dataclass
class MergeResult:
    golden: pd.DataFrame   # 去重结果: one row per customer, original columns + 重复组 + 合并行数
    log: pd.DataFrame      # 合并记录: one row per merged row
    kept: pd.Series        # per input row: the label of the row it was merged into (itself if kept/unique)


def merge_duplicates(df: pd.DataFrame, roles: dict[str, str], groups, keep: str = "most_complete",
                     sum_amounts: bool = False, keys: KeyTable | None = None,
                     key_specs: dict | None = None, raw: pd.DataFrame | None = None) -> MergeResult:
    """Golden records and merge log for the groups (group id per row, aligned with df; 0/None = no group).

    Field rules (golden.py): latest 最近购买日期, earliest 首次接触日期, the status of the newest row, and with
    `sum_amounts` the sum of 购买次数 / 累计金额 (rows that are separate purchase records).
    keys / key_specs: the comparison keys of the same rows (DedupeResult.keys, settings.keys); a column whose
    key the comparison already built takes it from there instead of normalising the column a second time.
    raw: the cells as the comparison read them (df before cleaning, same index), when df is a cleaned copy:
    a cell the cleaning left as it was takes the comparison's key too."""
    if keep not in KEEP_RULES:
        raise InputProblem(f"保留规则只能是 {' / '.join(KEEP_RULES)}，收到“{keep}”。",
                           f"keep must be one of {', '.join(KEEP_RULES)}; got {keep!r}.")
    group = np.asarray(pd.Series(groups).fillna(0), dtype=np.int64)
    grouped = group > 0
    # only rows in groups are merged: every other row goes to 去重结果 as it is
    part = df[grouped]
    blank = _blank_mask(part)
    sub = part.mask(blank)  # empty strings count as empty
    rank = _preference(sub, blank, roles, keep)
    order = np.lexsort((np.arange(len(sub)), rank, group[grouped]))
    sub, sub_group = sub.iloc[order], group[grouped][order]   # by group, then by preference
    labels = np.asarray(sub.index, dtype=object)

    # first non-empty per column; a value the normaliser cannot read (1.38001E+10) yields to a readable one
    readable = sub.copy()
    keys = _KeyCache(_known_keys(sub, df.index, roles, keys, key_specs, raw))
    for col in sub.columns:
        step = _EQUIVALENCE_STEP.get(roles.get(col, ""))
        if step and sub[col].notna().any():
            unreadable = sub[col].notna().to_numpy() & pd.isna(keys.of(col, step, sub[col]))
            if step == "id_number":  # an old 15-digit ID yields to the 18-digit form (century, check digit)
                unreadable |= _per_value(sub[col], lambda v: len(_fold(v)) == 15, False).astype(bool)
            readable.loc[unreadable, col] = None
    golden_rows = readable.groupby(sub_group, sort=False).first()
    golden_rows = golden_rows.fillna(sub.groupby(sub_group, sort=False).first())
    # A phone that went through a numeric cell (13800138000.0) is written back as its digits.
    for col in golden_rows.columns:
        if roles.get(col) in ("mobile", "landline", "phone"):
            golden_rows[col] = golden_rows[col].map(numeric_cell_text)
    golden_rows, rules_used = apply_field_rules(golden_rows, sub, sub_group, roles, sum_amounts)
    summed = [c for c, rule in rules_used.items() if rule == "sum"]
    # A summed field has no single value to conflict with; a record id is no conflict either (two rows of one
    # customer always have two ids): each merged row's id is listed in its own column, 合并的编号.
    id_cols = [c for c, r in roles.items() if r == "customer_id" and c in df.columns]
    not_conflicts = set(summed) | set(id_cols)
    first_pos = np.unique(sub_group, return_index=True)[1]
    kept_label = pd.Series(labels[first_pos], index=sub_group[first_pos])
    size = pd.Series(sub_group).value_counts()

    cells = _CellFacts(sub, labels, first_pos, golden_rows.reindex(sub_group[first_pos]), roles, keys, not_conflicts)
    taken_rows, taken_texts, conflict_rows, conflict_texts = [], [], [], []
    for col in sorted(sub.columns):   # a row's taken values and conflicts are listed in column-name order
        facts = cells.of(col)
        taken = facts.present & (labels != cells.kept_label) & facts.from_source
        taken_rows.append(labels[taken])
        taken_text = [f"{col}={v}" for v in _shown(facts.values[taken])]
        replaced = np.flatnonzero(facts.kept_present[taken])
        for i, k in zip(replaced.tolist(), _shown(facts.kept_values[taken][replaced])):
            taken_text[i] += f"(替换 {k})"
        taken_texts += taken_text
        conflict = facts.conflicts
        conflict_rows.append(labels[conflict])
        conflict_texts += [f"{col}: {v} ≠ {g}" for v, g in
                           zip(_shown(facts.values[conflict]), _shown(facts.golden[conflict]))]
    # A kept row's unreadable value replaced by a readable one is named, so it is not lost either.
    taken_text = _join_by(np.concatenate(taken_rows), taken_texts) if taken_texts else pd.Series(dtype=object)
    conflict_text = (_join_by(np.concatenate(conflict_rows), conflict_texts) if conflict_texts
                     else pd.Series(dtype=object))
    merged_pos = ~cells.is_kept_row
    merged_rows, merged_groups = labels[merged_pos], sub_group[merged_pos]
    log = pd.DataFrame({
        GROUP: merged_groups,
        MERGED_ROW: merged_rows,
        KEPT_ROW: kept_label.reindex(merged_groups).to_numpy(),
        TAKEN: taken_text.reindex(merged_rows).to_numpy(),
        CONFLICTS: conflict_text.reindex(merged_rows).to_numpy(),
        SOURCES: cells.source_texts(list(df.columns), summed)[cells.group_code[merged_pos]],
    })
    if id_cols:
        ids = [sub[c].to_numpy(dtype=object)[merged_pos] for c in id_cols]
        log.insert(2, MERGED_IDS, ["; ".join(_show(v) for v in vs if v is not None and not pd.isna(v)) or None
                                   for vs in zip(*ids)])
    log = log.astype(object).where(log.notna(), None)

    # 去重结果: ungrouped rows as they are, each group as its golden record at the kept row's place.
    golden_rows.index = kept_label.reindex(golden_rows.index).to_numpy()
    out = df.copy().astype(object)
    # hash look-ups (pd.Index.isin): np.isin on object labels sorts and compares objects, seconds at 100k rows
    keep_mask = ~grouped | df.index.isin(kept_label.to_numpy())
    out = out[keep_mask]
    filled = golden_rows.reindex(out.index)
    is_golden = out.index.isin(kept_label.to_numpy())
    out.loc[is_golden] = filled.loc[is_golden].to_numpy()
    group_of_kept = pd.Series(kept_label.index.to_numpy(), index=kept_label.to_numpy())
    group_ids = group_of_kept.reindex(out.index).fillna(0).astype(np.int64).to_numpy()
    out = out.astype(object).where(out.notna(), None)
    out[GROUP] = pd.Series([int(g) if g else None for g in group_ids], index=out.index, dtype=object)
    out[MERGED_COUNT] = size.reindex(group_ids).fillna(1).astype(np.int64).to_numpy()
    kept_of_row = pd.Series(np.asarray(df.index, dtype=object), index=df.index, dtype=object)
    kept_of_row[grouped] = kept_label.reindex(group[grouped]).to_numpy()
    return MergeResult(golden=out, log=log, kept=kept_of_row)


@dataclass
class _ColumnFacts:
    """One column of the grouped rows (in group, then preference order), cell by cell."""

    values: np.ndarray        # the cells (NaN/None where empty)
    present: np.ndarray       # non-empty
    golden: np.ndarray        # the golden value of the cell's group
    kept_present: np.ndarray  # the kept row of the cell's group has a value in this column
    kept_values: np.ndarray   # the kept row's cell of the cell's group
    from_source: np.ndarray   # the cell's row is the one its group's golden value came from
    conflicts: np.ndarray     # a merged row's value that is not the golden value's fact (after the column's
    #                           normalisation: 138-0013-8000 and 13800138000 are one number)
    source_of_group: np.ndarray   # per group: position of the row the golden value came from, -1 for none


class _CellFacts:
    """What the merge log says of each cell, worked out a column at a time on the grouped rows (no long table
    of all cells: a merge, a sort and a groupby of it cost seconds at 100,000 rows)."""

    def __init__(self, sub: pd.DataFrame, labels: np.ndarray, first_pos: np.ndarray, golden: pd.DataFrame,
                 roles: dict[str, str], keys: "_KeyCache", not_conflicts: set):
        self.sub, self.labels, self.golden, self.roles, self.keys = sub, labels, golden, roles, keys
        self.not_conflicts = not_conflicts
        self.is_kept_row = np.zeros(len(sub), dtype=bool)
        self.is_kept_row[first_pos] = True
        self.group_code = np.cumsum(self.is_kept_row) - 1   # 0, 1, … per group, in order
        self.first_pos = first_pos
        self.kept_label = labels[first_pos][self.group_code]
        self._done: dict = {}

    def of(self, col) -> _ColumnFacts:
        if col in self._done:
            return self._done[col]
        code = self.group_code
        values = self.sub[col].to_numpy(dtype=object)
        present = pd.notna(values)
        golden_of_group = self.golden[col].to_numpy(dtype=object)
        golden = golden_of_group[code]
        kept_present = present[self.first_pos][code]
        kept_values = values[self.first_pos][code]
        idx = np.flatnonzero(present)
        # the row a golden value came from: the first row, in order of preference, holding exactly that value
        is_gold = np.zeros(len(values), dtype=bool)
        is_gold[idx] = _equal_cells(values[idx], golden[idx])
        gold_pos = np.flatnonzero(is_gold)
        source_of_group = np.full(len(self.first_pos), -1, dtype=np.int64)
        groups_with, first = np.unique(code[gold_pos], return_index=True)
        source_of_group[groups_with] = gold_pos[first]
        source = source_of_group[code]
        from_source = np.zeros(len(values), dtype=bool)
        has = source >= 0
        from_source[has] = self.labels[has] == self.labels[source[has]]
        # a conflict can only be a merged row's value that is not the golden one itself: only those are keyed
        conflicts = np.zeros(len(values), dtype=bool)
        maybe = np.flatnonzero(present & (self.labels != self.kept_label) & ~from_source)
        if len(maybe) and col not in self.not_conflicts:
            step = _EQUIVALENCE_STEP.get(self.roles.get(col, ""))
            a = _keys(pd.Series(values[maybe], dtype=object), step, col, self.keys)
            b = _keys(pd.Series(golden[maybe], dtype=object), step, col, self.keys)
            conflicts[maybe] = ~((a == b) & pd.notna(a))
        facts = _ColumnFacts(values, present, golden, kept_present, kept_values, from_source, conflicts,
                             source_of_group)
        self._done[col] = facts
        return facts

    def source_texts(self, columns: list, summed: list) -> np.ndarray:
        """Per group: '姓名←行5; 手机←行7; 累计金额=合计 …', the row each golden value came from, in column order
        (None for a group where none did)."""
        label_text = _shown_labels(pd.Series(self.labels, dtype=object)).to_numpy(dtype=object)
        pieces = np.full((len(self.first_pos), len(columns)), "", dtype=object)
        for j, col in enumerate(columns):
            at = self.of(col).source_of_group
            has = at >= 0
            name = str(col)
            pieces[has, j] = f"; {name}=合计" if name in summed else ("; " + name + "←行") + label_text[at[has]]
        texts = np.array([("".join(line)[2:] or None) for line in pieces.tolist()], dtype=object)
        if summed:  # summed fields have no single source row; name them for every group
            texts = np.array([t if t is None else t + "".join(f"; {c}=合计" for c in summed if f"{c}=合计" not in t)
                              for t in texts.tolist()], dtype=object)
        return texts


def _equal_cells(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a[i] == b[i] for object arrays of non-empty cells, elementwise."""
    try:
        same = np.asarray(a == b, dtype=bool)
        if same.shape == a.shape:
            return same
    except (TypeError, ValueError):
        pass
    return np.array([v is g or v == g for v, g in zip(a.tolist(), b.tolist())], dtype=bool)


def _shown(values: np.ndarray) -> list[str]:
    """_show of each value: text as it is, dates (a typed date column) formatted in one pass."""
    kinds = _TYPE_OF(values) if len(values) else np.array([], dtype=object)
    out = np.empty(len(values), dtype=object)
    text = _of_type(kinds, str)
    out[text] = values[text]
    stamps = _of_type(kinds, pd.Timestamp)
    if stamps.any():
        try:
            out[stamps] = pd.DatetimeIndex(list(values[stamps])).strftime("%Y-%m-%d").to_numpy(dtype=object)
        except (TypeError, ValueError):   # time zones that differ: one at a time
            stamps[:] = False
    rest = np.flatnonzero(~text & ~stamps)
    out[rest] = [_show(v) for v in values[rest].tolist()]
    return out.tolist()


_TYPE_OF = np.frompyfunc(type, 1, 1)   # each cell's exact type, in one C loop


def _of_type(kinds: np.ndarray, kind: type) -> np.ndarray:
    one = np.empty(1, dtype=object)
    one[0] = kind
    return np.asarray(kinds == one, dtype=bool)


def _is_text(values: np.ndarray) -> np.ndarray:
    return _of_type(_TYPE_OF(values), str) if len(values) else np.zeros(0, dtype=bool)


def _per_value(values: pd.Series, func, missing) -> np.ndarray:
    """func of each distinct non-missing value, spread back over the cells (`missing` for empty ones)."""
    codes, uniques = pd.factorize(pd.Series(values.to_numpy(dtype=object), dtype=object), use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[:-1] = [func(u) for u in uniques]
    table[-1] = missing
    return table[codes]


def _join_by(keys: np.ndarray, texts) -> pd.Series:
    """'; '.join of the texts per key, keys in order of first appearance (a groupby-agg with a Python
    function costs a pandas slice per group: seconds at 50,000 groups; this is one pass)."""
    keys = np.asarray(keys, dtype=object)
    texts = np.asarray(texts, dtype=object)
    codes, uniques = pd.factorize(keys)
    order = np.argsort(codes, kind="stable")
    starts = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    ordered = texts[order].tolist()
    joined = ["; ".join(ordered[starts[i]:starts[i + 1]]) for i in range(len(uniques))]  # one per key
    return pd.Series(joined, index=pd.Index(np.asarray(uniques, dtype=object)), dtype=object)


def _shown_labels(labels: pd.Series) -> pd.Series:
    """_show of each row label as text; whole-number labels (Excel row numbers) in one pass."""
    values = labels.to_numpy(dtype=object)
    if len(values) and all(type(v) is int for v in values.tolist()):
        return pd.Series(values.astype(np.int64).astype(str), index=labels.index, dtype=object)
    return labels.map(_show, na_action="ignore").astype(str)


def _blank_mask(df: pd.DataFrame) -> pd.DataFrame:
    """Empty cells: missing, or text of spaces only (decided once per distinct value of each column)."""
    def blank(col: pd.Series) -> np.ndarray:
        if col.dtype != object and not pd.api.types.is_string_dtype(col.dtype):
            return col.isna().to_numpy()  # a typed column (numbers, dates) has no text of spaces
        codes, uniques = pd.factorize(col.astype(object), use_na_sentinel=True)
        per_unique = np.array([isinstance(v, str) and not v.strip() for v in uniques] + [True], dtype=bool)
        return per_unique[codes]
    return pd.DataFrame({c: blank(df[c]) for c in df.columns}, index=df.index)


def _preference(sub: pd.DataFrame, blank: pd.DataFrame, roles: dict[str, str], keep: str) -> np.ndarray:
    """Lower is better: the kept row is the one with the lowest value in its group."""
    filled = (~blank).sum(axis=1).to_numpy()
    if keep == "most_complete":
        return -filled.astype(float)
    if keep == "most_recent":
        cols = [c for c, r in roles.items() if r in ("last_purchase", "next_followup", "first_contact") and c in sub]
        if cols:
            dates = pd.to_datetime(date_keys_of(sub[cols[0]]), format="%Y%m%d", errors="coerce")
            days = (dates - pd.Timestamp("1900-01-01")).dt.days.to_numpy(dtype=float)
            return np.where(np.isnan(days), 1e9, -days) * 100 - filled  # newest first, then most complete
        return -filled.astype(float)
    cols = [c for c, r in roles.items() if r == "customer_id" and c in sub]
    if cols:
        ids = sub[cols[0]].map(lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v))
        # natural order: KH2 before KH10, so compare by length then text
        key = pd.DataFrame({"len": ids.str.len().replace(0, 10**6), "text": ids})
        ranks = key.reset_index(drop=True).sort_values(["len", "text"], kind="stable").index.to_numpy()
        out = np.empty(len(ids))
        out[ranks] = np.arange(len(ids))
        return out
    return -filled.astype(float)


class _KeyCache:
    """Normalised key per distinct value and column, worked out once: the readable-value choice, the cells
    and the golden values all ask for the same values' keys (the normaliser works value by value)."""

    def __init__(self, known: dict[str, dict] | None = None):
        self._known: dict[str, dict] = known or {}

    def of(self, col: str, step: str, values) -> np.ndarray:
        """The step's key for each value (None/NaN where it cannot read the value)."""
        known = self._known.setdefault(col, {})
        codes, uniques = pd.factorize(pd.Series(np.asarray(values, dtype=object), dtype=object),
                                      use_na_sentinel=True)
        uniques = np.asarray(uniques, dtype=object)
        missing = [u for u in uniques if u not in known]
        if missing:
            missing_keys = (date_keys_of if step == "birth_date" else lambda v: apply_step(step, v))(
                pd.Series(missing, dtype=object))
            known.update(zip(missing, missing_keys.to_numpy(dtype=object)))
        table = np.empty(len(uniques) + 1, dtype=object)
        table[:-1] = [known[u] for u in uniques]
        table[-1] = None
        return table[codes]


def _known_keys(sub: pd.DataFrame, index: pd.Index, roles: dict[str, str], keys: KeyTable | None,
                key_specs: dict | None, raw: pd.DataFrame | None = None) -> dict[str, dict]:
    """column → {cell value: key} from the comparison's keys, for the columns a key was built from alone:
    the first column of the key's first role, with the equivalence step as the key's only step."""
    if keys is None or not key_specs or len(keys) != len(index):
        return {}
    positions = index.get_indexer(sub.index)
    as_read = raw.iloc[positions] if raw is not None and raw.index.equals(index) else None
    first_of_role: dict[str, str] = {}
    for col, role in roles.items():
        if col in sub.columns:
            first_of_role.setdefault(role, col)
    known: dict[str, dict] = {}
    for name, spec in key_specs.items():
        role = spec.roles[0]
        col = first_of_role.get(role)
        step = _EQUIVALENCE_STEP.get(role)
        if col is None or name not in keys or tuple(spec.steps) != (step,) or col in known:
            continue
        # a present cell's key is its own (a later role only fills blank cells, and blanks are NaN here)
        cells = sub[col].to_numpy(dtype=object)
        row_keys = keys.values(name)[positions]
        # only cells that are their own key (13800138000, a@b.com, 张伟): the cleaner and the key step can read
        # an odd cell differently, and such a cell keeps the key step's own answer
        text = _is_text(cells)
        own = text & (cells == row_keys)
        if as_read is not None and col in as_read.columns:
            # or cells the cleaning left exactly as read: the comparison keyed that very text (phones with a
            # '.' excepted: the comparison read 13800138000.0 as 13800138000 first)
            read = as_read[col].to_numpy(dtype=object)
            unchanged = text & _is_text(read) & (cells == read)
            if step in ("mobile", "landline"):
                unchanged &= ~pd.Series(cells, dtype=object).where(unchanged, "").str.contains(".", regex=False) \
                    .to_numpy(dtype=bool)
            own |= unchanged & _is_text(row_keys) & (row_keys != "")
        known[col] = dict(zip(cells[own].tolist(), row_keys[own].tolist()))
    return known


def _keys(values: pd.Series, step: str | None, col: str, cache: _KeyCache) -> np.ndarray:
    """Comparison key per value; a value the step cannot read is compared as folded text."""
    codes, uniques = pd.factorize(pd.Series(values.to_numpy(dtype=object), dtype=object), use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)
    if step:
        key = cache.of(col, step, uniques)
        unparsed = np.flatnonzero(pd.isna(key))
        key[unparsed] = [_fold(v) for v in uniques[unparsed]]
    else:
        key = np.array([_fold(v) for v in uniques], dtype=object)
    table = np.append(key, None).astype(object)
    return table[codes]


def _fold(v) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return " ".join(unicodedata.normalize("NFKC", str(v)).lower().split())


def _show(v) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    return str(v)
