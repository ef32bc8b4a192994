"""Person names: honorifics split off, spacing and case made consistent, matching keys and toneless pinyin.

`split_person_name`: 张 伟 → 张伟; 王先生 → 王 + 先生; 李总 → 李 + 总; 张伟（经理）→ 张伟 + 经理;
Mr. john SMITH → John Smith + Mr.; 阿卜杜•热合曼 → 阿卜杜·热合曼 (one middle dot).
`person_name_key`: simplified, no spaces or punctuation, lower-case (張偉 and 张伟 agree).
`name_pinyin`: toneless pinyin without spaces (张伟 and 张玮 → zhangwei) for homophone typos.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from udfs.normalise._unique import map_unique, map_unique_frame, settled
from udfs.normalise.text import CJK_CHAR, clean_one, to_simplified

#: Titles written after a Chinese surname or name, longest first when matching.
HONORIFICS_AFTER = sorted([
    "先生", "女士", "小姐", "老师", "经理", "總經理", "总经理", "副总经理", "董事长", "董事長", "總監", "总监",
    "主任", "主管", "院长", "校长", "博士", "教授", "医生", "醫生", "大夫", "律师", "律師", "师傅", "師傅",
    "老板", "老闆", "阿姨", "大姐", "大哥", "局长", "处长", "科长", "部长", "厂长", "店长", "会计",
    "太太", "夫人", "同学", "同志", "书记", "经理助理", "工程师", "经理人", "總", "总", "工", "姐", "哥",
    "叔", "姨", "董", "經理", "老師",
], key=len, reverse=True)
#: Titles of one character only count after a one-character surname (李总, 王工), because
#: names such as 张晓姐 are unlikely but 二字 names ending 哥/姐 are not impossible.
_ONE_CHAR_ONLY_AFTER_SURNAME = {h for h in HONORIFICS_AFTER if len(h) == 1}
# One search finds the candidate titles at the end; the alternation is longest first.
_TITLE_AT_END = re.compile("(?:" + "|".join(map(re.escape, HONORIFICS_AFTER)) + r")$")
_LATIN_TITLES = {"mr": "Mr.", "mrs": "Mrs.", "ms": "Ms.", "miss": "Miss", "dr": "Dr.",
                 "prof": "Prof.", "sir": "Sir", "madam": "Madam", "mx": "Mx."}
_LATIN_TITLE = re.compile(r"^(mr|mrs|ms|miss|dr|prof|sir|madam|mx)\b\.?\s*", re.IGNORECASE)
_BRACKET = re.compile(r"[(\[【〔]([^()\[\]【】〔〕]*)[)\]】〕]")
_DOT_BETWEEN_CJK = re.compile(r"(?<=[\u3400-\u9fff])\s*[•・·.．‧∙⋅]\s*(?=[\u3400-\u9fff])")
_SPACE_BETWEEN_CJK = re.compile(r"(?<=[\u3400-\u9fff·])\s+(?=[\u3400-\u9fff·])")
_NOT_KEY = re.compile(r"[\s\W_]+")

NAME_COLUMNS = ["name", "honorific"]


def split_person_name_one(v: Any) -> tuple[str | None, str | None]:
    """One cell → (name, honorific). Either may be None."""
    text = clean_one(v)
    if text is None:
        return None, None
    honorific = None
    for m in list(_BRACKET.finditer(text)):
        inner = m.group(1).strip()
        if inner in HONORIFICS_AFTER and honorific is None:
            honorific = inner
    text = _BRACKET.sub(" ", text)  # bracketed notes (部门, 经理) are not part of a name
    text = " ".join(text.split())
    if CJK_CHAR.search(text):
        text = _DOT_BETWEEN_CJK.sub("·", text)
        text = _SPACE_BETWEEN_CJK.sub("", text)
        for _ in range(3):  # 王总经理先生 happens; strip until none is left
            found = _honorific_suffix(text)
            if found is None:
                break
            text = text[: -len(found)].strip()
            honorific = honorific or found
    else:
        m = _LATIN_TITLE.match(text)
        while m and len(text) > m.end():
            honorific = honorific or _LATIN_TITLES[m.group(1).lower()]
            text = text[m.end():]
            m = _LATIN_TITLE.match(text)
        text = _latin_case(text)
    return (text or None), honorific


def _honorific_suffix(text: str) -> str | None:
    if not _TITLE_AT_END.search(text):
        return None
    for h in HONORIFICS_AFTER:
        if text.endswith(h):
            rest = text[: -len(h)].strip()
            if not rest or not CJK_CHAR.search(rest[-1]):
                continue
            if h in _ONE_CHAR_ONLY_AFTER_SURNAME and len(rest) != 1:
                continue
            return h
    return None


def _latin_case(text: str) -> str:
    """JOHN smith → John Smith; keeps the first letter after ' and - upper (O'Neil, Jean-Luc)."""
    for _ in range(3):  # letters such as ß and ŉ change length when cased; settle them
        cased = _latin_case_once(text)
        if cased == text:
            break
        text = cased
    return text


def _latin_case_once(text: str) -> str:
    words = []
    for w in text.split(" "):
        if w.isupper() or w.islower() or not any(c.isupper() for c in w[1:]):
            w = "-".join("'".join(p[:1].title() + p[1:].lower() for p in part.split("'"))
                         for part in w.split("-"))
        words.append(w)
    return " ".join(words)


def split_person_name(values: Any) -> pd.DataFrame:
    """Column → DataFrame[name, honorific] (name cleaned, title such as 先生/经理/Mr. separated)."""
    return map_unique_frame(values, split_person_name_one, NAME_COLUMNS)


@settled
def person_name_key_one(v: Any) -> str | None:
    """One cell → name key: simplified, lower-case, without spaces, dots or honorific."""
    name, _ = split_person_name_one(v)
    if name is None:
        return None
    key = _NOT_KEY.sub("", unicodedata.normalize("NFKC", to_simplified(name).lower()))
    return key or None


def person_name_key(values: Any) -> pd.Series:
    """Column → matching key for person names (張偉 / 张 伟 / 张伟先生 → 张伟; John SMITH → johnsmith)."""
    return map_unique(values, person_name_key_one)


# Surnames whose reading differs from the character's first dictionary reading.
_SURNAME_READINGS = {"单": "shan", "曾": "zeng", "解": "xie", "区": "ou", "仇": "qiu", "朴": "piao",
                     "查": "zha", "乐": "yue", "覃": "qin", "翟": "zhai", "盖": "ge", "缪": "miao",
                     "秘": "bi", "召": "shao", "种": "chong", "折": "she", "黑": "he", "任": "ren",
                     "柏": "bai", "薄": "bo", "贲": "ben", "尉": "yu", "长": "zhang", "重": "chong",
                     "沈": "shen", "宁": "ning", "华": "hua", "石": "shi", "都": "du", "员": "yun"}


@functools.lru_cache(maxsize=1)
def pinyin_dictionary() -> dict[int, str]:
    """pypinyin's character dictionary (code point → 'zhāng,cháng'), read from its own data file.

    `import pypinyin` also loads its phrase dictionary and trains its word segmenter (about 0.3 s), which
    neither the name keys nor the character comparison use; they only need this table."""
    import json

    from udfs.normalise.package_data import package_file

    path = package_file("pypinyin", "pinyin_dict.json")
    if path is None:
        from pypinyin.pinyin_dict import pinyin_dict
        return dict(pinyin_dict)
    return {int(k): v for k, v in json.loads(path.read_text("utf-8")).items()}


class _FirstReadings(dict):
    """Code point → toneless pinyin of the character's first reading, worked out the first time a character
    is looked up (a register uses a few thousand of the dictionary's 42,000 characters). str.translate asks
    the mapping once per character; one without a reading maps to itself, which leaves it unchanged."""

    def __missing__(self, cp: int) -> str:
        readings = pinyin_dictionary().get(cp)
        if readings is None:
            plain = chr(cp)
        else:
            first = readings.split(",")[0].replace("ü", "v")
            plain = "".join(c for c in unicodedata.normalize("NFKD", first) if not unicodedata.combining(c)).lower()
        self[cp] = plain
        return plain


@functools.lru_cache(maxsize=1)
def _pinyin_table() -> dict[int, str]:
    """Code point → toneless pinyin of the character's first reading, from pypinyin's dictionary (filled
    as characters are looked up, for str.translate)."""
    return _FirstReadings()


def name_pinyin_one(v: Any) -> str | None:
    """One cell → toneless pinyin of the name key (Latin names pass through as their key)."""
    return _pinyin_of_key(person_name_key_one(v))


def _pinyin_of_key(key: str | None) -> str | None:
    if key is None:
        return None
    first = _SURNAME_READINGS.get(key[0], None)
    rest = key[1:] if first else key
    out = (first or "") + rest.translate(_pinyin_table())
    return _NOT_KEY.sub("", out) or None


#: keys this long or shorter are read as a column in `pinyin_of_keys` (person names are 2–4 characters)
_COLUMN_KEY_LENGTH = 6


def pinyin_of_keys(keys: Any) -> np.ndarray:
    """`_pinyin_of_key` over an array of name keys (str), as a column: each distinct character is read once.

    The answer is the concatenation of one piece per character (the surname reading or the table's reading
    for the first, the table's reading for the others), each without the non-word characters `_NOT_KEY`
    removes, which is what `_pinyin_of_key` gives, since that removal goes character by character."""
    keys = np.asarray(keys, dtype=object)
    out = np.empty(len(keys), dtype=object)
    lengths = np.fromiter((len(k) for k in keys.tolist()), dtype=np.int64, count=len(keys))
    short = np.flatnonzero((lengths > 0) & (lengths <= _COLUMN_KEY_LENGTH))
    points = np.array(keys[short].tolist(), dtype=f"<U{_COLUMN_KEY_LENGTH}").view(np.uint32)
    points = points.reshape(len(short), _COLUMN_KEY_LENGTH)
    # a key holding U+0000 would read as shorter: such keys take the per-value path
    whole = (points > 0).sum(axis=1) == lengths[short]
    points, short = points[whole], short[whole]
    if len(short):
        distinct, inverse = np.unique(points, return_inverse=True)
        inverse = inverse.reshape(points.shape)
        table = _pinyin_table()
        chars = [chr(int(cp)) if cp else "" for cp in distinct.tolist()]
        later = np.array([_NOT_KEY.sub("", ch.translate(table)) for ch in chars], dtype=object)
        first = np.array([_NOT_KEY.sub("", _SURNAME_READINGS.get(ch, None) or ch.translate(table)) if ch else ""
                          for ch in chars], dtype=object)
        joined = first[inverse[:, 0]]
        for position in range(1, _COLUMN_KEY_LENGTH):
            joined = joined + later[inverse[:, position]]
        joined[joined == ""] = None
        out[short] = joined
    rest = np.ones(len(keys), dtype=bool)
    rest[short] = False
    out[rest] = [_pinyin_of_key(k) for k in keys[rest].tolist()]
    return out


def name_pinyin(values: Any) -> pd.Series:
    """Column → toneless pinyin without spaces (张伟, 張偉, 张玮 → zhangwei), for homophone matching."""
    # Keys repeat more than raw spellings (張偉 / 张 伟 / 张伟先生), so convert each key once.
    return map_unique(person_name_key(values), _settled_pinyin_of_key)


def _settled_pinyin_of_key(key: str) -> str | None:
    # Pinyin output is read back as a Latin name by a second call; for the odd non-ASCII
    # letter (ß) that reading differs, so settle it the way `settled` does.
    out = _pinyin_of_key(key)
    for _ in range(3):
        if out is None or out.isascii():
            return out
        again = name_pinyin_one(out)
        if again == out:
            return out
        out = again
    return out
