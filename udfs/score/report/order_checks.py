"""Orders that cannot be taken at face value: listed with a reason, never silently dropped."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

RETURN_WORDS = ("退货", "退款", "退單", "退货单", "return", "refund")

#: code → (Chinese, English) shown in the 数据问题 sheet.
ORDER_PROBLEMS = {
    "UNLINKED": ("订单的客户编号不在客户表中", "order's customer id is not in the register"),
    "NO_CUSTOMER": ("订单没有客户编号", "order has no customer id"),
    "AMOUNT_NEGATIVE": ("金额为负数（按退货处理，不计入收入）", "negative amount (treated as a return, not revenue)"),
    "AMOUNT_ZERO": ("金额为 0 或空白", "zero or blank amount"),
    "RETURN": ("退货 / 退款订单", "return or refund order"),
    "FUTURE_DATE": ("下单日期晚于分析日期", "order date after the analysis date"),
    "NO_DATE": ("下单日期无法识别", "order date not readable"),
    "DUPLICATE_ID": ("订单编号重复（只计第一条）", "duplicate order id (only the first counts)"),
}


def order_problems(linked: Any, has_customer: Any, amount: Any, dates: Any, as_of: Any, *,
                   order_id: Any = None, order_type: Any = None) -> pd.DataFrame:
    """One boolean column per problem code, aligned with the orders, and 可用 (the order counts in the figures).

    An order counts when it links to a customer, has a positive amount, is no return, has a date on or
    before `as_of`, and is the first row with its order id.
    """
    n = len(np.asarray(linked))
    money = np.asarray(amount, dtype="float64")
    d = pd.to_datetime(pd.Series(dates)).to_numpy(dtype="datetime64[ns]")
    day0 = np.datetime64(pd.Timestamp(as_of), "ns")
    flags = pd.DataFrame(index=range(n))
    has = np.asarray(has_customer, dtype=bool)
    flags["NO_CUSTOMER"] = ~has
    flags["UNLINKED"] = has & ~np.asarray(linked, dtype=bool)
    flags["AMOUNT_NEGATIVE"] = money < 0
    flags["AMOUNT_ZERO"] = (money == 0) | np.isnan(money)
    if order_type is not None:
        t = pd.Series(order_type, dtype=object).astype("string").str.lower()
        flags["RETURN"] = t.str.contains("|".join(RETURN_WORDS), regex=True).fillna(False).to_numpy(dtype=bool)
    else:
        flags["RETURN"] = False
    flags["NO_DATE"] = np.isnat(d)
    flags["FUTURE_DATE"] = ~np.isnat(d) & (d > day0 + np.timedelta64(1, "D") - np.timedelta64(1, "ns"))
    if order_id is not None:
        ids = pd.Series(order_id, dtype=object).astype("string").str.strip()
        flags["DUPLICATE_ID"] = (ids.notna() & (ids != "") & ids.duplicated(keep="first")).to_numpy(dtype=bool)
    else:
        flags["DUPLICATE_ID"] = False
    flags["可用"] = ~flags[list(ORDER_PROBLEMS)].any(axis=1)
    return flags


def problem_counts(flags: pd.DataFrame) -> pd.DataFrame:
    """问题, Problem, 订单数 for every code (zeros included: a check that found nothing is also news)."""
    return pd.DataFrame({"问题": [zh for zh, _ in ORDER_PROBLEMS.values()],
                         "Problem": [en for _, en in ORDER_PROBLEMS.values()],
                         "订单数": [int(flags[c].sum()) for c in ORDER_PROBLEMS]})


def problem_text(flags: pd.DataFrame) -> pd.Series:
    """One line per order naming its problems (blank for usable orders)."""
    text = np.full(len(flags), "", dtype=object)
    bad = np.flatnonzero(~flags["可用"].to_numpy())  # only the few bad rows get text
    for c, (zh, _en) in ORDER_PROBLEMS.items():
        hit = bad[flags[c].to_numpy()[bad]]
        text[hit] = text[hit] + np.where(text[hit] == "", "", "；") + zh
    return pd.Series(text)
