"""A generated company: a register of business customers and their order lines, with planted patterns.

Written from the users' world (DOMAIN.md §1, §3): an office-supplies distributor selling to companies in
seven sales regions. What is planted, so the report can be checked for finding it:

- a product pair bought together: customers who buy 激光打印机 nearly always also buy 硒鼓;
- a cohort that churns fast: the customers won by the March 2023 group-buying campaign (来源渠道 团购活动)
  mostly stop after a few weeks;
- a segment that under-spends: customers in 西北 order as often as anyone but spend a fraction per order;
- bad input with known counts: orders of unknown customers, negative and zero amounts, returns, orders
  dated after the analysis date, duplicated order ids.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

AS_OF = pd.Timestamp("2024-06-30")
REGIONS = ["华东", "华南", "华北", "华中", "西南", "东北", "西北"]
INDUSTRIES = ["制造业", "批发零售", "信息技术", "教育", "医疗", "建筑", "金融", "物流"]
SIZES = ["小微", "中型", "大型"]
NATURES = ["民营", "国有", "外资"]
CHANNELS = ["老客户介绍", "展会", "网站", "电话营销", "团购活动"]
STATUSES = ["签单客户", "意向客户", "丢单客户", "无效客户"]
PRODUCTS = {  # name → typical line amount (元)
    "A4复印纸": 260, "签字笔": 45, "文件夹": 60, "订书机": 35, "计算器": 90, "激光打印机": 2400, "硒鼓": 480,
    "碎纸机": 900, "投影仪": 3800, "白板": 350, "办公椅": 650, "文件柜": 1200, "标签机": 420, "装订机": 780,
    "U盘": 80, "鼠标键盘": 160, "墨盒": 150, "档案盒": 40, "便利贴": 25, "保险柜": 2600,
}
PAIR = ("激光打印机", "硒鼓")
FAST_CHURN_MONTH = "2023-03"
UNDER_SPENDING_REGION = "西北"


@dataclass
class Company:
    register: pd.DataFrame
    orders: pd.DataFrame
    planted: dict


def make_company(n_customers: int = 50_000, n_orders: int = 1_000_000, seed: int = 2024) -> Company:
    rng = np.random.default_rng(seed)
    n = n_customers
    ids = np.array([f"KH{100000 + i}" for i in range(n)], dtype=object)
    region = rng.choice(REGIONS, n, p=[0.24, 0.2, 0.17, 0.12, 0.11, 0.08, 0.08])
    channel = rng.choice(CHANNELS[:4], n, p=[0.35, 0.2, 0.25, 0.2]).astype(object)
    start = pd.Timestamp("2021-07-01")
    first = (np.datetime64(start, "D") + rng.integers(0, (AS_OF - start).days - 30, n)).astype("datetime64[D]")
    campaign = (first.astype("datetime64[M]") == np.datetime64(FAST_CHURN_MONTH, "M")) & (rng.random(n) < 0.9)
    channel[campaign] = "团购活动"
    # Buying rate (orders per day) and lifetime: heterogeneous, as in any customer base.
    rate = rng.gamma(2.0, 0.03, n)
    lifetime = rng.exponential(900, n)
    lifetime[campaign] = rng.exponential(25, campaign.sum())      # the campaign cohort leaves within weeks
    west = region == UNDER_SPENDING_REGION
    rate[west] *= 1.3                                             # they buy as often or more ...
    alive_days = np.minimum(lifetime, (np.datetime64(AS_OF, "D") - first).astype(float))
    k = 1 + rng.poisson(rate * alive_days)                       # the first order plus the rest
    scale = n_orders * 1.02 / k.sum()
    k = np.maximum(1, np.round(k * scale).astype(int)) if scale < 1 else k
    cust = np.repeat(np.arange(n), k)
    offset = rng.random(len(cust)) * np.repeat(alive_days, k)
    firsts = np.r_[0, np.cumsum(k)[:-1]]
    offset[firsts] = 0                                            # each customer's first order is on day one
    dates = np.repeat(first, k) + offset.astype("int64")
    # Each customer buys from a few products; a printer buyer takes toner too.
    names = np.array(list(PRODUCTS))
    pop = np.linspace(2, 0.5, len(names)); pop /= pop.sum()
    basket = np.stack([rng.choice(len(names), n, p=pop) for _ in range(3)], axis=1)
    printer, toner = (list(PRODUCTS).index(p) for p in PAIR)
    has_printer = (basket == printer).any(axis=1)
    fourth = np.where(has_printer & (rng.random(n) < 0.85), toner, rng.choice(len(names), n, p=pop))
    basket = np.column_stack([basket, fourth])
    slot = rng.integers(0, 4, len(cust))
    slot[(basket[cust, 3] == toner) & (rng.random(len(cust)) < 0.5)] = 3
    product = names[basket[cust, slot]]
    price = np.array(list(PRODUCTS.values()), dtype=float)[basket[cust, slot]]
    amount = np.round(price * rng.lognormal(0, 0.5, len(cust)) * rng.integers(1, 4, len(cust)), 2)
    amount[west[cust]] *= 0.25                                    # ... but spend a quarter per order
    amount = np.round(amount, 2)
    cost = np.round(amount * rng.uniform(0.55, 0.9, len(cust)), 2)
    orders = pd.DataFrame({"订单编号": [f"DD{i:08d}" for i in range(len(cust))], "客户编号": ids[cust],
                           "下单日期": pd.to_datetime(dates), "产品": product, "金额": amount, "成本": cost,
                           "订单类型": "销售"})
    if len(orders) > n_orders:
        orders = orders.sample(n_orders, random_state=seed).sort_values("订单编号", ignore_index=True)
    orders, bad = _spoil(orders, rng, ids)
    register = pd.DataFrame({
        "客户编号": ids, "公司名称": [f"{r}客户{i}有限公司" for i, r in enumerate(region)], "区域": region,
        "行业": rng.choice(INDUSTRIES, n), "公司规模": rng.choice(SIZES, n, p=[0.6, 0.3, 0.1]),
        "公司性质": rng.choice(NATURES, n, p=[0.7, 0.2, 0.1]), "来源渠道": channel,
        "状态": rng.choice(STATUSES, n, p=[0.6, 0.25, 0.1, 0.05]),
    })
    planted = {"pair": PAIR, "fast_churn_cohort": FAST_CHURN_MONTH, "under_spending_region": UNDER_SPENDING_REGION,
               "bad": bad, "campaign_customers": int(campaign.sum())}
    return Company(register, orders, planted)


def _spoil(orders: pd.DataFrame, rng, ids) -> tuple[pd.DataFrame, dict]:
    """Bad rows as they appear in real order lists; each kind on its own rows so the counts are known."""
    n = len(orders)
    picks = rng.choice(n, 600, replace=False)
    unknown, negative, zero, returns, future, dup = np.split(picks, 6)
    o = orders.copy()
    o.loc[unknown, "客户编号"] = [f"KX{900000 + i}" for i in range(len(unknown))]
    o.loc[negative, "金额"] = -o.loc[negative, "金额"].abs() - 1
    o.loc[zero, "金额"] = 0.0
    o.loc[returns, "订单类型"] = "退货"
    o.loc[future, "下单日期"] = AS_OF + pd.Timedelta(days=30)
    others = rng.choice(np.setdiff1d(np.arange(n), picks), len(dup), replace=False)
    o.loc[dup, "订单编号"] = o.loc[others, "订单编号"].to_numpy()   # keyed twice: another order's id
    bad = {"UNLINKED": len(unknown), "AMOUNT_NEGATIVE": len(negative), "AMOUNT_ZERO": len(zero),
           "RETURN": len(returns), "FUTURE_DATE": len(future), "DUPLICATE_ID": len(dup)}
    return o, bad
