"""Seeded generator of a Chinese customer register with known duplicates, the truth kept apart.

`generate_register(n_rows, seed)` returns (register, truth):
- register: the sheet as a user would have it (Chinese headers, raw cell values, formats mixed);
- truth: per row the real customer (实体), the household (家庭) and employer (公司编号) behind it, whether
  the row is a duplicate copy (副本), and the corruptions applied to it (损坏), so the accuracy script and the tests can score a run.

Every corruption of DOMAIN.md §2 appears in duplicate rows (see CORRUPTIONS), and the hard negatives of
§2a are built in: families share a home landline and address and sometimes one mobile; colleagues share
the company name, switchboard, address and credit code; common names (王伟, 张伟, 李娜 …) recur across
cities. Run as a script to write a sample: `python benchmarks/chinese_register.py 2000 out.xlsx`.
"""
from __future__ import annotations

import datetime as dt
import sys

import numpy as np
import pandas as pd

try:
    from benchmarks.register_typos import READING_SURNAMES, WRITTEN_CORRUPTIONS, corrupt_written, reading_typo
except ImportError:  # run as a script from benchmarks/
    from register_typos import READING_SURNAMES, WRITTEN_CORRUPTIONS, corrupt_written, reading_typo

CORRUPTIONS = (
    "fullwidth",          # １３８…, ＡＢＣ, full-width space
    "traditional",        # 张伟 → 張偉, 有限责任公司 → 有限責任公司, 广州 → 廣州
    "mobile_format",      # +86 138 0013 8000, 0086-…, 138-0013-8000
    "landline_format",    # (010)12345678, 010 1234 5678, 010-12345678转123
    "company_suffix",     # 有限公司 / 有限责任公司 / 股份有限公司, (北京) brackets, Co., Ltd.
    "homophone",          # 张伟 → 张玮
    "date_format",        # real date, Excel serial, 2024-3-5, 2024/03/05, 2024年3月5日
    "mobile_scientific",  # 1.38001E+10 from a CSV: digits gone
    "id_15",              # old 15-digit resident ID
    "missing",            # blanks in the copy
    "city_variant",       # 广州 / 广州市 / 廣州
)
#: every corruption a duplicate copy can get: DOMAIN.md §2 plus written typos and numeric cells (register_typos)
ALL_CORRUPTIONS = CORRUPTIONS + WRITTEN_CORRUPTIONS
# How often each kind is drawn (written typos are as common as any format problem in real registers).
_KIND_WEIGHTS = np.array([1.0] * len(CORRUPTIONS) + [1.3, 1.3, 0.5, 0.6, 0.8, 0.6])

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤") + ["欧阳", "司马", "诸葛"]
# Given-name characters grouped by sound: a homophone typo swaps a character within its group.
SOUND_GROUPS = ["伟玮薇维卫", "丽莉立力俐", "静晶婧靖", "敏民闽", "磊蕾", "军君钧", "洋阳杨", "勇永咏", "艳燕雁",
                "杰洁婕", "涛韬", "明鸣铭", "霞侠", "平萍苹", "辉慧惠晖", "宇雨语羽", "欣鑫馨新", "浩昊皓", "博波",
                "涵晗寒", "晨辰", "子紫梓", "思斯", "文雯", "怡毅艺", "佳嘉家", "琳林霖", "睿瑞", "健建剑", "峰锋",
                "红鸿", "玲灵", "斌彬", "飞菲", "凯恺", "宁凝", "颖莹", "东冬", "成诚", "丹", "倩", "龙", "海", "强",
                "娟", "超", "秀", "刚", "华", "芳", "娜", "鹏", "婷", "诗", "雪", "亮", "志智", "国", "春", "桂",
                "英", "兰", "梅", "云", "秋", "荣", "祥", "兵"]
COMMON_NAMES = ["王伟", "张伟", "李娜", "王芳", "李伟", "张敏", "王静", "刘伟", "张静", "李静", "王秀英", "张丽"]
# city, province, landline area code, ID area code
CITIES = [("北京", "北京市", "010", "110101"), ("上海", "上海市", "021", "310101"), ("广州", "广东省", "020", "440103"),
          ("深圳", "广东省", "0755", "440303"), ("杭州", "浙江省", "0571", "330102"), ("南京", "江苏省", "025", "320102"),
          ("成都", "四川省", "028", "510104"), ("武汉", "湖北省", "027", "420102"), ("西安", "陕西省", "029", "610102"),
          ("重庆", "重庆市", "023", "500101"), ("天津", "天津市", "022", "120101"), ("苏州", "江苏省", "0512", "320505"),
          ("长沙", "湖南省", "0731", "430102"), ("郑州", "河南省", "0371", "410102"), ("青岛", "山东省", "0532", "370202"),
          ("济南", "山东省", "0531", "370102"), ("沈阳", "辽宁省", "024", "210102"), ("大连", "辽宁省", "0411", "210202"),
          ("厦门", "福建省", "0592", "350203"), ("福州", "福建省", "0591", "350102"), ("合肥", "安徽省", "0551", "340102"),
          ("昆明", "云南省", "0871", "530102"), ("南宁", "广西壮族自治区", "0771", "450102"),
          ("哈尔滨", "黑龙江省", "0451", "230102"), ("长春", "吉林省", "0431", "220102"),
          ("石家庄", "河北省", "0311", "130102"), ("太原", "山西省", "0351", "140105"), ("南昌", "江西省", "0791", "360102"),
          ("贵阳", "贵州省", "0851", "520102"), ("宁波", "浙江省", "0574", "330203")]
DISTRICTS = ["东城区", "西城区", "高新区", "开发区", "南山区", "天河区", "江北区", "城关区", "新城区", "经济技术开发区"]
ROADS = ["人民路", "解放路", "中山路", "建设路", "和平路", "新华路", "胜利路", "长江路", "黄河路", "文化路", "青年路",
         "光明路", "友谊路", "学府路", "科技路", "滨江路", "迎宾大道", "工业园路"]
BRAND_CHARS = list("华通恒信金石宏达远航博雅鼎盛天诚中科汇丰新元瑞祥东方长城宝联创德胜明阳嘉禾正泰顺永安兴业夏康卓越鑫源凯旋海")
INDUSTRIES = ["科技", "贸易", "电子", "建筑工程", "食品", "医药", "物流", "文化传媒", "机械设备", "信息技术", "餐饮管理", "教育咨询"]
SUFFIXES = ["有限公司", "有限责任公司", "股份有限公司"]
MAIL_DOMAINS = ["qq.com", "163.com", "126.com", "sina.com", "gmail.com", "foxmail.com", "139.com"]
MOBILE_PREFIXES = [130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156, 157, 158, 159, 166,
                   170, 176, 177, 178, 180, 181, 182, 183, 185, 186, 187, 188, 189, 191, 198, 199]

ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
ID_CHECK = np.array(list("10X98765432"))
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])

HEADERS = ["客户编号", "姓名", "性别", "出生日期", "身份证号", "手机", "电话", "邮箱", "公司名称", "统一社会信用代码",
           "省份", "城市", "地址", "最近购买日期"]
ROLES = {"客户编号": "customer_id", "姓名": "name", "性别": "gender", "出生日期": "birth_date", "身份证号": "id_number",
         "手机": "mobile", "电话": "landline", "邮箱": "email", "公司名称": "company", "统一社会信用代码": "uscc",
         "省份": "province", "城市": "city", "地址": "address", "最近购买日期": "last_purchase"}


def _pinyin_table() -> dict[str, str]:
    from pypinyin import lazy_pinyin
    chars = (set("".join(SURNAMES)) | set("".join(SOUND_GROUPS)) | set("".join(COMMON_NAMES))
             | set("".join(READING_SURNAMES)))
    return {c: lazy_pinyin(c)[0] for c in chars}


def _concat(*parts) -> np.ndarray:
    """Element-wise string concatenation of arrays and scalars."""
    out = np.asarray(parts[0], dtype=object).astype(str).astype(object)
    for p in parts[1:]:
        out = out + np.asarray(p, dtype=object).astype(str).astype(object)
    return out


def _id_check(body17: np.ndarray) -> np.ndarray:
    digits = np.array([list(s) for s in body17], dtype=np.int64)
    return ID_CHECK[(digits @ ID_WEIGHTS) % 11]


def _uscc_check(body17: list[str]) -> np.ndarray:
    values = np.array([[USCC_CHARS.index(c) for c in s] for s in body17], dtype=np.int64)
    check = 31 - (values @ USCC_WEIGHTS) % 31
    check[check == 31] = 0
    return np.array(list(USCC_CHARS))[check]


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in text)


def generate_register(n_rows: int, seed: int = 0, duplicate_share: float = 0.22, numeric_mobiles: bool = False,
                      written_typos: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(register, truth) with n_rows rows; about `duplicate_share` of the rows are duplicate copies.

    numeric_mobiles: also write some copies' mobiles as numeric-cell text (13800138000.0, 1.3800138000E+10);
    off by default because the merge tests compare cell text with their own, simpler folding.
    written_typos: also give copies the written name typos of register_typos (the benchmark turns both on;
    the older tests keep the register they were written against, where every name differs only by sound)."""
    rng = np.random.default_rng(seed)
    n_dup = int(round(n_rows * duplicate_share))
    n_ent = n_rows - n_dup
    py = _pinyin_table()

    # -- people ---------------------------------------------------------------------------------------
    city_idx = rng.integers(0, len(CITIES), n_ent)
    surname_p = np.linspace(3.0, 0.3, len(SURNAMES))
    surname = np.array(SURNAMES, dtype=object)[rng.choice(len(SURNAMES), n_ent, p=surname_p / surname_p.sum())]
    # surnames with a special surname reading (覃 qín, 单 shàn, 尉迟 yùchí …) for about one customer in twenty
    reading = rng.random(n_ent) < 0.05
    surname[reading] = np.array(READING_SURNAMES, dtype=object)[rng.integers(0, len(READING_SURNAMES), reading.sum())]
    chars = np.array(list("".join(SOUND_GROUPS)), dtype=object)
    g1 = chars[rng.integers(0, len(chars), n_ent)]
    g2 = chars[rng.integers(0, len(chars), n_ent)]
    two = rng.random(n_ent) < 0.6
    given = np.where(two, g1 + g2, g1)
    name = surname + given
    common = rng.random(n_ent) < 0.03
    name[common] = np.array(COMMON_NAMES, dtype=object)[rng.integers(0, len(COMMON_NAMES), common.sum())]

    # families: runs of 2–3 consecutive entities share surname, home landline, home address, maybe a mobile
    family = np.full(n_ent, -1, dtype=np.int64)
    start = 0
    fam_id = 0
    family_starts = []
    while start < n_ent - 3:
        if rng.random() < 0.12:
            size = int(rng.integers(2, 4))
            family[start:start + size] = fam_id
            family_starts.append((start, size))
            fam_id += 1
            start += size
        else:
            start += 1
    shares_mobile = {}
    for s, size in family_starts:
        city_idx[s:s + size] = city_idx[s]
        used = set()
        # a parent who uses a child's mobile, or two siblings on one phone; these pairs often both have
        # two-character names (王成 / 王磊), exactly what a one-character typo looks like
        shares_mobile[s] = rng.random() < 0.4
        short_names = shares_mobile[s] and rng.random() < 0.5
        # siblings often share a generation character (字辈): 王建国 / 王建军
        generation = chars[rng.integers(0, len(chars))] if rng.random() < 0.25 else None
        for k in range(s, s + size):
            # family members never get names of the same sound (they would be homophones of each other)
            while True:
                if short_names and k < s + 2:
                    g = chars[rng.integers(0, len(chars))]
                elif generation is not None and k > s:
                    g = generation + chars[rng.integers(0, len(chars))]
                else:
                    g = chars[rng.integers(0, len(chars))] + (chars[rng.integers(0, len(chars))] if rng.random() < 0.6 else "")
                sound = "".join(py[c] for c in g)
                if sound not in used:
                    used.add(sound)
                    break
            name[k] = surname[s] + g

    gender = np.where(rng.random(n_ent) < 0.5, "男", "女").astype(object)
    birth = (np.datetime64("1950-01-01") + rng.integers(0, 52 * 365, n_ent).astype("timedelta64[D]"))
    birth_txt = pd.to_datetime(birth).strftime("%Y%m%d").to_numpy(dtype=object)
    seq = rng.integers(0, 1000, n_ent)
    seq = seq - (seq % 2) + (gender == "男")  # odd sequence digit for men, as in real IDs
    seq = np.minimum(seq, 999)
    area = np.array([c[3] for c in CITIES], dtype=object)[city_idx]
    body = _concat(area, birth_txt, pd.Series(seq).map("{:03d}".format).to_numpy(dtype=object))
    id_number = _concat(body, _id_check(body))

    mobiles = np.unique(rng.integers(0, 10**8, int(n_ent * 1.3) + 10))[: n_ent]
    rng.shuffle(mobiles)
    mobiles = mobiles[:n_ent] if len(mobiles) >= n_ent else np.concatenate([mobiles, rng.integers(0, 10**8, n_ent - len(mobiles))])
    prefix = np.array(MOBILE_PREFIXES)[rng.integers(0, len(MOBILE_PREFIXES), n_ent)]
    mobile = (prefix.astype(np.int64) * 10**8 + mobiles).astype(str).astype(object)

    pinyin_name = np.array(["".join(py.get(c, "x") for c in nm) for nm in name], dtype=object)
    user = _concat(pinyin_name, rng.integers(1, 9999, n_ent))
    email = _concat(user, "@", np.array(MAIL_DOMAINS, dtype=object)[rng.integers(0, len(MAIL_DOMAINS), n_ent)])
    dupe_mail = pd.Series(email).duplicated(keep="first").to_numpy()
    email[dupe_mail] = _concat(user[dupe_mail], "x", np.flatnonzero(dupe_mail), "@163.com")

    city_name = np.array([c[0] for c in CITIES], dtype=object)
    code = np.array([c[2] for c in CITIES], dtype=object)
    # -- companies ------------------------------------------------------------------------------------
    n_comp = max(n_ent // 8, 1)
    comp_city = rng.integers(0, len(CITIES), n_comp)
    brand = np.array(BRAND_CHARS, dtype=object)
    comp_name_core = _concat(city_name[comp_city], brand[rng.integers(0, len(brand), n_comp)],
                             brand[rng.integers(0, len(brand), n_comp)], brand[rng.integers(0, len(brand), n_comp)],
                             np.array(INDUSTRIES, dtype=object)[rng.integers(0, len(INDUSTRIES), n_comp)])
    dupe_core = pd.Series(comp_name_core).duplicated().to_numpy()
    comp_name_core[dupe_core] = _concat(comp_name_core[dupe_core], np.array(list("甲乙丙丁戊己庚辛"), dtype=object)[
        rng.integers(0, 8, dupe_core.sum())], "分部")
    comp_suffix = np.array(SUFFIXES, dtype=object)[rng.integers(0, len(SUFFIXES), n_comp)]
    comp_name = comp_name_core + comp_suffix
    comp_phone = _concat(code[comp_city], "-", rng.integers(2000_0000, 9000_0000, n_comp))
    comp_addr = _concat(city_name[comp_city], "市", np.array(DISTRICTS, dtype=object)[rng.integers(0, len(DISTRICTS), n_comp)],
                        np.array(ROADS, dtype=object)[rng.integers(0, len(ROADS), n_comp)], rng.integers(1, 500, n_comp),
                        "号", brand[rng.integers(0, len(brand), n_comp)], "大厦", rng.integers(1, 30, n_comp), "层")
    uscc_body = ["91" + CITIES[c][3] + "".join(USCC_CHARS[i] for i in rng.integers(0, 31, 9)) for c in comp_city]
    comp_uscc = np.array([b + c for b, c in zip(uscc_body, _uscc_check(uscc_body))], dtype=object)

    employed = rng.random(n_ent) < 0.65
    company = np.full(n_ent, -1, dtype=np.int64)
    # a few big employers (hundreds of staff on one switchboard) and many small ones
    big = rng.random(n_ent) < 0.05
    company[employed] = rng.integers(0, n_comp, employed.sum())
    company[employed & big] = rng.integers(0, min(20, n_comp), (employed & big).sum())
    works_in_city = employed.copy()
    city_idx[works_in_city & (family < 0)] = comp_city[company[works_in_city & (family < 0)]]

    home_addr = _concat(city_name[city_idx], "市", np.array(DISTRICTS, dtype=object)[rng.integers(0, len(DISTRICTS), n_ent)],
                        np.array(ROADS, dtype=object)[rng.integers(0, len(ROADS), n_ent)], rng.integers(1, 300, n_ent), "号",
                        rng.integers(1, 30, n_ent), "栋", rng.integers(101, 2800, n_ent), "室")
    home_phone = _concat(code[city_idx], "-", rng.integers(2000_0000, 9000_0000, n_ent))

    # families share home address, home landline; some share one mobile (see shares_mobile above)
    for s, size in family_starts:
        home_addr[s:s + size] = home_addr[s]
        home_phone[s:s + size] = home_phone[s]
        if shares_mobile[s]:
            mobile[s + 1] = mobile[s]

    # -- the original rows ------------------------------------------------------------------------------
    def pick(mask_prob: float) -> np.ndarray:
        return rng.random(n_ent) < mask_prob

    reg = pd.DataFrame({
        "姓名": name,
        "性别": np.where(pick(0.9), gender, None),
        "出生日期": np.where(pick(0.7), pd.to_datetime(birth).strftime("%Y-%m-%d").to_numpy(dtype=object), None),
        "身份证号": np.where(pick(0.55), id_number, None),
        "手机": np.where(pick(0.93), mobile, None),
        "电话": np.where(employed, comp_phone[np.maximum(company, 0)], np.where(pick(0.4), home_phone, None)),
        "邮箱": np.where(pick(0.65), email, None),
        "公司名称": np.where(employed, comp_name[np.maximum(company, 0)], None),
        "统一社会信用代码": np.where(employed & pick(0.5), comp_uscc[np.maximum(company, 0)], None),
        "省份": np.array([c[1] for c in CITIES], dtype=object)[city_idx],
        "城市": city_name[city_idx],
        "地址": np.where(employed & pick(0.6), comp_addr[np.maximum(company, 0)], np.where(pick(0.85), home_addr, None)),
    })
    for col in reg.columns:
        reg[col] = reg[col].astype(object)
    truth = pd.DataFrame({"实体": np.arange(n_ent), "家庭": family, "公司编号": company, "副本": False, "损坏": "",
                          "真实姓名": name, "真实手机": mobile})

    # -- duplicate copies with corruptions --------------------------------------------------------------
    # Some customers get two or three copies.
    source = rng.integers(0, n_ent, n_dup)
    dups = reg.iloc[source].reset_index(drop=True).copy()
    sound_of = {c: g for g in SOUND_GROUPS for c in g}
    applied = []
    kinds = np.array(ALL_CORRUPTIONS, dtype=object)
    kind_weights = np.where(kinds == "mobile_numeric", float(numeric_mobiles), 1.0) * _KIND_WEIGHTS
    kind_weights *= np.where(np.isin(kinds, ["typo_visual", "typo_random", "mobile_changed_typo", "surname_reading"]),
                             float(written_typos), 1.0)
    pool = "".join(SOUND_GROUPS)
    new_mobiles = (np.array(MOBILE_PREFIXES)[rng.integers(0, len(MOBILE_PREFIXES), n_dup)].astype(np.int64) * 10**8
                   + rng.integers(0, 10**8, n_dup)).astype(str)
    # per duplicate row: one to three corruptions (a loop over duplicate rows: each one is a text edit)
    records = dups.astype(object).where(dups.notna(), None).to_dict("records")
    for k, rec in enumerate(records):
        chosen = list(rng.choice(kinds, size=int(rng.integers(1, 4)), replace=False, p=kind_weights / kind_weights.sum()))
        if (written_typos and rec.get("姓名") and reading_typo(rec["姓名"]) and "surname_reading" not in chosen
                and rng.random() < 0.5):
            chosen.insert(0, "surname_reading")
        if "mobile_changed_typo" in chosen:  # one name typo per copy at most, so the kinds stay readable
            chosen = [c for c in chosen if c not in ("typo_visual", "typo_random", "homophone")]
        # cell-format corruptions expect text, so the numeric-cell and typo edits come last
        chosen.sort(key=lambda c: c in WRITTEN_CORRUPTIONS)
        done = []
        for kind in chosen:
            if kind in WRITTEN_CORRUPTIONS:
                ok = corrupt_written(rec, kind, rng, pool, py, new_mobiles[k])
            else:
                ok = _corrupt(rec, kind, rng, sound_of, py)
            if ok:
                done.append(kind)
        applied.append(",".join(done))
    dups = pd.DataFrame.from_records(records, columns=reg.columns)
    register = pd.concat([reg, dups], ignore_index=True)
    truth = pd.concat([truth, pd.DataFrame({"实体": source, "家庭": family[source], "公司编号": company[source],
                                            "副本": True, "损坏": applied, "真实姓名": name[source],
                                            "真实手机": mobile[source]})], ignore_index=True)
    # shuffle rows so copies are not next to their originals
    order = rng.permutation(len(register))
    register = register.iloc[order].reset_index(drop=True)
    truth = truth.iloc[order].reset_index(drop=True)
    register.insert(0, "客户编号", [f"KH{i:07d}" for i in range(1, len(register) + 1)])
    last = np.datetime64("2020-01-01") + rng.integers(0, 5 * 365, len(register)).astype("timedelta64[D]")
    register["最近购买日期"] = pd.to_datetime(last).strftime("%Y-%m-%d").to_numpy(dtype=object)
    return register[HEADERS], truth


def _corrupt(rec: dict, kind: str, rng: np.random.Generator, sound_of: dict, py: dict) -> bool:
    """Apply one corruption to one duplicate row in place; False when the row has nothing to corrupt."""
    import zhconv

    if kind == "fullwidth":
        fields = [f for f in ("手机", "邮箱", "身份证号") if rec.get(f)]
        if not fields:
            return False
        f = fields[int(rng.integers(0, len(fields)))]
        rec[f] = _fullwidth(rec[f])
        return True
    if kind == "traditional":
        for f in ("姓名", "公司名称", "地址"):
            if rec.get(f):
                rec[f] = zhconv.convert(rec[f], "zh-tw")
        return True
    if kind == "mobile_format":
        m = rec.get("手机")
        if not m or not m.isdigit():
            return False
        style = int(rng.integers(0, 4))
        rec["手机"] = [f"+86 {m[:3]} {m[3:7]} {m[7:]}", f"0086-{m}", f"{m[:3]}-{m[3:7]}-{m[7:]}", f"{m[:3]} {m[3:7]} {m[7:]}"][style]
        return True
    if kind == "landline_format":
        t = rec.get("电话")
        if not t or "-" not in t:
            return False
        area, num = t.split("-", 1)
        style = int(rng.integers(0, 3))
        rec["电话"] = [f"({area}){num}", f"{area} {num[:4]} {num[4:]}", f"{area}-{num}转{int(rng.integers(100, 999))}"][style]
        return True
    if kind == "company_suffix":
        c = rec.get("公司名称")
        if not c:
            return False
        for s in SUFFIXES:
            if c.endswith(s):
                core = c[: -len(s)]
                break
        else:
            return False
        city = core[:2] if core[:2] in {x[0] for x in CITIES} else core[:3]
        style = int(rng.integers(0, 4))
        other = [s for s in SUFFIXES[:2] if not c.endswith(s)][0]
        rec["公司名称"] = [core + other, core[len(city):] + "（" + city + "）" + other, f"{core[len(city):]}({city})有限公司",
                         core + " Co., Ltd."][style]
        return True
    if kind == "homophone":
        name = rec.get("姓名")
        if not name:
            return False
        positions = [i for i, ch in enumerate(name) if i > 0 and len(sound_of.get(ch, "")) > 1]
        if not positions:
            return False
        i = positions[int(rng.integers(0, len(positions)))]
        options = [c for c in sound_of[name[i]] if c != name[i]]
        rec["姓名"] = name[:i] + options[int(rng.integers(0, len(options)))] + name[i + 1:]
        return True
    if kind == "date_format":
        d = rec.get("出生日期")
        if not d:
            return False
        day = dt.date.fromisoformat(d)
        style = int(rng.integers(0, 5))
        rec["出生日期"] = [dt.datetime(day.year, day.month, day.day), (day - dt.date(1899, 12, 30)).days,
                         f"{day.year}-{day.month}-{day.day}", day.strftime("%Y/%m/%d"),
                         f"{day.year}年{day.month}月{day.day}日"][style]
        return True
    if kind == "mobile_scientific":
        m = rec.get("手机")
        if not m or not m.isdigit():
            return False
        rec["手机"] = f"{int(m) / 1e10:.5f}E+10"
        return True
    if kind == "id_15":
        i = rec.get("身份证号")
        if not i or len(i) != 18:
            return False
        rec["身份证号"] = i[:6] + i[8:17]
        return True
    if kind == "missing":
        fields = [f for f in ("手机", "邮箱", "公司名称", "地址", "身份证号", "出生日期", "电话") if rec.get(f)]
        if not fields:
            return False
        for f in rng.choice(fields, size=min(len(fields), int(rng.integers(1, 3))), replace=False):
            rec[f] = None
        return True
    if kind == "city_variant":
        c = rec.get("城市")
        if not c:
            return False
        rec["城市"] = [c + "市", zhconv.convert(c, "zh-tw")][int(rng.integers(0, 2))]
        return True
    raise ValueError(kind)


if __name__ == "__main__":  # pragma: no cover - writes a sample file
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    out = sys.argv[2] if len(sys.argv) > 2 else "chinese_register.xlsx"
    register, truth = generate_register(n)
    register.to_excel(out, index=False)
    truth.to_csv(out.rsplit(".", 1)[0] + "_truth.csv", index=False)
    print(f"wrote {out} ({len(register)} rows) and its truth file")
