"""One readable, JSON-serialisable settings object that describes a whole duplicate run.

A run is: derive comparison keys from the role columns (`keys`), pair rows that share a blocking key
(`blocking`), compare each pair field by field (`comparisons`), add up the evidence as Fellegi–Sunter
log2 Bayes factors, and call a pair 重复 / 疑似重复 from the resulting probability (`thresholds`).

The m-probabilities (how often a field agrees at each level when two rows ARE the same customer) are set
here, openly, per field. The u-probabilities (how often it agrees by chance) are measured on the data at
run time and stored back in `u`, so the saved settings of a run say exactly how every score was made.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Iterable

from udfs.errors import InputProblem

#: Comparison levels, best first. `null` (either side empty) carries no evidence and is not listed here.
#: The last three are person names with exactly one character written wrong (udfs/match/chinese_names.py).
LEVELS = ("exact", "homophone", "close", "partial", "differ", "typo_given", "sibling", "typo_surname")

#: Ways to keep one record of a duplicate group (merge.py).
KEEP_RULES = ("most_complete", "most_recent", "earliest_id")


@dataclass
class KeySpec:
    """How to derive one comparison key: the first present role column, then normaliser steps in order."""

    roles: tuple[str, ...]
    steps: tuple[str, ...] = ("text",)


@dataclass
class Comparison:
    """One field compared on every candidate pair.

    method: exact | string | person_name | phone | date | code.
    m: level → share of true duplicate pairs at that level (levels a method cannot produce are ignored).
    group: comparisons in the same group describe one shared fact (workplace, household: company,
    company landline, address), so only the strongest of them counts (DOMAIN.md §2a).
    """

    key: str
    label: str
    method: str
    m: dict[str, float]
    metric: str = "jaro_winkler"
    close: float = 0.92
    partial: float = 0.80
    term_frequency: bool = False
    group: str | None = None
    u_prior: dict[str, float] | None = None  # chance agreement assumed before seeing data (small tables)
    pinyin_key: str | None = None  # person_name: toneless pinyin key for homophones
    tokens_key: str | None = None  # person_name: the name as lower-case words, for Latin-letter names
    swap_key: str | None = None    # string: the other name field, for given name / surname swaps
    # A field that describes a household fact when the names do not agree (a mobile shared by a parent and
    # a child, the city of a family): at those name levels its agreement counts in this group, like the
    # shared landline and address; its disagreement still counts against.
    household_group: str | None = None
    household_levels: tuple[str, ...] = ("partial", "differ", "typo_given", "sibling", "typo_surname")
    # …unless the pair also agrees exactly on one of these: family members share a phone, not an employer too
    personal_with: tuple[str, ...] = ()
    # …and at any name level where the names do not agree, a disagreement on one of these (another birth date,
    # another gender) makes it a household fact: a sibling, not a typo
    household_if_differ: tuple[str, ...] = ()


@dataclass
class BlockingRule:
    """Rows with equal values on all `keys` become candidate pairs.

    Inside one block rows are sorted by `sort_by` and each is paired with its next `window` rows, so a
    huge block (a company switchboard number shared by 500 staff) costs 500 × window pairs, not 500².
    """

    keys: tuple[str, ...]
    sort_by: str | None = None
    window: int = 12


@dataclass
class MatchSettings:
    """Everything a duplicate run needs; `to_json` / `from_json` save and reload it."""

    name: str
    keys: dict[str, KeySpec]
    blocking: list[BlockingRule]
    comparisons: list[Comparison]
    vetoes: list[list[str]] = field(default_factory=list)
    # veto (keys joined by "+") → identifiers whose exact agreement lifts it: clearly different names are a
    # cannot-link only when no identifier agrees (two re-entries with typos in different characters).
    veto_lifted_by: dict[str, list[str]] = field(default_factory=dict)
    # When the names clearly differ, or are two-character names one given-name character apart (siblings),
    # shared site facts (address, switchboard, company, a household mobile) support a match by at most this
    # many bits: identity evidence, not the address, decides (DOMAIN.md §2a). A one-character typo in a longer
    # name keeps their full weight (and every disagreement still counts against).
    shared_bits_when_names_differ: float = 6.0
    shared_capped_at: tuple[str, ...] = ("partial", "differ", "typo_given", "sibling", "typo_surname")
    # Personal identifiers: exact agreement on one (a mobile only where it is not a household fact) outweighs
    # the name doubt, so the shared facts then count in full again.
    identifiers: tuple[str, ...] = ("id_number", "email", "mobile")
    expected_duplicate_share: float = 0.2
    duplicate_probability: float = 0.9
    possible_probability: float = 0.3
    cannot_link_probability: float = 0.001
    keep_rule: str = "most_complete"
    random_pairs: int = 20_000
    prior_pairs: float = 1000.0  # weight of Comparison.u_prior, in row pairs: matters for small tables only
    seed: int = 20240601
    u: dict[str, dict[str, float]] = field(default_factory=dict)

    # -- what a run can use ---------------------------------------------------------------------------
    def restricted_to(self, roles: Iterable[str]) -> "MatchSettings":
        """A copy that keeps only keys whose roles are present, and what depends on them."""
        present = set(roles)
        keys = {k: spec for k, spec in self.keys.items() if any(r in present for r in spec.roles)}
        comparisons = [c for c in self.comparisons if c.key in keys]
        for c in comparisons:
            if c.pinyin_key and c.pinyin_key not in keys:
                c.pinyin_key = None
            if c.tokens_key and c.tokens_key not in keys:
                c.tokens_key = None
            if c.swap_key and c.swap_key not in keys:
                c.swap_key = None
        blocking = [b for b in self.blocking
                    if all(k in keys for k in b.keys) and (b.sort_by is None or b.sort_by in keys)]
        compared = {c.key for c in comparisons}
        vetoes = [v for v in self.vetoes if all(k in compared for k in v)]
        for c in comparisons:
            if c.household_group and not any(x.method == "person_name" for x in comparisons):
                c.household_group = None
        out = MatchSettings.from_dict(self.to_dict())
        out.keys, out.blocking, out.comparisons, out.vetoes = keys, blocking, comparisons, vetoes
        return out

    def with_thresholds(self, duplicate: float | None = None, possible: float | None = None) -> "MatchSettings":
        out = MatchSettings.from_dict(self.to_dict())
        if duplicate is not None:
            out.duplicate_probability = float(duplicate)
        if possible is not None:
            out.possible_probability = float(possible)
        if out.possible_probability > out.duplicate_probability:
            out.possible_probability = out.duplicate_probability
        return out

    # -- saving ---------------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self, indent: int = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, d: dict) -> "MatchSettings":
        d = dict(d)
        d["keys"] = {k: KeySpec(roles=tuple(v["roles"]), steps=tuple(v["steps"])) for k, v in d["keys"].items()}
        d["blocking"] = [BlockingRule(keys=tuple(b["keys"]), sort_by=b.get("sort_by"), window=b.get("window", 12))
                         for b in d["blocking"]]
        d["comparisons"] = [Comparison(**dict(c, household_levels=tuple(c.get("household_levels", LEVELS[3:])),
                                              personal_with=tuple(c.get("personal_with", ())),
                                              household_if_differ=tuple(c.get("household_if_differ", ()))))
                            for c in d["comparisons"]]
        d["vetoes"] = [list(v) for v in d.get("vetoes", [])]
        d["identifiers"] = tuple(d.get("identifiers", ("id_number", "email", "mobile")))
        d["shared_capped_at"] = tuple(d.get("shared_capped_at", LEVELS[3:]))
        d["veto_lifted_by"] = {k: list(v) for k, v in d.get("veto_lifted_by", {}).items()}
        d["u"] = {k: dict(v) for k, v in d.get("u", {}).items()}
        return cls(**d)

    @classmethod
    def from_json(cls, text: str) -> "MatchSettings":
        """Settings from their JSON; text that is not kehu's settings JSON raises InputProblem."""
        try:
            return cls.from_dict(json.loads(text))
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            raise InputProblem(f"不是 kehu 的查重设置（JSON）：{e}", f"Not kehu duplicate settings (JSON): {e}") from None


def register_settings() -> MatchSettings:
    """Defaults for a Chinese customer register (roles as `udfs.recognise` names them).

    Identity evidence comes from personal fields (name, mobile, e-mail, ID number, birth date); company,
    company landline, USCC and address form one `shared` group because colleagues and family members
    share them. E-mail is compared exactly only: its user name is often the pinyin of the name, so a
    fuzzy e-mail match would count the name twice.
    """
    keys = {
        "name": KeySpec(("name",), ("person_name",)),
        "name_py": KeySpec(("name",), ("person_name", "pinyin")),
        "name_words": KeySpec(("name",), ("text",)),
        "gender": KeySpec(("gender",), ("gender",)),
        "mobile": KeySpec(("mobile", "phone"), ("mobile",)),
        "landline": KeySpec(("landline", "phone"), ("landline",)),
        "email": KeySpec(("email",), ("email",)),
        "id_number": KeySpec(("id_number",), ("id_number",)),
        "birth": KeySpec(("birth_date", "id_number"), ("birth_date",)),
        "company": KeySpec(("company",), ("company",)),
        "uscc": KeySpec(("uscc",), ("uscc",)),
        "city": KeySpec(("city", "province"), ("city",)),
        "address": KeySpec(("address",), ("address",)),
    }
    comparisons = [
        # One wrong character: m openly set (how often a re-entry has it), u measured on the data, so the
        # weight of 王成/王磊 (two-character name, common by chance) is far below that of 白琪云/白凤云.
        Comparison("name", "姓名", "person_name", {"exact": 0.80, "homophone": 0.07, "close": 0.03, "typo_given": 0.04,
                                                   "sibling": 0.02, "typo_surname": 0.015, "differ": 0.025},
                   metric="jaro_winkler", close=0.90, term_frequency=True, pinyin_key="name_py",
                   tokens_key="name_words"),
        # A mobile shared by two rows whose names are clearly different, or two-character names one given-name
        # character apart (siblings), is a household fact; with a one-character typo elsewhere it is personal.
        Comparison("mobile", "手机", "phone", {"exact": 0.88, "close": 0.02, "differ": 0.10}, term_frequency=True,
                   household_group="shared", household_levels=("partial", "differ", "sibling"),
                   personal_with=("company", "uscc"), household_if_differ=("birth", "gender", "id_number")),
        Comparison("email", "邮箱", "exact", {"exact": 0.85, "differ": 0.15}, term_frequency=True),
        Comparison("id_number", "身份证号", "code", {"exact": 0.96, "close": 0.02, "differ": 0.02}),
        Comparison("birth", "出生日期", "date", {"exact": 0.93, "close": 0.04, "differ": 0.03}),
        Comparison("gender", "性别", "exact", {"exact": 0.97, "differ": 0.03}, u_prior={"exact": 0.5}),
        Comparison("city", "城市", "exact", {"exact": 0.93, "differ": 0.07}, u_prior={"exact": 0.05},
                   household_group="shared"),
        Comparison("company", "公司", "string", {"exact": 0.85, "close": 0.05, "partial": 0.03, "differ": 0.07},
                   metric="jaro_winkler", close=0.92, partial=0.85, term_frequency=True, group="shared"),
        Comparison("uscc", "信用代码", "code", {"exact": 0.9, "close": 0.02, "differ": 0.08}, group="shared"),
        Comparison("landline", "电话", "phone", {"exact": 0.85, "close": 0.02, "differ": 0.13},
                   term_frequency=True, group="shared"),
        Comparison("address", "地址", "string", {"exact": 0.75, "close": 0.12, "partial": 0.05, "differ": 0.08},
                   metric="levenshtein", close=0.85, partial=0.7, term_frequency=True, group="shared"),
    ]
    # Personal identifiers make small blocks; shared attributes (a switchboard, an office address, a common
    # name) make big ones, where the sort key brings a true duplicate next to its original, so a short
    # window is enough and keeps the pairs per row from growing with the size of the register.
    blocking = [
        BlockingRule(("mobile",), sort_by="name_py"),
        BlockingRule(("email",), sort_by="name_py"),
        BlockingRule(("id_number",), sort_by="name_py"),
        BlockingRule(("name_py", "city"), sort_by="birth", window=5),
        BlockingRule(("name_py", "birth"), sort_by="city", window=5),
        # needs neither mobile nor e-mail nor an unmistyped name: a re-entry with a new mobile and a typo
        BlockingRule(("birth", "city"), sort_by="name_py", window=5),
        BlockingRule(("name_py", "company"), sort_by="city", window=5),
        BlockingRule(("landline",), sort_by="name_py", window=3),
        BlockingRule(("uscc",), sort_by="name_py", window=3),
        BlockingRule(("company",), sort_by="name_py", window=3),
        BlockingRule(("address",), sort_by="name_py", window=3),
        BlockingRule(("name",), sort_by="mobile", window=3),
    ]
    return MatchSettings(name="客户档案 customer register", keys=keys, blocking=blocking, comparisons=comparisons,
                         vetoes=[["name"], ["id_number"]],
                         veto_lifted_by={"name": ["id_number", "email", "mobile"]})


def febrl_settings() -> MatchSettings:
    """Settings for the Febrl synthetic data sets (English names and Australian addresses)."""
    keys = {
        "given_name": KeySpec(("given_name",), ("text",)),
        "surname": KeySpec(("surname",), ("text",)),
        "given_initial": KeySpec(("given_name",), ("text", "initial")),
        "surname_sound": KeySpec(("surname",), ("text", "soundex")),
        "given_sound": KeySpec(("given_name",), ("text", "soundex")),
        "street_number": KeySpec(("street_number",), ("text",)),
        # register roles as `udfs.recognise` names English headers (address_1 → address, state → province …)
        "address_1": KeySpec(("address_1", "address"), ("text",)),
        "address_2": KeySpec(("address_2",), ("text",)),
        "suburb": KeySpec(("suburb", "city"), ("text",)),
        "postcode": KeySpec(("postcode",), ("digits",)),
        "state": KeySpec(("state", "province"), ("text",)),
        "dob": KeySpec(("date_of_birth", "birth_date"), ("digits",)),
        "soc_sec_id": KeySpec(("soc_sec_id",), ("digits",)),
    }
    name_m = {"exact": 0.88, "close": 0.05, "partial": 0.02, "differ": 0.05}
    text_m = {"exact": 0.85, "close": 0.07, "partial": 0.03, "differ": 0.05}
    code_m = {"exact": 0.85, "close": 0.1, "differ": 0.05}
    comparisons = [
        Comparison("given_name", "名", "string", name_m, close=0.92, partial=0.85, term_frequency=True,
                   swap_key="surname"),
        Comparison("surname", "姓", "string", name_m, close=0.92, partial=0.85, term_frequency=True,
                   swap_key="given_name"),
        Comparison("dob", "出生日期", "date", {"exact": 0.85, "close": 0.1, "differ": 0.05}),
        Comparison("soc_sec_id", "社保号", "code", code_m),
        Comparison("street_number", "门牌号", "code", code_m),
        Comparison("address_1", "街道", "string", text_m, close=0.9, partial=0.8),
        Comparison("address_2", "地址2", "string", text_m, close=0.9, partial=0.8),
        Comparison("suburb", "区", "string", text_m, close=0.9, partial=0.8, term_frequency=True),
        Comparison("postcode", "邮编", "code", code_m, term_frequency=True),
        Comparison("state", "州", "exact", {"exact": 0.95, "differ": 0.05}, u_prior={"exact": 0.2}),
    ]
    blocking = [
        BlockingRule(("soc_sec_id",), sort_by="surname"),
        BlockingRule(("dob",), sort_by="surname"),
        BlockingRule(("surname_sound", "given_initial"), sort_by="dob"),
        BlockingRule(("given_sound", "postcode"), sort_by="surname"),
        BlockingRule(("surname_sound", "postcode"), sort_by="given_name"),
        BlockingRule(("address_1", "street_number"), sort_by="surname"),
        BlockingRule(("suburb", "given_initial"), sort_by="surname"),
    ]
    return MatchSettings(name="Febrl", keys=keys, blocking=blocking, comparisons=comparisons,
                         vetoes=[], expected_duplicate_share=0.3)
