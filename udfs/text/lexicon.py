"""The sentiment lexicon: evaluation words with weights, negators, degree adverbs and contrast words.

Source and licence: written for kehu (MIT, like the rest of kehu), by hand, for customer-service text. The
word classes follow HowNet's 情感分析用词语集 (Dong Zhendong, 2007: positive / negative evaluation words,
degree words, negators), and the English part the polarity convention of Hu & Liu's opinion lexicon
(KDD 2004); no entries were copied from either. Weights are on a −2 … +2 scale: ±1 an ordinary
evaluation, ±2 a strong one, ±0.5 a weak hint. Phrases that contain a negator but mean the opposite of
a plain negation (没问题, 不错, 不客气) are listed whole: the longest match wins, so they are never
negated twice. Text is folded (simplified, lower-case) before matching, so one entry covers 滿意/满意.
"""
from __future__ import annotations

POSITIVE: dict[str, float] = {
    # ordinary praise
    "满意": 1, "好": 1, "不错": 1, "很好": 1.2, "挺好": 1, "满好": 1, "良好": 1, "好用": 1, "方便": 1, "快": 0.8,
    "及时": 1, "迅速": 1, "快速": 1, "高效": 1, "热情": 1, "耐心": 1, "周到": 1, "细心": 1, "贴心": 1.2, "礼貌": 1,
    "专业": 1, "干净": 1, "整洁": 1, "舒适": 1, "舒服": 1, "实惠": 1, "划算": 1, "便宜": 1, "值": 0.8, "值得": 1,
    "到位": 1, "亲切": 1, "漂亮": 1, "顺心": 1, "省心": 1, "快捷": 1, "清晰": 0.8, "透明": 0.8, "可靠": 1,
    "喜欢": 1, "推荐": 1, "放心": 1, "靠谱": 1, "稳定": 0.8, "耐用": 1, "清楚": 0.8, "准时": 1, "顺利": 1,
    "解决": 0.8, "解决了": 1, "已解决": 1, "给力": 1.2, "点赞": 1.5, "感谢": 1, "谢谢": 0.8, "多谢": 0.8, "辛苦了": 0.8,
    "好评": 1.5, "赞": 1.2, "棒": 1.5, "优秀": 1.5, "完美": 2, "超值": 1.5, "惊喜": 1.5, "非常好": 1.8,
    "没问题": 1, "没毛病": 1, "无可挑剔": 2, "不客气": 0.5, "还可以": 0.4, "还行": 0.5, "一般般": -0.2, "合理": 0.8, "公道": 1,
    # Taiwan / Hong Kong wording
    "好抵": 1.2, "抵买": 1.2, "赞赞": 1.5, "超赞": 1.8, "很正": 1.2,
    # English
    "good": 1, "great": 1.5, "excellent": 2, "nice": 1, "helpful": 1, "friendly": 1, "fast": 0.8, "quick": 0.8,
    "satisfied": 1, "happy": 1, "love": 1.5, "perfect": 2, "thanks": 0.8, "thank": 0.8, "recommend": 1,
    "professional": 1, "clean": 0.8, "fine": 0.5, "ok": 0.3, "okay": 0.3, "efficient": 1,
}

NEGATIVE: dict[str, float] = {
    "不满": -1.5, "不满意": -1.5, "差": -1, "太差": -1.8, "很差": -1.8, "极差": -2, "差劲": -1.8, "烂": -1.5,
    "垃圾": -2, "坏": -1, "坏了": -1, "慢": -0.8, "太慢": -1.3, "贵": -0.8, "太贵": -1.3, "失望": -1.5,
    "糟糕": -1.5, "麻烦": -0.8, "问题": -0.4, "故障": -1, "投诉": -1, "退货": -0.5, "骗": -2, "欺骗": -2,
    "坑": -1.5, "坑人": -2, "敷衍": -1.5, "推诿": -1.5, "踢皮球": -1.5, "冷淡": -1.2, "不耐烦": -1.5,
    "爱理不理": -1.5, "没人理": -1.5, "没人管": -1.5, "不理人": -1.5, "没人接": -1.2, "打不通": -1.2,
    "没回复": -1.2, "不回复": -1.2, "不专业": -1.3, "不礼貌": -1.3, "凶": -1, "态度恶劣": -2, "恶劣": -1.8,
    "拖": -0.8, "拖延": -1.2, "迟迟": -1, "久等": -1, "等了很久": -1.2, "半天": -0.5, "排队": -0.5,
    "脏": -1.2, "乱": -0.6, "吵": -0.8, "拥挤": -0.8, "异味": -1, "破损": -1.2, "瑕疵": -1, "漏水": -1.2,
    "闪退": -1.3, "卡顿": -1, "卡": -0.5, "多收": -1.5, "乱收费": -1.8, "扣错": -1.5, "后悔": -1.5,
    "生气": -1.5, "气愤": -1.8, "无语": -1.2, "郁闷": -1, "难用": -1.3, "不好用": -1.3, "不行": -1,
    "一问三不知": -1.5, "不靠谱": -1.5, "上当": -1.5, "离谱": -1.5, "过分": -1.5, "太过分": -1.8,
    "失败": -1, "错误": -0.8, "退款": -0.5, "难吃": -1.5, "不值": -1.2, "浪费": -1, "差评": -1.5, "无法": -0.8,
    # common complaint wording (V不C "cannot" forms, vague-charge and crowding words)
    "打不开": -1.2, "用不了了": -1.2, "看不懂": -1, "看不明白": -1, "搞不定": -1, "联系不上": -1.2, "修不好": -1.3,
    "没人处理": -1.5, "没人管": -1.5, "没处理": -1.2, "不处理": -1.2, "不透明": -1.2, "莫名其妙": -1.3, "粗糙": -1.2,
    "不一样": -0.6, "不一致": -0.8, "难": -0.6, "太难": -1.2, "挤": -0.8, "不懂": -1, "不送": -1, "不给": -0.8,
    "迟到": -1.2, "拖拉": -1.2, "爱答不理": -1.5, "挂电话": -1.3, "挂了": -0.8, "不合格": -1.5, "缺货": -1,
    "少发": -1.3, "漏发": -1.3, "发错": -1.3, "错发": -1.3, "有毛病": -1.2, "毛病": -0.8, "虚假": -1.5,
    "忽悠": -1.5, "强制": -1, "强行": -1, "推销": -0.6, "骚扰": -1.5, "不退": -1.2, "不换": -1, "不修": -1,
    "才": -0.3, "老是": -0.6, "总是": -0.4, "偏贵": -1, "偏高": -0.8, "到账": 0.6, "修好": 0.8,
    "不能用": -1.2, "没到账": -1.2, "没收到": -1.2, "形同虚设": -1.8, "不对": -1, "不了": -0.8, "唔到": -0.8, "用不了": -1.2, "等了好久": -1.2, "等好久": -1.2, "好几次": -0.5, "又坏": -1.5,
    # Taiwan / Hong Kong wording
    "好差": -1.8, "唔好": -1, "冇人理": -1.5, "等好耐": -1.2, "好慢": -1.3, "爛": -1.5,
    # English
    "bad": -1, "poor": -1, "terrible": -2, "awful": -2, "slow": -0.8, "rude": -1.5, "broken": -1.2,
    "disappointed": -1.5, "disappointing": -1.5, "expensive": -0.8, "overpriced": -1.3, "worst": -2,
    "useless": -1.5, "crash": -1.2, "crashes": -1.2, "crashing": -1.2, "complaint": -1, "problem": -0.4,
    "delay": -0.8, "delayed": -1, "dirty": -1.2, "unhelpful": -1.3, "wrong": -0.8, "overcharged": -1.5,
}

#: phrases that contain an evaluation word, negator or degree adverb but are none of them (快递 is not 快,
#: 最近 not 最, 会员卡 not 卡, 您好 a greeting, 不好意思 an apology); matched whole, they count zero
NEUTRAL: tuple[str, ...] = (
    "快递", "尽快", "赶快", "加快", "最近", "最后", "最终", "最早", "更换", "更新", "更改", "超市", "超过", "您好", "你好",
    "大家好", "不好意思", "好像", "好多", "好久", "只好", "差不多", "出差", "差价", "误差", "别的", "别人", "区别",
    "分别", "无论", "无线", "会员卡", "银行卡", "信用卡", "卡号", "刷卡", "办卡", "充值", "值班", "价值", "拖鞋",
    "贵公司", "贵司", "贵店", "贵方", "别家", "别处", "不知道", "不用", "不然", "不管", "太太", "问题是", "没想到",
)

#: plain negators flip the polarity of the next evaluation word in the same clause
NEGATORS: dict[str, float] = {
    "不": 1.0, "没": 1.0, "没有": 1.0, "未": 1.0, "无": 1.0, "别": 1.0, "不是": 1.0, "并不": 1.0, "从不": 1.0,
    "从来不": 1.0, "从没": 1.0, "毫不": 1.0, "绝不": 1.0, "不会": 1.0, "不够": 0.8, "不算": 0.8,
    "冇": 1.0, "唔": 1.0, "未能": 1.0, "还没": 1.0, "一直没": 1.0, "还未": 1.0, "尚未": 1.0,
    "not": 1.0, "no": 1.0, "never": 1.0, "isn't": 1.0, "wasn't": 1.0, "don't": 1.0, "didn't": 1.0, "doesn't": 1.0,
}
#: softened negators (不太好 is milder than 不好): they flip and damp
SOFT_NEGATORS: dict[str, float] = {"不太": 0.7, "不怎么": 0.7, "不是很": 0.7, "不大": 0.7, "不是太": 0.7,
                                   "没那么": 0.7, "not very": 0.7, "not so": 0.7, "not that": 0.7}

DEGREE: dict[str, float] = {
    "非常": 1.6, "特别": 1.6, "十分": 1.5, "极其": 1.8, "超级": 1.6, "超": 1.4, "太": 1.4, "很": 1.3, "挺": 1.1,
    "真": 1.2, "真的": 1.2, "实在": 1.3, "相当": 1.4, "比较": 0.9, "较": 0.9, "有点": 0.7, "有些": 0.7,
    "稍微": 0.6, "略": 0.6, "一点": 0.7, "更": 1.2, "最": 1.6,
    "very": 1.4, "really": 1.3, "so": 1.3, "extremely": 1.8, "quite": 1.1, "too": 1.3, "a bit": 0.7,
}

#: after these the clause that follows counts more (服务还行，但是太慢了 is a complaint)
CONTRAST: tuple[str, ...] = ("但是", "但", "可是", "不过", "然而", "只是", "就是", "可惜", "but", "however")
CONTRAST_WEIGHT = 1.5
