"""The open-workbook door gives 重复对 the same 复核 drop-down and filter buttons as the file door (Excel's COM calls)."""
from __future__ import annotations

import pandas as pd

from addin.book.live import XL_VALIDATE_LIST, lists_and_filter
from addin.report.pairs_sheet import REVIEW, pairs_table_sheet
from addin.write.sheet_layout import layout
from udfs.match.review import REVIEW_CHOICES


class _Validation:
    def __init__(self, log):
        self.log = log

    def Delete(self):
        self.log.append(("delete",))

    def Add(self, kind, alert, operator, formula):
        self.log.append(("add", kind, formula))


class _Api:
    def __init__(self, where, log):
        self.where, self.log = where, log
        self.Validation = _Validation(log)

    def AutoFilter(self):
        self.log.append(("filter", self.where))


class _Range:
    def __init__(self, a, b, log):
        self.api = _Api((a, b), log)
        log.append(("range", a, b))


class _Sheet:
    def __init__(self):
        self.log = []

    def range(self, a, b=None):
        return _Range(a, b, self.log)


def test_review_column_gets_the_list_and_the_header_the_filter():
    pairs = pd.DataFrame({"行A": [2, 3, 5], "行B": [4, 6, 9], "相似度": [0.99, 0.95, 0.7], REVIEW: [None, None, None]})
    spec = pairs_table_sheet(pairs)
    lay = layout(spec)
    sheet = _Sheet()
    lists_and_filter(sheet, spec, lay)
    header, col = lay.table.header_row, list(pairs.columns).index(REVIEW) + 1
    assert ("range", (header + 1, col), (header + 3, col)) in sheet.log
    adds = [e for e in sheet.log if e[0] == "add"]
    assert adds == [("add", XL_VALIDATE_LIST, ",".join(REVIEW_CHOICES))]
    assert ("filter", ((header, 1), (header + 3, len(pairs.columns)))) in sheet.log


def test_a_sheet_without_excel_api_keeps_its_cells():
    class NoApi:
        def range(self, a, b=None):
            return object()
    spec = pairs_table_sheet(pd.DataFrame({"行A": [2], REVIEW: [None]}))
    lists_and_filter(NoApi(), spec, layout(spec))   # no AttributeError escapes
