"""Every register role recognised from content alone, on a register whose header row is blank.

The generator writes what office staff keep (DOMAIN.md §2): the truth is the generator's own column plan,
and the IDs and credit codes carry check characters computed here from the published GB 11643 / GB 32100
weights, not by kehu.
"""
from __future__ import annotations

import datetime as dt
import random

import openpyxl
import pytest

from addin.read import read_table

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘") + ["欧阳", "司马", "诸葛"]
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文"
MINORITY = ["阿依古丽·买买提", "热依拉·艾力", "扎西·多吉", "努尔兰·吐尔逊"]
PLACES = [("广东省", "广州市", "天河区"), ("浙江省", "杭州市", "西湖区"), ("江苏省", "南京市", "鼓楼区"),
          ("四川省", "成都市", "武侯区"), ("湖北省", "武汉市", "洪山区"), ("山东省", "青岛市", "崂山区"),
          ("河南省", "郑州市", "金水区"), ("福建省", "厦门市", "思明区"), ("陕西省", "西安市", "雁塔区")]
STREETS = ["中山路", "人民大道", "解放路", "建设街", "长江路"]
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

PLAN = ["customer_id", "name", "gender", "mobile", "landline", "email", "company", "uscc", "id_number", "province",
        "city", "district", "address", "birth_date", "last_purchase", "next_followup", "age", "purchase_count",
        "total_spend", "status", "sales_region"]


def _id_number(rng, birth: dt.date) -> str:
    body = f"{rng.choice(['110101', '440106', '330106', '510107'])}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return body + ID_CHECK[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS)) % 11]


def _uscc(rng) -> str:
    body = "91" + f"{rng.randrange(10**6):06d}" + "".join(rng.choice(USCC_CHARS) for _ in range(9))
    check = 31 - sum(USCC_CHARS.index(c) * w for c, w in zip(body, USCC_WEIGHTS)) % 31
    return body + USCC_CHARS[0 if check == 31 else check]


def _row(rng, i: int, today: dt.date) -> list[object]:
    if rng.random() < 0.1:
        name = rng.choice(MINORITY)
    else:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    province, city, district = rng.choice(PLACES)
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(365 * 40))
    age = today.year - birth.year
    pinyin = f"user{i:04d}"
    return [f"KH{i:05d}", name, rng.choice(["男", "女"]), f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
            f"0{rng.choice(['20', '571', '25', '28'])}-{rng.randrange(10**7, 10**8)}",
            f"{pinyin}@{rng.choice(['qq.com', '163.com', 'example.cn'])}",
            f"{rng.choice(['华信', '东方', '明达', '长江', '金桥'])}{rng.choice(['科技', '贸易', '物流'])}有限公司", _uscc(rng),
            _id_number(rng, birth), province, city, district,
            f"{city}{district}{rng.choice(STREETS)}{rng.randrange(1, 300)}号",
            birth, today - dt.timedelta(days=rng.randrange(10, 700)), today + dt.timedelta(days=rng.randrange(1, 60)),
            age, rng.randrange(1, 40), round(rng.uniform(100, 90000), 2),
            rng.choice(["活跃", "休眠", "流失", "潜在"]), rng.choice(["华东", "华南", "西南", "华中"])]


@pytest.mark.parametrize("seed", [11, 29])
def test_every_register_role_from_content_alone(tmp_path, seed):
    rng = random.Random(seed)
    today = dt.date.today()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([None] * len(PLAN))        # the header row is there but blank
    for i in range(1, 81):
        ws.append(_row(rng, i, today))
    path = tmp_path / "blank_header.xlsx"
    wb.save(path)
    table = read_table(path)
    assert len(table.df) == 80
    got = [c.role for c in table.columns]
    assert got == PLAN
    assert all(c.how == "content" and 0.6 <= c.confidence <= 1.0 for c in table.columns)


def test_meaningful_headers_still_win_over_content(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["联系人", "备注"])
    for name in ["张伟", "李娜", "王芳", "陈静"]:
        ws.append([name, "北京市"])      # a 备注 column full of city names is still 备注
    path = tmp_path / "headers.xlsx"
    wb.save(path)
    roles = [c.role for c in read_table(path).columns]
    assert roles == ["name", "remarks"]
