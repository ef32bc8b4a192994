"""Check contact columns: mobile numbers, landlines, phones of either kind, and e-mail syntax (no network look-ups)."""
from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from udfs.normalise._kernels import _arrow, arrow_available
from udfs.normalise._unique import map_unique
from udfs.normalise.email import normalise_email_one, normalise_unique_emails
from udfs.normalise.phone import parse_phones

#: Domains that are one slip away from a big provider (qq.con, gmial.com …).
DOMAIN_TYPOS = {
    "qq.con": "qq.com", "qq.cm": "qq.com", "qq.co": "qq.com", "qq.comm": "qq.com", "qq.cn": "qq.com",
    "163.con": "163.com", "163.cm": "163.com", "163.co": "163.com", "163.cn": "163.com",
    "126.con": "126.com", "126.cm": "126.com", "126.co": "126.com", "sina.con": "sina.com",
    "sohu.con": "sohu.com", "gmial.com": "gmail.com", "gamil.com": "gmail.com", "gmail.con": "gmail.com",
    "gmail.co": "gmail.com", "hotmial.com": "hotmail.com", "hotmail.con": "hotmail.com",
    "outlook.con": "outlook.com", "foxmail.con": "foxmail.com", "139.con": "139.com",
}


def check_mobile(values: Any) -> pd.Series:
    """Mobile column → problem code per cell: length, 1[3-9] prefix, placeholder, rounded, landline."""
    p = parse_phones(values)
    problem = p["problem"].copy()
    landline = p["kind"].eq("landline") & problem.isna()
    problem[landline] = "MOBILE_IS_LANDLINE"
    return problem.astype(object).where(problem.notna(), None)


def check_landline(values: Any) -> pd.Series:
    """Landline column → problem code per cell (area code, length); a mobile there is accepted."""
    return check_phone(values)


def check_phone(values: Any) -> pd.Series:
    """Phone column of any kind → problem code per cell."""
    p = parse_phones(values)
    return p["problem"].astype(object).where(p["problem"].notna(), None)


# Plain ASCII addresses that email-validator always accepts (dot-atom local part of at most 64
# characters, two or more LDH labels, an alphabetic top-level domain that is not special-use).
# They skip the validator, which costs ~60 µs per address; everything else goes through it.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_PLAIN_EMAIL = re.compile(
    rf"^(?=.{{1,64}}@){_ATEXT}(?:\.{_ATEXT})*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?\.)+"
    r"(?!(?:arpa|invalid|local|localhost|onion|test|example|internal|alt|home|lan|corp|mail)$)[A-Za-z]{2,24}$"
)


def email_problem_one(v: Any) -> str | None:
    """One cell → EMAIL_SYNTAX, EMAIL_DOMAIN_TYPO or None (blank or fine)."""
    address = normalise_email_one(v)
    return None if address is None else _address_problem(address)


def _address_problem(address: str) -> str | None:
    """An already normalised address → its problem code, or None."""
    if len(address) <= 254 and _PLAIN_EMAIL.match(address):
        return "EMAIL_DOMAIN_TYPO" if address.rpartition("@")[2].lower() in DOMAIN_TYPOS else None
    return _validator_problem(address)


def _validator_problem(address: str) -> str | None:
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return "EMAIL_SYNTAX"
    except Exception:  # email-validator raises plain errors on a few exotic inputs
        return "EMAIL_SYNTAX"
    if address.rpartition("@")[2].lower() in DOMAIN_TYPOS:
        return "EMAIL_DOMAIN_TYPO"
    return None


def check_email(values: Any) -> pd.Series:
    """E-mail column → problem code per cell (syntax via email-validator, common domain typos)."""
    return map_unique(values, email_problem_one, batch=_email_problems_of_unique)


def _email_problems_of_unique(uniques: np.ndarray) -> list[str | None]:
    """[email_problem_one(u) for u in uniques]; the normalising is shared with the 邮箱(规范) column in a cleaning
    run (see shared_parses), and _PLAIN_EMAIL's addresses are recognised column-wise."""
    addresses = np.array(normalise_unique_emails(uniques), dtype=object)
    out = np.full(len(addresses), None, dtype=object)
    at = np.flatnonzero(addresses != None)  # noqa: E711 (element-wise on an object array)
    plain = _plain_addresses(addresses[at].tolist())
    if plain is not None:
        hit, typo = plain
        out[at[hit][typo]] = "EMAIL_DOMAIN_TYPO"
        at = at[~hit]
    out[at] = [_address_problem(a) for a in addresses[at].tolist()]
    return out.tolist()


# _PLAIN_EMAIL in RE2 (no look-arounds): the mailbox name and the top-level domain captured, their checks after
_PLAIN_EMAIL_GROUPS = (rf"^(?P<local>{_ATEXT}(?:\.{_ATEXT})*)@(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,61}}"
                       r"[A-Za-z0-9])?\.)+(?P<tld>[A-Za-z]{2,24}))$")
_SPECIAL_USE = ["arpa", "invalid", "local", "localhost", "onion", "test", "example", "internal", "alt", "home", "lan",
                "corp", "mail"]


def _plain_addresses(addresses: list[str]) -> tuple[np.ndarray, np.ndarray] | None:
    """(which addresses _address_problem passes by _PLAIN_EMAIL, which of those have a DOMAIN_TYPOS domain),
    column-wise with Arrow; None without pyarrow or for text Arrow cannot hold."""
    if not addresses or not arrow_available():
        return None
    pa, pc = _arrow()
    try:
        arr = pa.array(addresses, type=pa.large_string())
    except (UnicodeEncodeError, pa.ArrowException):
        return None
    found = pc.extract_regex(arr, _PLAIN_EMAIL_GROUPS)
    local, domain, tld = (pc.struct_field(found, [g]) for g in range(3))
    words = pa.array(_SPECIAL_USE, pa.large_string())
    plain = pc.and_kleene(pc.is_valid(found), pc.and_(
        pc.and_(pc.less_equal(pc.utf8_length(arr), 254), pc.less_equal(pc.utf8_length(local), 64)),
        pc.invert(pc.is_in(tld, value_set=words))))
    hit = pc.fill_null(plain, False).to_numpy(zero_copy_only=False)
    typos = pa.array(sorted(DOMAIN_TYPOS), pa.large_string())
    typo = pc.is_in(pc.utf8_lower(pc.filter(domain, hit)), value_set=typos).to_numpy(zero_copy_only=False)
    return hit, typo
