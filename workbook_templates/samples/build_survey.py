"""Build the bundled sample survey (答卷 + 题目 sheets) from a fixed seed: `python -m workbook_templates.samples.build_survey`."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).with_name("sample_survey.xlsx")
SEED = 20240501
ISSUED = 360

#: code, question, dimension, weight, item difficulty (lower = less satisfied)
ITEMS = [
    ("Q1", "产品质量", "产品", 0.15, 0.35),
    ("Q2", "产品种类齐全", "产品", 0.08, 0.10),
    ("Q3", "价格合理", "产品", 0.12, -0.45),
    ("Q4", "服务态度", "服务", 0.12, 0.40),
    ("Q5", "专业程度", "服务", 0.10, 0.15),
    ("Q6", "售后服务", "服务", 0.10, -0.25),
    ("Q7", "送货速度", "物流", 0.10, -0.30),
    ("Q8", "包装完好", "物流", 0.05, 0.30),
    ("Q9", "咨询响应及时", "沟通", 0.08, 0.05),
    ("Q10", "投诉处理", "沟通", 0.10, -0.55),
]
STORES = {"县城店": 0.15, "乡镇店": -0.25, "市区旗舰店": 0.10}
AGES = ["18-25岁", "26-35岁", "36-45岁", "46-60岁", "60岁以上"]
LABELS = {5: "非常满意", 4: "满意", 3: "一般", 2: "不满意", 1: "非常不满意"}
COMMENTS = ["送货太慢了", "店员很热情", "希望价格再优惠些", "投诉后很久没人回复", "包装很好", "商品种类可以再多一些",
            "整体不错", "售后电话打不通", "会再来", "乡镇店缺货严重"]


def header(code: str, text: str) -> str:
    return f"{code} {text}"


def build_answers(seed: int = SEED, n: int = 300) -> pd.DataFrame:
    """The 答卷 sheet as a DataFrame, with invalid questionnaires planted at fixed places."""
    rng = np.random.default_rng(seed)
    store = rng.choice(list(STORES), size=n, p=[0.4, 0.35, 0.25])
    gender = rng.choice(["男", "女"], size=n, p=[0.45, 0.55])
    age = rng.choice(AGES, size=n, p=[0.15, 0.3, 0.25, 0.2, 0.1])
    theta = rng.normal(0, 1, n) + pd.Series(store).map(STORES).to_numpy()
    df = pd.DataFrame({"答卷编号": [f"A{i + 1:04d}" for i in range(n)], "门店": store, "性别": gender, "年龄段": age})
    latent = {}
    for code, text, dim, _, ease in ITEMS:
        # township stores deliver slowly: the logistics items drop there
        local = np.where((store == "乡镇店") & (dim == "物流"), -0.7, 0.0)
        z = 3.7 + ease + 0.9 * theta + local + rng.normal(0, 0.7, n)
        latent[code] = z
        df[header(code, text)] = np.clip(np.rint(z), 1, 5).astype(int).astype(object)
    mean_latent = np.mean(list(latent.values()), axis=0)
    df["总体满意度"] = np.clip(np.rint(mean_latent + rng.normal(0, 0.5, n)), 1, 5).astype(int).astype(object)
    df["向朋友推荐的可能性（0-10）"] = np.clip(np.rint(7.8 + 2.2 * theta + rng.normal(0, 1.2, n)), 0, 10).astype(int).astype(object)
    comment = rng.choice(COMMENTS, size=n).astype(object)
    comment[rng.random(n) < 0.6] = None
    df["意见和建议"] = comment
    df["答题用时（秒）"] = np.rint(rng.lognormal(np.log(190), 0.35, n)).astype(int)

    item_cols = [header(c, t) for c, t, *_ in ITEMS]
    # Some answers typed as level labels, a few left blank.
    cells = df[item_cols].to_numpy(dtype=object)
    as_label = rng.random(cells.shape) < 0.06
    cells[as_label] = [LABELS[int(v)] for v in cells[as_label]]
    blank = rng.random(cells.shape) < 0.015
    cells[blank] = None
    df[item_cols] = cells
    # Natural straight-liners (everything 5) are real but would blur the planted ones: nudge one answer.
    numeric = df[item_cols].apply(pd.to_numeric, errors="coerce")
    same = numeric.nunique(axis=1) == 1
    for i in np.flatnonzero(same.to_numpy()):
        v = numeric.iloc[i].dropna().iloc[0]
        df.loc[i, item_cols[i % len(item_cols)]] = int(v - 1 if v > 1 else v + 1)

    # Planted invalid questionnaires (rows chosen once; the test suite knows them by 答卷编号).
    for i in (20, 121, 222):               # more than a third unanswered
        df.loc[i, item_cols[2:8]] = None
        df.loc[i, "总体满意度"] = None
    for i, v in ((45, 5), (146, 3)):        # straight-lining
        df.loc[i, item_cols] = v
        df.loc[i, "总体满意度"] = v
    for i in (67, 168, 269):               # too fast
        df.loc[i, "答题用时（秒）"] = 28 + i % 7
    df.loc[88, item_cols[3]] = 6           # off the 1–5 scale
    df.loc[189, item_cols[7]] = 9
    dup = df.iloc[[30, 131]].copy()        # the same questionnaires keyed in twice
    df = pd.concat([df, dup], ignore_index=True)
    return df


def build_items() -> pd.DataFrame:
    """The 题目 sheet: code, question, dimension, weight, scale and level labels per item."""
    return pd.DataFrame({
        "题号": [c for c, *_ in ITEMS],
        "题目": [t for _, t, *_ in ITEMS],
        "维度": [d for _, _, d, *_ in ITEMS],
        "权重": [w for *_, w, _ in ITEMS],
        "最小值": 1,
        "最大值": 5,
        "选项": "非常不满意|不满意|一般|满意|非常满意",
        "反向": "否",
    })


def write(path: Path = OUT, seed: int = SEED) -> Path:
    """Write the sample workbook with a title row above the 答卷 header."""
    answers, items = build_answers(seed), build_items()
    with pd.ExcelWriter(path, engine="xlsxwriter") as xw:
        answers.to_excel(xw, sheet_name="答卷", startrow=1, index=False)
        items.to_excel(xw, sheet_name="题目", index=False)
        wb = xw.book
        ws = xw.sheets["答卷"]
        ws.write(0, 0, f"门店顾客满意度调查（发放问卷 {ISSUED} 份）", wb.add_format({"bold": True, "font_size": 13}))
        ws.set_column(0, 3, 11)
        ws.set_column(4, 13, 13)
        ws.set_column(14, 15, 12)
        ws.set_column(16, 16, 26)
        ws.set_column(17, 17, 12)
        ws.freeze_panes(2, 1)
        xw.sheets["题目"].set_column(0, 7, 12)
        xw.sheets["题目"].set_column(6, 6, 34)
    return path


if __name__ == "__main__":
    print(write())
