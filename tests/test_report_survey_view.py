"""Issue 21 leftovers: the report's satisfaction section links the survey by id, else mobile, else e-mail, and shows
the competitor view; order roles come from the reader's aliases; sources are named by file (CSV) or file and sheet;
revenue per sales channel. Every figure against an independent computation (pandas / scipy / statsmodels)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from udfs.score.report.analysis import ReportInput, analyse_customers
from udfs.score.report.order_columns import order_extra_columns
from udfs.score.report.sections import source_label
from udfs.score.report.survey_view import link_survey

AS_OF = "2024-06-30"


def _register(n: int, rng: np.random.Generator) -> pd.DataFrame:
    ids = [f"KH{i:05d}" for i in range(n)]
    mobiles = [f"13{rng.integers(0, 10)}{rng.integers(10_000_000, 99_999_999)}" for _ in range(n)]
    emails = [f"user{i}@example{i % 7}.com" for i in range(n)]
    return pd.DataFrame({"客户编号": ids, "手机": mobiles, "邮箱": emails})


def _typed_mobile(m: str, k: int) -> str:
    """Mobiles as people type them into a survey form."""
    return [m, f"{m[:3]}-{m[3:7]}-{m[7:]}", f"+86 {m}", f"{m[:3]} {m[3:7]} {m[7:]}"][k % 4]


@pytest.mark.parametrize("seed", [21, 22])
def test_survey_links_by_id_then_mobile_then_email(seed):
    rng = np.random.default_rng(seed)
    reg = _register(300, rng)
    pick = rng.permutation(300)
    by_id, by_mobile, by_email = pick[:80], pick[80:150], pick[150:200]  # the other 100 answered no survey
    rows = []
    for i in by_id:
        rows.append({"客户编号": reg.at[i, "客户编号"], "手机": None, "邮箱": None, "总体满意度": int(rng.integers(1, 6))})
    for k, i in enumerate(by_mobile):
        rows.append({"客户编号": None, "手机": _typed_mobile(reg.at[i, "手机"], k), "邮箱": None,
                     "总体满意度": int(rng.integers(1, 6))})
    for k, i in enumerate(by_email):
        e = reg.at[i, "邮箱"]
        rows.append({"客户编号": None, "手机": None, "邮箱": e.upper() if k % 2 else f" {e} ",
                     "总体满意度": int(rng.integers(1, 6))})
    survey = pd.DataFrame(rows).sample(frac=1, random_state=seed).reset_index(drop=True)
    view = link_survey(survey, reg["客户编号"], {"mobile": reg["手机"], "email": reg["邮箱"]})

    # independent: each survey row's register row from the way it was built, then pandas means per register row
    want = pd.Series(np.nan, index=range(300))
    owner = {reg.at[i, "客户编号"]: i for i in range(300)}
    digits = {reg.at[i, "手机"]: i for i in range(300)}
    mail = {reg.at[i, "邮箱"].lower(): i for i in range(300)}
    who = []
    for r in survey.itertuples(index=False):
        if isinstance(r.客户编号, str):
            who.append(owner[r.客户编号])
        elif isinstance(r.手机, str):
            who.append(digits["".join(ch for ch in r.手机 if ch.isdigit())[-11:]])
        else:
            who.append(mail[r.邮箱.strip().lower()])
    means = survey.assign(who=who).groupby("who")["总体满意度"].mean()
    want[means.index] = means.to_numpy()
    np.testing.assert_allclose(view.score, want.to_numpy(), equal_nan=True)
    assert view.linked_by == {"客户编号": 80, "手机": 70, "邮箱": 50}


def _competitor_survey(seed: int) -> pd.DataFrame:
    """A per-market survey: our rating and a named competitor's (1–5), and "compared with 永辉 we are …"."""
    rng = np.random.default_rng(seed)
    n = 600
    market = rng.choice(["县城", "乡镇"], n)
    ours = np.clip(np.rint(3.6 + rng.normal(0, 0.9, n)), 1, 5)
    better_in_county = np.where(market == "县城", 0.8, -0.1)        # planted: we beat 永辉 in the county only
    theirs = np.clip(np.rint(ours - better_in_county + rng.normal(0, 0.7, n)), 1, 5)
    p_better = np.where(market == "县城", 0.55, 0.25)
    u = rng.random(n)
    versus = np.where(u < p_better, "更好", np.where(u < p_better + 0.3, "差不多", "更差"))
    items = {f"服务-Q{j}": np.clip(np.rint(3.5 + rng.normal(0, 1, n)), 1, 5) for j in range(1, 7)}
    return pd.DataFrame({"答卷编号": [f"R{i}" for i in range(n)], "客户编号": [f"KH{i:05d}" for i in range(n)],
                         "市场": market, **items, "本公司评分": ours, "竞品评分：永辉": theirs, "与永辉相比": versus})


def test_report_satisfaction_section_shows_the_competitor_view():
    survey = _competitor_survey(31)
    reg = pd.DataFrame({"客户编号": [f"KH{i:05d}" for i in range(700)]})
    rep = analyse_customers(ReportInput(register_ids=reg["客户编号"], as_of=AS_OF, survey=survey,
                                        sources={"register": "客户档案.csv", "survey": "满意度.xlsx"}))
    sec = next(s for s in rep.sections if s.key == "satisfaction")
    blocks = {b.title: b.table for b in sec.blocks}
    rating = next(t for k, t in blocks.items() if k.startswith("竞争对比"))
    versus = next(t for k, t in blocks.items() if k.startswith("与竞品相比"))

    # ratings: 0–100 means, paired t test, Holm over the table (全部, 乡镇, 县城)
    ps, expect = [], []
    for name, part in [("全部", survey)] + [(m, survey[survey["市场"] == m]) for m in sorted(survey["市场"].unique())]:
        o, t = (part["本公司评分"] - 1) / 4 * 100, (part["竞品评分：永辉"] - 1) / 4 * 100
        ps.append(stats.ttest_rel(o, t).pvalue)
        expect.append((name, o.mean(), t.mean()))
    holm = multipletests(ps, method="holm")[1]
    got = rating.set_index("市场")
    for (name, o, t), p in zip(expect, holm):
        assert got.loc[name, "我们"] == pytest.approx(o) and got.loc[name, "对方"] == pytest.approx(t)
        assert got.loc[name, "p（Holm）"] == pytest.approx(p, rel=1e-6)
    assert got.loc["县城", "结论"].startswith("★") and "我们更好" in got.loc["县城", "结论"]

    # better / on par / worse: shares and the sign test (on par left out), Holm
    ps, shares = [], []
    for name, part in [("全部", survey)] + [(m, survey[survey["市场"] == m]) for m in sorted(survey["市场"].unique())]:
        c = part["与永辉相比"].value_counts()
        ps.append(stats.binomtest(int(c.get("更好", 0)), int(c.get("更好", 0) + c.get("更差", 0)), 0.5).pvalue)
        shares.append((name, c.get("更好", 0) / len(part), c.get("更差", 0) / len(part)))
    holm = multipletests(ps, method="holm")[1]
    got = versus.set_index("市场")
    for (name, b, w), p in zip(shares, holm):
        assert got.loc[name, "更好"] == pytest.approx(b) and got.loc[name, "更差"] == pytest.approx(w)
        assert got.loc[name, "p（Holm）"] == pytest.approx(p, rel=1e-6)
    # and the section still links every surveyed customer by id
    assert rep.customers["满意度"].notna().sum() == 600
    assert "按客户编号 600 位" in sec.source


def test_without_competitor_items_there_is_no_competitor_view():
    rng = np.random.default_rng(41)
    reg = _register(200, rng)
    survey = pd.DataFrame({"客户编号": reg["客户编号"][:150], "总体满意度": rng.integers(1, 6, 150)})
    rep = analyse_customers(ReportInput(register_ids=reg["客户编号"], as_of=AS_OF, survey=survey))
    sec = next(s for s in rep.sections if s.key == "satisfaction")
    assert not any("竞品" in b.title for b in sec.blocks)
    assert rep.customers["满意度"].notna().sum() == 150


@pytest.mark.parametrize("headers, want", [
    ({"订单编号": "order_id", "客户编号": None, "下单日期": None, "产品": "product", "金额": None, "成本": "cost",
      "订单类型": "kind", "销售渠道": "channel"}, None),
    ({"訂單號": "order_id", "客戶編號": None, "訂單日期": None, "商品名稱": "product", "實付金額": None, "毛利額": "margin",
      "下單渠道": "channel"}, None),
    ({"Invoice": "order_id", "CustomerID": None, "InvoiceDate": None, "StockCode": "product", "Sales": None,
      "Gross Profit": "margin", "Transaction Type": "kind", "Channel": "channel"}, None),
])
def test_order_roles_come_from_the_reader_aliases(headers, want):
    from udfs.recognise.roles import role_from_header

    roles = {h: role_from_header(h, "orders")[0] for h in headers}
    found = order_extra_columns(list(headers), roles, taken=[h for h, k in headers.items() if k is None])
    assert found == {k: h for h, k in headers.items() if k is not None}
    # roles decide, not header text: a column the user mapped to product under any header is the product
    roles2 = dict(roles, **{list(headers)[3]: None})
    odd = "货号说明"
    roles2[odd] = "product"
    found2 = order_extra_columns(list(headers) + [odd], roles2)
    assert found2["product"] == odd


def test_order_columns_without_roles_use_header_text_as_before():
    cols = ["订单编号", "客户编号", "下单日期", "产品类别", "金额", "成本金额", "单据类型"]
    assert order_extra_columns(cols, None, taken=["客户编号", "下单日期", "金额"]) == {
        "order_id": "订单编号", "product": "产品类别", "cost": "成本金额", "kind": "单据类型"}


@pytest.mark.parametrize("value, want", [
    ("客户档案.csv", "客户表「客户档案.csv」"), (("客户档案.csv", None), "客户表「客户档案.csv」"),
    (("客户档案.csv", ""), "客户表「客户档案.csv」"), ("客户档案.csv「」", "客户表「客户档案.csv」"),
    (("客户档案.xlsx", "客户"), "客户表「客户档案.xlsx「客户」」"), (None, "客户表"), ("", "客户表")])
def test_source_label_names_the_file_and_a_sheet_only_when_there_is_one(value, want):
    assert source_label("客户表", value) == want


def test_revenue_per_channel_matches_pandas():
    rng = np.random.default_rng(51)
    n_c, n_o = 400, 5000
    ids = [f"KH{i:04d}" for i in range(n_c)]
    orders = pd.DataFrame({"customer": rng.choice(ids, n_o),
                           "date": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 540, n_o), "D"),
                           "amount": np.round(rng.lognormal(5, 1, n_o), 2),
                           "channel": rng.choice(["门店", "天猫", "京东", "微信小程序", None], n_o)})
    rep = analyse_customers(ReportInput(register_ids=pd.Series(ids), as_of=AS_OF, orders=orders,
                                        sources={"register": ("客户.csv", None), "orders": ("订单.xlsx", "订单")}))
    sec = next(s for s in rep.sections if s.key == "business")
    t = next(b.table for b in sec.blocks if b.title == "按销售渠道的收入").set_index("渠道")
    o = orders.assign(channel=orders["channel"].fillna("（空白）"))
    want = o.groupby("channel").agg(收入=("amount", "sum"), 订单数=("amount", "size"), 客户数=("customer", "nunique"))
    for ch, r in want.iterrows():
        assert t.loc[ch, "收入"] == pytest.approx(r["收入"])
        assert t.loc[ch, "订单数"] == r["订单数"] and t.loc[ch, "客户数"] == r["客户数"]
    assert t["收入占比"].sum() == pytest.approx(1.0)
    assert sec.source == "订单表「订单.xlsx「订单」」"
    assert next(s for s in rep.sections if s.key == "basic").source == "客户表「客户.csv」"


def test_kehu_report_links_a_survey_by_mobile_and_shows_the_competitor_view(tmp_path):
    """Through the command a user types: a survey with no 客户编号, only the mobile as respondents typed it."""
    import openpyxl
    from typer.testing import CliRunner

    from addin.cli import app

    rng = np.random.default_rng(41)
    reg = _register(700, rng)
    survey = _competitor_survey(41).drop(columns=["客户编号"])
    survey.insert(1, "手机", [_typed_mobile(m, k) for k, m in enumerate(reg["手机"][:600])])
    reg.to_csv(tmp_path / "客户档案.csv", index=False)
    survey.to_csv(tmp_path / "满意度.csv", index=False)
    out = tmp_path / "报告.xlsx"
    result = CliRunner().invoke(app, ["report", str(tmp_path / "客户档案.csv"), "--survey", str(tmp_path / "满意度.csv"),
                                      "-o", str(out), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out, read_only=True)
    texts = [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert any("按手机 600 位" in t for t in texts)          # every respondent found through the normalised mobile
    assert any(t.startswith("竞争对比") for t in texts) and any(t.startswith("与竞品相比") for t in texts)


def test_a_survey_that_links_nobody_says_so():
    """Given a survey whose respondents are none of the register's customers, the section says that, not 'no survey'."""
    survey = _competitor_survey(43)
    reg = pd.DataFrame({"客户编号": [f"ZZ{i:05d}" for i in range(50)]})
    rep = analyse_customers(ReportInput(register_ids=reg["客户编号"], as_of=AS_OF, survey=survey,
                                        sources={"register": "客户档案.csv", "survey": "满意度.xlsx"}))
    sec = next(s for s in rep.sections if s.key == "satisfaction")
    assert sec.skipped.startswith(f"调查的 {len(survey)} 份问卷都无法") and "--survey" not in sec.skipped
    rep = analyse_customers(ReportInput(register_ids=reg["客户编号"], as_of=AS_OF))
    assert next(s for s in rep.sections if s.key == "satisfaction").skipped == "没有满意度调查（--survey）。"
