"""How many questionnaires were issued, from the title rows above a response sheet's header."""
from __future__ import annotations

import re
from typing import Any

_ISSUED = re.compile(r"发放[^\d]{0,8}(\d+)")


def issued_from_rows(above: list[list[Any]]) -> int | None:
    """'发放问卷 360 份' (or 发放数量: 360) written above the header: the number of questionnaires issued."""
    for r in above:
        for v in r:
            m = _ISSUED.search(str(v or ""))
            if m:
                return int(m.group(1))
    return None
