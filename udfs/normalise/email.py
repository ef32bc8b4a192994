"""Normalise e-mail addresses: width folding, stray spaces and punctuation, lower-case domains.

The domain is always lower-cased (DNS ignores case). The local part is lower-cased too for
the big Chinese providers and webmail services, where the mailbox name ignores case, so
ZhangSan@QQ.com and zhangsan@qq.com compare equal; elsewhere it is kept as written.
Caught: full-width ＠ and letters, the Chinese full stop 。 in the domain, "mailto:", spaces
anywhere, trailing dots, commas and semicolons, angle brackets ("张三 <a@b.com>").
Syntax is not judged here; `udfs.validate.contact.check_email` does that.
The column version reads the addresses most registers hold (plain ASCII, nothing to tidy) with Arrow's string
kernels: only the domain is lower-cased, and the mailbox name for the providers below; the rest go value by value.
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from udfs.normalise._kernels import _arrow, arrow_available
from udfs.normalise._unique import _apply, map_unique, settled
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
    return map_unique(values, normalise_email_one, batch=_normalise_many)


# Addresses normalise_email_one leaves as they are but for case: printable ASCII without space, angle brackets,
# quotes, commas, semicolons or colons (nothing clean_one, the bracket rule, mailto: or the strips would
# change), one @, and a last character that no rstrip removes.
_TIDY_EMAIL = r"^(?P<local>[A-Za-z0-9._%+!#$&*/=?^`{|}~-]+)@(?P<domain>[A-Za-z0-9._-]*[A-Za-z0-9_-])$"


def normalise_unique_emails(uniques: np.ndarray) -> list[str | None]:
    """[normalise_email_one(u) for u in uniques], shared inside a cleaning run with `normalise_email`'s answers."""
    return _apply(normalise_email_one, uniques, batch=_normalise_many)


def _normalise_many(uniques: np.ndarray) -> list[str | None]:
    """[normalise_email_one(u) for u in uniques]: tidy ASCII addresses column-wise (Arrow), the rest one by one."""
    out = np.full(len(uniques), None, dtype=object)
    texts = np.flatnonzero([u.__class__ is str and u.isascii() for u in uniques])
    if len(texts) and arrow_available():
        pa, pc = _arrow()
        found = pc.extract_regex(pa.array(uniques[texts].tolist(), type=pa.large_string()), _TIDY_EMAIL)
        tidy = pc.is_valid(found)
        found = pc.filter(found, tidy)
        local, domain = pc.struct_field(found, [0]), pc.ascii_lower(pc.struct_field(found, [1]))
        ignores_case = pc.is_in(domain, value_set=pa.array(sorted(CASE_INSENSITIVE_DOMAINS), pa.large_string()))
        local = pc.if_else(ignores_case, pc.ascii_lower(local), local)
        joined = pc.binary_join_element_wise(local, domain, pa.scalar("@", pa.large_string()))
        out[texts[tidy.to_numpy(zero_copy_only=False)]] = joined.to_numpy(zero_copy_only=False)
    rest = np.flatnonzero(out == None)  # noqa: E711 (element-wise on an object array)
    out[rest] = [normalise_email_one(u) for u in uniques[rest].tolist()]
    return out.tolist()
