"""Tag each comment with themes from an editable dictionary (theme → keywords, minus phrases that only look alike).

Keywords are matched in the folded text (simplified, lower-case), so one simplified keyword also finds its
traditional spelling; the default dictionary still lists Taiwan and Hong Kong words that differ in
vocabulary, not only in script (保固, 宅配, 速遞, 埋單, 職員, 手機程式 …). Matching phrases rather than jieba's
words keeps a theme visible when the segmenter cuts 产品质量 or 送货慢 differently.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from udfs.errors import InputProblem

from .segment import fold_one, fold_text
from .trie import word_pattern

#: theme → (keywords, excluded phrases). Users edit this as the 主题词典 sheet and pass it back.
DEFAULT_THEMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "价格": (("价格", "价钱", "价位", "贵", "便宜", "性价比", "划算", "涨价", "降价", "优惠", "折扣", "打折", "收费高",
              "不值", "太抵", "好抵", "抵买", "price", "expensive", "cheap", "overpriced", "discount"),
             ("贵公司", "贵司", "贵店", "贵方", "贵行", "宝贵", "富贵", "尊贵")),
    "产品质量": (("质量", "品质", "做工", "材质", "质感", "坏了", "故障", "破损", "瑕疵", "次品", "假货", "漏水", "掉漆",
                  "异味", "不耐用", "耐用", "用料", "quality", "defective", "broken", "faulty"), ()),
    "物流配送": (("物流", "快递", "送货", "配送", "发货", "到货", "运费", "包装", "签收", "派送", "宅配", "速递", "送达",
                  "送到", "运输", "delivery", "shipping", "courier", "parcel", "package"), ()),
    "服务态度": (("态度", "服务差", "服务好", "服务很", "服务非常", "服务挺", "服务不错", "服务一般", "服务周到", "热情", "冷淡", "不耐烦", "爱理不理", "不理人",
                  "没人理", "礼貌", "不礼貌", "微笑", "耐心", "敷衍", "推诿", "踢皮球", "凶", "attitude", "rude",
                  "friendly", "polite", "impolite"), ()),
    "售后维修": (("售后", "维修", "保修", "保固", "修理", "返修", "退货", "换货", "退换", "退款", "安装", "上门",
                  "repair", "warranty", "refund", "after-sales", "aftersales"), ("送货上门", "送上门")),
    "等待时间": (("等待", "等了", "等咗", "好耐", "等候", "排队", "久等", "等很久", "等太久", "半天", "效率", "拖延", "迟迟", "处理慢",
                  "回复慢", "响应慢", "没回复", "没人接", "打不通", "占线", "wait", "waiting", "queue", "delay"), ()),
    "门店环境": (("环境", "卫生", "干净", "整洁", "脏", "很乱", "杂乱", "装修", "空调", "冷气", "停车", "座位", "拥挤", "嘈杂",
                  "吵", "灯光", "厕所", "洗手间", "environment", "clean", "dirty", "parking", "noisy"),
                 ()),
    "员工专业": (("专业", "业务不熟", "业务熟练", "不懂", "一问三不知", "讲解", "解释", "培训", "水平", "经验", "懂行",
                  "外行", "professional", "knowledgeable", "unprofessional"), ()),
    "APP网站": (("app", "网站", "网页", "官网", "小程序", "公众号", "手机程式", "应用程式", "程式", "软件", "软体",
                 "系统", "界面", "闪退", "卡顿", "登录", "登陆", "注册", "页面", "website", "online", "login",
                 "crash", "crashes", "crashing"), ()),
    "账单收费": (("账单", "帐单", "发票", "收费", "扣费", "扣款", "多收", "乱收费", "计费", "缴费", "付款", "支付",
                  "埋单", "结账", "对账", "积分", "billing", "invoice", "charged", "overcharged", "payment", "bill"),
                 ()),
}

_SPLIT = re.compile(r"[、,，;；/|\s]+")


@dataclass(frozen=True)
class ThemeDictionary:
    """Themes in the user's order, each with folded keywords and folded excluded phrases."""

    themes: tuple[str, ...]
    keywords: tuple[tuple[str, ...], ...]
    excluded: tuple[tuple[str, ...], ...]

    @classmethod
    def default(cls) -> "ThemeDictionary":
        return cls.from_mapping(DEFAULT_THEMES)

    @classmethod
    def from_mapping(cls, mapping: dict[str, Any]) -> "ThemeDictionary":
        names, keys, excl = [], [], []
        for name, spec in mapping.items():
            kw, ex = spec if isinstance(spec, tuple) and len(spec) == 2 and not isinstance(spec[0], str) else (spec, ())
            folded = tuple(dict.fromkeys(f for f in (fold_one(k) for k in kw) if f))
            if not folded:
                continue
            names.append(str(name).strip())
            keys.append(folded)
            excl.append(tuple(dict.fromkeys(f for f in (fold_one(k) for k in ex) if f)))
        if not names:
            raise InputProblem("主题词典是空的：至少要有一个主题和它的关键词。",
                               "The theme dictionary is empty: give at least one theme with keywords.")
        return cls(tuple(names), tuple(keys), tuple(excl))

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> "ThemeDictionary":
        """A 主题词典 sheet: columns 主题, 关键词 (、 or , separated) and optionally 排除词."""
        cols = {str(c).strip().lower(): c for c in frame.columns}
        theme_col = next((cols[c] for c in ("主题", "主題", "theme") if c in cols), None)
        key_col = next((cols[c] for c in ("关键词", "關鍵詞", "关键字", "keywords") if c in cols), None)
        if theme_col is None or key_col is None:
            raise InputProblem("主题词典需要「主题」和「关键词」两列（可加「排除词」列）。",
                               "A theme dictionary needs the columns 主题 (theme) and 关键词 (keywords); "
                               "排除词 (excluded phrases) is optional.")
        ex_col = next((cols[c] for c in ("排除词", "排除詞", "excluded", "exclude") if c in cols), None)
        mapping: dict[str, tuple[list[str], list[str]]] = {}
        for _, row in frame.iterrows():  # a few dozen rows typed by a person
            name = row[theme_col]
            if name is None or (isinstance(name, float) and name != name) or not str(name).strip():
                continue
            kw, ex = mapping.setdefault(str(name).strip(), ([], []))
            kw += [k for k in _SPLIT.split(str(row[key_col] or "")) if k]
            if ex_col is not None and isinstance(row[ex_col], str):
                ex += [k for k in _SPLIT.split(row[ex_col]) if k]
        return cls.from_mapping({k: (tuple(v[0]), tuple(v[1])) for k, v in mapping.items()})

    def to_frame(self) -> pd.DataFrame:
        """The dictionary as the editable 主题词典 sheet."""
        return pd.DataFrame({"主题": list(self.themes), "关键词": ["、".join(k) for k in self.keywords],
                             "排除词": ["、".join(e) or None for e in self.excluded]})


def _pattern(words: tuple[str, ...]) -> re.Pattern:
    return word_pattern(words)  # a trie regex: one pass, English words only between word edges


def tag_themes(values: Any, dictionary: ThemeDictionary | None = None, *, folded: bool = False) -> pd.DataFrame:
    """Column of comments → one boolean column per theme plus 主题 (the themes joined with 、, None if none)."""
    d = dictionary or ThemeDictionary.default()
    text = values if folded else fold_text(values)
    text = pd.Series(text).astype(object)
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    u = pd.Series(uniques, dtype=object)
    hits = {}
    for name, keys, excl in zip(d.themes, d.keywords, d.excluded):
        s = u.str.replace(_pattern(excl), " ", regex=True) if excl else u
        found = s.str.contains(_pattern(keys), regex=True).fillna(False).to_numpy(dtype=bool)
        hits[name] = np.append(found, False)[codes]
    out = pd.DataFrame(hits, index=text.index)
    joined = _join_names(out, d.themes)
    out["主题"] = pd.Series(joined, index=out.index, dtype=object)
    return out


def _join_names(flags: pd.DataFrame, names: tuple[str, ...]) -> np.ndarray:
    """Row-wise 、-joined names of the true flags, computed once per distinct flag pattern."""
    if flags.empty:
        return np.empty(0, dtype=object)
    bits = flags[list(names)].to_numpy(dtype=bool)
    weights = (1 << np.arange(len(names), dtype=np.int64))
    pattern = bits.astype(np.int64) @ weights
    distinct, codes = np.unique(pattern, return_inverse=True)
    labels = np.empty(len(distinct), dtype=object)
    for i, p in enumerate(distinct):
        chosen = [n for j, n in enumerate(names) if int(p) >> j & 1]
        labels[i] = "、".join(chosen) if chosen else None
    return labels[codes.reshape(-1)]
