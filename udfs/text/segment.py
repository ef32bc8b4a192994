"""Fold free text (width, traditional → simplified, case) and cut it into words: jieba for Chinese, a regex for English.

Why jieba: it is maintained, MIT-licensed, pure Python (so it also runs in xlwings Lite / Pyodide, where
pkuseg's and LAC's compiled models cannot), accepts a user dictionary of product and store names, and
cuts office-style complaint text well enough for keyword tables. Theme tagging and sentiment do not rely
on the cut (they match dictionary phrases in the folded text), so a mis-cut word never hides a theme.

Traditional text is folded to simplified before cutting (jieba's dictionary is simplified); the caller
keeps the original text for display.

jieba is published on PyPI as a source archive only, which xlwings Lite's micropip cannot install; without it
(`jieba` not importable) Chinese runs are cut by longest match against kehu's own vocabulary (theme keywords,
sentiment words, the user's words) and what is left is kept in two-character pieces — coarser, but the
keyword table still counts the words that matter. Themes and sentiment are unaffected.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable

import numpy as np
import pandas as pd

from udfs.columns import as_column
from udfs.normalise._unique import is_missing
from udfs.normalise.text import to_simplified

_SPACES = re.compile(r"\s+")
_ENGLISH_WORD = re.compile(r"[a-z][a-z'\-]*[a-z]|[a-z]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_lock = threading.Lock()


def fold_one(v: Any) -> str | None:
    """One cell → folded text (NFKC, simplified, lower-case, single spaces); None for blank."""
    if is_missing(v):
        return None
    text = _SPACES.sub(" ", to_simplified(unicodedata.normalize("NFKC", str(v)))).strip().lower()
    return text or None


def fold_text(values: Any) -> pd.Series:
    """Column → folded text, computed once per distinct cell."""
    col = as_column(values)
    codes, uniques = pd.factorize(col.astype(object), use_na_sentinel=True)
    folded = np.array([fold_one(u) for u in uniques] + [None], dtype=object)
    return pd.Series(folded[codes], index=col.index, dtype=object)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Chinese and English words too common to mean anything in a keyword table (data/stopwords.txt)."""
    text = resources.files("udfs.text").joinpath("data/stopwords.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.split() if w.strip() and not w.startswith("#"))


class Segmenter:
    """A jieba tokenizer of its own (user words never leak into other runs), plus English tokens.

    `user_words` are the company's product and store names, added so they stay one word.
    """

    def __init__(self, user_words: Iterable[str] = ()):
        self.user_words = tuple(dict.fromkeys(w for w in (fold_one(u) for u in user_words) if w))
        try:
            import jieba
        except ImportError:  # xlwings Lite: see the module docstring
            self._jieba = None
            self._fallback = _VocabularyCutter(self.user_words)
            return
        jieba.setLogLevel(60)  # jieba logs its dictionary loading on stderr; kehu's output stays clean
        self._jieba = jieba.Tokenizer()
        with _lock:
            self._jieba.initialize()
            for w in self.user_words:
                self._jieba.add_word(w, freq=2000)

    def words(self, folded: str | None) -> list[str]:
        """Words of one folded text: Chinese words of two or more characters and English words, no stop words."""
        if not folded:
            return []
        stops = stop_words()
        out: list[str] = []
        # HMM off: new-word guessing is slower and invents odd words in short complaint text
        tokens = self._jieba.cut(folded, HMM=False) if self._jieba is not None else self._fallback.cut(folded)
        for tok in tokens:
            tok = tok.strip()
            if not tok or tok in stops:
                continue
            if _CJK_RUN.fullmatch(tok):
                if len(tok) >= 2:
                    out.append(tok)
            elif tok.isascii():
                out.extend(w for w in _ENGLISH_WORD.findall(tok) if len(w) >= 3 and w not in stops)
        return out


class _VocabularyCutter:
    """Longest match against kehu's vocabulary; other Chinese text in two-character pieces; English as words."""

    def __init__(self, user_words: tuple[str, ...]):
        from .lexicon import DEGREE, NEGATIVE, NEUTRAL, POSITIVE
        from .themes import DEFAULT_THEMES
        from .trie import trie_pattern

        words = set(user_words) | set(POSITIVE) | set(NEGATIVE) | set(DEGREE) | set(NEUTRAL)
        for keys, _excl in DEFAULT_THEMES.values():
            words |= set(keys)
        cjk = [w for w in words if not w.isascii() and len(w) >= 2]
        self._pattern = re.compile(trie_pattern(cjk) + r"|[\u3400-\u9fff]{1,2}|[a-z][a-z'\-]*")

    def cut(self, text: str) -> list[str]:
        return self._pattern.findall(text)


def segment(values: Any, user_words: Iterable[str] = (), *, folded: bool = False) -> pd.Series:
    """Column of free text → list of words per cell (each distinct text is cut once)."""
    col = as_column(values)
    text = col if folded else fold_text(col)
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    seg = Segmenter(user_words)
    cut = [seg.words(u) for u in uniques] + [[]]
    out = np.empty(len(cut), dtype=object)
    out[:] = cut
    return pd.Series(out[codes], index=col.index, dtype=object)
