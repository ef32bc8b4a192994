"""Which order columns the customer report uses beyond customer / date / amount: found by the reader's role
(udfs/recognise aliases: order_id, product, cost, margin, order_type, channel), else by header text as before."""
from __future__ import annotations

from typing import Any, Iterable

#: ReportInput.orders key → the reader's role.
ORDER_KEYS = {"order_id": "order_id", "product": "product", "cost": "cost", "margin": "margin", "kind": "order_type",
              "channel": "channel"}

#: Header words for tables read without roles (exact first, then contained), as the report has always used.
HEADER_WORDS = {"order_id": ("订单编号", "订单号", "单号", "orderid", "orderno"),
                "product": ("产品", "产品名称", "商品", "商品名称", "品类", "产品类别", "product", "category", "sku"),
                "cost": ("成本", "成本金额", "cost"), "margin": ("毛利", "毛利额", "margin", "profit"),
                "kind": ("订单类型", "单据类型", "类型", "交易类型", "type"),
                "channel": ("销售渠道", "渠道", "下单渠道", "channel")}


def by_header(columns: list, words: tuple[str, ...]) -> Any:
    """The column whose header is one of `words` (folded), else the first whose header contains one."""
    folded = {c: str(c).strip().lower().replace(" ", "") for c in columns}
    for w in words:
        hit = next((c for c, h in folded.items() if h == w.lower()), None)
        if hit is not None:
            return hit
    return next((c for c, h in folded.items() for w in words if len(w) > 1 and w.lower() in h), None)


def order_extra_columns(columns: Iterable[Any], roles: dict[Any, str] | None = None,
                        taken: Iterable[Any] = ()) -> dict[str, Any]:
    """ReportInput.orders key → column: the first column with the key's role, else the header-text match among
    the columns not yet used (`taken`: customer, date, amount …)."""
    columns = list(columns)
    used = set(taken)
    out: dict[str, Any] = {}
    by_role = {}
    for c, r in (roles or {}).items():
        by_role.setdefault(r, c)
    for key, role in ORDER_KEYS.items():
        col = by_role.get(role)
        if col is None or col in used or col not in columns:
            col = by_header([c for c in columns if c not in used], HEADER_WORDS[key])
        if col is not None:
            out[key] = col
            used.add(col)
    return out
