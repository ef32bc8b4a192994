"""Chinese surnames (the common single ones and the compound ones), simplified and traditional forms.

The list follows the surnames of the 2020 census ranking as commonly published (the top ~300 cover well
over 95 % of people) plus the compound surnames of the 百家姓 still in use.
"""
from __future__ import annotations

from functools import lru_cache

from udfs.zhconv_loader import convert

SINGLE = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温"
    "康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴"
    "霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查"
    "麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴"
    "盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭"
    "况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
COMPOUND = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒",
            "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "钟离", "澹台", "申屠", "太史", "濮阳", "百里", "呼延",
            "第五", "闻人", "万俟", "司空", "东郭", "公冶", "赫连", "拓跋", "完颜", "爱新觉罗")


@lru_cache(maxsize=1)
def surname_tables() -> tuple[frozenset[str], tuple[str, ...]]:
    """(single surnames, compound surnames) in simplified and traditional forms."""
    single = set(SINGLE)
    single |= {convert(c, "zh-hant") for c in SINGLE}
    compound = set(COMPOUND) | {convert(c, "zh-hant") for c in COMPOUND}
    return frozenset(single), tuple(sorted(compound, key=len, reverse=True))
