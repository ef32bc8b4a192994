"""Generate large registers for benchmarks: N rows × 15 columns of realistic, untidy customer data.

Vectorised with numpy so a 1,048,576-row file is made in well under a minute; written with
xlsxwriter's constant-memory mode. Files are cached in $KEHU_BENCH_DIR (default /tmp/kehu-bench).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

HEADERS = ["客户编号", "姓名", "性别", "手机", "电话", "邮箱", "公司名称", "省份", "城市", "地址", "首次接触日期",
           "最近购买日期", "购买次数", "累计金额", "备注"]
SURNAMES = np.array(list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘"))
GIVEN = np.array(["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
                  "秀英", "霞", "平", "刚", "桂英", "建华", "晓东", "海燕", "志强", "丽娟", "俊杰", "雪梅", "文博"])
CITIES = np.array(["北京市", "上海市", "广州市", "深圳市", "杭州市", "南京市", "成都市", "武汉市", "廣州", "杭州"])
PROVS = np.array(["北京", "上海", "广东省", "广东", "浙江省", "江苏省", "四川省", "湖北省", "廣東", "浙江"])
WORDS = np.array(["华信", "宏达", "金桥", "恒通", "瑞丰", "远航", "新源", "博雅", "天成", "嘉禾"])
SUFFIX = np.array(["科技有限公司", "贸易有限公司", "实业有限责任公司", "物流有限公司", "股份有限公司"])


def bench_dir() -> Path:
    d = Path(os.environ.get("KEHU_BENCH_DIR", "/tmp/kehu-bench"))
    d.mkdir(parents=True, exist_ok=True)
    return d


def columns(n: int, seed: int = 7) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    idx = np.arange(1, n + 1)
    mobile = (13_000_000_000 + rng.integers(0, 6_999_999_999, n)).astype(str)
    forms = rng.integers(0, 4, n)
    mobile = np.where(forms == 1, np.char.add("+86 ", mobile), mobile)
    dashed = np.array([m[:3] + "-" + m[3:7] + "-" + m[7:] for m in mobile.tolist()])
    mobile = np.where(forms == 2, dashed, mobile)
    city_i = rng.integers(0, len(CITIES), n)
    days0 = rng.integers(0, 2500, n)
    first = np.datetime64("2018-01-01") + days0
    last = first + rng.integers(0, 500, n)
    spend = np.round(rng.gamma(2.0, 3000.0, n), 2)
    return {
        "客户编号": np.char.add("C", np.char.zfill(idx.astype(str), 8)),
        "姓名": np.char.add(SURNAMES[rng.integers(0, len(SURNAMES), n)], GIVEN[rng.integers(0, len(GIVEN), n)]),
        "性别": np.array(["男", "女", "M", "F"])[rng.integers(0, 4, n)],
        "手机": mobile,
        "电话": np.char.add("010-", (20_000_000 + rng.integers(0, 79_999_999, n)).astype(str)),
        "邮箱": np.char.add(np.char.add("user", idx.astype(str)), "@163.com"),
        "公司名称": np.char.add(np.char.add(CITIES[city_i], WORDS[rng.integers(0, len(WORDS), n)]),
                                SUFFIX[rng.integers(0, len(SUFFIX), n)]),
        "省份": PROVS[city_i],
        "城市": CITIES[city_i],
        "地址": np.char.add(CITIES[city_i], np.char.add("人民路", np.char.add(rng.integers(1, 999, n).astype(str), "号"))),
        "首次接触日期": first.astype(str),
        "最近购买日期": last,
        "购买次数": rng.integers(1, 60, n),
        "累计金额": spend,
        "备注": np.array(["老客户", "重点跟进", "价格敏感", "", "需要发票"])[rng.integers(0, 5, n)],
    }


def make_register(n: int, seed: int = 7) -> Path:
    path = bench_dir() / f"register_{n}.xlsx"
    if path.exists():
        return path
    import xlsxwriter

    cols = columns(n, seed)
    tmp = path.with_suffix(".tmp.xlsx")
    wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_numbers": False})
    ws = wb.add_worksheet("客户档案")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, HEADERS)
    lists = {h: cols[h].tolist() for h in HEADERS}
    last_days = (cols["最近购买日期"] - np.datetime64("1899-12-30")).astype(int).tolist()
    for i in range(n):
        r = i + 1
        for j, h in enumerate(HEADERS):
            if h == "最近购买日期":
                ws.write_number(r, j, last_days[i], date_fmt)
            else:
                v = lists[h][i]
                if v != "":
                    ws.write(r, j, v)
    wb.close()
    tmp.rename(path)
    return path


if __name__ == "__main__":
    for n in map(int, sys.argv[1:] or ["10000"]):
        print(make_register(n))
