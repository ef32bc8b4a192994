"""KEHU_SENTIMENT and KEHU_THEMES as Excel calls them (2-D ranges in, a spilled column out)."""
from __future__ import annotations

from udfs.formulas.text import KEHU_SENTIMENT, KEHU_THEMES


def test_sentiment_spills_one_label_per_cell_and_blank_for_blank():
    got = KEHU_SENTIMENT([["不满意"], ["服務很好，謝謝"], ["没问题"], [None], ["请问几点开门"]])
    assert got == [["负面"], ["正面"], ["正面"], [""], ["中性"]]
    scores = KEHU_SENTIMENT([["不太好"], ["不好"]], True)
    assert -1 <= scores[0][0] <= 0 and scores[1][0] < scores[0][0]


def test_themes_with_the_default_and_with_a_user_dictionary():
    assert KEHU_THEMES([["送货太慢，价格也贵"], ["您好"]]) == [["价格、物流配送"], [""]]
    table = [["主题", "关键词"], ["会员", "积分、会员卡"], ["停车", "停车、车位"]]
    assert KEHU_THEMES([["积分没到账"], ["停车位太少"], ["很好"]], table) == [["会员"], ["停车"], [""]]
