"""The user's language for what kehu writes: simplified Chinese, traditional Chinese (Taiwan / Hong Kong wording)
or English — applied in one place, to a command's Results, just before they are written.

kehu's texts are written in simplified Chinese. For zh-Hant they go through OpenCC's phrase-level s2twp
(Taiwan: 軟體, 資訊, 行動電話) or s2hk (Hong Kong) conversion, never character by character. For en, kehu's
own words (sheet names, added headers, list headers, problem messages) come from the tables below and the
problem catalogue's English text. The user's own text (column names, cell values) is never converted.
"""
from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from addin.errors import ExitCode, KehuError

from .english import ENGLISH, english, english_any

LANGS = ("zh-Hans", "zh-Hant", "en")

#: the bracketed suffix of an added column (手机(规范)) in English
SUFFIX_EN = {"规范": "clean", "日期": "date", "数值": "amount", "整数": "number", "18位": "18-digit",
             "称呼": "title", "币种": "currency"}
_SUFFIX = re.compile(r"^(.*)\(([^()]+)\)$")
_HAN = re.compile(r"[\u3400-\u9fff]")


def check_lang(lang: str | None) -> str | None:
    if lang is None:
        return None
    folded = {x.lower(): x for x in LANGS} | {"zh-cn": "zh-Hans", "zh-tw": "zh-Hant", "zh-hk": "zh-Hant",
                                             "english": "en", "sc": "zh-Hans", "tc": "zh-Hant"}
    if lang.lower() not in folded:
        raise KehuError(f"--lang 只能是 zh-Hans（简体）、zh-Hant（繁体）或 en（英文），收到“{lang}”。",
                        f"--lang must be zh-Hans, zh-Hant or en; got '{lang}'.", ExitCode.USAGE)
    return folded[lang.lower()]


def lang_of_headers(headers) -> str:
    """The script of a sheet's own headers: zh-Hant if they use traditional-only forms, en if no Chinese."""
    text = "".join(str(h) for h in headers)
    han = _HAN.findall(text)
    if not han:
        return "en" if re.search(r"[A-Za-z]{2,}", text) else "zh-Hans"
    from udfs.zhconv_loader import convert   # the folding kehu already does; OpenCC only for writing traditional

    traditional = sum(1 for ch in han if convert(ch, "zh-hans") != ch)
    simplified = sum(1 for ch in han if convert(ch, "zh-hant") != ch)
    return "zh-Hant" if traditional > simplified else "zh-Hans"


@lru_cache(maxsize=4)
def _converter(config: str):
    from opencc import OpenCC

    return OpenCC(config)


#: words s2twp's computing phrases would turn into the wrong term here (代码 is a code, not program code)
_PROTECTED = {"代码": "代碼", "类型": "類型", "信息": "資訊", "数据": "資料"}
_PROTECT = re.compile("|".join(_PROTECTED))


@lru_cache(maxsize=4096)
def to_traditional(text: str, variant: str = "TW") -> str:
    """Simplified kehu text in Taiwan (s2twp) or Hong Kong (s2hk) traditional wording."""
    cc = _converter("s2hk" if variant in ("HK", "MO") else "s2twp")
    if variant in ("HK", "MO"):
        return cc.convert(text)
    pieces, pos = [], 0
    for m in _PROTECT.finditer(text):
        pieces += [cc.convert(text[pos:m.start()]), _PROTECTED[m.group(0)]]
        pos = m.end()
    return "".join(pieces + [cc.convert(text[pos:])])


def localise(results, lang: str | None, *, region: str = "CN", english_lines: list[str] | None = None,
             keep_columns: tuple[str, ...] = ("列", "原值"), message_columns: tuple[str, ...] = ("问题",),
             user_columns=(), keep_sheets: tuple[str, ...] = (), keep_text: tuple[str, ...] = (),
             words: dict[str, str] | None = None):
    """Results with kehu's own words in `lang` (None or zh-Hans: unchanged). The user's text stays as it is.

    `user_columns`: the user's own headers (list sheets that repeat the register keep them, and their values,
    as written). `keep_sheets` / `keep_text`: names and words kehu reads back on a later run (重复对 and its 复核
    column and choices, 查重设置, 主题词典): converting them would break `--reviewed` and `--settings`.
    `words`: a job's own English words (the English segment names of its rules).
    """
    if lang in (None, "zh-Hans"):
        return results
    extra = words or {}
    word = (lambda t: to_traditional(t, region)) if lang == "zh-Hant" else (lambda t: english_any(t, extra))
    keep = frozenset(keep_text)
    user = frozenset(str(c) for c in user_columns)
    columns = [dataclasses.replace(c, header=_header(c.header, lang, region),
                                   values=_messages(c.values, word) if c.header in message_columns
                                   else c.values) for c in results.columns]
    sheets = [_sheet(s, lang, word, keep_columns, user, keep, s.name in keep_sheets) for s in results.sheets]
    if lang == "en":
        lines = english_lines if english_lines is not None else results.lines
    else:
        lines = [to_traditional(line, region) for line in results.lines]
    select = results.select_sheet
    if select and select not in keep_sheets:
        select = word(select)
    return dataclasses.replace(results, columns=columns, sheets=sheets, lines=lines, select_sheet=select)


def _messages(values, word):
    """kehu's per-row words (the 问题 column, a duplicate flag) in the user's language; each distinct text once
    (a million rows hold a few hundred distinct messages)."""
    cells = pd.Series(values, dtype=object).to_numpy(dtype=object).copy()
    texts = np.flatnonzero([isinstance(v, str) for v in cells.tolist()])
    if len(texts):
        codes, distinct = pd.factorize(cells[texts])
        translated = np.empty(len(distinct), dtype=object)
        translated[:] = [word(t) for t in distinct.tolist()]
        cells[texts] = translated[codes]
    return cells


def _header(header: str, lang: str, region: str) -> str:
    if header in ENGLISH or not _SUFFIX.match(header):
        return english(header) if lang == "en" else to_traditional(header, region)
    own, suffix = _SUFFIX.match(header).groups()   # the user's column name stays as they wrote it
    return f"{own}({SUFFIX_EN.get(suffix, suffix) if lang == 'en' else to_traditional(suffix, region)})"


def _sheet(sheet, lang, word, keep_columns, user, keep, keep_name: bool):
    from .built_text import translated

    name = sheet.name if keep_name else word(sheet.name)
    if not hasattr(sheet, "data"):   # a report drawn with xlsxwriter: its text converted as it is drawn
        return dataclasses.replace(translated(sheet, word, keep | user), name=name)
    data = sheet.data.copy()
    for col in data.columns:
        if col not in keep_columns and str(col) not in user and not pd.api.types.is_numeric_dtype(data[col].dtype):
            data[col] = data[col].map(lambda v: word(v) if isinstance(v, str) and v not in keep else v)
    data = data.rename(columns=lambda c: c if str(c) in user else word(str(c)))
    preamble = sheet.preamble
    if preamble is not None:
        preamble = preamble.rename(columns=lambda c: word(str(c)))
        preamble = preamble.apply(lambda s: s.map(lambda v: word(v) if isinstance(v, str) else v))
    rename = lambda k: k if str(k) in user else word(k)  # noqa: E731
    drops = getattr(sheet, "drop_downs", None)
    if drops:   # the 复核 list: its column renamed with the header, its choices and texts in the language
        drops = {rename(k): dataclasses.replace(d, choices=[word(c) for c in d.choices],
                                                prompt=word(d.prompt) if d.prompt else d.prompt,
                                                error=word(d.error) if d.error else d.error)
                 for k, d in drops.items()}
        sheet = dataclasses.replace(sheet, drop_downs=drops)
    return dataclasses.replace(sheet, name=name, data=data, preamble=preamble,
                               title=word(sheet.title) if sheet.title else sheet.title,
                               widths={rename(k): v for k, v in sheet.widths.items()},
                               number_formats={rename(k): v for k, v in sheet.number_formats.items()})


def english_problem_texts(codes: pd.Series) -> list[str]:
    from udfs.validate.problems import describe

    return [describe(c).en for c in codes]
