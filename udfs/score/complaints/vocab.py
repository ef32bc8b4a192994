"""The log's fixed vocabularies: channel, contact type and status words → kehu's canonical word (or None)."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from udfs.text.segment import fold_one

CHANNELS = ("电话", "微信", "上门", "邮件", "在线", "门店")
TYPES = ("咨询", "投诉", "建议", "报修", "退换货", "回访")
STATUSES = ("已解决", "处理中", "未处理", "已关闭")
#: statuses that end a case; the others are open
DONE = frozenset({"已解决", "已关闭"})

_CHANNEL_WORDS = {
    "电话": ("电话", "来电", "热线", "400", "呼入", "致电", "phone", "call", "telephone", "hotline"),
    "微信": ("微信", "公众号", "小程序", "wechat", "weixin", "line"),
    "上门": ("上门", "走访", "拜访", "visit", "onsite", "on-site"),
    "邮件": ("邮件", "邮箱", "电邮", "email", "e-mail", "mail"),
    "在线": ("在线", "网站", "官网", "app", "网上", "在线客服", "online", "web", "chat", "live chat"),
    "门店": ("门店", "到店", "店内", "柜台", "营业厅", "store", "walk-in", "shop", "counter"),
}
_TYPE_WORDS = {
    "咨询": ("咨询", "查询", "问询", "询问", "inquiry", "enquiry", "question", "consult"),
    "投诉": ("投诉", "客诉", "申诉", "抱怨", "complaint", "complain"),
    "建议": ("建议", "意见", "suggestion", "feedback", "idea"),
    "报修": ("报修", "维修", "故障", "repair", "fault", "breakdown"),
    "退换货": ("退换货", "退货", "换货", "退换", "退款", "return", "exchange", "refund"),
    "回访": ("回访", "跟进回访", "满意度回访", "follow-up", "followup", "callback"),
}
_STATUS_WORDS = {
    "已解决": ("已解决", "解决", "已处理", "处理完成", "已完成", "完成", "办结", "已办结", "resolved", "solved", "done",
              "completed", "fixed"),
    "处理中": ("处理中", "跟进中", "进行中", "已受理", "受理中", "待回复", "待确认", "重新打开", "重开", "已重开",
              "未解决", "尚未解决", "没解决", "未完成", "unresolved", "in progress", "processing", "pending", "reopened",
              "working"),
    "未处理": ("未处理", "待处理", "未受理", "待受理", "新建", "待分配", "未开始", "open", "new", "unassigned",
              "not started"),
    "已关闭": ("已关闭", "关闭", "结案", "已结案", "已撤销", "撤销", "closed", "cancelled", "canceled"),
}
#: status words that mean the case came back after being closed
REOPENED_WORDS = frozenset({"重新打开", "重开", "已重开", "reopened"})


def _index(words: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {fold_one(w): k for k, ws in words.items() for w in (k,) + ws}


_INDEXES = {"channel": _index(_CHANNEL_WORDS), "contact_type": _index(_TYPE_WORDS), "status": _index(_STATUS_WORDS)}


def _lookup(v: str | None, index: dict[str, str]) -> str | None:
    if v is None:
        return None
    v = v.strip(" 　.。")
    if v in index:
        return index[v]
    for word, canon in sorted(index.items(), key=lambda kv: -len(kv[0])):  # 电话投诉, 已解决（回访）
        if len(word) >= 2 and word in v:
            return canon
    return None


def canonical(values: Any, kind: str) -> tuple[pd.Series, pd.Series]:
    """(canonical word or None, folded original) for a channel / contact_type / status column."""
    col = pd.Series(np.asarray(values, dtype=object))
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    folded = [fold_one(u) for u in uniques]
    canon = np.array([_lookup(f, _INDEXES[kind]) for f in folded] + [None], dtype=object)
    fold = np.array(folded + [None], dtype=object)
    return pd.Series(canon[codes], dtype=object), pd.Series(fold[codes], dtype=object)


def share_known(values: Any, kind: str) -> float:
    """Share of non-blank cells that are a word of this vocabulary (for content inference)."""
    canon, fold = canonical(pd.Series(values).head(2000), kind)
    filled = fold.notna()
    return float(canon[filled].notna().mean()) if filled.any() else 0.0
