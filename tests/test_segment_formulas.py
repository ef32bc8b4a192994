"""The KEHU_ segment formulas give the same answers as the engine behind `kehu segment`."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from udfs.formulas.segment import KEHU_CUSTOMER_TYPE, KEHU_NEXT_CALL, KEHU_RFM, KEHU_SEGMENT, KEHU_TIER
from udfs.score.segment import aggregate_orders, segment_customers

DATA = Path(__file__).resolve().parent / "data" / "rfm_data_orders.csv"


def _excel_column(values) -> tuple:
    """A column as Excel hands it over: tuples of one cell, None for blanks, dates as datetimes."""
    out = []
    for v in values:
        if isinstance(v, pd.Timestamp):
            v = v.to_pydatetime()
        elif isinstance(v, float) and np.isnan(v) or v is pd.NaT:
            v = None
        out.append((v,))
    return tuple(out)


def _blank(v):
    return None if v == "" else v


def test_formulas_agree_with_the_engine_on_the_sample_orders():
    o = pd.read_csv(DATA)
    per = aggregate_orders(o["customer_id"], o["order_date"], o["revenue"])
    # plus a register row that never bought, first (trailing blank rows are trimmed like an A:A range)
    last = [pd.NaT] + list(per["最近购买日期"])
    count = [0] + list(per["购买次数"])
    spend = [0.0] + list(per["累计金额"])
    status = ["意向客户", "签单客户", "无效客户", "丢单客户"] * 249
    engine = segment_customers(last, count, spend, as_of="2006-12-31", status=status[:996],
                               last_contact=last).table

    rfm = KEHU_RFM(_excel_column(last), _excel_column(count), _excel_column(spend), dt.datetime(2006, 12, 31))
    got = pd.DataFrame([[_blank(v) for v in row] for row in rfm], columns=["R", "F", "M", "RFM"], dtype=float)
    pd.testing.assert_frame_equal(got, engine[["R", "F", "M", "RFM"]].astype(float), check_names=False)

    cols = [_excel_column(got[c]) for c in ("R", "F", "M")]
    seg = [_blank(r[0]) for r in KEHU_SEGMENT(*cols)]
    assert seg[0] is None and pd.isna(engine["细分"][0])
    assert seg[1:] == engine["细分"].tolist()[1:]

    kinds = [_blank(r[0]) for r in KEHU_CUSTOMER_TYPE(_excel_column(seg), _excel_column(last), "2006-12-31")]
    assert kinds == engine["客户类型"].tolist() and kinds[0] == "潜在客户"

    tiers = [r[0] for r in KEHU_TIER(_excel_column(spend))]
    assert tiers == engine["价值等级"].tolist()

    calls = KEHU_NEXT_CALL(_excel_column(status[:996]), _excel_column(last), "2006-12-31", True)
    assert [pd.Timestamp(r[0]) for r in calls] == engine["下次跟进"].tolist()
    assert [r[1] == "逾期" for r in calls] == engine["逾期"].tolist()


def test_excel_serial_dates_and_whole_column_blanks():
    # dates as Excel serials (45292 = 2024-01-01), trailing blank rows of an A:A reference trimmed
    rfm = KEHU_RFM(((45292.0,), (45444.0,), (None,), (None,)), ((2,), (5,), (None,), (None,)),
                   ((100,), (900,), (None,), (None,)), 45473.0)
    assert len(rfm) == 2
    assert rfm[1][0] >= rfm[0][0]  # the more recent buyer never scores lower on R


def test_segment_formula_takes_the_users_rules_range():
    """A rules range edited in the workbook changes the answer exactly as the same rules do in the engine."""
    import csv
    from pathlib import Path

    from udfs.formulas import KEHU_SEGMENT
    from udfs.score.segment import assign_segments
    from udfs.score.segment.segments import DEFAULT_RULES_PATH

    with Path(DEFAULT_RULES_PATH).open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    rows[1][0] = "头号客户"                     # rename the first segment, as a user would in the sheet
    r, f, m = [[5], [3], [1]], [[5], [3], [1]], [[5], [3], [1]]
    plain = [c[0] for c in KEHU_SEGMENT(r, f, m)]
    edited = [c[0] for c in KEHU_SEGMENT(r, f, m, rows)]
    assert plain[0] == assign_segments([5], [5], [5])["细分"][0] == "冠军客户"
    assert edited[0] == "头号客户" and edited[1:] == plain[1:]


def test_customer_type_formula_takes_the_users_rules_range():
    """The rules range decides which type a segment leads to, as `kehu segment --rules` does."""
    import csv

    from udfs.formulas import KEHU_CUSTOMER_TYPE
    from udfs.score.segment.segments import DEFAULT_RULES_PATH

    with Path(DEFAULT_RULES_PATH).open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    type_column = rows[0].index("客户类型")
    assert rows[1][0] == "冠军客户" and rows[1][type_column] == "忠诚客户"
    rows[1][type_column] = "边缘客户"           # this company treats champions as marginal, as a user might edit
    segments = (("冠军客户",), ("忠实客户",), (None,))
    bought = ((dt.datetime(2024, 6, 1),), (dt.datetime(2024, 6, 1),), (dt.datetime(2024, 6, 1),))
    plain = [r[0] for r in KEHU_CUSTOMER_TYPE(segments, bought, "2024-06-30")]
    edited = [r[0] for r in KEHU_CUSTOMER_TYPE(segments, bought, "2024-06-30", 365, rows)]
    assert plain[:2] == ["忠诚客户", "忠诚客户"]
    assert edited[0] == "边缘客户" and edited[1:] == plain[1:]
