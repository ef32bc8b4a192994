"""Normalise e-mail addresses: width folding, stray spaces and punctuation, lower-case domains.

The domain is always lower-cased (DNS ignores case). The local part is lower-cased too for
the big Chinese providers and webmail services, where the mailbox name ignores case, so
ZhangSan@QQ.com and zhangsan@qq.com compare equal; elsewhere it is kept as written.
Caught: full-width ＠ and letters, the Chinese full stop 。 in the domain, "mailto:", spaces
anywhere, trailing dots, commas and semicolons, angle brackets ("张三 <a@b.com>").
Syntax is not judged here; `udfs.validate.contact.check_email` does that.
"""
from __future__ import annotations

import re
from typing import Any

import pandas as pd

from udfs.normalise._unique import map_unique, settled
from udfs.normalise.text import clean_one

#: Providers whose mailbox names ignore letter case.
CASE_INSENSITIVE_DOMAINS = frozenset({
    "qq.com", "vip.qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "vip.163.com",
    "vip.126.com", "188.com", "sina.com", "sina.cn", "vip.sina.com", "sohu.com", "139.com",
    "189.cn", "wo.cn", "aliyun.com", "tom.com", "21cn.com", "gmail.com", "outlook.com",
    "hotmail.com", "live.com", "yahoo.com", "icloud.com",
})

_ANGLE = re.compile(r"<([^<>]*@[^<>]*)>")


@settled
def normalise_email_one(v: Any) -> str | None:
    """One cell → normalised address text (None for blank)."""
    text = clean_one(v)
    if text is None:
        return None
    m = _ANGLE.search(text)
    if m:
        text = m.group(1)
    text = text.replace("。", ".").replace("﹫", "@")
    text = "".join(text.split())
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = text.rstrip(".,;:'\"").lstrip(",;:'\"")  # a leading dot is an error to report, not tidy
    if not text:
        return None
    local, at, domain = text.rpartition("@")
    if not at:
        return text
    domain = domain.lower().rstrip(".")
    if domain in CASE_INSENSITIVE_DOMAINS:
        local = local.lower()
    return f"{local}@{domain}" if (local or domain) else None


def normalise_email(values: Any) -> pd.Series:
    """Column → normalised e-mail addresses (object Series, None for blank)."""
    return map_unique(values, normalise_email_one)
