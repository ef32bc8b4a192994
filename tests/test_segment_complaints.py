"""`kehu segment --complaints LOG`: customers with open complaints are due for a call and listed in 待跟进;
a loyal customer with an open complaint is flagged 需致电."""
from __future__ import annotations

import json

import numpy as np
import openpyxl
import pandas as pd
from typer.testing import CliRunner


def _files(tmp_path, seed=99):
    rng = np.random.default_rng(seed)
    n = 400
    ids = [f"K{i:04d}" for i in range(n)]
    register = pd.DataFrame({
        "客户编号": ids, "姓名": [f"客户{i}" for i in range(n)],
        "最近购买日期": pd.Timestamp("2024-06-30") - pd.to_timedelta(rng.integers(0, 700, n), unit="D"),
        "购买次数": rng.integers(1, 30, n), "累计金额": np.round(rng.lognormal(8, 1, n), 2),
        "状态": rng.choice(["签单客户", "意向客户"], n)})
    m = 600
    who = rng.integers(0, n, m)
    log = pd.DataFrame({"受理时间": pd.Timestamp("2024-05-01") + pd.to_timedelta(rng.integers(0, 55, m), unit="D"),
                        "客户编号": [ids[i] for i in who], "类型": rng.choice(["投诉", "咨询", "报修"], m, p=[.5, .3, .2]),
                        "状态": rng.choice(["已解决", "处理中", "未处理", "已关闭"], m, p=[.5, .2, .1, .2])})
    rp, lp = tmp_path / "客户档案.xlsx", tmp_path / "投诉记录.xlsx"
    register.to_excel(rp, sheet_name="客户档案", index=False)
    log.to_excel(lp, sheet_name="投诉记录", index=False)
    return rp, lp, register, log


def test_open_complaints_enter_the_followup_list_and_loyal_customers_are_flagged(tmp_path):
    from addin.cli import app

    rp, lp, register, log = _files(tmp_path)
    r = CliRunner().invoke(app, ["segment", str(rp), "--complaints", str(lp), "--as-of", "2024-06-30", "--json",
                                 "-o", str(tmp_path / "out.xlsx")])
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout)
    open_c = log[(log["类型"] == "投诉") & log["状态"].isin(["处理中", "未处理"])].groupby("客户编号").size()
    assert s["complaints"]["with_open_complaints"] == len(open_c)
    out = pd.read_excel(tmp_path / "out.xlsx", sheet_name="客户档案", engine="openpyxl")
    got = out.set_index("客户编号")["未结投诉"]
    assert got[got > 0].sort_index().to_dict() == open_c.sort_index().to_dict()
    loyal = set(out.loc[out["客户类型"] == "忠诚客户", "客户编号"]) & set(open_c.index)
    assert set(out.loc[out["需致电"] == "需致电", "客户编号"]) == loyal
    assert s["complaints"]["loyal_to_call"] == len(loyal) > 0
    wb = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)
    rows = list(wb["待跟进"].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row and "客户编号" in row)
    col = rows[header].index("客户编号")
    listed = {row[col] for row in rows[header + 1:] if row and row[col]}
    assert set(open_c.index) <= listed
