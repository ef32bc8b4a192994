"""An interaction / complaint log as typed columns, and the rows that cannot be read as written (listed, never dropped)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from udfs.errors import InputProblem
from udfs.normalise._unique import is_missing
from udfs.normalise.dates import parse_dates
from udfs.normalise.email import normalise_email
from udfs.normalise.names import person_name_key
from udfs.normalise.phone import parse_phones
from udfs.normalise.text import simplified_key

from .vocab import DONE, REOPENED_WORDS, canonical, share_known

#: problem code → (Chinese, English, how the row is treated)
PROBLEMS: dict[str, tuple[str, str]] = {
    "DATE_MISSING": ("联系日期缺失或无法识别（不计入按月统计、处理时长和逾期）",
                     "Contact date missing or unreadable (left out of monthly counts, resolution time and overdue)"),
    "DATE_FUTURE": ("联系日期晚于分析日期（不计入逾期）", "Contact date after the analysis date (left out of overdue)"),
    "RESOLVED_BEFORE_OPEN": ("解决日期早于联系日期（不计处理时长）",
                             "Resolved before it was opened (no resolution time)"),
    "RESOLVED_FUTURE": ("解决日期晚于分析日期（不计处理时长）", "Resolved date after the analysis date (no resolution time)"),
    "RESOLVED_DATE_UNREADABLE": ("解决日期无法识别", "Resolved date unreadable"),
    "STATUS_UNKNOWN": ("状态无法识别（不计入解决率和逾期）", "Unknown status word (left out of resolution rate and overdue)"),
    "STATUS_MISSING": ("状态为空且没有解决日期（不计入解决率和逾期）",
                       "No status and no resolved date (left out of resolution rate and overdue)"),
    "OPEN_WITH_RESOLVED_DATE": ("状态为未结，却有解决日期（按未结计）", "Open status but a resolved date (counted as open)"),
}


@dataclass
class PreparedLog:
    frame: pd.DataFrame          # one row per contact, kehu's typed columns
    problems: pd.DataFrame       # 行号, 问题代码, 问题, Problem, 原值
    notes: list[str] = field(default_factory=list)


def check_is_log(roles: dict[str, str], columns: list[str]) -> None:
    """Refuse a table that is not a contact log (typically a register handed to `kehu complaints`)."""
    have = set(roles.values())
    if "contacted_at" in have and have & {"contact_type", "status", "channel"}:
        return
    register_like = have & {"mobile", "company", "id_number", "last_purchase", "total_spend", "address", "gender"}
    what = "客户档案" if register_like else "其他表格"
    raise InputProblem(
        f"这张表看起来是{what}，不是联系 / 投诉记录：需要「联系日期」列，以及「类型」「状态」「渠道」之一。"
        f"现有列：{'、'.join(map(str, columns))}。如果列名不同，请用 --map 指定，如 --map 受理日=contacted_at。",
        "This does not look like a contact / complaint log: it needs a contact date column and one of type, status "
        "or channel. Use --map to name them, e.g. --map 受理日=contacted_at.")


def infer_log_roles(df: pd.DataFrame, roles: dict[str, str]) -> dict[str, str]:
    """Unrecognised columns whose values are channel, type or status words take that role (content inference)."""
    out = dict(roles)
    for col in df.columns:
        if col in out:
            continue
        for kind in ("status", "contact_type", "channel"):
            if kind not in out.values() and share_known(df[col], kind) >= 0.8:
                out[col] = kind
                break
    return out


def _col(df: pd.DataFrame, roles: dict[str, str], role: str) -> pd.Series | None:
    name = next((c for c, r in roles.items() if r == role), None)
    return None if name is None else df[name].reset_index(drop=True)


def _text(s: pd.Series | None, n: int) -> pd.Series:
    if s is None:
        return pd.Series([None] * n, dtype=object)
    codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=True)
    text = [None if is_missing(v) else str(v).strip() or None for v in uniques]
    return pd.Series(np.array(text + [None], dtype=object)[codes], dtype=object)


def _dates(s: pd.Series) -> np.ndarray:
    """Real date cells (what the reader hands over from a dated column) convert at C speed; text and Excel
    serials go through kehu's date parser, one distinct value at a time."""
    if pd.api.types.infer_dtype(s, skipna=True) in ("datetime", "datetime64", "date"):
        try:
            return pd.to_datetime(s, errors="coerce").to_numpy(dtype="datetime64[ns]")
        except (TypeError, ValueError, OverflowError):
            pass
    return parse_dates(s).to_numpy(dtype="datetime64[ns]")


def prepare_log(df: pd.DataFrame, roles: dict[str, str], *, as_of: Any, rows: Any = None) -> PreparedLog:
    """Typed columns (dates, canonical channel / type / status, customer keys) and the problem list."""
    check_is_log(roles, list(df.columns))
    n = len(df)
    day0 = pd.Timestamp(as_of).normalize()
    rows = np.arange(2, n + 2) if rows is None else np.asarray(rows)
    f = pd.DataFrame({"row": rows})
    raw_at = _col(df, roles, "contacted_at")
    f["at"] = _dates(raw_at)
    raw_res = _col(df, roles, "resolved_at")
    f["resolved_at"] = (_dates(raw_res) if raw_res is not None
                        else np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"))
    notes: list[str] = []
    for role, kind in (("channel", "channel"), ("contact_type", "contact_type")):
        s = _col(df, roles, role)
        if s is None:
            f[kind] = None
            continue
        canon, _ = canonical(s, kind)
        original = _text(s, n)
        f[kind] = canon.where(canon.notna(), original).to_numpy(dtype=object)  # the team's own words are kept
        other = sorted(set(original[canon.isna() & original.notna()]))
        if other:
            notes.append(f"{'渠道' if kind == 'channel' else '类型'}中有非标准写法，按原样统计：{'、'.join(other[:8])}"
                         + ("等" if len(other) > 8 else "") + "。")
    raw_status = _col(df, roles, "status")
    status_text = _text(raw_status, n)
    if raw_status is not None:
        st, folded = canonical(raw_status, "status")
        f["reopened"] = folded.isin(REOPENED_WORDS).to_numpy()
    else:
        st = pd.Series([None] * n, dtype=object)
        f["reopened"] = False
        notes.append("没有「状态」列：有解决日期的按已解决计，其余按未处理计。")
    has_res = pd.notna(f["resolved_at"])
    inferred = st.isna() & status_text.isna() & has_res.to_numpy()
    st = st.where(~inferred, "已解决")
    if raw_status is None:
        st = st.where(st.notna(), "未处理")
    f["status"] = st.to_numpy(dtype=object)
    f["done"] = f["status"].isin(DONE)
    f["open"] = f["status"].notna() & ~f["done"]
    for role, name in (("product", "product"), ("store", "store"), ("region", "region"), ("handler", "handler"),
                       ("text", "text"), ("customer_id", "customer_id"), ("name", "name")):
        f[name] = _text(_col(df, roles, role), n).to_numpy(dtype=object)
    sat = _col(df, roles, "handling_satisfaction")
    f["satisfaction"] = (pd.to_numeric(sat, errors="coerce").to_numpy(dtype=float) if sat is not None
                         else np.full(n, np.nan))
    _customer_keys(f, df, roles, n)

    problems = []

    def flag(mask: Any, code: str, original: pd.Series | None) -> None:
        m = np.asarray(mask, dtype=bool)
        if m.any():
            zh, en = PROBLEMS[code]
            orig = _text(original[m].reset_index(drop=True), int(m.sum())).to_numpy() if original is not None else None
            problems.append(pd.DataFrame({"行号": f["row"].to_numpy()[m], "问题代码": code, "问题": zh, "Problem": en,
                                          "原值": orig}))

    at = f["at"]
    flag(at.isna(), "DATE_MISSING", raw_at)
    flag(at > day0 + pd.Timedelta(days=1), "DATE_FUTURE", raw_at)
    if raw_res is not None:
        filled = raw_res.notna().to_numpy(dtype=bool)
        flag(filled & ~has_res.to_numpy(), "RESOLVED_DATE_UNREADABLE", raw_res)
        flag(f["resolved_at"] < at, "RESOLVED_BEFORE_OPEN", raw_res)
        flag(f["resolved_at"] > day0 + pd.Timedelta(days=1), "RESOLVED_FUTURE", raw_res)
    flag(status_text.notna().to_numpy() & f["status"].isna().to_numpy(), "STATUS_UNKNOWN", status_text)
    flag(status_text.isna().to_numpy() & f["status"].isna().to_numpy(), "STATUS_MISSING", None)
    flag(f["open"].to_numpy() & has_res.to_numpy(), "OPEN_WITH_RESOLVED_DATE", status_text)
    cols = ["行号", "问题代码", "问题", "Problem", "原值"]
    table = pd.concat(problems, ignore_index=True) if problems else pd.DataFrame(columns=cols)
    table = table.sort_values(["行号", "问题代码"], kind="stable").reset_index(drop=True)

    bad_time = (f["resolved_at"] < at) | (f["resolved_at"] > day0 + pd.Timedelta(days=1))
    f["resolved_ok"] = f["resolved_at"].where(~bad_time & f["done"])
    return PreparedLog(f, table, notes)


def _customer_keys(f: pd.DataFrame, df: pd.DataFrame, roles: dict[str, str], n: int) -> None:
    """Who made the contact: the customer id, else the mobile, else name + phone, else e-mail."""
    none = pd.Series([None] * n, dtype=object)
    mobile, any_phone = none, none
    for col in (_col(df, roles, "mobile"), _col(df, roles, "phone")):
        if col is None:
            continue
        p = parse_phones(col)  # once per column: the mobile and the any-kind number come from one parse
        number = p["number"].where(p["number"].notna(), None).astype(object)
        is_mobile = p["kind"].eq("mobile") & p["number"].notna()
        mobile = mobile.where(mobile.notna(), number.where(is_mobile, None))
        any_phone = any_phone.where(any_phone.notna(), number)
    em = _col(df, roles, "email")
    email = normalise_email(em) if em is not None else pd.Series([None] * n, dtype=object)
    name_key = person_name_key(f["name"]) if f["name"].notna().any() else pd.Series([None] * n, dtype=object)
    f["mobile"] = mobile.to_numpy(dtype=object)
    f["phone_any"] = any_phone.to_numpy(dtype=object)
    f["email"] = email.to_numpy(dtype=object)
    f["name_key"] = name_key.to_numpy(dtype=object)
    ids = simplified_key(f["customer_id"])  # c001 = C001 = Ｃ001: hand-typed ids differ in case and width
    f["id_key"] = ids.to_numpy(dtype=object)
    # first available of: id, mobile, e-mail, name + phone; prefixes keep an id from meeting an equal mobile
    key = np.full(n, None, dtype=object)
    name_phone = np.full(n, None, dtype=object)
    both = pd.notna(f["name_key"]).to_numpy() & pd.notna(f["phone_any"]).to_numpy()
    name_phone[both] = _prefixed("", pd.Series(f["name_key"].to_numpy(dtype=object)[both]) + "|" +
                                 pd.Series(f["phone_any"].to_numpy(dtype=object)[both]))
    for prefix, part in (("id:", ids), ("m:", f["mobile"]), ("e:", f["email"]), ("np:", pd.Series(name_phone))):
        values = pd.Series(part.to_numpy(dtype=object))
        todo = pd.isna(key) & values.notna().to_numpy()
        if todo.any():
            key[todo] = _prefixed(prefix, values[todo])
    f["customer"] = key


def _prefixed(prefix: str, values: pd.Series) -> np.ndarray:
    """prefix + value, joined once per distinct value (string concatenation over a million cells is slow)."""
    codes, uniques = pd.factorize(values.astype(object))
    return np.array([prefix + str(u) for u in uniques], dtype=object)[codes]
