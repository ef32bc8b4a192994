"""Header detection never drops a customer: generic-placeholder headers, headerless sheets, titles above.

The registers are generated from the users' world (DOMAIN.md §2): names, mobiles, cities, companies,
statuses and dates as office staff type them. The check is independent of kehu: every generated customer's
mobile must come back, on the Excel row the generator put it.
"""
from __future__ import annotations

import datetime as dt
import random

import openpyxl
import pytest

from addin.read import read_table

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文"
CITIES = ["北京市", "上海市", "广州市", "深圳市", "杭州市", "成都市", "武汉市", "南京市", "西安市", "重庆市"]
COMPANIES = ["华信科技有限公司", "东方贸易有限责任公司", "长江电子股份有限公司", "个人", "明达物流有限公司"]
STATUSES = ["正常", "活跃", "休眠", "流失", "VIP客户"]
PLACEHOLDERS = {
    "列N": lambda i: f"列{i}", "ColumnN": lambda i: f"Column{i}", "Unnamed": lambda i: f"Unnamed: {i - 1}",
    "FN": lambda i: f"F{i}", "字段N": lambda i: f"字段{i}", "letters": lambda i: "ABCDEFGHIJ"[i - 1],
}


def _customers(rng: random.Random, n: int) -> list[list[object]]:
    rows = []
    for _ in range(n):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        mobile = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        joined = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(2000))
        amount = round(rng.uniform(50, 50000), 2)
        rows.append([name, mobile, rng.choice(CITIES), rng.choice(COMPANIES), joined, amount,
                     rng.choice(STATUSES)])
    return rows


def _save(tmp_path, name, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for r in rows:
        ws.append(r)
    path = tmp_path / f"{name}.xlsx"
    wb.save(path)
    return path


def _assert_all_kept(table, customers, first_excel_row):
    mobiles = [c[1] for c in customers]
    got_col = next(col for col in table.df.columns if set(map(str, table.df[col].dropna())) >= set(mobiles[:5]))
    assert len(table.df) == len(customers)
    assert list(map(str, table.df[got_col])) == mobiles
    assert list(table.rows) == list(range(first_excel_row, first_excel_row + len(customers)))


@pytest.mark.parametrize("seed", [101, 202])
@pytest.mark.parametrize("style", sorted(PLACEHOLDERS))
def test_generic_placeholder_header_keeps_every_customer(tmp_path, seed, style):
    rng = random.Random(seed)
    customers = _customers(rng, 60)
    header = [PLACEHOLDERS[style](i) for i in range(1, 8)]
    path = _save(tmp_path, style, [header] + customers)
    table = read_table(path)
    assert table.header_row == 1
    assert table.skipped_rows == []
    _assert_all_kept(table, customers, 2)


@pytest.mark.parametrize("seed", [303, 404, 505])
def test_headerless_sheet_keeps_every_customer_and_says_so(tmp_path, seed):
    customers = _customers(random.Random(seed), 40)
    table = read_table(_save(tmp_path, "bare", customers))
    assert table.header_row == 0
    _assert_all_kept(table, customers, 1)
    assert any("没有表头行" in zh for zh, _en in table.notes)


def test_titles_above_a_placeholder_header_are_listed_and_no_customer_is_lost(tmp_path):
    customers = _customers(random.Random(606), 30)
    rows = [["2024年客户档案"], ["制表日期：2024-05-01", None, None, None, None, "单位：元"],
            [f"列{i}" for i in range(1, 8)]] + customers
    table = read_table(_save(tmp_path, "titled", rows))
    assert table.header_row == 3
    assert table.skipped_rows == [1, 2]
    _assert_all_kept(table, customers, 4)
    assert any("第 1, 2 行" in zh for zh, _en in table.notes)


def test_a_record_is_never_taken_for_a_title_even_when_short(tmp_path):
    """A customer with only a name and a mobile filled sits right below a real header: it is still read."""
    customers = _customers(random.Random(707), 20)
    customers[0] = [customers[0][0], customers[0][1], None, None, None, None, None]
    rows = [["姓名", "手机", "城市", "单位", "注册日期", "消费金额", "状态"]] + customers
    table = read_table(_save(tmp_path, "short", rows))
    assert table.header_row == 1
    _assert_all_kept(table, customers, 2)


def test_real_header_below_placeholder_row_is_the_header(tmp_path):
    customers = _customers(random.Random(808), 25)
    rows = [[f"Column{i}" for i in range(1, 8)], ["姓名", "手机", "城市", "单位", "注册日期", "消费金额", "状态"]]
    table = read_table(_save(tmp_path, "pq", rows + customers))
    assert table.header_row == 2
    assert table.roles.get("手机") == "mobile"
    _assert_all_kept(table, customers, 3)
