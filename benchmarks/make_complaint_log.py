"""Generate a service team's contact log (and the register it refers to) with planted patterns and known truth.

Written from DOMAIN.md §2c, not from kehu's code: one row per contact (date and time, customer id / name /
phone, channel, type, product, store, handler, status, resolved date, handling satisfaction, the customer's
words), written the untidy way real logs are (traditional status words, English channel names, phones with
spaces and +86, some contacts identified only by phone or e-mail). Planted: one store resolves three times
slower, one handler's customers come back within days of a closed case, a set of repeat complainers, and a few
bad rows (no date, resolved before opened, an unknown status word, a future date). Vectorised with numpy.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

STORES = {"北京朝阳店": "华北", "北京海淀店": "华北", "天津和平店": "华北", "上海徐汇店": "华东", "上海浦东店": "华东",
          "杭州西湖店": "华东", "南京新街口店": "华东", "广州天河店": "华南", "深圳南山店": "华南", "台北信義店": "台湾",
          "成都春熙路店": "西南", "重庆解放碑店": "西南"}
SLOW_STORE = "杭州西湖店"
HANDLERS = np.array(["王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊", "黄丽", "赵敏", "吴杰", "周敏", "徐涛", "孙艳",
                     "马超", "朱霞", "胡平", "郭刚", "何娟", "高明", "林峰", "罗婷"])
REOPEN_HANDLER = "周敏"
TYPES = np.array(["投诉", "咨询", "报修", "退换货", "建议", "回访"])
TYPE_P = np.array([0.35, 0.30, 0.12, 0.08, 0.05, 0.10])
CHANNELS = np.array(["电话", "微信", "上门", "邮件", "在线", "门店"])
CHANNEL_WRITTEN = {"电话": ["电话", "來電", "Phone", "热线"], "微信": ["微信", "WeChat"], "上门": ["上门", "上門"],
                   "邮件": ["邮件", "Email", "電郵"], "在线": ["在线", "在線客服", "Online"], "门店": ["门店", "到店", "門店"]}
STATUS_WRITTEN = {"已解决": ["已解决", "已解決", "Resolved", "已处理"], "已关闭": ["已关闭", "已關閉", "结案"],
                  "处理中": ["处理中", "處理中", "跟进中", "In progress"], "未处理": ["未处理", "待處理", "Open"]}
PRODUCTS = np.array(["空气净化器", "净水器", "扫地机器人", "电热水器", "洗碗机", "智能门锁", "咖啡机", "吸尘器"])
SURNAMES = np.array(list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘"))
GIVEN = np.array(["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
                  "秀英", "霞", "平", "刚", "桂英", "建华", "晓东", "海燕", "志强", "丽娟", "俊杰", "雪梅", "文博"])
OPENERS = np.array(["", "您好，", "你好，", "上周买的", "上个月在你们店买的", "家里的", "刚装好的", "用了半年的"])
COMPLAINT_TEXT = np.array(["{p}送货太慢，等了一个星期", "{p}第二天就坏了，质量太差", "客服态度很差，问了几遍都不耐烦",
                           "维修师傅迟迟不上门，售后太差", "{p}价格比网上贵很多", "账单多收了一笔安装费",
                           "门店排队排了一个多小时", "APP下单老是闪退", "{p}有异味，要求退货", "店員態度很差，愛理不理",
                           "保固期內維修還要收費，不合理", "Delivery was late and the box was damaged"])
OTHER_TEXT = np.array(["想咨询{p}的保修期", "{p}怎么清洗滤网", "请问门店几点营业", "建议增加周末上门安装时段",
                       "{p}不制冷了，请安排维修", "想把{p}换成大一号的", "回访：客户表示满意", "{p}用着没问题，谢谢",
                       "询问积分怎么兑换", "請問{p}有沒有優惠"])
CLOSERS = np.array(["", "。", "，请尽快处理。", "，希望尽快回复", "！", "，订单尾号{n}", "，联系人电话已留"])


_FULL_WIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}


def _mobiles(rng: np.random.Generator, n: int) -> np.ndarray:
    prefix = rng.choice(np.array(["138", "139", "150", "186", "135", "177", "199", "188"]), n)
    rest = rng.integers(10_000_000, 99_999_999, n).astype(str)
    return np.char.add(prefix, rest)


def make_register(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = np.char.add("C", np.char.zfill(np.arange(1, n + 1).astype(str), 6))
    names = np.char.add(rng.choice(SURNAMES, n), rng.choice(GIVEN, n))
    mobiles = _mobiles(rng, n)
    dup = np.unique(mobiles, return_counts=True)
    mobiles = mobiles.astype(object)
    # about 0.5 % of customers share a family member's mobile: a contact by that phone alone is ambiguous
    share = rng.random(n) < 0.005
    partner = rng.integers(0, n, n)
    mobiles[share] = mobiles[partner[share]]
    emails = np.char.add(np.char.add("user", np.arange(n).astype(str)), "@example.cn")
    stores = rng.choice(np.array(list(STORES)), n)
    del dup
    return pd.DataFrame({"客户编号": ids, "姓名": names, "手机": mobiles, "邮箱": emails, "所属门店": stores,
                         "区域": [STORES[s] for s in stores]})


def _fill(templates: np.ndarray, products: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    out = np.empty(len(templates), dtype=object)
    for t in np.unique(templates):  # a few dozen templates; the products / numbers vary inside each
        m = templates == t
        if "{p}" in t or "{n}" in t:
            out[m] = [t.format(p=p, n=k) for p, k in zip(products[m], numbers[m])]
        else:
            out[m] = t
    return out


def make_log(n: int, seed: int, register: pd.DataFrame, *, repeaters: int = 40, bad_rows: int = 12
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the log as a user would have it, the truth: canonical values and the register row of each contact)."""
    rng = np.random.default_rng(seed)
    R = len(register)
    in_register = rng.random(n) < 0.85
    reg_row = np.where(in_register, rng.integers(0, R, n), -1)
    n_walk = int((~in_register).sum())
    walk_names = np.char.add(rng.choice(SURNAMES, n_walk), rng.choice(GIVEN, n_walk))
    walk_mob = np.char.add("147", rng.integers(10_000_000, 99_999_999, n_walk).astype(str))  # never in the register
    start = np.datetime64("2024-01-01T08:00")
    at = start + rng.integers(0, 366 * 24 * 60, n).astype("timedelta64[m]")
    ctype = rng.choice(TYPES, n, p=TYPE_P)
    # planted repeat complainers: each makes four complaints within sixty days
    rep_rows = rng.choice(np.flatnonzero(in_register), repeaters, replace=False)
    rep_slots = rng.choice(np.setdiff1d(np.arange(n), rep_rows), repeaters * 3, replace=False)
    for k, r in enumerate(rep_rows):
        ctype[r] = "投诉"
        for j, s in enumerate(rep_slots[3 * k: 3 * k + 3]):
            reg_row[s], in_register[s], ctype[s] = reg_row[r], True, "投诉"
            at[s] = at[r] + np.timedelta64(int(15 * (j + 1) + rng.integers(0, 5)), "D")
    store = np.where(in_register, register["所属门店"].to_numpy()[np.maximum(reg_row, 0)],
                     rng.choice(np.array(list(STORES)), n))
    handler = rng.choice(HANDLERS, n)
    # resolution: exponential days, three times slower in the slow store; nearly all older cases closed
    days = rng.exponential(2.0, n) * np.where(store == SLOW_STORE, 3.0, 1.0) + 0.05
    # old cases are nearly all closed; the open ones are mostly from the last weeks
    closed = rng.random(n) < np.where(at < np.datetime64("2024-12-01"), 0.97, 0.45)
    status = np.where(closed, rng.choice(np.array(["已解决", "已关闭"]), n, p=[0.8, 0.2]),
                      rng.choice(np.array(["处理中", "未处理"]), n))
    resolved = np.where(closed, at + (days * 86400).astype("timedelta64[s]"), np.datetime64("NaT"))
    # the reopening handler: many of her closed cases bring the customer back within five days
    back = closed & (handler == REOPEN_HANDLER) & in_register & (rng.random(n) < 0.45)
    back_src = np.flatnonzero(back)
    spare = rng.choice(np.setdiff1d(np.arange(n), np.concatenate([rep_rows, rep_slots, back_src])), len(back_src),
                       replace=False)
    reg_row[spare], in_register[spare] = reg_row[back_src], True
    at[spare] = resolved[back_src].astype("datetime64[m]") + rng.integers(60, 5 * 24 * 60, len(spare)).astype(
        "timedelta64[m]")
    ctype[spare] = "投诉"
    store[spare] = store[back_src]
    resolved[spare] = np.where(closed[spare], at[spare] + (days[spare] * 86400).astype("timedelta64[s]"),
                               np.datetime64("NaT"))
    channel = rng.choice(CHANNELS, n, p=[0.4, 0.2, 0.05, 0.05, 0.15, 0.15])
    product = rng.choice(PRODUCTS, n)
    sat = np.where(closed, rng.integers(1, 6, n), -1).astype(float)
    sat[sat < 0] = np.nan
    numbers = rng.integers(1000, 9999, n).astype(str)
    body = np.where(ctype == "投诉", rng.choice(COMPLAINT_TEXT, n), rng.choice(OTHER_TEXT, n))
    text = _fill(np.char.add(np.char.add(rng.choice(OPENERS, n).astype(object).astype(str), body.astype(str)),
                             rng.choice(CLOSERS, n).astype(str)), product, numbers)

    # how each contact identifies its customer: id (50 %), mobile only (30 %, untidy), e-mail only (20 %)
    ident = rng.choice(np.array(["id", "mobile", "email"]), n, p=[0.5, 0.3, 0.2])
    ident[rep_rows], ident[rep_slots] = "id", "id"  # the repeat complainers are known customers, quoted by id
    safe_row = np.maximum(reg_row, 0)
    r_ids, r_names = register["客户编号"].to_numpy(), register["姓名"].to_numpy()
    r_mob, r_mail = register["手机"].to_numpy().astype(str), register["邮箱"].to_numpy()
    walk_i = np.cumsum(~in_register) - 1
    cust_id = np.where(in_register & (ident == "id"), r_ids[safe_row], None).astype(object)
    # ids typed by hand: lower case, a trailing space, full-width letters and digits
    typed = (cust_id != None) & (rng.random(n) < 0.1)  # noqa: E711  (an object array of str / None)
    variants = rng.integers(0, 3, n)
    cust_id[typed & (variants == 0)] = [v.lower() for v in cust_id[typed & (variants == 0)]]
    cust_id[typed & (variants == 1)] = [v + " " for v in cust_id[typed & (variants == 1)]]
    cust_id[typed & (variants == 2)] = [v.translate(_FULL_WIDTH) for v in cust_id[typed & (variants == 2)]]
    name = np.where(in_register, r_names[safe_row], walk_names[np.clip(walk_i, 0, max(n_walk - 1, 0))]
                    if n_walk else None)
    mob = np.where(in_register, r_mob[safe_row], walk_mob[np.clip(walk_i, 0, max(n_walk - 1, 0))] if n_walk else "")
    style = rng.integers(0, 4, n)
    pretty = np.where(style == 1, np.char.add("+86 ", mob.astype(str)),
                      np.where(style == 2, [f"{m[:3]} {m[3:7]} {m[7:]}" for m in mob.astype(str)], mob))
    mobile_cell = np.where(in_register & (ident == "email"), None, pretty)
    email_cell = np.where(in_register & (ident == "email"), np.char.upper(r_mail[safe_row].astype(str)), None)

    log = pd.DataFrame({
        "受理时间": pd.to_datetime(at).to_numpy(), "客户编号": cust_id, "客户姓名": name, "联系电话": mobile_cell,
        "邮箱": email_cell,
        "渠道": [CHANNEL_WRITTEN[c][k % len(CHANNEL_WRITTEN[c])] for c, k in zip(channel, style)],
        "类型": ctype, "产品": product, "门店": store, "处理人": handler,
        "状态": [STATUS_WRITTEN[s][k % len(STATUS_WRITTEN[s])] for s, k in zip(status, style)],
        "解决时间": pd.to_datetime(resolved).to_numpy(), "处理满意度": sat, "客户原话": text,
    })
    truth = pd.DataFrame({"at": pd.to_datetime(at), "register_row": reg_row, "type": ctype, "channel": channel,
                          "store": store, "handler": handler, "status": status, "resolved": pd.to_datetime(resolved),
                          "product": product, "sat": sat, "bad": None})
    truth["planted_repeat"] = False
    truth.loc[np.concatenate([rep_rows, rep_slots]), "planted_repeat"] = True
    truth["customer"] = np.where(in_register, r_ids[safe_row], np.char.add("walk:", mob.astype(str)))
    _plant_bad_rows(log, truth, rng, bad_rows)
    return log, truth


def _plant_bad_rows(log: pd.DataFrame, truth: pd.DataFrame, rng: np.random.Generator, k: int) -> None:
    rows = rng.choice(len(log), 4 * k, replace=False)
    kinds = ["DATE_MISSING", "RESOLVED_BEFORE_OPEN", "STATUS_UNKNOWN", "DATE_FUTURE"]
    for j, kind in enumerate(kinds):
        r = rows[j * k:(j + 1) * k]
        truth.loc[r, "bad"] = kind
        if kind == "DATE_MISSING":
            log.loc[r, "受理时间"] = pd.NaT
            truth.loc[r, "at"] = pd.NaT
        elif kind == "RESOLVED_BEFORE_OPEN":
            log.loc[r, "状态"] = "已解决"
            truth.loc[r, "status"] = "已解决"
            log.loc[r, "解决时间"] = log.loc[r, "受理时间"] - pd.Timedelta(days=3)
            truth.loc[r, "resolved"] = log.loc[r, "解决时间"]
        elif kind == "STATUS_UNKNOWN":
            log.loc[r, "状态"] = "搁置"
            truth.loc[r, "status"] = None
        else:
            log.loc[r, "受理时间"] = pd.Timestamp("2030-01-01 10:00")
            truth.loc[r, "at"] = pd.Timestamp("2030-01-01 10:00")
            log.loc[r, "解决时间"] = pd.NaT
            truth.loc[r, "resolved"] = pd.NaT
            log.loc[r, "状态"] = "处理中"
            truth.loc[r, "status"] = "处理中"
