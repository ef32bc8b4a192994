"""kehu's own words in English: sheet names, added headers, list headers and the values kehu itself writes.

Only whole known phrases are replaced (a cell of the user's is never half-translated); a bilingual label
("记录数 Records") keeps its English half. What is not here stays as kehu wrote it (see README, Languages).
"""
from __future__ import annotations

import re

#: sheet names, headers and values, simplified Chinese → English
ENGLISH = {
    # sheets
    "问题清单": "Problems", "去重结果": "Deduplicated", "合并记录": "Merge log", "满意度报告": "Satisfaction report",
    "无效问卷": "Invalid responses", "客户分析": "Customer analysis", "待跟进": "Follow-up", "说明": "Notes",
    "查重说明": "Dedupe notes", "投诉分析": "Complaint analysis", "逾期未结": "Overdue", "重复投诉": "Repeat complaints",
    "联系问题": "Contact problems", "未关联联系": "Unlinked contacts", "意见分析": "Comment analysis",
    "意见明细": "Comments", "客户分析报告": "Customer report", "数据问题": "Data problems",
    # list and added headers
    "问题": "Problems", "行号": "Row", "列": "Column", "原值": "Value", "建议": "Suggestion", "数量": "Count",
    "涉及行数": "Rows", "问题类型": "Problem", "代码": "Code",
    "重复组": "Duplicate group", "重复标记": "Duplicate flag", "相似度": "Similarity", "匹配依据": "Match reason",
    "主档状态": "In master", "主档行": "Master row", "合并的编号": "Merged ids", "字段来源": "Field sources",
    "被合并行": "Merged row", "保留行": "Kept row", "补入的值": "Values filled in", "冲突": "Conflicts",
    "细分": "Segment", "客户类型": "Customer type", "分类原因": "Type reason", "价值等级": "Value tier",
    "收入占比": "Revenue share", "下次跟进": "Next follow-up", "逾期": "Overdue", "跟进说明": "Follow-up note",
    "累计金额": "Total spend", "最近下单日期": "Last order date", "订单次数": "Orders", "订单金额": "Order amount",
    "未结投诉": "Open complaints", "需致电": "Call", "问卷有效性": "Validity", "主题": "Theme", "情感": "Sentiment",
    "客户档案行": "Register row", "关联方式": "Linked by", "联系次数": "Contacts", "最近联系": "Last contact",
    "投诉次数": "Complaints", "订单数": "Orders", "收入": "Revenue", "毛利": "Gross margin",
    "仍活跃概率": "P(active)", "下季度预计购买次数": "Expected purchases next quarter", "追加销售": "Upsell",
    "客户编号": "Customer id", "姓名": "Name", "公司名称": "Company", "手机": "Mobile", "状态": "Status",
    "客户数": "Customers", "客户占比": "Share of customers", "金额占比": "Share of spend",
    # values kehu writes
    "重复": "duplicate", "疑似重复": "possible", "唯一": "unique", "同组": "same group", "已存在": "existing",
    "新客户": "new", "忠诚客户": "Loyal", "潜在客户": "Potential", "边缘客户": "Marginal", "流失客户": "Lost",
    "尚无购买": "No purchase yet", "合计": "Total", "是": "yes",
}
_HAN = re.compile(r"[\u3400-\u9fff]")
#: "记录数 Records", "客户分析 Customer analysis": Chinese, a space, then English to the end
_BILINGUAL = re.compile(r"^[^A-Za-z]*[\u3400-\u9fff][^A-Za-z]*?\s+([A-Za-z][^\u3400-\u9fff]*)$")


def english(text: str) -> str:
    """kehu's phrase in English when it is a known one (or a bilingual label), else as it was."""
    if text in ENGLISH:
        return ENGLISH[text]
    m = _BILINGUAL.match(text)
    return m.group(1) if m else text


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


#: the comparison labels of udfs/match/settings.py in English (a match reason is built from them)
FIELDS = {"姓名": "name", "手机": "mobile", "邮箱": "e-mail", "身份证号": "ID number", "出生日期": "birth date",
          "性别": "gender", "城市": "city", "公司": "company", "信用代码": "credit code", "电话": "landline",
          "地址": "address", "名": "given name", "姓": "surname", "社保号": "social security no.",
          "门牌号": "street number", "街道": "street", "地址2": "address 2", "区": "suburb", "州": "state",
          "邮编": "postcode"}
_LEVELS = {"相同": "same {f}", "同音": "{f} sounds alike", "相近": "{f} close", "部分相同": "{f} partly the same",
           "一字之差": "{f} one character apart", "不同": "{f} differs"}
_PHRASE = re.compile(r"^(?P<field>.+?)(?P<level>部分相同|一字之差|相同|同音|相近|不同)(?P<pair>\(.*\))?$")
_MORE = re.compile(r"（另有 (\d+) 项一致）$")


def english_reason(text: str) -> str:
    """A match reason (`邮箱相同; 姓名不同(张伟/李伟)`) in English, phrase by phrase; unknown phrases as they are."""
    more = _MORE.search(text)
    body = _MORE.sub("", text)
    out = []
    for phrase in body.split("; "):
        m = _PHRASE.match(phrase)
        if m and m.group("field") in FIELDS:
            said = _LEVELS[m.group("level")].format(f=FIELDS[m.group("field")])
            out.append(said + (f" {m.group('pair')}" if m.group("pair") else ""))
        else:
            out.append(english(phrase))
    return "; ".join(out) + (f" ({more.group(1)} more agree)" if more else "")


def english_any(text: str) -> str:
    """kehu's word, a match reason or a shown group ("疑似 5"), whichever `text` is."""
    if text.startswith("疑似 ") and text[3:].isdigit():
        return f"possible {text[3:]}"
    plain = english(text)
    return plain if plain != text else english_reason(text)
