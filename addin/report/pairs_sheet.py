"""重复对: every duplicate or possible pair, with a 复核 column the user fills from a drop-down list, and the
reading of those decisions back (`kehu dedupe FILE --reviewed PAIRS_WORKBOOK`).

`pairs_table_sheet` gives the sheet to kehu's fast list writer (a TableSheet with the 复核 drop-down): a
100,000-row register has some 50,000 pairs, which xlsxwriter would write cell by cell and the writer then
transplant. `build_pairs_sheet` draws the same sheet with xlsxwriter calls (the shaded 复核 cells, wrapped
匹配依据), for callers that still ask for a BuiltSheet.
Pairs carry the customer ids of both rows, so a decision still finds its pair after the register has grown.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from addin.report.read_back import canonical, find_sheet
from addin.report.links import row_locations
from addin.write.specs import DropDown, TableSheet
from udfs.match.review import REVIEW_CHOICES

PAIRS_SHEET = "重复对"
REVIEW = "复核"
ID_A, ID_B = "客户编号A", "客户编号B"
TITLE = "重复对：每一对疑似或重复的记录。在「复核」列选 是同一客户 / 不是同一客户，再用 kehu dedupe 文件 --reviewed 本文件 重新合并"
_WIDTHS = {"行A": 7, "行B": 7, ID_A: 12, ID_B: 12, "重复组": 8, "相似度": 8, "判定": 8, "匹配依据": 50, "得分": 7,
           REVIEW: 13}


REVIEW_PROMPT = "是同一客户 / 不是同一客户，留空 = 未复核"
REVIEW_ERROR = "请从列表中选：是同一客户 / 不是同一客户（或留空）"


def pairs_table_sheet(pairs: pd.DataFrame, data_sheet: str | None = None) -> TableSheet:
    """重复对 as a TableSheet: title, header, one row per pair, 复核 as a validation list, filter buttons;
    the list writer prints it one page wide with the header repeated. With `data_sheet`, 行A and 行B link
    to the two rows of that sheet."""
    return TableSheet(PAIRS_SHEET, pairs, number_formats={"相似度": "0.0000", "得分": "0.00"},
                      widths={c: w for c, w in _WIDTHS.items() if c in pairs.columns}, title=TITLE,
                      drop_downs={REVIEW: DropDown(REVIEW_CHOICES, REVIEW_PROMPT, REVIEW_ERROR)}
                      if REVIEW in pairs.columns else None, autofilter=True,
                      links=pair_links(pairs, data_sheet) if data_sheet else None)


def pair_links(pairs: pd.DataFrame, data_sheet: str) -> dict[int, list[str | None]]:
    """TableSheet links of 重复对: 行A and 行B (sheet row numbers) each open their row of `data_sheet`."""
    columns = list(pairs.columns)
    return {columns.index(c): row_locations(data_sheet, pairs[c].tolist()) for c in ("行A", "行B") if c in columns}


def build_pairs_sheet(wb, ws, pairs: pd.DataFrame) -> None:
    """Title, header, one row per pair; 复核 as a validation list; one page wide, header repeated in print."""
    title = wb.add_format({"bold": True, "font_size": 12})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    number = wb.add_format({"num_format": "0.0000", "valign": "top"})
    plain = wb.add_format({"valign": "top"})
    review_fmt = wb.add_format({"bg_color": "#FFF2CC", "border": 1, "valign": "top"})
    columns = list(pairs.columns)
    ws.write(0, 0, TITLE, title)
    ws.write_row(1, 0, columns, head)
    for j, col in enumerate(columns):
        fmt = number if col == "相似度" else wrap if col == "匹配依据" else plain
        ws.set_column(j, j, _WIDTHS.get(col, 10), fmt)
        values = pairs[col].tolist()
        # xlsxwriter writes cell by cell; typed calls skip write()'s formula/URL sniffing of every string
        # (a text such as "=1+1" or an id stays the text it was)
        write_string, write_number = ws.write_string, ws.write_number
        for i, v in enumerate(values):
            if col == REVIEW:  # the cells to fill in are shaded, only as far as the list goes
                ws.write(2 + i, j, v if isinstance(v, str) else None, review_fmt)
            elif v is None or (isinstance(v, float) and v != v) or (type(v) is str and v == ""):
                continue
            elif type(v) is str:
                write_string(2 + i, j, v)
            elif type(v) in (int, float):
                write_number(2 + i, j, v)
            else:
                ws.write(2 + i, j, v)
    if REVIEW in columns and len(pairs):
        j = columns.index(REVIEW)
        ws.data_validation(2, j, 1 + len(pairs), j, {
            "validate": "list", "source": list(REVIEW_CHOICES), "ignore_blank": True,
            "input_title": "复核", "input_message": REVIEW_PROMPT,
            "error_title": "复核", "error_message": REVIEW_ERROR})
    ws.freeze_panes(2, 0)
    ws.autofilter(1, 0, 1 + len(pairs), len(columns) - 1)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(1)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)


def read_review_decisions(path: Path) -> pd.DataFrame:
    """id_a, id_b, decision from the 重复对 sheet of a workbook a dedupe run wrote (and a person reviewed).

    Pairs are identified by 客户编号A / 客户编号B; a register without customer ids falls back to 行A / 行B.
    """
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        name = find_sheet(book.sheetnames, PAIRS_SHEET)   # 重复对 / 重複對 / Duplicate pairs
        if name is None:
            raise ValueError(f"no sheet {PAIRS_SHEET}")
        rows = list(book[name].iter_rows(values_only=True))
    finally:
        book.close()
    return decisions_from_rows(rows)


def decisions_from_rows(rows: list) -> pd.DataFrame:
    """read_review_decisions on the cell values of a 重复对 sheet (a list of rows)."""
    known = (REVIEW, ID_A, ID_B, "行A", "行B")   # whichever language the writing run used, read as kehu's own names
    header_at = next((i for i, r in enumerate(rows[:5]) if r and any(canonical(v, (REVIEW,)) for v in r)), None)
    if header_at is None:
        raise ValueError(f"the {PAIRS_SHEET} sheet has no {REVIEW} column")
    header = [canonical(h, known) or (str(h) if h is not None else "") for h in rows[header_at]]
    table = pd.DataFrame([list(r) + [None] * (len(header) - len(r)) for r in rows[header_at + 1:]],
                         columns=header, dtype=object)
    a, b = (ID_A, ID_B) if ID_A in header else ("行A", "行B")
    decision = table[REVIEW].map(lambda v: canonical(v, REVIEW_CHOICES))
    out = pd.DataFrame({"id_a": table[a], "id_b": table[b], "decision": decision})
    out.attrs["by"] = "customer_id" if a == ID_A else "row"
    return out[out["decision"].map(lambda v: isinstance(v, str) and v.strip() in REVIEW_CHOICES)].reset_index(drop=True)
