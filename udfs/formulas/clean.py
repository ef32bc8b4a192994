"""Cleaning formulas (KEHU_MOBILE, KEHU_DATE, KEHU_CHECK …): one call per column, spilled results.

Each formula takes a column (a whole-column reference such as A:A is trimmed to the used rows)
and returns one value per row, so Excel spills the answer next to the data. The engine behind
every formula is the same one `kehu clean` uses.
"""
from __future__ import annotations

from typing import Any

import pandas as pd
import xlwings as xw

from udfs.formulas._xl import CATEGORY, Cells, column_in, column_out, columns_out, table_in, table_out, trim_range
from udfs.normalise.amounts import parse_amounts
from udfs.normalise.company import company_key
from udfs.normalise.dates import parse_dates
from udfs.normalise.email import normalise_email
from udfs.normalise.gender import normalise_gender
from udfs.normalise.names import name_pinyin, person_name_key, split_person_name
from udfs.normalise.phone import normalise_landline, normalise_mobile, normalise_phone
from udfs.normalise.region import canonical_city, canonical_province, split_address
from udfs.normalise.text import clean_text
from udfs.validate.identity import check_resident_id, check_uscc
from udfs.validate.problems import describe
from udfs.validate.register import ROLES, check_register, row_messages


def _messages(codes: pd.Series) -> list[str | None]:
    """Problem codes → their Chinese messages, None where there is none; each distinct code described once."""
    codes = codes.tolist()
    texts = {c: describe(c).zh for c in set(codes) if isinstance(c, str)}
    return list(map(texts.get, codes))  # (None for a code not in texts: no problem)


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("values", Cells, ndim=2, doc="手机号码所在的列 / column of mobile numbers")
@xw.arg("e164", doc="TRUE 时输出 +86 国际格式 / TRUE for +86 E.164 form")
def KEHU_MOBILE(values, e164=False):
    """规范手机号：去掉 +86、空格、横线，全角转半角；不是手机号时留空。Normalise Chinese mobile numbers."""
    return column_out(normalise_mobile(column_in(values), e164=bool(e164)))


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("values", Cells, ndim=2, doc="电话号码所在的列 / column of phone numbers")
@xw.arg("landline_only", doc="TRUE 时只输出固定电话 / TRUE to keep landlines only")
def KEHU_PHONE(values, landline_only=False):
    """规范电话：手机 13800138000，座机 010-12345678（分机 -801），境外号码 +852…。Normalise any phone number."""
    col = column_in(values)
    return column_out(normalise_landline(col) if landline_only else normalise_phone(col))


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("values", Cells, ndim=2, doc="邮箱所在的列 / column of e-mail addresses")
def KEHU_EMAIL(values):
    """规范邮箱：去空格、全角＠转半角、域名小写（QQ、163 等邮箱整体小写）。Normalise e-mail addresses."""
    return column_out(normalise_email(column_in(values)))


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("values", Cells, ndim=2, doc="身份证号所在的列 / column of resident ID numbers")
@xw.arg("detail", doc="TRUE 时输出 18位号码、出生日期、性别、问题 四列 / TRUE for four columns")
def KEHU_IDCHECK(values, detail=False):
    """校验身份证号（GB 11643 校验码、出生日期、15位换算）；无问题时留空。Check resident ID numbers."""
    result = check_resident_id(column_in(values))
    if not detail:
        return column_out(_messages(result["problem"]))
    return columns_out(result["id18"], result["birth_date"], result["gender"], _messages(result["problem"]))


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("values", Cells, ndim=2, doc="统一社会信用代码所在的列 / column of credit codes")
def KEHU_USCCCHECK(values):
    """校验统一社会信用代码（GB 32100 字符集与校验码）；无问题时留空。Check unified social credit codes."""
    return column_out(_messages(check_uscc(column_in(values))))


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("values", Cells, ndim=2, doc="姓名所在的列 / column of person names")
@xw.arg("pinyin", doc="TRUE 时输出无声调拼音（查同音字）/ TRUE for toneless pinyin")
def KEHU_NAMEKEY(values, pinyin=False):
    """姓名比对键：繁转简、去空格和称呼（先生、女士、经理）；拼音模式用于查找同音错字。Name matching key."""
    col = column_in(values)
    return column_out(name_pinyin(col) if pinyin else person_name_key(col))


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("values", Cells, ndim=2, doc="姓名所在的列 / column of person names")
def KEHU_NAME(values):
    """规范姓名并分出称呼：两列（姓名、称呼）。Clean person names, honorific in a second column."""
    return table_out(split_person_name(column_in(values)))


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("values", Cells, ndim=2, doc="公司名称所在的列 / column of company names")
def KEHU_COMPANYKEY(values):
    """公司比对键：去掉有限公司等后缀、开头或括号里的地名，繁转简。Company matching key."""
    return column_out(company_key(column_in(values)))


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("values", Cells, ndim=2, doc="日期所在的列 / column of dates")
def KEHU_DATE(values):
    """识别日期：Excel 序列号、2024-3-5、2024/03/05、20240305、2024年3月5日；无法识别时留空。Parse dates."""
    return column_out(parse_dates(column_in(values)))


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("values", Cells, ndim=2, doc="金额所在的列 / column of amounts")
def KEHU_AMOUNT(values):
    """识别金额：¥2,288.38、6636元、1.2万 → 数字；无法识别时留空。Parse amounts."""
    return column_out(parse_amounts(column_in(values)))


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("values", Cells, ndim=2, doc="性别所在的列 / column of genders")
def KEHU_GENDER(values):
    """统一性别：男/女/M/F/male/female/先生/女士 → 男 或 女。Normalise gender."""
    return column_out(normalise_gender(column_in(values)))


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("values", Cells, ndim=2, doc="文本所在的列 / column of text")
def KEHU_TEXT(values):
    """清理文本：全角转半角、去掉不可见字符、合并多余空格。Clean text (width, invisible characters, spaces)."""
    return column_out(clean_text(column_in(values)))


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("values", Cells, ndim=2, doc="省份所在的列 / column of provinces")
def KEHU_PROVINCE(values):
    """规范省份名称：广东 / 廣東 → 广东省。Canonical province names."""
    return column_out(canonical_province(column_in(values)))


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("values", Cells, ndim=2, doc="城市所在的列 / column of cities")
def KEHU_CITY(values):
    """规范城市名称：廣州 → 广州市，北京 → 北京市。Canonical city names."""
    return column_out(canonical_city(column_in(values)))


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("values", Cells, ndim=2, doc="地址所在的列 / column of addresses")
def KEHU_ADDRESS(values):
    """拆分地址：省、市、区、其余地址 四列。Split addresses into province, city, district, rest."""
    return table_out(split_address(column_in(values)))


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("table", Cells, ndim=2, doc="含标题行的客户表区域 / register range with its header row")
@xw.arg("roles", Cells, ndim=2, doc="可选：列角色，如 \"手机=mobile;姓名=name\" / optional column roles")
def KEHU_CHECK(table, roles=None):
    """检查客户表：每个数据行输出一格问题说明（无问题时留空）。Problems per row of a register range."""
    df = table_in(table, header=True)
    if df.empty:
        return [[""]]
    role_map = parse_roles(roles, df)
    problems = check_register(df, role_map)
    return column_out(row_messages(problems, len(df)))


def parse_roles(roles: Any, df: pd.DataFrame) -> dict[str, str]:
    """The KEHU_CHECK roles argument → {column: role}.

    Accepted: text "手机=mobile;姓名=name" (also ":" and "，"); a two-column range of header and
    role; one row of roles, one per column. Without it, kehu's column recognition decides.
    """
    columns = [str(c) for c in df.columns]
    if roles is None or (isinstance(roles, str) and not roles.strip()):
        try:
            from udfs.recognise import recognise_columns  # the reading side's column recognition
        except ImportError as exc:  # pragma: no cover - depends on the rest of the package
            raise ValueError("请在第二个参数中给出列角色，如 \"手机=mobile;姓名=name\" "
                             "/ give column roles as the second argument") from exc
        return dict(recognise_columns(df))
    rows = trim_range(roles)
    if len(rows) == 1 and len(rows[0]) == 1 and isinstance(rows[0][0], str):
        text = rows[0][0].replace("；", ";").replace("，", ";").replace(",", ";")
        pairs = [p.replace("：", "=").replace(":", "=").split("=", 1) for p in text.split(";") if p.strip()]
        mapping = {k.strip(): v.strip() for k, v in (p for p in pairs if len(p) == 2)}
    elif rows and len(rows[0]) == 2 and str(rows[0][0]).strip() in columns:
        mapping = {str(r[0]).strip(): str(r[1]).strip() for r in rows if r[0] is not None and r[1] is not None}
    else:
        mapping = {c: str(v).strip() for c, v in zip(columns, rows[0] if rows else []) if v}
    unknown = sorted({r for r in mapping.values() if r not in ROLES})
    if unknown:
        raise ValueError(f"未知的列角色 / unknown roles: {', '.join(unknown)}")
    return {c: r for c, r in mapping.items() if c in columns}
