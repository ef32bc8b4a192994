"""Property: any valid workbook XlsxWriter or openpyxl can write comes out of `clean` with every part, cell,
style, comment and formula kept, and with nothing Excel would repair (tests/workbook_checks.py).

Random sheets, styles, merged cells, Tables, comments, formulas, hidden rows, frozen panes and data
validation; register values the way offices type them (DOMAIN.md): names, mobiles with +86 and spaces,
amounts with ￥ and 元, dates in several spellings, blanks.
"""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from addin.commands.clean import run_clean
from tests import workbook_checks as checks

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐欧阳司马"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英喆昇赟"
HEADERS = ["客户编号", "姓名", "手机", "累计金额", "最近购买日期"]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _mobile(rng: random.Random) -> str:
    digits = "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))
    return rng.choice([digits, f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}", f"{digits[:3]}-{digits[3:7]}-{digits[7:]}",
                       digits[:10]])


def _amount(rng: random.Random):
    value = round(rng.uniform(0, 99999), 2)
    return rng.choice([value, f"￥{value:,.2f}", f"{int(value)}元", str(value)])


def _date(rng: random.Random):
    d = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 1500))
    return rng.choice([d.isoformat(), f"{d.year}年{d.month}月{d.day}日", f"{d.year}/{d.month}/{d.day}",
                       dt.datetime.combine(d, dt.time())])


def _rows(rng: random.Random, n: int, extra: int) -> list[list]:
    rows = []
    for i in range(n):
        row = [f"C{i + 1:04d}", _name(rng), _mobile(rng), _amount(rng), _date(rng)]
        row += [rng.choice([None, rng.randint(0, 500), "备注" + str(i)]) for _ in range(extra)]
        if rng.random() < 0.1:
            row[rng.randrange(len(row))] = None
        rows.append(row)
    return rows


def _xlsxwriter_book(path: Path, rng: random.Random, rows, headers, features: set[str], n_other: int) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    fmts = [wb.add_format({"bold": True}), wb.add_format({"italic": True, "font_color": "#9C0006"}),
            wb.add_format({"bg_color": "#FFEB9C", "border": 1}), wb.add_format({"num_format": "yyyy-mm-dd"}),
            wb.add_format({"num_format": "#,##0.00"})]
    others_first = rng.random() < 0.5
    if others_first:
        _xlsxwriter_others(wb, rng, n_other)
    ws = wb.add_worksheet("客户档案")
    ws.write_row(0, 0, headers, fmts[0])
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            if v is None:
                continue
            style = rng.choice([None] + fmts) if "styles" in features else None
            if isinstance(v, dt.datetime):
                ws.write_datetime(i, j, v, fmts[3])
            else:
                ws.write(i, j, v, style)
    last = len(rows)
    if "formulas" in features:
        ws.write_formula(last + 1, 3, f"=SUM(D2:D{last + 1})", None, 0)
    if "merged" in features and last >= 3:
        ws.merge_range(last + 2, 0, last + 2, 2, "合计以上", fmts[0])
    if "comments" in features:
        ws.write_comment(1, 1, "VIP 客户")
    if "hidden" in features and last >= 2:
        ws.set_row(2, None, None, {"hidden": True})
    if "panes" in features:
        ws.freeze_panes(1, 1)
    if "validation" in features:
        ws.data_validation(1, 4, last, 4, {"validate": "any"})
        ws.data_validation(1, 0, last, 0, {"validate": "list", "source": ["C0001", "C0002"]})
    if "table" in features and "merged" not in features and "formulas" not in features:
        ws.add_table(0, 0, last, len(headers) - 1, {"columns": [{"header": h} for h in headers], "style": None,
                                                    "name": "客户表"})
    if not others_first:
        _xlsxwriter_others(wb, rng, n_other)
    wb.close()


def _xlsxwriter_others(wb, rng: random.Random, n: int) -> None:
    for k in range(n):
        # k == 0 may be the user's own 问题清单, which kehu must keep (and write its own beside)
        ws = wb.add_worksheet(rng.choice(["说明", "Sheet", "汇总", "问题清单"]) + (str(k) if k else ""))
        ws.write(0, 0, "产品")
        ws.write_row(1, 0, [rng.randint(0, 9), "=A2*2", _name(rng)])
        if rng.random() < 0.5:
            chart = wb.add_chart({"type": "column"})
            chart.add_series({"values": f"='{ws.name}'!$A$2:$A$2"})
            ws.insert_chart("E2", chart)


def _openpyxl_book(path: Path, rng: random.Random, rows, headers, features: set[str], n_other: int) -> None:
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.table import Table

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "客户档案"
    ws.append(headers)
    for row in rows:
        ws.append(row)
    last = len(rows) + 1
    if "styles" in features:
        for cell in ws[2]:
            cell.font = Font(bold=True, color="FF9C0006")
        ws["B2"].fill = PatternFill("solid", fgColor="FFFFEB9C")
    if "formulas" in features:
        ws.cell(last + 1, 4, f"=SUM(D2:D{last})")
    if "merged" in features and last >= 4:
        ws.cell(last + 2, 1, "合计以上")
        ws.merge_cells(start_row=last + 2, start_column=1, end_row=last + 2, end_column=3)
    if "comments" in features:
        ws["B2"].comment = Comment("VIP 客户", "kehu")
    if "hidden" in features and last >= 3:
        ws.row_dimensions[3].hidden = True
    if "panes" in features:
        ws.freeze_panes = "B2"
    if "validation" in features:
        dv = DataValidation(type="list", formula1='"甲,乙"', allow_blank=True)
        ws.add_data_validation(dv)
        dv.add(f"A2:A{last}")
    if "table" in features and "merged" not in features and "formulas" not in features:
        ws.add_table(Table(displayName="客户表", ref=f"A1:{openpyxl.utils.get_column_letter(len(headers))}{last}"))
    for k in range(n_other):
        other = wb.create_sheet(rng.choice(["说明", "汇总", "问题清单"]) + (str(k) if k else ""),
                                index=rng.randint(0, len(wb.sheetnames)))
        other["A1"] = "备注"
        other["B2"] = "=1+1"
    wb.save(path)


FEATURES = ["styles", "merged", "table", "comments", "formulas", "hidden", "panes", "validation"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(seed=st.integers(0, 2 ** 32 - 1), engine=st.sampled_from(["xlsxwriter", "openpyxl"]),
       n_rows=st.integers(1, 25), extra=st.integers(0, 3), n_other=st.integers(0, 3),
       features=st.sets(st.sampled_from(FEATURES)))
def test_clean_keeps_everything(tmp_path_factory, seed, engine, n_rows, extra, n_other, features):
    rng = random.Random(seed)
    folder = tmp_path_factory.mktemp("prop")
    headers = HEADERS + [f"备注{j + 1}" for j in range(extra)]
    rows = _rows(rng, n_rows, extra)
    src = folder / "客户档案.xlsx"
    (_xlsxwriter_book if engine == "xlsxwriter" else _openpyxl_book)(src, rng, rows, headers, features, n_other)
    out = folder / "out.xlsx"
    run_clean(src, out, sheet="客户档案", header_row=1, role_map={"姓名": "name", "手机": "mobile"})
    checks.check_package(out, baseline=src)
    checks.check_parts_kept(src, out, "客户档案")
    assert checks.check_cells_kept(src, out, "客户档案") >= len(headers)
