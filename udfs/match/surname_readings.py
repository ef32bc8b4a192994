"""Surname readings (姓氏读音) of characters that are read differently as a surname.

pypinyin has no surname mode: 覃 comes out tán, 单 dān, 解 jiě. A name typed through pinyin input with the
surname reading (秦 for 覃, 善 for 单) is then not recognised as sounding the same. These readings are taken
from published tables, not invented here:

- hotoo/pinyin (MIT licence), `data/surname.js` and `data/compound_surname.js` (commit 483c3a5), which follow
  the 百家姓 as listed on zh.wikipedia.org/wiki/百家姓 — the entries whose surname reading differs from the
  character's first reading;
- 《现代汉语词典》第 7 版（商务印书馆，2016）, which marks surname readings with 〈姓〉, for 覃 区 朴 召 种 秘 员
  繁 黑 折, which the first table does not list.

Readings are toneless; a character with a surname reading also keeps all its ordinary readings.
"""
from __future__ import annotations

#: character → surname reading(s), single surnames (hotoo/pinyin data/surname.js)
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "单": ("shan",), "解": ("xie",), "曾": ("zeng",), "仇": ("qiu",), "查": ("zha",), "乐": ("yue",),
    "缪": ("miao",), "能": ("nai",), "翟": ("zhai",), "柏": ("bai",), "薄": ("bo",), "贲": ("ben",),
    "隗": ("kui",), "都": ("du",), "厍": ("she",), "宿": ("su",), "莘": ("shen",), "乜": ("nie",),
    "盖": ("gai",), "葛": ("ge",), "华": ("hua",), "宁": ("ning",), "相": ("xiang",), "曲": ("qu",),
    "郇": ("xun",), "尉": ("yu",),  # 尉 as in 尉迟 (compound_surname.js: yù chí)
    # 《现代汉语词典》〈姓〉 readings
    "覃": ("qin",), "区": ("ou",), "朴": ("piao",), "召": ("shao",), "种": ("chong",), "秘": ("bi",),
    "员": ("yun",), "繁": ("po",), "黑": ("he",), "折": ("she",),
}

#: compound surnames and their readings (hotoo/pinyin data/compound_surname.js), those with a special reading
COMPOUND_SURNAME_READINGS: dict[str, tuple[str, str]] = {
    "尉迟": ("yu", "chi"), "万俟": ("mo", "qi"), "单于": ("chan", "yu"), "澹台": ("tan", "tai"),
    "长孙": ("zhang", "sun"), "子车": ("zi", "ju"), "乐正": ("yue", "zheng"), "仉督": ("zhang", "du"),
}

#: compound surnames in common use (the two characters are one surname)
COMPOUND_SURNAMES = frozenset({"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "夏侯", "慕容", "司徒", "公孙",
                               "宇文", "长孙", "尉迟", "万俟", "澹台", "轩辕", "端木", "南宫", "西门", "呼延", "独孤",
                               "单于", "钟离", "闻人", "申屠", "濮阳", "公羊", "子车", "乐正"})


def surname_length(name: str) -> int:
    """Characters of the surname at the start of a Chinese name (2 for 欧阳娜娜, else 1)."""
    return 2 if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES else 1


def surname_readings(name: str, position: int) -> tuple[str, ...]:
    """Extra readings of the character at `position` when it is part of the name's surname."""
    if position >= surname_length(name):
        return ()
    compound = COMPOUND_SURNAME_READINGS.get(name[:2]) if surname_length(name) == 2 else None
    if compound:
        return (compound[position],)
    return SURNAME_READINGS.get(name[position], ())
