"""Build the bundled sample register (sample_register.xlsx): a realistic, messy 客户档案 with known faults.

Seeded, so `python -m workbook_templates.samples.build_register` rebuilds the same workbook. What was
planted is written beside it (sample_register.truth.json): the problems a cleaning run must report,
the duplicate pairs, and the look-alikes that must stay apart. Everything else in the sheet is
untidy but correct (full-width digits, +86 prefixes, traditional characters, text dates, "¥2,288.38").
"""
from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import xlsxwriter
import zhconv

HERE = Path(__file__).resolve().parent
OUT = HERE / "sample_register.xlsx"
TRUTH = HERE / "sample_register.truth.json"
SEED = 20241122
N_CUSTOMERS = 60

HEADERS = ["客户编号", "姓名", "性别", "手机", "电话", "邮箱", "公司名称", "统一社会信用代码", "身份证号", "省份", "城市",
           "地址", "首次接触日期", "最近购买日期", "购买次数", "累计金额", "状态", "来源渠道", "备注", "下次跟进日期"]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞",
         "平", "刚", "桂英", "建华", "晓东", "海燕", "志强", "丽娟", "俊杰", "雪梅", "文博", "子涵", "欣怡", "浩然", "思远"]
# (province, city, district, 6-digit region code of the district, landline area code)
PLACES = [("北京市", "北京市", "朝阳区", "110105", "010"), ("上海市", "上海市", "浦东新区", "310115", "021"),
          ("广东省", "广州市", "天河区", "440106", "020"), ("广东省", "深圳市", "南山区", "440305", "0755"),
          ("浙江省", "杭州市", "西湖区", "330106", "0571"), ("江苏省", "南京市", "玄武区", "320102", "025"),
          ("四川省", "成都市", "武侯区", "510107", "028"), ("湖北省", "武汉市", "武昌区", "420106", "027")]
STREETS = ["建国路", "中山路", "人民路", "解放大道", "科技园路", "文一西路", "天府大道", "珠江新城华夏路", "南京东路", "长江路"]
COMPANY_WORDS = ["华信", "宏达", "金桥", "恒通", "瑞丰", "远航", "新源", "博雅", "天成", "嘉禾", "盛世", "同创"]
INDUSTRY_SUFFIX = ["科技有限公司", "贸易有限公司", "电子股份有限公司", "实业有限责任公司", "物流有限公司", "餐饮管理有限公司"]
STATUS = ["意向客户", "签单客户", "签单客户", "意向客户", "无效客户", "丢单客户"]
CHANNELS = ["展会", "官网", "转介绍", "电话营销", "微信", "老客户"]
EMAIL_DOMAINS = ["163.com", "qq.com", "126.com", "sina.com", "outlook.com", "gmail.com"]
PINYIN = {"王": "wang", "李": "li", "张": "zhang", "刘": "liu", "陈": "chen", "杨": "yang", "黄": "huang", "赵": "zhao",
          "吴": "wu", "周": "zhou", "徐": "xu", "孙": "sun", "马": "ma", "朱": "zhu", "胡": "hu", "郭": "guo"}

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def id_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS)) % 11]


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def make_id(rng: random.Random, region: str, male: bool) -> str:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 40))
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + id_check_char(body)


def make_uscc(rng: random.Random, region: str) -> str:
    org = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    body = f"91{region}{org}"
    return body + uscc_check_char(body)


def mobile_forms(rng: random.Random, number: str):
    """The same mobile written the ways people type it."""
    full = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return rng.choice([number, number, int(number), f"{number[:3]} {number[3:7]} {number[7:]}",
                       f"{number[:3]}-{number[3:7]}-{number[7:]}", f"+86 {number}", f"0086-{number}",
                       f"+86-{number[:3]}-{number[3:7]}-{number[7:]}", full])


def landline_forms(rng: random.Random, area: str, local: str):
    return rng.choice([f"{area}-{local}", f"({area}){local}", f"{area} {local[:4]} {local[4:]}", f"{area}{local}",
                       f"（{area}）{local}"])


def date_forms(rng: random.Random, d: dt.date):
    """A date as a real date, an Excel serial, or one of the text forms of DOMAIN.md §2."""
    serial = (d - dt.date(1899, 12, 30)).days
    return rng.choice([d, d, d, serial, f"{d.year}-{d.month}-{d.day}", f"{d:%Y/%m/%d}", f"{d.year}年{d.month}月{d.day}日",
                       f"{d:%Y%m%d}", f"{d.year}.{d.month}.{d.day}"])


def amount_forms(rng: random.Random, x: float):
    return rng.choice([x, x, round(x), f"¥{x:,.2f}", f"{round(x)}元", f"￥{x:.2f}", f"{x:,.2f}"])


def build_rows(rng: random.Random) -> tuple[list[dict], dict]:
    today = dt.date(2024, 6, 30)
    rows: list[dict] = []
    truth = {"problems": [], "duplicates": [], "distinct": []}
    for i in range(1, N_CUSTOMERS + 1):
        male = rng.random() < 0.55
        prov, city, district, region, area = rng.choice(PLACES)
        surname = rng.choice(SURNAMES)
        name = surname + rng.choice(GIVEN)
        mobile = "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))
        local = rng.choice("2345678") + "".join(rng.choice("0123456789") for _ in range(7 if len(area) == 3 else 6))
        first = today - dt.timedelta(days=rng.randrange(200, 1500))
        last = first + dt.timedelta(days=rng.randrange(0, (today - first).days))
        company = city[:2] + rng.choice(COMPANY_WORDS) + rng.choice(INDUSTRY_SUFFIX)
        spend = round(rng.uniform(300, 80000), 2)
        user = PINYIN.get(surname, "kh") + str(rng.randrange(10, 9999))
        rows.append({
            "客户编号": f"C{i:04d}", "姓名": name, "性别": rng.choice(["男", "M", "男"]) if male else rng.choice(["女", "F", "女"]),
            "手机": mobile_forms(rng, mobile), "电话": landline_forms(rng, area, local) if rng.random() < 0.7 else None,
            "邮箱": f"{user}@{rng.choice(EMAIL_DOMAINS)}", "公司名称": company, "统一社会信用代码": make_uscc(rng, region),
            "身份证号": make_id(rng, region, male), "省份": rng.choice([prov, prov.rstrip("省市")]),
            "城市": rng.choice([city, city.rstrip("市")]),
            "地址": f"{rng.choice(['', prov]) if prov != city else ''}{city}{district}{rng.choice(STREETS)}{rng.randrange(1, 300)}号",
            "首次接触日期": date_forms(rng, first), "最近购买日期": date_forms(rng, last),
            "购买次数": rng.randrange(1, 40), "累计金额": amount_forms(rng, spend), "状态": rng.choice(STATUS),
            "来源渠道": rng.choice(CHANNELS), "备注": rng.choice(["老客户介绍", "重点跟进", "价格敏感", "已寄样品", "需要发票",
                                                           "周末联系", "对售后满意"]),
            "下次跟进日期": today + dt.timedelta(days=rng.randrange(-20, 60)),
            "_mobile": mobile, "_area": area, "_local": local, "_male": male, "_region": region,
        })

    def plant(cid: str, column: str, value, code: str):
        row = next(r for r in rows if r["客户编号"] == cid)
        row[column] = value
        truth["problems"].append({"customer_id": cid, "column": column, "code": code})

    # --- planted problems: one fault per row, each a kind the cleaning must report
    plant("C0040", "手机", "1380013800", "MOBILE_LENGTH")
    r41 = rows[40]
    bad_id = r41["身份证号"][:17] + ("0" if r41["身份证号"][17] != "0" else "1")
    plant("C0041", "身份证号", bad_id, "ID_CHECKSUM")
    r42 = rows[41]
    bad_uscc = r42["统一社会信用代码"][:17] + ("1" if r42["统一社会信用代码"][17] != "1" else "2")
    plant("C0042", "统一社会信用代码", bad_uscc, "USCC_CHECKSUM")
    plant("C0043", "邮箱", "wangli@163", "EMAIL_SYNTAX")
    plant("C0044", "最近购买日期", dt.date(2031, 3, 1), "DATE_FUTURE")
    plant("C0045", "累计金额", -500, "AMOUNT_NEGATIVE")
    plant("C0046", "购买次数", 2.5, "COUNT_NOT_WHOLE")
    r47 = rows[46]
    r47["手机"] = None
    r47["电话"] = None
    r47["邮箱"] = None
    r47["地址"] = None
    truth["problems"].append({"customer_id": "C0047", "column": "手机", "code": "CONTACT_MISSING"})
    r48 = rows[47]
    r48["性别"] = "女" if r48["_male"] else "男"
    truth["problems"].append({"customer_id": "C0048", "column": "性别", "code": "GENDER_ID_MISMATCH"})
    r49 = rows[48]
    r49["首次接触日期"] = dt.date(2024, 5, 1)
    r49["最近购买日期"] = dt.date(2023, 2, 1)
    truth["problems"].append({"customer_id": "C0049", "column": "首次接触日期", "code": "DATE_ORDER"})
    plant("C0050", "手机", "1.38001E+10", "MOBILE_ROUNDED")
    plant("C0038", "姓名", None, "NAME_MISSING")
    rows[37]["公司名称"] = None  # a name is a person's or a company's: neither is left

    # --- duplicates: the same customer entered twice, written differently
    def duplicate(src: str, new_id: str, **changes):
        base = next(r for r in rows if r["客户编号"] == src)
        dup = dict(base)
        dup.update(changes)
        dup["客户编号"] = new_id
        rows[int(new_id[1:]) - 1] = dup
        truth["duplicates"].append([src, new_id])

    s7 = rows[6]
    duplicate("C0007", "C0056", 姓名=zhconv.convert(s7["姓名"], "zh-hant"),
              手机=f"+86 {s7['_mobile'][:3]} {s7['_mobile'][3:7]} {s7['_mobile'][7:]}", 邮箱=s7["邮箱"].upper(),
              最近购买日期=dt.date(2024, 6, 2))
    s15 = rows[14]
    duplicate("C0015", "C0057", 手机=s15["_mobile"][:3] + "-" + s15["_mobile"][3:7] + "-" + s15["_mobile"][7:],
              公司名称=zhconv.convert(s15["公司名称"], "zh-hant"), 邮箱=None, 备注="展会名片录入")
    s23 = rows[22]
    duplicate("C0023", "C0058", 姓名=s23["姓名"][0] + " " + s23["姓名"][1:],
              手机=s23["_mobile"].translate(str.maketrans("0123456789", "０１２３４５６７８９")),
              公司名称=f"（{s23['城市'].rstrip('市')}）" + s23["公司名称"], 身份证号=None)
    # --- look-alikes that must stay apart
    r59, r31 = rows[58], rows[30]
    other_given = next(g for g in ("浩然", "欣怡", "子涵") if g != r31["姓名"][1:])
    r59.update(姓名=r31["姓名"][0] + other_given, 电话=f"{r31['_area']}-{r31['_local']}", 地址=r31["地址"], 公司名称=r31["公司名称"])
    truth["distinct"].append(["C0031", "C0059", "family or colleague sharing landline and address"])
    r60, r30 = rows[59], rows[29]
    r60.update(姓名=r30["姓名"])
    truth["distinct"].append(["C0030", "C0060", "same name, different city and phone"])
    if r60["城市"].rstrip("市") == r30["城市"].rstrip("市"):
        prov, city, district, region, area = next(p for p in PLACES if p[1].rstrip("市") != r30["城市"].rstrip("市"))
        r60.update(省份=prov, 城市=city, 地址=f"{city}{district}人民路8号")
    return rows, truth


def write(rows: list[dict], truth: dict, out: Path = OUT) -> None:
    wb = xlsxwriter.Workbook(str(out), {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties({"title": "客户档案示例", "author": "kehu", "created": dt.datetime(2024, 6, 30, 9, 0, 0)})
    ws = wb.add_worksheet("客户档案")
    title = wb.add_format({"bold": True, "font_size": 16, "align": "center"})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.merge_range(0, 0, 0, len(HEADERS) - 1, "华东区客户档案（2024年上半年）", title)
    ws.write(1, 0, "制表：销售部   更新日期：2024-06-30")
    for j, h in enumerate(HEADERS):
        ws.write(3, j, h, head)
    r = 4
    blank_after = {12, 33}
    for i, row in enumerate(rows):
        for j, h in enumerate(HEADERS):
            v = row.get(h)
            if v is None:
                continue
            if isinstance(v, dt.date):
                ws.write_datetime(r, j, dt.datetime(v.year, v.month, v.day), date_fmt)
            elif isinstance(v, (int, float)):
                ws.write_number(r, j, v)
            else:
                ws.write_string(r, j, v)
        r += 1
        if i in blank_after:
            r += 1  # a blank line someone left in the middle of the list
    r += 1
    ws.write(r, 0, "注：本表仅供内部使用，客户信息请勿外传。手机号以最新登记为准。")
    widths = [9, 8, 5, 16, 15, 22, 28, 21, 20, 8, 8, 32, 13, 13, 8, 11, 9, 9, 12, 13]
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)
    ws.freeze_panes(4, 2)
    wb.close()
    TRUTH.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")


def main() -> Path:
    rng = random.Random(SEED)
    rows, truth = build_rows(rng)
    write(rows, truth)
    return OUT


if __name__ == "__main__":
    print(main())
