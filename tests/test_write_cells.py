"""Cell XML building blocks: column letters, value typing, escaping, date serials, styles.xml edits."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from lxml import etree
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from addin.write.cells import column_index, column_letter, fragments, xml_text
from addin.write.styles import StyleBook

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _parse(fragment: str) -> etree._Element:
    return etree.fromstring(f'<sheetData xmlns="{NS}"><c r="A1{fragment}</sheetData>')[0]


def _plain(kind: str) -> int:
    return 0


def _value(fragment: str) -> str:
    return _parse(fragment).findtext(f"{{{NS}}}v")


def _text(fragment: str) -> str:
    return "".join(_parse(fragment).itertext())


@pytest.mark.parametrize("index", [1, 2, 26, 27, 52, 53, 702, 703, 16384])
def test_column_letters_match_openpyxl(index):
    assert column_letter(index) == get_column_letter(index)
    assert column_index(get_column_letter(index)) == index


def test_dates_are_excel_serials():
    # published anchors: 1900-03-01 is serial 61; to_excel is openpyxl's independent conversion
    days = [dt.date(1900, 3, 1), dt.date(2024, 3, 5), dt.datetime(2024, 3, 5, 18, 30)]
    frags = fragments(days, _plain)
    assert float(_value(frags[0])) == 61
    assert float(_value(frags[1])) == to_excel(dt.datetime(2024, 3, 5)) == 45356
    assert float(_value(frags[2])) == pytest.approx(to_excel(dt.datetime(2024, 3, 5, 18, 30)))
    as_series = fragments(pd.Series([pd.Timestamp("2024-03-05"), pd.Timestamp("2024-03-05 18:30"), pd.NaT]), _plain)
    assert [_value(f) if f else None for f in as_series] == [_value(frags[1]), _value(frags[2]), None]
    assert float(_value(fragments([dt.date(2024, 3, 5)], _plain, date1904=True)[0])) == 45356 - 1462


def test_date_kinds_get_their_styles():
    styles = {"date": 5, "datetime": 6, "number": 0, "text": 0, "bool": 0, "time": 7, "duration": 8}
    frags = fragments([dt.date(2024, 1, 1), dt.datetime(2024, 1, 1, 9), dt.time(12), 3], styles.get)
    assert [_parse(f).get("s") for f in frags] == ["5", "6", "7", None]
    assert float(_value(frags[2])) == 0.5


def test_numbers_round_trip_exactly():
    values = [0, -1, 1.5, 1 / 3, 1e-300, 6.02214076e23, 2**53 + 1, np.int64(7), np.float32(0.25)]
    got = [_value(f) for f in fragments(values, _plain)]
    assert [float(v) for v in got[:7]] == [float(v) for v in values[:7]]
    assert got[6] == str(2**53 + 1)          # no rounding through float
    assert got[7:] == ["7", "0.25"]
    floats = pd.Series([0.1, 2.0, np.nan, np.inf, -7.25])
    assert [(_value(f) if f else None) for f in fragments(floats, _plain)] == ["0.1", "2", None, None, "-7.25"]
    nullable = pd.Series([1, None, 3], dtype="Int64")
    assert [(_value(f) if f else None) for f in fragments(nullable, _plain)] == ["1", None, "3"]


def test_blanks_make_no_cell():
    assert list(fragments([None, np.nan, pd.NaT, pd.NA, ""], _plain)) == [""] * 5


def test_booleans():
    frags = fragments([True, np.bool_(False)], _plain)
    assert [(_parse(f).get("t"), _value(f)) for f in frags] == [("b", "1"), ("b", "0")]
    assert [_value(f) for f in fragments(pd.Series([True, False]), _plain)] == ["1", "0"]


@pytest.mark.parametrize("text", ["=SUM(A1:A3)", "+8613800138000", "-5", "@x", "a & b < c > d \"q\" 'x'",
                                  "  padded  ", "张伟\n北京", "全角　空格"])
def test_text_is_inline_string_and_never_a_formula(text):
    frag = fragments([text], _plain)[0]
    cell = _parse(frag)
    assert cell.get("t") == "inlineStr" and cell.find(f"{{{NS}}}f") is None
    assert _text(frag) == text


def test_illegal_xml_characters_are_dropped_and_long_text_cut():
    frag = fragments(["a\x00b\x1fc\x0bd\ud800e"], _plain)[0]
    assert _text(frag) == "abcde"
    assert len(_text(fragments(["x" * 40000], _plain)[0])) == 32767


def test_excel_escape_lookalikes_are_protected():
    # Excel would read "_x000D_" as a carriage return; its underscore must be escaped as _x005F_
    assert xml_text("a_x000D_b") == "a_x005F_x000D_b"
    assert xml_text("snake_case_x") == "snake_case_x"


def test_mixed_objects_use_the_general_path():
    values = pd.Series(["文本", 5, None, dt.date(2024, 1, 2), True], dtype=object)
    kinds = [(_parse(f).get("t") if f else "blank") for f in fragments(values, _plain)]
    assert kinds == ["inlineStr", None, "blank", None, "b"]


STYLES = (f'<styleSheet xmlns="{NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.000"/></numFmts>'
          '<fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts>'
          '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
          '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
          '</styleSheet>').encode()


def test_stylebook_only_appends():
    book = StyleBook(STYLES)
    header = book.xf(role="header")
    percent = book.xf("0.0%")
    again = book.xf("0.000")
    assert (header, percent, again) == (2, 3, 4)
    assert book.xf("0.0%") == percent and book.xf() == 0
    root = etree.fromstring(book.to_bytes())
    q = f"{{{NS}}}"
    xfs = root.find(q + "cellXfs")
    assert xfs.get("count") == "5"
    assert etree.tostring(xfs[1]) == etree.tostring(etree.fromstring(STYLES).find(q + "cellXfs")[1])
    fonts = root.find(q + "fonts")
    bold = fonts[int(xfs[header].get("fontId"))]
    assert bold.find(q + "b") is not None and bold.find(q + "name").get("val") == "等线"
    fill = root.find(q + "fills")[int(xfs[header].get("fillId"))]
    assert fill.find(f"{q}patternFill/{q}fgColor").get("rgb") == "FFC6EFCE"
    codes = {nf.get("numFmtId"): nf.get("formatCode") for nf in root.iter(q + "numFmt")}
    assert codes == {"164": "0.000", "165": "0.0%"}      # 0.000 reused, not duplicated
    assert xfs[again].get("numFmtId") == "164"
    assert book.xf("0.00") and xfs.getparent() is not None
    assert etree.fromstring(book.to_bytes()).find(q + "cellXfs")[-1].get("numFmtId") == "2"   # built-in 0.00


def test_stylebook_merge_remaps_indices():
    book = StyleBook(STYLES)
    other = STYLES.replace(b'formatCode="0.000"', b'formatCode="#,##0.0"')
    xf_map, dxf_offset = book.merge(other)
    root = etree.fromstring(book.to_bytes())
    q = f"{{{NS}}}"
    assert xf_map == {0: 2, 1: 3}
    moved = root.find(q + "cellXfs")[3]
    assert root.find(f"{q}numFmts/{q}numFmt[@numFmtId='{moved.get('numFmtId')}']").get("formatCode") == "#,##0.0"
    assert moved.get("fontId") == "1" and moved.get("fillId") == "2"
    assert dxf_offset == 0


def test_mixed_object_column_gives_the_per_value_fragments():
    """A cleaned column mixes dates/numbers with raw text: the by-type fast path must match value by value."""
    import datetime as _dt

    import numpy as _np
    import pandas as _pd

    from addin.write.cells import EPOCH_1900, _style_attrs, fragments, value_fragment

    rng = _np.random.default_rng(3)
    pool = ["张伟", "", "a<b&c", "2022年7月1日", 1.5, 2.0, float("nan"), 7, 2**60, True, None,
            _pd.Timestamp("2023-01-05"), _pd.Timestamp("2023-01-05 13:30"), _pd.Timestamp("2020-02-29", tz="UTC"),
            _dt.date(1999, 12, 31), _np.int64(5), _pd.NaT, 1e20, -0.25]
    values = _np.empty(500, dtype=object)
    values[:] = [pool[i] for i in rng.integers(0, len(pool), 500)]
    style = {"number": 3, "date": 4, "datetime": 5}.get

    def style_for(kind):
        return style(kind, 0)
    expected = [value_fragment(v, _style_attrs(style_for), EPOCH_1900) for v in values]
    assert list(fragments(values, style_for)) == expected
