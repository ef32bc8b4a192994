"""Link each contact to a register customer: by customer id, else by the duplicate matcher's keys (mobile,
name + phone, e-mail), only where the key names exactly one register row."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from udfs.normalise.email import normalise_email
from udfs.normalise.names import person_name_key
from udfs.normalise.phone import normalise_mobile, normalise_phone
from udfs.normalise.text import simplified_key

#: the order keys are tried in, with the label shown in 关联方式
KEYS = (("id", "客户编号"), ("mobile", "手机"), ("name_phone", "姓名+电话"), ("email", "邮箱"))
_REGION_ROLES = ("sales_region", "city", "province", "district")


@dataclass
class Linked:
    register_row: np.ndarray      # position in the register for each contact, −1 when unmatched
    how: pd.Series                # 客户编号 / 手机 / 姓名+电话 / 邮箱, None when unmatched
    reason: pd.Series             # why a contact stayed unmatched
    register_columns: pd.DataFrame  # 联系次数, 最近联系, 未结投诉, 投诉次数, aligned with the register
    complaint_rate: pd.DataFrame  # per register region: customers, complaints, complaints per 100 customers


def _id_key(values: pd.Series) -> pd.Series:
    v = values.map(lambda x: str(int(x)) if isinstance(x, float) and x == x and x.is_integer() else x)
    return simplified_key(v)


def _keys(df: pd.DataFrame, roles: dict[str, str]) -> dict[str, pd.Series]:
    n = len(df)
    none = pd.Series([None] * n, dtype=object)

    def col(*wanted: str) -> pd.Series | None:
        name = next((c for c, r in roles.items() if r in wanted), None)
        return None if name is None else df[name].reset_index(drop=True)

    ids = col("customer_id")
    mob, phone, land = col("mobile"), col("phone"), col("landline")
    mobile = normalise_mobile(mob) if mob is not None else none
    if phone is not None:
        mobile = mobile.where(mobile.notna(), normalise_mobile(phone))
    any_phone = none
    for p in (mob, phone, land):
        if p is not None:
            any_phone = any_phone.where(any_phone.notna(), normalise_phone(p))
    name = col("name")
    name_key = person_name_key(name) if name is not None else none
    np_key = pd.Series(np.where(name_key.notna() & any_phone.notna(), name_key.astype(str) + "|" + any_phone.astype(str),
                                None), dtype=object)
    em = col("email")
    return {"id": _id_key(ids) if ids is not None else none, "mobile": mobile.astype(object), "name_phone": np_key,
            "email": normalise_email(em).str.lower().astype(object) if em is not None else none}


def _contact_keys(f: pd.DataFrame) -> dict[str, pd.Series]:
    """The same keys from the prepared log, whose phones, names and e-mails are already normalised."""
    np_key = pd.Series(np.where(f["name_key"].notna() & f["phone_any"].notna(),
                                f["name_key"].astype(str) + "|" + f["phone_any"].astype(str), None), dtype=object)
    return {"id": pd.Series(f["id_key"].to_numpy(dtype=object)), "mobile": f["mobile"].reset_index(drop=True),
            "name_phone": np_key, "email": f["email"].str.lower().astype(object).reset_index(drop=True)}


def link_contacts(log: pd.DataFrame, log_roles: dict[str, str], register: pd.DataFrame,
                  register_roles: dict[str, str], contacts: pd.DataFrame) -> Linked:
    """`contacts` is the prepared log frame (kehu's typed columns, aligned with `log`)."""
    lk, rk = _contact_keys(contacts), _keys(register, register_roles)
    n = len(log)
    row = np.full(n, -1, dtype=np.int64)
    how = np.full(n, None, dtype=object)
    ambiguous = np.zeros(n, dtype=bool)
    for key, label in KEYS:
        reg = pd.Series(rk[key].to_numpy(dtype=object))
        shared = reg.notna() & reg.duplicated(keep=False)
        single = reg.notna() & ~shared
        pos = pd.Series(np.flatnonzero(single.to_numpy()), index=pd.Index(reg[single].to_numpy(dtype=object)))
        want = pd.Series(lk[key].to_numpy(dtype=object))
        todo = (row < 0) & want.notna().to_numpy()
        if key != "id":  # a contact that names an id unknown to the register is not re-linked by phone
            todo &= lk["id"].isna().to_numpy()
        asked = want[todo]
        hit = pd.Series(pos.reindex(asked.to_numpy()).to_numpy(), index=asked.index)
        found = hit.notna().to_numpy()
        idx = np.flatnonzero(todo)[found]
        row[idx] = hit[found].astype(np.int64).to_numpy()
        how[idx] = label
        many = asked.isin(set(reg[shared])).to_numpy() & ~found
        ambiguous[np.flatnonzero(todo)[many]] = True
    any_key = np.column_stack([lk[k].notna().to_numpy() for k, _ in KEYS]).any(axis=1)
    unknown_id = lk["id"].notna().to_numpy()
    reason = np.select([row >= 0, unknown_id, ambiguous, any_key],
                       [None, "客户编号不在客户表中", "多位客户共用此联系方式", "客户表中没有此客户"],
                       "没有编号、手机、姓名+电话或邮箱").astype(object)
    reason[row >= 0] = None
    return Linked(row, pd.Series(how, dtype=object), pd.Series(reason, dtype=object),
                  _register_columns(row, contacts, len(register)), _complaint_rate(row, contacts, register, register_roles))


def _register_columns(row: np.ndarray, f: pd.DataFrame, size: int) -> pd.DataFrame:
    ok = row >= 0
    g = pd.DataFrame({"r": row[ok], "at": f["at"].to_numpy()[ok],
                      "complaint": (f["contact_type"] == "投诉").to_numpy()[ok],
                      "open_complaint": ((f["contact_type"] == "投诉") & f["open"]).to_numpy()[ok]})
    agg = g.groupby("r").agg(联系次数=("at", "size"), 最近联系=("at", "max"), 未结投诉=("open_complaint", "sum"),
                             投诉次数=("complaint", "sum"))
    out = agg.reindex(np.arange(size))
    for c in ("联系次数", "未结投诉", "投诉次数"):
        out[c] = out[c].fillna(0).astype(np.int64)
    return out.reset_index(drop=True)


def _complaint_rate(row: np.ndarray, f: pd.DataFrame, register: pd.DataFrame, roles: dict[str, str]) -> pd.DataFrame:
    region_col = next((c for role in _REGION_ROLES for c, r in roles.items() if r == role), None)
    cols = ["区域", "客户数", "投诉数", "每百位客户投诉"]
    if region_col is None:
        return pd.DataFrame(columns=cols)
    region = register[region_col].astype(object).where(register[region_col].notna(), "（空白）").reset_index(drop=True)
    customers = region.value_counts()
    ok = (row >= 0) & (f["contact_type"] == "投诉").to_numpy()
    complaints = region.iloc[row[ok]].value_counts().reindex(customers.index, fill_value=0)
    out = pd.DataFrame({"区域": customers.index, "客户数": customers.to_numpy(), "投诉数": complaints.to_numpy()})
    out["每百位客户投诉"] = 100 * out["投诉数"] / out["客户数"]
    return out.sort_values("每百位客户投诉", ascending=False, kind="stable").reset_index(drop=True)
