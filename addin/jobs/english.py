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
    # what a later run reads back (--reviewed, --settings): addin/report/read_back.py accepts every language's form
    "重复对": "Duplicate pairs", "查重设置": "Match settings", "复核": "Review", "是同一客户": "Same customer",
    "不是同一客户": "Different customer", "客户编号A": "Customer ID A", "客户编号B": "Customer ID B",
    "行A": "Row A", "行B": "Row B",
    "是同一客户 / 不是同一客户，留空 = 未复核": "Same customer / Different customer; blank = not reviewed",
    "请从列表中选：是同一客户 / 不是同一客户（或留空）": "Choose from the list: Same customer / Different customer (or blank)",
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
    "平均金额": "Average spend", "平均满意度": "Mean satisfaction", "满意度样本数": "Satisfaction answers",
    "A 类（前 80% 收入）": "A (top 80% of revenue)", "B 类（其后 15%）": "B (next 15%)", "C 类（最后 5%）": "C (last 5%)",
    "三、按价值等级（ABC）By value tier": "By value tier (ABC)",
    "没有「状态」列：不安排下次跟进日期。": "No status column: no next follow-up dates are set.",
    "缺少购买次数或累计金额列：对应的 F 或 M 分留空。": "No purchase count or total spend column: those F or M scores are blank.",
    "合并行数": "Rows merged", "被合并的行": "Merged row", "合并到的行": "Kept row",
    "合并记录：每个被合并的行、合并到的行、补入的值、冲突的值和每个字段的来源行":
        "Merge log: each merged row, the row it was merged into, the values filled in, conflicting values and "
        "the row each field came from",
    "合并记录：每个被合并的行、合并到的行、补入的值、冲突的值和每个字段的来源行（购买次数、累计金额已合计）":
        "Merge log: each merged row, the row it was merged into, the values filled in, conflicting values and "
        "the row each field came from (purchase counts and totals added up)",
    # the default segment rules' advice (udfs/score/segment: 说明)
    "最近买过、买得勤、花得多：优先服务，请他们推荐新客户": "Recent, frequent, big spenders: serve first, ask for referrals",
    "买得勤、近期活跃：推荐升级产品，邀请评价": "Frequent and active: offer upgrades, invite reviews",
    "近期买过几次：提供会员或积分，培养成忠实客户": "Several recent purchases: offer membership or points to build loyalty",
    "刚刚第一次购买：做好首单服务，及时回访": "First purchase just made: look after it, follow up soon",
    "最近买过一次：介绍产品，建立信任": "One recent purchase: introduce products, build trust",
    "各项中等、开始变冷：限时优惠，按兴趣推荐": "Middling and cooling: time-limited offers, recommend by interest",
    "买得少、有段时间没买：推荐热门产品，重新联系": "Few purchases, not lately: recommend best sellers, get back in touch",
    "以前买得不少、很久没买：个性化联系，了解原因": "Used to buy a lot, not for long: personal contact, find out why",
    "曾经买得勤、花得多、很久没回来：尽快挽回，电话拜访": "Once frequent big spenders, long gone: win back soon, call them",
    "很久没买、买得少：用低成本方式唤醒": "Long gone, few purchases: wake up at low cost",
    "最久没买、买得最少：可低频触达，不必投入太多": "Longest gone, fewest purchases: contact rarely, spend little",
    "登记了但还没有购买：按状态跟进，争取首单": "Registered, no purchase yet: follow up by status, aim for a first order",
    "尚无购买记录": "No purchase yet", "数据不全：缺少最近购买日期和 RFM 细分": "Incomplete: no last purchase date or RFM segment",
    "判定": "Verdict", "得分": "Score", "不同": "different", "金额": "Amount",
    "说明：客户占比、金额占比分别为该组客户数、累计金额占全部客户的比例；尚无购买的客户不参与 RFM 评分，归为潜在客户、C 类。":
        "Notes: shares of customers and of spend are the group's customers and total spend over all customers; "
        "customers with no purchase yet get no RFM score and count as Potential, tier C.",
    "m（重复时一致的比例） / u（随机两行一致的比例）": "m (share agreeing among duplicates) / u (share agreeing by chance)",
    "设置 Settings (JSON，可用 --settings 重复本次运行)": "Settings (JSON; repeat this run with --settings)",
    "重复对：每一对疑似或重复的记录。在「复核」列选 是同一客户 / 不是同一客户，再用 kehu dedupe 文件 --reviewed 本文件 重新合并":
        "Duplicate pairs: every duplicate or possible pair. Choose Same customer or Different customer in the "
        "Review column, then run kehu dedupe FILE --reviewed THIS_FILE to merge again",
    # marks and links (issue 16B): the 问题清单 级别 column
    "级别": "Severity", "错误": "Error", "需核对": "Check", "提示": "Hint",
    # the 总览 page of every job (addin/report/overview_pages.py) and the 待跟进 call list
    "总览": "Overview", "总览：客户档案整理": "Overview: register clean-up", "总览：查重": "Overview: duplicates",
    "总览：满意度调查": "Overview: satisfaction survey", "总览：客户细分": "Overview: customer segments",
    "总览：投诉与联系记录": "Overview: complaints and contacts", "总览：客户分析报告": "Overview: customer report",
    "关键数字（点击名称查看明细）": "Key figures (click a name for the details)", "图表": "Charts",
    "读入行数": "Rows read", "客户记录（不含表头）": "customer records (header excluded)",
    "没有问题的行": "Rows without problems", "有问题的行": "Rows with problems", "问题总数": "Problems in all",
    "各类问题的数量": "Problems by type", "各级别问题的数量": "Problems by severity",
    "每个问题的行号、原值和修改建议见「问题清单」；整理后的值在数据表右侧新增的列中。":
        "Each problem's row, value and suggestion are in Problems; the cleaned values are in the new columns "
        "right of the data.",
    "可合并删除的行": "Rows to remove", "疑似重复的行": "Possible duplicates", "请在「重复对」复核": "review in Duplicate pairs",
    "去重后客户数": "Customers after merging", "查重规则": "Match rules", "查看": "View",
    "比较了哪些列、阈值": "columns compared, thresholds", "记录": "Records", "行数": "Rows",
    "各类记录的行数": "Rows by kind", "回收问卷": "Returned", "有效问卷": "Valid responses",
    "满意度指数": "Satisfaction index", "NPS 净推荐值": "NPS", "满意率（前两档）": "Satisfied (top two)",
    "各维度满意度指数（0–100）": "Satisfaction index by dimension (0–100)", "维度": "Dimension", "指数": "Index",
    "指数 0–100；区间为 95% 置信区间，算法见「满意度报告」的说明。":
        "Indices 0–100; intervals are 95% confidence intervals; methods in the Satisfaction report's notes.",
    "今天要联系": "To call now", "A 类客户": "Tier A customers", "贡献前 80% 收入": "top 80% of revenue",
    "各类客户的人数": "Customers by type", "各细分的人数": "Customers by segment",
    "要联系的客户（到期或逾期，逾期最久的在前）见「待跟进」；每位客户的分类原因在数据表右侧。":
        "Customers to call (due or overdue, most overdue first) are in Follow-up; each customer's type reason is "
        "beside the data.",
    "联系记录": "Contacts", "投诉": "Complaints", "解决率": "Resolution rate", "处理天数中位数": "Median days to resolve",
    "未结": "Open", "重复投诉客户": "Repeat complainers", "需核对的记录": "Records to check",
    "投诉提及最多的主题": "Most mentioned themes", "投诉提及数": "Mentions in complaints",
    "每个数字的算法见各节工作表的「说明」。": "How each figure is computed: see the notes on each section's sheet.",
    "各类客户的收入占比": "Revenue share by customer type",
    "总览：对照主档查重": "Overview: against the master register", "主档客户数": "Customers in the master",
    "已在主档": "Already in the master", "疑似已在主档": "Possibly in the master", "请核对「主档行」": "check Master row",
    "每行的主档状态、主档行、相似度和匹配依据在数据表右侧新增的列中。":
        "Each row's In master, Master row, Similarity and Match reason are in the new columns right of the data.",
    "逾期天数": "Days overdue", "跟进原因": "Reason to call", "联系电话": "Phone",
    "到期回访": "Due by cadence", "挽回流失客户": "Lost customer to win back",
    "按登记的下次跟进日期": "as planned in the register",
}
_HAN = re.compile(r"[\u3400-\u9fff]")
#: "记录数 Records", "客户分析 Customer analysis": Chinese, a space, then English to the end
_BILINGUAL = re.compile(r"^[^A-Za-z]*[\u3400-\u9fff][^A-Za-z]*?\s+([A-Za-z][^\u3400-\u9fff]*)$")


#: "一、按 RFM 细分 By RFM segment": the English after the last Chinese character
_ENGLISH_TAIL = re.compile(r"[\u3400-\u9fff][）)]?\s*([A-Za-z][^\u3400-\u9fff]*)$")
#: "姓名 (name)": a comparison label and its key
_LABEL_KEY = re.compile(r"^[^A-Za-z]*[\u3400-\u9fff][^A-Za-z(]*\s\(([a-z_0-9]+)\)$")
_METHOD = re.compile(r"^RFM 评分 1–(\d+)：.*? / (.*?)；最近购买越近 R 越高。分界值 (.*)$")
_SUBTITLE = re.compile(r"^分析日期：(\S+)\s+客户数：(\S+)\s+累计金额：(\S+)\s+待跟进：(\S+) 位，其中逾期 (\S+) 位")


def english(text: str) -> str:
    """kehu's phrase in English when it is a known one (or a bilingual label), else as it was."""
    if text in ENGLISH:
        return ENGLISH[text]
    m = _BILINGUAL.match(text) or _LABEL_KEY.match(text)
    if m:
        return m.group(1)
    m = _METHOD.match(text)
    if m:
        return f"RFM scores 1–{m.group(1)}: {m.group(2)}; the more recent the purchase, the higher R. Breaks {m.group(3)}"
    m = _SUBTITLE.match(text)
    if m:
        return (f"Analysis date {m.group(1)}    customers {m.group(2)}    total spend {m.group(3)}    "
                f"to follow up {m.group(4)}, {m.group(5)} overdue (see the Follow-up sheet)")
    if "：" in text and text.count("：") == 1:   # a chart title "细分：客户数"
        a, b = text.split("：")
        if a in ENGLISH and b in ENGLISH:
            return f"{ENGLISH[a]}: {ENGLISH[b]}"
    m = _ENGLISH_TAIL.search(text)
    if m and has_han(text) and len(m.group(1).split()) >= 2:
        return m.group(1)
    return text


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


#: the small lines under the 总览 figures: (pattern, English with the groups filled in)
_OVERVIEW_LINES = [(re.compile(p), e) for p, e in (
    (r"^占 (\d+)%$", "{0}% of rows"), (r"^(\d+) 类问题$", "{0} kinds of problem"), (r"^涉及 (\d+) 行$", "{0} rows"),
    (r"^回收率 (\d+)%$", "return rate {0}%"), (r"^有效率 (\d+)%$", "{0}% valid"),
    (r"^另有 (\d+) 份只标记$", "{0} more only flagged"), (r"^95% 区间 (.+)–(.+)$", "95% interval {0}–{1}"),
    (r"^分析日期 (\S+)$", "analysis date {0}"), (r"^其中逾期 (\d+) 位$", "{0} of them overdue"),
    (r"^超过 (\d+) 天未购买$", "no purchase for over {0} days"), (r"^(\d+) 张表$", "{0} tables"),
    (r"^数据：工作表「(.+)」$", "Data: sheet {0}"),
    (r"^数据：工作表「(.+)」　分析日期 (\S+)$", "Data: sheet {0}   Analysis date {1}"),
    (r"^意向客户每 (\d+) 个月跟进一次$", "prospects: every {0} months"),
    (r"^签单客户每 (\d+) 个月跟进一次$", "signed customers: every {0} months"),
    (r"^需再次联系的客户每 (\d+) 个月跟进一次$", "to call again: every {0} months"),
)]


def english_overview_line(text: str) -> str | None:
    for pattern, said in _OVERVIEW_LINES:
        m = pattern.match(text)
        if m:
            return said.format(*m.groups())
    m = re.match(r"^见「(.+)」$", text)
    if m:
        return f"see {english(m.group(1))}"
    return None


_GOLDEN_TITLE = re.compile(r"^去重结果：(\d+) 位客户（原 (\d+) 行，合并 (\d+) 行）$")
_TYPE_REASON = re.compile(r"^RFM 细分为「(.+?)」(，高价值客户有流失风险)?$")
_LOST_REASON = re.compile(r"^最近一次购买在 (\d+) 天前，超过流失期 (\d+) 天$")
_FOLLOW_TITLE = re.compile(r"^待跟进客户（截至 (.+) 到期或逾期，逾期最久的在前）$")
_FROM_ROW = re.compile(r"←行(\d+)")


def english_any(text: str, words: dict[str, str] | None = None) -> str:
    """kehu's word, a match reason or a shown group ("疑似 5"), whichever `text` is; `words`: the job's own."""
    if words and text in words:
        return words[text]
    if text.startswith("疑似 ") and text[3:].isdigit():
        return f"possible {text[3:]}"
    m = _TYPE_REASON.match(text)
    if m:
        return f"RFM segment {(words or {}).get(m.group(1)) or english(m.group(1))}" + (", a high-value customer at risk" if m.group(2) else "")
    m = _LOST_REASON.match(text)
    if m:
        return f"last purchase {m.group(1)} days ago, beyond the {m.group(2)}-day churn window"
    said = english_overview_line(text)
    if said is not None:
        return said
    m = _FOLLOW_TITLE.match(text)
    if m:
        return f"Customers due or overdue on {m.group(1)}, most overdue first"
    m = _GOLDEN_TITLE.match(text)
    if m:
        return f"Deduplicated: {m.group(1)} customers ({m.group(2)} rows, {m.group(3)} merged)"
    if "←行" in text:   # 字段来源: which row each field came from
        return _FROM_ROW.sub(lambda r: f"←row {r.group(1)}", text)
    plain = english(text)
    return plain if plain != text else english_reason(text)
