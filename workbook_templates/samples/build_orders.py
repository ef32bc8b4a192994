"""Build the bundled sample orders (sample_orders.xlsx): sheet 订单, one row per purchase of C0001–C0060.

Seeded, so `python -m workbook_templates.samples.build_orders` rebuilds the same workbook. The customer ids
are those of the bundled sample register. Planted for the segment demo and tests (all relative to an
analysis date of 2024-06-30, `AS_OF`):
  * customers with no order at all (register rows without purchases): NO_ORDERS;
  * customers with exactly one order: ONE_ORDER;
  * customers whose last order is more than a year before AS_OF (churned): those in CHURNED;
  * a few cells typed the way people type them: a text date (2024年3月5日) and a text amount (¥1,280.00).
"""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
OUT = HERE / "sample_orders.xlsx"
SEED = 20240630
AS_OF = dt.date(2024, 6, 30)
START = dt.date(2021, 1, 1)
N_CUSTOMERS = 60
NO_ORDERS = ("C0007", "C0016", "C0029", "C0045", "C0053")
ONE_ORDER = ("C0002", "C0014", "C0033", "C0049")
CHURNED = ("C0008", "C0015", "C0023", "C0042", "C0055", "C0057")


def customer_ids() -> list[str]:
    return [f"C{i:04d}" for i in range(1, N_CUSTOMERS + 1)]


def make_orders(rng: random.Random) -> list[tuple[str, dt.date, float]]:
    """(客户编号, 下单日期, 金额) rows, sorted by date as an order system would export them."""
    rows = []
    for cid in customer_ids():
        if cid in NO_ORDERS:
            continue
        n = 1 if cid in ONE_ORDER else max(1, int(rng.paretovariate(1.3) * 2))
        n = min(n, 25)
        # Each customer is active in a window; churned customers stop more than a year before AS_OF.
        last_day = (AS_OF - dt.timedelta(days=rng.randint(400, 900)) if cid in CHURNED
                    else AS_OF - dt.timedelta(days=int(rng.expovariate(1 / 90))))
        last_day = max(last_day, START + dt.timedelta(days=30))
        first_day = max(START, last_day - dt.timedelta(days=rng.randint(30, 1000)))
        span = (last_day - first_day).days
        dates = sorted([last_day] + [first_day + dt.timedelta(days=rng.randint(0, span)) for _ in range(n - 1)])
        size = rng.lognormvariate(7.2, 0.9)  # customers differ in how much they buy per order
        for d in dates:
            rows.append((cid, d, round(size * rng.uniform(0.5, 1.5), 2)))
    rows.sort(key=lambda r: (r[1], r[0]))
    return rows


def build(path: Path = OUT) -> Path:
    rng = random.Random(SEED)
    rows = make_orders(rng)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("订单")
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    money = wb.add_format({"num_format": "#,##0.00"})
    for j, h in enumerate(("客户编号", "下单日期", "金额")):
        ws.write(0, j, h, head)
    for i, (cid, d, amount) in enumerate(rows, start=1):
        ws.write_string(i, 0, cid)
        if i == 7:
            ws.write_string(i, 1, f"{d.year}年{d.month}月{d.day}日")  # a date typed as text
        else:
            ws.write_datetime(i, 1, dt.datetime.combine(d, dt.time()), date_fmt)
        if i == 11:
            ws.write_string(i, 2, f"¥{amount:,.2f}")  # an amount typed as text
        else:
            ws.write_number(i, 2, amount, money)
    ws.set_column(0, 0, 10)
    ws.set_column(1, 1, 14)
    ws.set_column(2, 2, 12)
    ws.freeze_panes(1, 0)
    wb.close()
    return path


if __name__ == "__main__":
    print(build())
