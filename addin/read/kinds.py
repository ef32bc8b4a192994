"""What kind of sheet a table is — customer register, survey responses, order list, contact log — from its columns.

`ensure_kind` is the one check every command calls after reading: a command run on the wrong kind of file
stops (exit 4) with one Chinese and one English line naming what the file looks like and the command to run,
unless the user forced the kind with --kind. A sheet is only called another kind on clear evidence; when
nothing is clear, the command goes on as before.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from addin.errors import ExitCode, KehuError
from udfs.recognise import role_from_header
from udfs.recognise.content import _looks_like_scale, _sample

KINDS = ("register", "survey", "orders", "interactions")
KIND_ZH = {"register": "客户档案", "survey": "满意度调查答卷", "orders": "订单明细", "interactions": "客户接触/投诉记录"}
KIND_EN = {"register": "customer register", "survey": "survey response sheet", "orders": "order list",
           "interactions": "contact / complaint log"}
#: which kind each command works on
COMMAND_KIND = {"clean": "register", "dedupe": "register", "segment": "register", "survey": "survey",
                "complaints": "interactions", "report": "register"}
_CONTACT_ROLES = {"mobile", "landline", "phone", "email", "id_number", "uscc", "company", "address"}
_ORDER_NO = ("订单号", "订单编号", "单号", "orderid", "orderno", "ordernumber", "交易号", "流水号")
_CONTACT_TYPES = {"咨询", "投诉", "建议", "报修", "退换货", "回访", "諮詢", "投訴", "建議", "報修", "退換貨", "回訪"}
_CHANNELS = {"电话", "微信", "上门", "邮件", "在线", "门店", "電話", "上門", "郵件", "在線", "門店"}


@dataclass(frozen=True)
class KindGuess:
    kind: str | None          # None: nothing clear
    why_zh: str
    why_en: str


def guess_kind(df: pd.DataFrame) -> KindGuess:
    """The kind a table's columns point to (headers first, then what the values look like)."""
    cols = [str(c) for c in df.columns]
    n = len(df)
    register_roles = {c: role_from_header(c, "register") for c in cols}
    contact = sum(1 for r, _how in register_roles.values() if r in _CONTACT_ROLES)
    scale = [c for c in cols if register_roles[c][0] is None and _looks_like_scale(_sample(df[c])) and
             len(_sample(df[c])) >= 2]
    survey_hits = sum(1 for c in cols if role_from_header(c, "survey")[0] in ("recommend", "overall", "respondent",
                                                                            "submitted_at", "duration"))
    if len(scale) >= 3 and len(scale) >= 0.3 * len(cols) and contact <= 1:
        return KindGuess("survey", f"{len(scale)} 列是打分的量表题", f"{len(scale)} columns hold rating-scale answers")
    order_dates = [c for c in cols if role_from_header(c, "orders") == ("order_date", "header")]
    amounts = [c for c in cols if role_from_header(c, "orders")[0] == "amount"]
    order_no = any(any(k in c.lower().replace(" ", "") for k in _ORDER_NO) for c in cols)
    key = next((c for c in cols if role_from_header(c, "orders")[0] in ("customer_id", "name")), None)
    repeats = key is not None and n >= 5 and df[key].nunique(dropna=True) < 0.8 * df[key].notna().sum()
    if order_dates and amounts and (order_no or repeats) and contact <= 1:
        return KindGuess("orders", "有下单日期、金额列，同一客户出现在多行", "order dates, amounts, one customer on many rows")
    types = _value_column(df, _CONTACT_TYPES)
    channels = _value_column(df, _CHANNELS)
    if types and channels:
        return KindGuess("interactions", f"“{types}”列是咨询/投诉等类型，“{channels}”列是渠道",
                         f"column '{types}' holds contact types and '{channels}' channels")
    named = sum(1 for r, _how in register_roles.values() if r)
    if contact >= 1 and named >= 2 or survey_hits == 0 and named >= 3:
        return KindGuess("register", "有姓名、电话等客户资料列", "it has customer columns (name, phone …)")
    return KindGuess(None, "", "")


def _value_column(df: pd.DataFrame, words: set[str]) -> str | None:
    for c in df.columns:
        vals = [str(v).strip() for v in _sample(df[c])]
        if len(vals) >= 3 and sum(v in words for v in vals) >= 0.6 * len(vals):
            return str(c)
    return None


def _advice(kind: str, file: str, command: str = "segment") -> tuple[str, str]:
    takes_orders = "report" if command == "report" else "segment"   # both read orders beside a register
    return {
        "register": (f"请用 kehu clean / dedupe / segment {file}", f"run kehu clean, dedupe or segment {file}"),
        "survey": (f"请用 kehu survey {file}", f"run kehu survey {file}"),
        "orders": (f"请把它作为订单传入：kehu {takes_orders} 客户档案.xlsx --orders {file}",
                   f"give it as orders: kehu {takes_orders} REGISTER.xlsx --orders {file}"),
        "interactions": (f"请用 kehu complaints {file}", f"run kehu complaints {file}"),
    }[kind]


def ensure_kind(table, command: str, forced: str | None = None) -> None:
    """Stop (exit 4) when the table is clearly another kind than `command` works on, unless --kind forced it."""
    if forced is not None:
        if forced not in KINDS:
            raise KehuError(f"--kind 只能是 {'、'.join(KINDS)}，收到“{forced}”。",
                            f"--kind must be one of {', '.join(KINDS)}; got '{forced}'.", ExitCode.USAGE)
        return
    want = COMMAND_KIND[command]
    guess = guess_kind(table.df)
    if guess.kind is None or guess.kind == want:
        return
    file = table.path.name
    todo_zh, todo_en = _advice(guess.kind, file, command)
    lead = "没有找到量表题：" if command == "survey" else ""
    raise KehuError(f"{lead}“{file}”的工作表“{table.sheet}”像是一份{KIND_ZH[guess.kind]}（{guess.why_zh}），"
                    f"不是{KIND_ZH[want]}。{todo_zh}；如确实是{KIND_ZH[want]}，加 --kind {want}。",
                    f"Sheet '{table.sheet}' of {file} looks like a {KIND_EN[guess.kind]} ({guess.why_en}), not a "
                    f"{KIND_EN[want]}: {todo_en}, or add --kind {want} to go on.", ExitCode.INPUT_CONTENT)
