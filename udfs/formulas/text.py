"""Excel formulas for free text (comments, the customer's words in a contact log): sentiment and themes."""
from __future__ import annotations

import xlwings as xw

from udfs.formulas._xl import CATEGORY, Cells, column_in, column_out, table_in
from udfs.text.sentiment import sentiment
from udfs.text.themes import ThemeDictionary, tag_themes


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("values", Cells, ndim=2, doc="意见、评论或客户原话所在的列")
@xw.arg("score", doc="TRUE 时返回 −1 到 1 的情感分，否则返回 正面/中性/负面 / TRUE for the score")
def KEHU_SENTIMENT(values, score=False):
    """情感：正面 / 中性 / 负面（处理否定，如“不满意”“不太好”“没问题”）。Sentiment of each comment."""
    s = sentiment(column_in(values))
    return column_out(s["情感分"] if score else s["情感"])


@xw.func(category=CATEGORY)
@xw.ret(Cells)
@xw.arg("values", Cells, ndim=2, doc="意见、评论或客户原话所在的列")
@xw.arg("dictionary", Cells, ndim=2, doc="主题词典区域（含表头「主题」「关键词」；省略则用默认词典） / theme dictionary range")
def KEHU_THEMES(values, dictionary=None):
    """意见主题：价格、产品质量、物流配送、服务态度等，多个主题用“、”分隔。Themes of each comment."""
    d = None
    if dictionary is not None:
        d = ThemeDictionary.from_frame(table_in(dictionary))
    return column_out(tag_themes(column_in(values), d)["主题"])
