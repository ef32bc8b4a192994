"""The inspect job: how kehu reads a sheet (kind, header row, each column's role and examples), writing nothing."""
from __future__ import annotations

from dataclasses import dataclass

from addin.read import Table

from .inputs import Inputs, as_inputs
from .language import lang_of_headers
from .options import JobOptions
from .results import Results


@dataclass(frozen=True)
class InspectOptions(JobOptions):
    job = "inspect"
    lang: str | None = None


def run(tables: Inputs | Table, options: InspectOptions = InspectOptions()) -> Results:
    from addin.read.kinds import KIND_EN, KIND_ZH, guess_kind
    from udfs.recognise.typed import typed_frame

    table = as_inputs(tables).table
    columns = []
    for c in table.columns:
        sample = [show(v) for v in table.df[c.column].head(200).tolist() if v is not None][:2]
        columns.append({"letter": table.column_letters[c.column], "header": c.column, "role": c.role,
                        "role_zh": c.label, "how": c.how, "how_zh": c.how_zh, "confidence": c.confidence,
                        "examples": sample})
    _typed, type_problems = typed_frame(table.df, table.roles)
    unreadable = type_problems.groupby("column").size().to_dict() if len(type_problems) else {}
    guess = guess_kind(table.df)
    summary = {
        "kind": guess.kind, "kind_zh": KIND_ZH.get(guess.kind or "", "看不出"), "kind_reason": guess.why_zh,
        "kind_en": KIND_EN.get(guess.kind or "", "unclear"), "kind_reason_en": guess.why_en,
        "ok": True, "file": str(table.path), "source_kind": table.source_kind, "encoding": table.encoding,
        "sheet": table.sheet, "sheets": table.book_sheets, "header_row": table.header_row, "records": len(table.df),
        "first_row": int(table.rows[0]), "last_row": int(table.rows[-1]), "columns": columns,
        "notes": [zh for zh, _en in table.notes], "notes_en": [en for _zh, en in table.notes],
        "skipped_rows": table.skipped_rows,
        "error_cells": [{"row": r, "column": c, "value": v} for r, c, v in table.error_cells],
        "unreadable_values": {str(k): int(v) for k, v in unreadable.items()},
        # like every job: English only when asked (an English-header sheet still gets kehu's Chinese by default)
        "lang": options.lang or ("zh-Hant" if lang_of_headers(table.df.columns) == "zh-Hant" else "zh-Hans"),
    }
    return Results(summary=summary)


def show(v) -> str:
    """A cell as a person would read it: 34 not 34.0, 2024-03-05 not a timestamp."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if hasattr(v, "isoformat") and not isinstance(v, str):
        if not hasattr(v, "date"):   # a datetime.time (or date) has no date-time separator to give
            return v.isoformat()
        return v.isoformat()[:10] if getattr(v, "hour", 0) == 0 and getattr(v, "minute", 0) == 0 else v.isoformat(" ")
    return str(v)
