"""How staff really mistype a register, for the benchmark generator: written name typos and cell formats.

Written from what users type, not from the matcher:
- a wrong character that looks like the right one (王/玉, 风/凤, 未/末 — picked from a handwritten form or
  a crowded candidate list), or simply another character (王成 keyed as 王磊), in the given name or the surname;
- a surname with a special surname reading typed through pinyin input with that reading (覃 is qín as a
  surname, so the copy reads 秦; 单 shàn → 善, 解 xiè → 谢 …);
- a customer who changed mobile number and whose name was also mistyped in the new row;
- mobiles that went through a numeric cell: text with a trailing `.0`, scientific notation that still
  holds every digit (`1.3800138000E+10`);
- a copy whose mobile was left blank.
"""
from __future__ import annotations

import numpy as np

# Look-alike characters (形近字) that do not sound alike; each string is one set of look-alikes.
VISUAL_GROUPS = ["王玉主", "未末", "己已", "大太犬", "天夫", "风凤", "刀力", "今令", "木本", "千干于", "白自", "田由甲申",
                 "明朋", "休体", "土士", "人入", "午牛", "贝见", "鸟乌", "秀季", "晴睛", "宇字", "梅海", "冰水永",
                 "东车", "军车", "国图", "雪雷", "志忘", "超起", "凯岂", "华毕", "陈陆", "李季", "赵越", "吴昊",
                 "徐涂", "杨汤", "宋宗", "方万", "丽而", "云去", "兰三", "成戌", "平半", "文丈", "红江", "春香"]
LOOK_ALIKE = {c: g.replace(c, "") for g in VISUAL_GROUPS for c in g}

# Surnames with a special surname reading and the everyday character a pinyin user gets for that reading.
SURNAME_READING_TYPOS = {"覃": "秦", "单": "善", "曾": "增", "解": "谢", "仇": "裘", "区": "欧", "朴": "瓢", "查": "渣",
                         "尉迟": "玉迟", "乐": "岳", "缪": "妙", "召": "邵", "盖": "葛"}
READING_SURNAMES = list(SURNAME_READING_TYPOS)

WRITTEN_CORRUPTIONS = (
    "typo_visual",          # one character replaced by a look-alike (given name or surname)
    "typo_random",          # one character replaced by any other name character
    "surname_reading",      # 覃 → 秦: the surname typed with its surname reading
    "mobile_changed_typo",  # a new mobile number and a mistyped name character
    "mobile_numeric",       # 13800138000.0 as text, 1.3800138000E+10 with every digit
    "mobile_blank",         # the copy's mobile left empty
)
#: the corruptions that put a written (not homophone) typo into the name
NAME_TYPO_KINDS = ("typo_visual", "typo_random", "mobile_changed_typo")


def _surname_length(name: str) -> int:
    return 2 if len(name) >= 3 and name[:2] in COMPOUND else 1


COMPOUND = {"欧阳", "司马", "诸葛", "尉迟", "上官", "东方"}


def mistype_name(name: str, rng: np.random.Generator, pool: str, look_alike: bool, sounds: dict) -> str | None:
    """The name with one character replaced (never by a same-sounding one); None when nothing fits."""
    if not name or len(name) < 2:
        return None
    start = _surname_length(name)
    # Given-name characters are mistyped more often than the surname (the surname is said and checked first).
    # A compound surname is written as a unit and not mistyped here.
    positions = [i for i in range(len(name)) if not (start == 2 and i < 2)]
    weights = np.array([0.25 if i < start else 1.0 for i in positions])
    order = rng.choice(positions, size=len(positions), replace=False, p=weights / weights.sum())
    for i in order.tolist():
        ch = name[i]
        if look_alike:
            options = [c for c in LOOK_ALIKE.get(ch, "") if sounds.get(c) != sounds.get(ch)]
        else:
            options = [c for c in pool if c != ch and sounds.get(c) != sounds.get(ch)]
        if options:
            return name[:i] + options[int(rng.integers(0, len(options)))] + name[i + 1:]
    return None


def reading_typo(name: str) -> str | None:
    for surname, typed in SURNAME_READING_TYPOS.items():
        if name.startswith(surname) and len(name) > len(surname):
            return typed + name[len(surname):]
    return None


def numeric_mobile(mobile: str, rng: np.random.Generator):
    """A mobile as it comes out of a numeric cell into a CSV: '….0' text or full-precision scientific text.
    (A float cell itself is covered by the engine's unit tests; the merge tests compare cell text.)"""
    if rng.random() < 0.5:
        return mobile + ".0"
    return f"{mobile[0]}.{mobile[1:]}E+10"


def corrupt_written(rec: dict, kind: str, rng: np.random.Generator, pool: str, sounds: dict,
                    new_mobile: str) -> bool:
    """Apply one of WRITTEN_CORRUPTIONS to a duplicate row in place; False when the row has nothing to corrupt."""
    name = rec.get("姓名")
    if kind in ("typo_visual", "typo_random"):
        typed = mistype_name(name, rng, pool, kind == "typo_visual", sounds) if name else None
        if typed is None and kind == "typo_visual" and name:
            typed = mistype_name(name, rng, pool, False, sounds)  # no look-alike in this name: any character
        if typed is None:
            return False
        rec["姓名"] = typed
        return True
    if kind == "surname_reading":
        typed = reading_typo(name) if name else None
        if typed is None:
            return False
        rec["姓名"] = typed
        return True
    if kind == "mobile_changed_typo":
        typed = mistype_name(name, rng, pool, bool(rng.random() < 0.5), sounds) if name else None
        if typed is None:
            return False
        rec["姓名"] = typed
        rec["手机"] = new_mobile
        return True
    if kind == "mobile_numeric":
        m = rec.get("手机")
        if not isinstance(m, str) or not m.isdigit():
            return False
        rec["手机"] = numeric_mobile(m, rng)
        return True
    if kind == "mobile_blank":
        if not rec.get("手机"):
            return False
        rec["手机"] = None
        return True
    raise ValueError(kind)
