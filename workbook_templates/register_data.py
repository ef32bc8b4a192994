"""The customer register template's data: its fields, sample customers, kehu result columns and summary figures."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from .template_parts import (CHANNELS, CUSTOMER_TYPES, SAMPLE_AS_OF, STATUSES, Field, rows_arg, Styles)


# ---- the customer register ----------------------------------------------------------------------------

REGISTER_SHEET = "客户档案"
REGISTER_TABLE = "客户档案"
SUMMARY_SHEET = "统计汇总"
REGISTER_HEADER_ROW = 2            # 0-based: title on row 1, legend on row 2, header on row 3

REGISTER_FIELDS = [
    Field("客户编号", 10, "text", "客户编号：每位客户唯一，如 KH0001。重复的编号会标成橙色。"),
    Field("姓名", 9, "text", "姓名：联系人姓名，不要加“先生 / 女士 / 经理”等称呼。"),
    Field("性别", 6, "text", "性别：从下拉列表选择 男 / 女。"),
    Field("手机", 14, "number-text", "手机：11 位手机号，以 1 开头（可带 +86、空格、横线，kehu 会规范）。"
                                    "同一手机号出现两次会标成橙色。"),
    Field("电话", 14, "number-text", "电话：固定电话，区号加号码，如 010-62345678，分机写在后面 -801。"),
    Field("邮箱", 22, "text", "邮箱：如 zhangwei@example.com。"),
    Field("公司名称", 24, "text", "公司名称：营业执照上的全称，如 北京华信科技有限公司。个人客户可留空。"),
    Field("统一社会信用代码", 21, "number-text", "统一社会信用代码：18 位（GB 32100-2015），最后一位是校验码。"),
    Field("身份证号", 21, "number-text", "身份证号：18 位（最后一位可为 X），旧的 15 位号码也可。"
                                        "请按《个人信息保护法》只在必要时收集并妥善保管。"),
    Field("省份", 9, "text", "省份：如 广东省、北京市。"),
    Field("城市", 9, "text", "城市：如 广州市。"),
    Field("地址", 30, "text", "地址：详细地址（区县、街道、门牌号）。"),
    Field("首次接触日期", 12, "date", "首次接触日期：第一次联系或建档的日期，格式 2025-03-05。"),
    Field("最近购买日期", 12, "date", "最近购买日期：最后一次成交的日期；未成交留空。RFM 评分用它计算 R（最近一次）。"),
    Field("购买次数", 8, "int", "购买次数：累计成交次数（整数）。RFM 评分的 F（频率）。"),
    Field("累计金额", 12, "money", "累计金额：累计成交金额（元）。RFM 评分的 M（金额），价值等级 A/B/C 也按它分。"),
    Field("状态", 10, "text", "状态：意向客户 / 签单客户 / 无效客户 / 丢单客户。签单客户以绿色突出显示。"),
    Field("客户类型", 10, "text", "客户类型：忠诚客户 / 潜在客户 / 边缘客户 / 流失客户（人工判断；"
                                 "右侧“建议类型”是 kehu 按 RFM 给出的参考）。"),
    Field("来源渠道", 11, "text", "来源渠道：客户从哪里来，从下拉列表选择。"),
    Field("备注", 34, "text", "备注：每位客户都应有备注（需求、顾虑、上次沟通内容）。空备注标成黄色。"),
    Field("下次跟进日期", 12, "date", "下次跟进日期：意向客户每月、无效/丢单客户每 2–3 个月回访。"
                                     "已过期且未签单的标成红色。"),
]
REGISTER_HEADERS = [f.header for f in REGISTER_FIELDS]
COL = {f.header: i for i, f in enumerate(REGISTER_FIELDS)}


def _d(text: str | None) -> dt.datetime | None:
    return dt.datetime.strptime(text, "%Y-%m-%d") if text else None


#: Sample customers. Planted on purpose: a mobile keyed with spaces (KH0001), one mobile on two rows
#: (KH0002/KH0004), a 10-digit mobile and a bad ID check digit (KH0005), an empty 备注 (KH0005),
#: overdue call-backs (KH0002, KH0006) and a signed customer whose date has passed (KH0001, not flagged).
REGISTER_ROWS: list[dict[str, Any]] = [
    dict(客户编号="KH0001", 姓名="张伟", 性别="男", 手机="138 0013 8000", 电话="010-62345678",
         邮箱="zhangwei@bjhuaxin.com", 公司名称="北京华信科技有限公司", 统一社会信用代码="91110108MA01ABCD1E",
         身份证号="110108198503121233", 省份="北京市", 城市="北京市", 地址="海淀区中关村大街 27 号 1101 室",
         首次接触日期=_d("2023-03-15"), 最近购买日期=_d("2026-05-20"), 购买次数=12, 累计金额=186500.0,
         状态="签单客户", 客户类型="忠诚客户", 来源渠道="老客户介绍", 备注="年度框架合同，每季度回访一次",
         下次跟进日期=_d("2026-06-20")),
    dict(客户编号="KH0002", 姓名="李娜", 性别="女", 手机="13912345678", 电话="021-55501234",
         邮箱="lina@163.com", 公司名称="上海明远贸易有限公司", 统一社会信用代码="91310115MA1K3XY72K",
         身份证号="310115199007281428", 省份="上海市", 城市="上海市", 地址="浦东新区张杨路 500 号 8 楼",
         首次接触日期=_d("2026-04-08"), 最近购买日期=None, 购买次数=0, 累计金额=0.0,
         状态="意向客户", 客户类型="潜在客户", 来源渠道="展会", 备注="展会上留的名片，对 B 型号感兴趣，需报价",
         下次跟进日期=_d("2026-06-10")),
    dict(客户编号="KH0003", 姓名="王强", 性别="男", 手机="13700137000", 电话="0755-86001234",
         邮箱="wangqiang@szdingsheng.cn", 公司名称="深圳市鼎盛电子股份有限公司", 统一社会信用代码="91440300MA5F8GHJ35",
         身份证号="440306197809153019", 省份="广东省", 城市="深圳市", 地址="南山区科技园南区高新南七道 8 号",
         首次接触日期=_d("2022-11-02"), 最近购买日期=_d("2026-03-18"), 购买次数=7, 累计金额=92300.0,
         状态="签单客户", 客户类型="忠诚客户", 来源渠道="官网", 备注="采购部对接，付款及时",
         下次跟进日期=_d("2026-09-18")),
    dict(客户编号="KH0004", 姓名="刘洋", 性别="女", 手机="13912345678", 电话="021-55501235",
         邮箱="liuyang@mingyuan-sh.com", 公司名称="上海明远贸易有限公司", 统一社会信用代码="91310115MA1K3XY72K",
         身份证号=None, 省份="上海市", 城市="上海市", 地址="浦东新区张杨路 500 号 8 楼",
         首次接触日期=_d("2025-09-12"), 最近购买日期=_d("2025-10-30"), 购买次数=1, 累计金额=6800.0,
         状态="签单客户", 客户类型="边缘客户", 来源渠道="电话咨询", 备注="与李娜同一公司，手机号待核实",
         下次跟进日期=_d("2026-10-30")),
    dict(客户编号="KH0005", 姓名="陈静", 性别="女", 手机="1381234567", 电话=None,
         邮箱="chenjing@qq.com", 公司名称=None, 统一社会信用代码=None,
         身份证号="320106199202044521", 省份="江苏省", 城市="南京市", 地址="鼓楼区中山北路 101 号",
         首次接触日期=_d("2026-05-26"), 最近购买日期=None, 购买次数=0, 累计金额=0.0,
         状态="意向客户", 客户类型="潜在客户", 来源渠道="微信", 备注=None,
         下次跟进日期=_d("2026-07-26")),
    dict(客户编号="KH0006", 姓名="赵磊", 性别="男", 手机="15800158000", 电话="028-85001234",
         邮箱="zhaolei@cdtianfu.com", 公司名称="成都天府物流有限公司", 统一社会信用代码="91510107MA6C9KLM5G",
         身份证号="510107198806302355", 省份="四川省", 城市="成都市", 地址="武侯区人民南路四段 12 号",
         首次接触日期=_d("2021-06-01"), 最近购买日期=_d("2024-08-15"), 购买次数=4, 累计金额=24600.0,
         状态="丢单客户", 客户类型="流失客户", 来源渠道="广告投放", 备注="转向竞争对手，价格原因；三个月后再联系",
         下次跟进日期=_d("2026-04-01")),
    dict(客户编号="KH0007", 姓名="周敏", 性别="女", 手机="+86 186-0571-2345", 电话="0571-87651234",
         邮箱="zhoumin@hzxihu.com", 公司名称="杭州西湖茶业有限公司", 统一社会信用代码=None,
         身份证号="330106199501180822", 省份="浙江省", 城市="杭州市", 地址="西湖区龙井路 1 号",
         首次接触日期=_d("2025-12-03"), 最近购买日期=_d("2026-01-09"), 购买次数=1, 累计金额=1200.0,
         状态="无效客户", 客户类型="边缘客户", 来源渠道="地推", 备注="电话多次未接通，两个月后再试",
         下次跟进日期=_d("2026-09-01")),
]


def register_frame() -> pd.DataFrame:
    """The sample rows as a DataFrame in header order (None for blank cells)."""
    return pd.DataFrame(REGISTER_ROWS, columns=REGISTER_HEADERS).astype(object).where(
        lambda d: d.notna(), None)


def field_format(st: Styles, kind: str):
    return {"text": st.plain, "number-text": st.text, "date": st.date, "int": st.int, "money": st.money}[kind]


def column_name(header: str) -> str:
    return xl_col_to_name(COL[header])


@dataclass
class ResultColumn:
    """kehu result columns right of the Table: header(s), formula, and the Python call for cached values."""

    headers: list[str]
    formula: str
    compute: Callable[[pd.DataFrame], list[list[Any]]]
    comment: str
    width: float = 11
    date_columns: tuple[int, ...] = ()


def register_result_columns(first_col: int, header_row: int) -> list[ResultColumn]:
    """The kehu formulas shown next to the register, in order; anchors are computed from `first_col`."""
    from udfs.formulas import (KEHU_CHECK, KEHU_CUSTOMER_TYPE, KEHU_MOBILE, KEHU_RFM, KEHU_SEGMENT,
                               KEHU_TIER)

    t = REGISTER_TABLE
    anchor_row = header_row + 2          # 1-based Excel row of the first data row
    rfm_col = xl_col_to_name(first_col + 3)
    seg_col = xl_col_to_name(first_col + 7)
    rfm_ref = f"ANCHORARRAY({rfm_col}{anchor_row})"

    def all_rows(df: pd.DataFrame) -> list[list[Any]]:
        return [list(df.columns)] + df.values.tolist()

    def rfm(df: pd.DataFrame) -> list[list[Any]]:
        return KEHU_RFM(rows_arg(df["最近购买日期"]), rows_arg(df["购买次数"]), rows_arg(df["累计金额"]),
                        as_of=SAMPLE_AS_OF)

    def segment(df: pd.DataFrame) -> list[list[Any]]:
        scores = rfm(df)
        return KEHU_SEGMENT(*[[[r[k]] for r in scores] for k in range(3)])

    def kind(df: pd.DataFrame) -> list[list[Any]]:
        return KEHU_CUSTOMER_TYPE(segment(df), rows_arg(df["最近购买日期"]), as_of=SAMPLE_AS_OF)

    return [
        ResultColumn(["fx 手机(规范)"], f"=KEHU_MOBILE({t}[手机])",
                     lambda df: KEHU_MOBILE(rows_arg(df["手机"])),
                     "kehu 公式 KEHU_MOBILE：规范后的手机号（去掉 +86、空格、横线）；不是手机号时留空。", 13),
        ResultColumn(["fx 检查结果"], f"=KEHU_CHECK({t}[#All])",
                     lambda df: KEHU_CHECK(all_rows(df)),
                     "kehu 公式 KEHU_CHECK：逐行检查手机、身份证号、信用代码、日期等，列出问题；没有问题时留空。", 30),
        ResultColumn(["fx 价值等级"], f"=KEHU_TIER({t}[累计金额])",
                     lambda df: KEHU_TIER(rows_arg(df["累计金额"])),
                     "kehu 公式 KEHU_TIER：按累计金额占总收入 80% / 15% / 5% 分为 A / B / C 类。", 10),
        ResultColumn(["fx R", "fx F", "fx M", "fx RFM"],
                     f"=KEHU_RFM({t}[最近购买日期],{t}[购买次数],{t}[累计金额])", rfm,
                     "kehu 公式 KEHU_RFM：R 最近一次、F 频率、M 金额，各 1–5 分（分析日期为今天），"
                     "溢出为 R、F、M、RFM 四列。", 5),
        ResultColumn(["fx 细分"],
                     f"=KEHU_SEGMENT(INDEX({rfm_ref},0,1),INDEX({rfm_ref},0,2),INDEX({rfm_ref},0,3))", segment,
                     "kehu 公式 KEHU_SEGMENT：由左侧 R、F、M 分得出 RFM 细分名称。", 12),
        ResultColumn(["fx 建议类型"],
                     f"=KEHU_CUSTOMER_TYPE(ANCHORARRAY({seg_col}{anchor_row}),{t}[最近购买日期])", kind,
                     "kehu 公式 KEHU_CUSTOMER_TYPE：按细分和最近购买日期建议客户类型"
                     "（忠诚 / 潜在 / 边缘 / 流失），供填写“客户类型”参考。", 10),
    ]


def register_summary(df: pd.DataFrame) -> list[tuple[str, list[tuple[str, str, Any, Any]]]]:
    """The 统计汇总 blocks as (key, rows), with the cached value of every formula computed here with pandas.

    The "overall" rows are (label, formula, value, format key, note); the other blocks' rows are
    (label, [(formula, value, format key), …]) with "{r}" standing for the sheet row. Formulas that use
    TODAY() get None: no cached value, every spreadsheet computes them on open.
    """
    t = REGISTER_TABLE
    amount = pd.to_numeric(df["累计金额"]).astype(float)
    mobile = df["手机"]
    filled_mobile = mobile[mobile.notna()]
    dup_mobile = int(filled_mobile.duplicated(keep=False).sum())
    blank = lambda c: df[c].isna()  # noqa: E731
    overall = [
        ("客户总数", f"=COUNTA({t}[客户编号])", int(df["客户编号"].notna().sum()), "int",
         "表中客户编号不为空的行数"),
        ("累计金额合计（元）", f"=SUM({t}[累计金额])", float(amount.sum()), "money", "全部客户累计金额之和"),
        ("签单客户数", f"=COUNTIFS({t}[状态],\"签单客户\")", int((df["状态"] == "签单客户").sum()), "int",
         "状态为“签单客户”的客户"),
        ("手机号重复的行", f"=SUMPRODUCT(({t}[手机]<>\"\")*(COUNTIF({t}[手机],{t}[手机])>1))", dup_mobile, "int",
         "同一手机号出现不止一次（原样比较；写法不同的重复请用 kehu 查找重复）"),
        ("逾期未跟进（未签单）", f"=COUNTIFS({t}[下次跟进日期],\"<\"&TODAY(),{t}[状态],\"<>签单客户\")", None, "int",
         "下次跟进日期早于今天、状态不是签单客户"),
        ("缺少备注", f"=COUNTBLANK({t}[备注])", int(blank("备注").sum()), "int", "备注为空的客户（每位客户都应有备注）"),
        ("缺少联系方式", f"=COUNTIFS({t}[手机],\"\",{t}[电话],\"\")",
         int((blank("手机") & blank("电话")).sum()), "int", "手机和电话都为空"),
    ]
    by_status = []
    for s in STATUSES:
        m = df["状态"] == s
        by_status.append((s, [
            (f"=COUNTIFS({t}[状态],$A{{r}})", int(m.sum()), "int"),
            (f"=SUMIFS({t}[累计金额],{t}[状态],$A{{r}})", float(amount[m].sum()), "money"),
            (f"=IFERROR(AVERAGEIFS({t}[累计金额],{t}[状态],$A{{r}}),\"\")",
             float(amount[m].mean()) if m.any() else "", "money"),
            (f"=COUNTIFS({t}[状态],$A{{r}},{t}[下次跟进日期],\"<\"&TODAY())", None, "int"),
        ]))
    counts = pd.to_numeric(df["购买次数"]).astype(float)
    by_type = []
    for k in CUSTOMER_TYPES:
        m = df["客户类型"] == k
        by_type.append((k, [
            (f"=COUNTIFS({t}[客户类型],$A{{r}})", int(m.sum()), "int"),
            (f"=SUMIFS({t}[累计金额],{t}[客户类型],$A{{r}})", float(amount[m].sum()), "money"),
            (f"=IFERROR(AVERAGEIFS({t}[购买次数],{t}[客户类型],$A{{r}}),\"\")",
             float(counts[m].mean()) if m.any() else "", "num"),
            (f"=IFERROR(SUMIFS({t}[累计金额],{t}[客户类型],$A{{r}})/SUM({t}[累计金额]),\"\")",
             float(amount[m].sum() / amount.sum()) if amount.sum() else "", "pct"),
        ]))
    by_channel = []
    for c in CHANNELS:
        m = df["来源渠道"] == c
        signed = int((m & (df["状态"] == "签单客户")).sum())
        by_channel.append((c, [
            (f"=COUNTIFS({t}[来源渠道],$A{{r}})", int(m.sum()), "int"),
            (f"=COUNTIFS({t}[来源渠道],$A{{r}},{t}[状态],\"签单客户\")", signed, "int"),
            ("=IFERROR(C{r}/B{r},\"\")", signed / int(m.sum()) if m.any() else "", "pct"),
        ]))
    return [("overall", overall), ("状态", by_status), ("客户类型", by_type), ("来源渠道", by_channel)]


SUMMARY_BLOCK_HEADS = {
    "状态": ["状态", "客户数", "累计金额（元）", "平均累计金额（元）", "逾期未跟进"],
    "客户类型": ["客户类型", "客户数", "累计金额（元）", "平均购买次数", "金额占比"],
    "来源渠道": ["来源渠道", "客户数", "签单数", "签单率"],
}
SUMMARY_BLOCK_TITLES = {"状态": "按状态", "客户类型": "按客户类型", "来源渠道": "按来源渠道"}
