"""`kehu survey` with free-text answers: the columns are found (by header and by content) and 意见分析 is written."""
from __future__ import annotations

import json

import numpy as np
import openpyxl
import pandas as pd
from typer.testing import CliRunner

from addin.jobs.comments import find_comment_columns


def _survey(tmp_path, seed=314):
    rng = np.random.default_rng(seed)
    n = 240
    delivery = rng.random(n) < 0.3
    items = {f"Q{i}. 满意度题{i}": np.clip(np.round(rng.normal(3.8, 0.8, n) - delivery * 1.2), 1, 5).astype(int)
             for i in range(1, 6)}
    other = np.where(delivery, rng.choice(["送货太慢了", "快递一周才到", "物流太慢"], n),
                     rng.choice(["店员态度很好", "价格有点贵", "无", "很满意，下次还来"], n)).astype(object)
    first = rng.choice(["希望周末多安排几个收银台", "停车位太少，转了好几圈才停好", "会员积分兑换的流程有点复杂",
                        "店里的音乐太吵", "新品上架得太慢了", "试衣间不够用", "导购很耐心"], n)
    then = rng.choice(["", "，希望改进", "，其他都还好", "，谢谢", "。上次也是这样", "，希望小声一点", "，多进点货"], n)
    free = np.char.add(first, then).astype(object)
    free[rng.random(n) < 0.4] = None
    df = pd.DataFrame({"问卷编号": np.arange(1, n + 1), **items, "其他意见": other, "Q7": free,
                       "门店": rng.choice(["县城店", "乡镇店"], n)})
    path = tmp_path / "满意度调查.xlsx"
    df.to_excel(path, sheet_name="答卷", index=False)
    return path, df, delivery


def test_free_text_columns_are_found_by_header_and_by_content(tmp_path):
    from addin.read import read_table

    path, df, _ = _survey(tmp_path)
    table = read_table(path, kind="survey")
    assert find_comment_columns(table) == ["其他意见", "Q7"]


def test_survey_writes_the_opinion_sheets_and_counts_the_planted_theme(tmp_path):
    from addin.cli import app

    path, df, delivery = _survey(tmp_path)
    r = CliRunner().invoke(app, ["survey", str(path), "--json", "-o", str(tmp_path / "out.xlsx")])
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout)
    assert {"意见分析", "意见明细"} <= set(s["sheets"])
    assert s["comments"]["columns"] == ["其他意见", "Q7"]
    valid = (df.filter(like="Q").iloc[:, :5].notna().sum(axis=1) >= 4).to_numpy()   # every answer is filled here
    assert s["comments"]["themes"]["物流配送"] == int((delivery & valid).sum())
    wb = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)
    detail = list(wb["意见明细"].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(detail) if r and r[0] == "行号")
    assert len(detail) - header - 1 == s["comments"]["answered"]
