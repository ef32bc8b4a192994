"""Header and label text folded for comparison: NFKC width folding, lower case, no spaces, traditional → simplified."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any


def _norm(text: Any) -> str:
    """Header or label text folded for comparison: NFKC (full-width → half-width), lower case, no spaces."""
    t = unicodedata.normalize("NFKC", str(text)).lower()
    return re.sub(r"\s+", "", t)


@lru_cache(maxsize=65536)  # the same few labels and headers come back for every column; zhconv costs ~1 ms a call
def _simplified(text: str) -> str:
    try:
        from udfs.zhconv_loader import convert

        return convert(text, "zh-cn")
    except Exception:  # zhconv is optional for this: traditional labels just stay unrecognised
        return text
