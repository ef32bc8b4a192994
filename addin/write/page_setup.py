"""How every sheet kehu writes or extends prints: A4, fit to one page wide (as many pages long as it needs; a
sheet so wide that one page would print it below 40 % is fitted to two or more pages wide instead), the
header row (and, on a sheet wider than a page, the customer id / name columns) repeated on every page, margins,
a footer with the file name, the sheet name and "page x / y", and a print area over the cells kehu wrote.

One `PageSetup` value describes it; the file writer turns it into worksheet XML and `_xlnm.` names
(`sheet_xml`, `defined_names`, `add_missing` for a user's sheet that already has some setup of its own), the
open-workbook book into `PageSetup` COM calls (addin/book/live.py; the user's own sheet there is written in
place, so it keeps its print setup), and report sheets built with xlsxwriter get
it through `finish_built` (only what the build did not set itself). xlwings Lite has no page-setup API.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Sequence

A4 = 9                      # ECMA-376 paperSize (and Excel's xlPaperA4)
#: left: file name, centre: sheet name, right: page x / y (Excel's &F &A &P &N header/footer codes)
FOOTER = "&L&F&C&A&R&P / &N"
MARGINS = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.7, "header": 0.3, "footer": 0.3}   # inches
LINE_POINTS = 15.0          # one line of 11-point text in a row (Excel's default row height)

# The printable width of an A4 page inside MARGINS, in `<col width>` units (one unit is about one digit of the
# default font, 7 px at 96 dpi): a sheet whose columns add up to more is wider than a page.
_PX_PER_INCH, _PX_PER_UNIT = 96, 7
PORTRAIT_UNITS = (8.27 - MARGINS["left"] - MARGINS["right"]) * _PX_PER_INCH / _PX_PER_UNIT
LANDSCAPE_UNITS = (11.69 - MARGINS["left"] - MARGINS["right"]) * _PX_PER_INCH / _PX_PER_UNIT

#: the smallest print scale kehu fits a sheet to: a wider sheet is fitted to two (or more) pages wide, with its
#: id / name columns repeated on each, rather than shrunk below legibility
MIN_SCALE = 0.4

#: header words that name the record on each row: these columns repeat at the left of every printed page
ID_WORDS = ("编号", "编码", "行号", "客户", "姓名", "名称", "公司", "会员", "ID", "id", "Row", "Customer", "Name")


@dataclass(frozen=True)
class PageSetup:
    """The print setup of one sheet; rows and columns are 1-based, ranges inclusive."""

    landscape: bool = True
    fit_to_width: bool = True              # fit to `pages_wide` pages across, height automatic (fitToHeight 0)
    pages_wide: int = 1                    # more only for a sheet that would print below MIN_SCALE on one
    title_rows: tuple[int, int] | None = None
    title_columns: tuple[int, int] | None = None
    area: tuple[int, int, int, int] | None = None   # first row, first column, last row, last column
    margins: dict[str, float] = field(default_factory=lambda: dict(MARGINS))
    footer: str = FOOTER
    paper: int = A4


@dataclass(frozen=True)
class DataSheetPrint:
    """A request to give the user's data sheet (with kehu's added columns) the print setup it lacks."""

    repeat_columns: tuple[int, int] | None = None   # its id / name columns, 1-based, repeated when it is wide


def char_width(text: str) -> int:
    """Display width of text in digit widths: East-Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def _tokens(text: str) -> list[str]:
    """Pieces a line may break between: each wide character alone, runs of narrow ones (a word) together,
    closing punctuation kept with what precedes it (no line starts with "）" or "，")."""
    out: list[str] = []
    for ch in str(text):
        wide = unicodedata.east_asian_width(ch) in "WF"
        if out and (ch in "）》」』】，。、；：！？%)]" or (not wide and not ch.isspace() and out[-1]
                                                       and unicodedata.east_asian_width(out[-1][-1]) not in "WF"
                                                       and not out[-1][-1].isspace())):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def wrapped_lines(text: str, width: float) -> int:
    """Lines `text` takes when wrapped in a column `width` units wide (one unit of cell padding on each side)."""
    room = max(width - 1.5, 1.0)
    lines, used = 1, 0.0
    for token in _tokens(text):
        w = char_width(token.strip()) if used == 0 else char_width(token)
        if used and used + w > room:
            lines, used = lines + 1, char_width(token.lstrip())
        else:
            used += w
    return lines


def header_width(text: str, lines: int = 2) -> float:
    """The narrowest width at which a header fits on `lines` lines (never narrower than its longest word)."""
    text = str(text)
    full = char_width(text) + 2.0
    if lines <= 1:
        return full
    width = max([char_width(t.strip()) + 2.0 for t in _tokens(text)] + [math.ceil(full / lines)])
    while wrapped_lines(text, width) > lines and width < full:
        width += 1
    return float(width)


def header_row_height(headers: Sequence[str], widths: Sequence[float], at_least: float = LINE_POINTS) -> float:
    """Points a wrapped header row needs so that no header in it is cut: one line per wrapped line."""
    lines = max((wrapped_lines(h, w) for h, w in zip(headers, widths) if h), default=1)
    return max(at_least, LINE_POINTS * lines + 3 if lines > 1 else LINE_POINTS)


def fit_header_row(ws: Any, row: int, first_col: int, headers: Sequence[str], width_of, at_least: float = 0) -> None:
    """Give an xlsxwriter header row (0-based `row`) the height its wrapped headers need; `width_of(col)` is
    the width the build gave column `col`."""
    widths = [width_of(first_col + j) for j in range(len(headers))]
    height = header_row_height([str(h) for h in headers], widths, at_least=max(at_least, LINE_POINTS))
    if height > LINE_POINTS or at_least:
        ws.set_row(row, height)


def is_wide(widths: Sequence[float], landscape: bool = True) -> bool:
    return sum(widths) > (LANDSCAPE_UNITS if landscape else PORTRAIT_UNITS)


def pages_wide(widths: Sequence[float]) -> int:
    """Landscape pages across that keep the print at MIN_SCALE or larger (1 for all but very wide sheets)."""
    return max(1, math.ceil(sum(widths) / (LANDSCAPE_UNITS / MIN_SCALE)))


def id_columns(headers: Sequence[str], widths: Sequence[float]) -> tuple[int, int] | None:
    """The leading columns that name the row (行号, 客户编号, 姓名 …), repeated on each page of a sheet
    wider than a page; None when the sheet fits a page or begins with no such column."""
    if not is_wide(widths):
        return None
    last = 0
    for j, header in enumerate(list(headers)[:3], start=1):
        if any(word in str(header) for word in ID_WORDS):
            last = j
        elif last:
            break
    return (1, last) if last else None


def for_sheet(widths: Sequence[float], title_row: int | None, last_row: int, *,
              headers: Sequence[str] = (), repeat: tuple[int, int] | None = None) -> PageSetup:
    """The setup of a sheet kehu lays out: landscape when its columns are wider than a portrait page."""
    n = max(len(widths), 1)
    repeat = repeat if repeat is not None and is_wide(widths) else id_columns(headers, widths) if headers else None
    return PageSetup(landscape=is_wide(widths, landscape=False), pages_wide=pages_wide(widths),
                     title_rows=(title_row, title_row) if title_row else None, title_columns=repeat,
                     area=(1, 1, max(last_row, 1), n))


# -- the file: worksheet XML and workbook names ---------------------------------------------------------------

def _letter(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sheet_pr_xml(setup: PageSetup) -> str:
    return '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if setup.fit_to_width else ""


def margins_xml(setup: PageSetup) -> str:
    m = setup.margins
    return (f'<pageMargins left="{m["left"]}" right="{m["right"]}" top="{m["top"]}" bottom="{m["bottom"]}" '
            f'header="{m["header"]}" footer="{m["footer"]}"/>')


def page_setup_attrs(setup: PageSetup) -> dict[str, str]:
    attrs = {"paperSize": str(setup.paper), "orientation": "landscape" if setup.landscape else "portrait"}
    if setup.fit_to_width:
        attrs.update(fitToWidth=str(setup.pages_wide), fitToHeight="0")
    return attrs


def tail_xml(setup: PageSetup) -> str:
    """<pageMargins>, <pageSetup> and <headerFooter>, in CT_Worksheet order (they follow <sheetData> and the
    filter, validations and hyperlinks)."""
    attrs = " ".join(f'{k}="{v}"' for k, v in page_setup_attrs(setup).items())
    return (margins_xml(setup) + f"<pageSetup {attrs}/>"
            + f"<headerFooter><oddFooter>{_escape(setup.footer)}</oddFooter></headerFooter>")


def footer_sections(footer: str) -> tuple[str, str, str]:
    """(left, centre, right) of a footer written with &L / &C / &R, as Excel's LeftFooter … properties take it."""
    parts = {"L": "", "C": "", "R": ""}
    for m in re.finditer(r"&([LCR])(.*?)(?=&[LCR]|$)", footer):
        parts[m.group(1)] = m.group(2)
    return parts["L"], parts["C"], parts["R"]


def range_text(first_row: int, first_col: int, last_row: int, last_col: int) -> str:
    return f"${_letter(first_col)}${first_row}:${_letter(last_col)}${last_row}"


def quote(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def defined_names(setup: PageSetup, sheet: str) -> list[tuple[str, str]]:
    """The sheet-scoped `_xlnm.Print_Titles` and `_xlnm.Print_Area` of a setup."""
    q, out, titles = quote(sheet), [], []
    if setup.title_columns:
        a, b = setup.title_columns
        titles.append(f"{q}!${_letter(a)}:${_letter(b)}")
    if setup.title_rows:
        a, b = setup.title_rows
        titles.append(f"{q}!${a}:${b}")
    if titles:
        out.append(("_xlnm.Print_Titles", ",".join(titles)))
    if setup.area:
        out.append(("_xlnm.Print_Area", f"{q}!{range_text(*setup.area)}"))
    return out


def sheet_widths(head: str, n_cols: int) -> list[float]:
    """Widths of columns 1..n_cols of a worksheet from the XML before <sheetData> (<cols>, else the default)."""
    fmt = re.search(r"<sheetFormatPr\b[^>]*?\bdefaultColWidth=\"([\d.]+)\"", head)
    widths = [float(fmt.group(1)) if fmt else 8.43] * n_cols
    for col in re.finditer(r"<col\b[^>]*/>", head):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', col.group(0)))
        lo, hi = int(attrs.get("min", 1)), min(int(attrs.get("max", 1)), n_cols)
        width = 0.0 if attrs.get("hidden") in ("1", "true") else float(attrs.get("width", widths[0] if widths else 8.43))
        for c in range(lo, hi + 1):
            widths[c - 1] = width
    return widths


def user_scaled(tail: str) -> bool:
    """The sheet prints at a scale its owner chose (<pageSetup scale=…>): kehu does not fit it to the page."""
    m = re.search(r"<pageSetup\b[^>]*?/?>", tail)
    return bool(m and re.search(r'\sscale="(?!100")', m.group(0)))


# CT_Worksheet's children after <sheetData>, in schema order: a new element goes before the first later one
_AFTER_DATA = ("sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState",
               "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting",
               "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
               "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing",
               "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
               "webPublishItems", "tableParts", "extLst")
_HEAD_ORDER = ("sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols")


def _element(text: str, name: str) -> re.Match | None:
    return re.search(rf"<{name}\b[^>]*?(?:/>|>.*?</{name}>)", text, re.S)


def _insert(text: str, name: str, xml: str, order: Sequence[str], default_at: int) -> str:
    """`xml` put where element `name` belongs among the elements of `order` present in `text`."""
    later = order[order.index(name) + 1:]
    spots = [m.start() for m in (re.search(rf"<{n}\b", text) for n in later) if m]
    at = min(spots) if spots else default_at
    return text[:at] + xml + text[at:]


def _add_attrs(tag: str, attrs: dict[str, str]) -> str:
    """An opening tag with `attrs` added where the tag has no such attribute (the user's values kept)."""
    missing = "".join(f' {k}="{v}"' for k, v in attrs.items() if not re.search(rf"\s{k}=", tag))
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    return tag[:end] + missing + tag[end:]


def add_missing_head(head: str, setup: PageSetup) -> str:
    """The sheet's XML before <sheetData> with fitToPage added unless the sheet already says how to scale."""
    if not setup.fit_to_width:
        return head
    m = re.search(r"<sheetPr\b[^>]*?(/>|>)", head)
    if m is None:
        root = re.search(r"<worksheet\b[^>]*>", head)
        at = root.end() if root else 0
        return head[:at] + sheet_pr_xml(setup) + head[at:]
    if m.group(1) == "/>":
        tag = m.group(0)
        return head[:m.start()] + tag[:-2] + '><pageSetUpPr fitToPage="1"/></sheetPr>' + head[m.end():]
    body_end = head.find("</sheetPr>", m.end())
    pr = re.search(r"<pageSetUpPr\b[^>]*/>", head[m.end():body_end])
    if pr:
        at = m.end() + pr.start()
        tag = _add_attrs(pr.group(0), {"fitToPage": "1"})
        return head[:at] + tag + head[at + len(pr.group(0)):]
    # pageSetUpPr follows tabColor and outlinePr in CT_SheetPr
    rest = head[m.end():body_end]
    at = m.end() + max([rest.find(e) + len(e) for e in ("</tabColor>", "</outlinePr>") if e in rest]
                       + [x.end() for x in re.finditer(r"<(?:tabColor|outlinePr)\b[^>]*/>", rest)] + [0])
    return head[:at] + '<pageSetUpPr fitToPage="1"/>' + head[at:]


def add_missing_tail(tail: str, setup: PageSetup) -> str:
    """The XML after </sheetData> with margins, page setup and footer added only where the sheet has none;
    a user's <pageSetup> keeps every attribute it has and gains only the ones it lacks."""
    end = tail.rfind("</worksheet>")
    end = end if end >= 0 else len(tail)
    if _element(tail, "pageMargins") is None:
        tail = _insert(tail, "pageMargins", margins_xml(setup), _AFTER_DATA, end)
        end = tail.rfind("</worksheet>") if "</worksheet>" in tail else len(tail)
    m = re.search(r"<pageSetup\b[^>]*?/?>", tail)
    if m is None:
        attrs = " ".join(f'{k}="{v}"' for k, v in page_setup_attrs(setup).items())
        tail = _insert(tail, "pageSetup", f"<pageSetup {attrs}/>", _AFTER_DATA, end)
    else:
        tail = tail[:m.start()] + _add_attrs(m.group(0), page_setup_attrs(setup)) + tail[m.end():]
    end = tail.rfind("</worksheet>") if "</worksheet>" in tail else len(tail)
    hf = _element(tail, "headerFooter")
    footer = f"<oddFooter>{_escape(setup.footer)}</oddFooter>"
    if hf is None:
        tail = _insert(tail, "headerFooter", f"<headerFooter>{footer}</headerFooter>", _AFTER_DATA, end)
    elif "<oddFooter" not in hf.group(0):
        block = hf.group(0)
        if block.endswith("/>"):
            new = block[:-2] + ">" + footer + "</headerFooter>"
        else:   # oddFooter follows oddHeader in CT_HeaderFooter
            odd_header = re.search(r"<oddHeader\b[^>]*?(?:/>|>.*?</oddHeader>)", block, re.S)
            at = odd_header.end() if odd_header else block.index(">") + 1
            new = block[:at] + footer + block[at:]
        tail = tail[:hf.start()] + new + tail[hf.end():]
    return tail


def explicit_fit_width(sheet_xml: str) -> str:
    """A `<pageSetup>` that fits to pages says fitToWidth="1" in so many words (xlsxwriter leaves the default
    out, and a reader that does not apply schema defaults would see none)."""
    if 'fitToPage="1"' not in sheet_xml:
        return sheet_xml
    return re.sub(r"<pageSetup\b(?![^>]*\bfitToWidth=)", '<pageSetup fitToWidth="1"', sheet_xml, count=1)


# -- a workbook open in Excel (COM) ---------------------------------------------------------------------------

XL_LANDSCAPE, XL_PORTRAIT = 2, 1


def apply_com(setup: PageSetup, page: Any) -> None:
    """Set a PageSetup COM object (`sheet.api.PageSetup`, Excel for Windows names) from `setup` (a sheet kehu
    wrote; the user's own sheet in an open workbook is written in place and keeps its print setup)."""
    page.Orientation = XL_LANDSCAPE if setup.landscape else XL_PORTRAIT
    page.PaperSize = setup.paper
    if setup.fit_to_width:
        page.Zoom = False
        page.FitToPagesWide = setup.pages_wide
        page.FitToPagesTall = False
    for side in ("Left", "Right", "Top", "Bottom", "Header", "Footer"):   # Excel takes margins in points
        setattr(page, side + "Margin", setup.margins[side.lower()] * 72)
    if setup.title_rows:
        page.PrintTitleRows = f"${setup.title_rows[0]}:${setup.title_rows[1]}"
    if setup.title_columns:
        page.PrintTitleColumns = f"${_letter(setup.title_columns[0])}:${_letter(setup.title_columns[1])}"
    if setup.area:
        page.PrintArea = range_text(*setup.area)
    page.LeftFooter, page.CenterFooter, page.RightFooter = footer_sections(setup.footer)


# -- report sheets built with xlsxwriter --------------------------------------------------------------------

def finish_built(ws: Any) -> None:
    """What a report build left unset, set as every kehu sheet prints: A4, one page wide, the first row repeated,
    margins, the footer, a print area over the cells written. What the build chose itself is kept."""
    if getattr(ws, "hidden", False):
        return
    chosen = ws.page_setup_changed   # set_landscape / set_portrait / fit_to_pages … were called by the build
    if not ws.paper_size:
        ws.set_paper(A4)
    if not ws.fit_page:
        ws.fit_to_pages(1, 0)
    if not chosen:
        ws.set_landscape()
    if not ws.footer:
        ws.set_footer(FOOTER)
    if ws.margin_left == 0.7 and ws.margin_top == 0.75:   # xlsxwriter's defaults: not chosen by the build
        ws.set_margins(left=MARGINS["left"], right=MARGINS["right"], top=MARGINS["top"], bottom=MARGINS["bottom"])
    if not ws.repeat_row_range:
        ws.repeat_rows(0)
    if not ws.print_area_range and ws.dim_rowmax is not None and ws.dim_colmax is not None:
        ws.print_area(0, 0, ws.dim_rowmax, ws.dim_colmax)


def build_sheet(spec: Any, wb: Any, ws: Any) -> None:
    """Run a BuiltSheet's build, then give the sheet the print setup it did not set (`finish_built`)."""
    spec.build(wb, ws)
    finish_built(ws)
