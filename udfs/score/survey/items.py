"""Recognise a survey sheet: which columns are scale items, groups, recommend/overall items (answer scales: scales.py)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from udfs.score.survey.scales import (AnswerCounts, FIVE_LEVEL_LABELS, FIVE_LEVEL_NAMES, RECOGNITION_SAMPLE,  # noqa: F401
                                      STANDARD_SCALES, VERSUS_LABELS, _mostly_level_labels,
                                      _mostly_versus_labels, _scale_fit, infer_scale, label_map, to_scores)
from udfs.score.survey.textkeys import _norm, _simplified  # noqa: F401  (competitors.py imports them from here)


# Header words, checked on the normalised header text (lower case, no spaces).
_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "id": ("编号", "序号", "答卷", "问卷号", "客户id", "respondent", "id", "手机", "电话", "mobile", "phone",
           "会员号", "客户号"),
    "group": ("门店", "店铺", "分店", "网点", "市场", "区域", "片区", "渠道", "store", "branch", "market",
              "region", "shop"),
    "gender": ("性别", "gender", "sex"),
    "age": ("年龄", "年龄段", "agegroup", "ageband", "age"),
    "comments": ("意见", "建议", "评论", "留言", "备注", "其他", "comment", "remark", "feedback"),
    "duration": ("用时", "时长", "耗时", "答题时间", "duration", "seconds", "timetaken"),
    "recommend": ("推荐", "nps", "recommend"),
    "overall": ("总体满意", "整体满意", "总体评价", "综合满意", "总的来说", "overall"),
    "ces": ("费力", "省力", "容易", "便捷程度", "effort", "ease"),
    "competitor": ("竞品", "竞争对手", "competitor"),
    "ours": ("本公司评分", "我司评分", "本店评分", "本品牌评分", "我们的评分", "ourrating"),
}

_ID_EXACT = ("id", "编号", "序号", "答卷编号", "问卷编号")


@dataclass(frozen=True)
class ItemSpec:
    """One scored question: where it is, what it asks, how it is scored."""

    column: Any
    code: str
    text: str = ""
    dimension: str = "全部题目"
    weight: float = 1.0
    importance: float | None = None
    scale_min: int = 1
    scale_max: int = 5
    labels: tuple[str, ...] = ()  # level names from scale_min upward (empty: defaults)
    reverse: bool = False

    @property
    def levels(self) -> np.ndarray:
        return np.arange(self.scale_min, self.scale_max + 1)

    def level_names(self) -> list[str]:
        """Names of the levels, lowest first: the item's own labels, the 5-level names, or the numbers."""
        if len(self.labels) == len(self.levels):
            return list(self.labels)
        if (self.scale_min, self.scale_max) == (1, 5):
            return list(FIVE_LEVEL_NAMES)
        return [f"{v}分" for v in self.levels]


@dataclass
class SurveySpec:
    """Everything recognised about a survey sheet, plus the defaults that were assumed (in `notes`)."""

    items: list[ItemSpec]
    overall: ItemSpec | None = None
    recommend: ItemSpec | None = None
    ces: ItemSpec | None = None
    id_column: Any = None
    group_columns: list[Any] = field(default_factory=list)
    comments_column: Any = None
    ours_column: Any = None                                              # our own rating beside the competitors'
    competitors: list[tuple[Any, str]] = field(default_factory=list)    # (rating column, competitor name)
    versus: list[tuple[Any, str]] = field(default_factory=list)         # ("compared with X" column, X)
    duration_column: Any = None
    duration_unit_seconds: float = 1.0
    notes: list[str] = field(default_factory=list)

    def scored(self) -> list[ItemSpec]:
        """Every question that counts toward the 2/3 rule: items, overall, recommend, ease."""
        return self.items + [q for q in (self.overall, self.recommend, self.ces) if q is not None]

    def dimensions(self) -> list[str]:
        return list(dict.fromkeys(q.dimension for q in self.items))


def header_role(header: Any) -> str | None:
    """The role a header names (id, group, gender, age, comments, duration, recommend, overall, ces), if any."""
    h = _simplified(_norm(header))
    if h in _ID_EXACT:
        return "id"
    for role in ("competitor", "ours", "recommend", "overall", "ces", "duration", "gender", "age", "group",
                 "comments", "id"):
        words = _ROLE_WORDS[role]
        for w in words:
            if w.isascii() and len(w) <= 3:
                # short English words only as whole words: "id" must not match "idea", "age" not "page"
                if re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", h):
                    return role
            elif w in h:
                return role
    return None


_ITEM_HEADER = re.compile(r"^(q|题|第|item|a)?\s*\d+([.、:：\s_\-]|题|$)|满意|评价|评分", re.I)


def looks_like_item(header: Any) -> bool:
    """Q1, 题3, 第5题, 4. 服务态度, 服务满意度 …: a header that names a question."""
    return bool(_ITEM_HEADER.search(_norm(header)))


_NAME_NOISE = re.compile(r"竞品|竞争对手|对手|competitor|评分|打分|得分|满意度|满意|评价|rating|score|与|和|跟|同|相比|相较|比较|"
                         r"compared\s*(with|to)?|vs\.?|我们|本公司|我司|本店|的|[：:（）()\[\]【】\-_|/，,。?？\s]", re.I)


def competitor_name(header: Any) -> str:
    """竞品评分：永辉超市 → 永辉超市; 与永辉相比 → 永辉; a header that is only marker words → 竞品."""
    name = _NAME_NOISE.sub("", unicodedata.normalize("NFKC", str(header))).strip()
    return name or "竞品"


def _default_dimension(code: str) -> str:
    m = re.fullmatch(r"([A-Za-z]+)[_\-.]?\d+", code.strip())
    if m:
        return m.group(1)
    m = re.match(r"(.+?)[\-_—:：|/]", code.strip())
    if m and len(m.group(1)) <= 8:
        return m.group(1)
    return "全部题目"


def recognise_survey(df: pd.DataFrame, items_sheet: pd.DataFrame | None = None,
                     roles: dict[Any, str] | None = None) -> SurveySpec:
    """Find items, groups and special questions in a survey sheet (one row per returned questionnaire).

    Header words come first (门店, 性别, 推荐 …); other columns whose answers are whole numbers on a
    common scale (or level labels) are items. A 题目 sheet (see `read_items_sheet`) overrides codes,
    texts, dimensions, weights, scales, labels and reverse coding. `roles` forces a column's role.
    """
    from udfs.score.survey.items_sheet import _lookup_def, read_items_sheet

    roles = dict(roles or {})
    notes: list[str] = []
    defs = read_items_sheet(items_sheet) if items_sheet is not None else {}

    found: dict[Any, str] = {}
    fits: dict[Any, tuple[int, int]] = {}
    full = df
    # Roles are judged on an evenly spaced sample: 2,000 rows tell a scale as well as 100,000 do.
    df = df.iloc[:: max(1, len(df) // RECOGNITION_SAMPLE)]
    for j, col in enumerate(df.columns):
        answers = AnswerCounts.of(df.iloc[:, j])  # each distinct answer judged once, weighted by its count
        role = roles.get(col) or header_role(col)
        if col not in roles and _mostly_versus_labels(answers):
            role = "versus"  # 与永辉相比 answered 更好 / 差不多 / 更差
        if role in ("group", "comments", "id") and col not in roles and (
                "满意" in str(col) or _mostly_level_labels(answers)):
            role = None  # 市场推广满意度, 沟通渠道 answered 满意/一般: questions, not a market column
        defined = _lookup_def(col, defs)
        if defined is not None and role not in ("recommend", "overall", "ces"):
            role = "item"
        fit = _scale_fit(answers, 1 if looks_like_item(col) else 2) if role in (None, "item", "recommend", "overall", "ces") else None
        if role is None:
            if fit is not None:
                role = "item"
            elif answers.counts[answers.texts()].sum() / answers.rows > 0.3 if answers.rows else False:
                role = "text"
        if role in ("competitor", "ours"):
            fit = _scale_fit(answers, 1)
            if fit is None:
                continue
        if role in ("item", "recommend", "overall", "ces") and fit is None and defined is None:
            continue
        if role is not None:
            found[col] = role
            if fit is not None:
                fits[col] = fit

    item_cols = [c for c, r in found.items() if r == "item"]
    # The common scale of the items: the most frequent fit; a few stray values do not widen it.
    common = pd.Series([fits[c] for c in item_cols if c in fits]).mode()
    common_scale = tuple(common.iloc[0]) if len(common) else (1, 5)
    if common_scale == (1, 10) and any((pd.to_numeric(full[c], errors="coerce") == 0).any() for c in item_cols):
        common_scale = (0, 10)  # zeros on a ten-point scale mean a 0–10 scale, not ten thousand typos

    def make(col: Any, default_scale: tuple[int, int]) -> ItemSpec:
        code = str(col)
        lo, hi = default_scale
        fit = fits.get(col)
        if fit is not None and (fit[1] - fit[0]) > (hi - lo):
            lo, hi = fit  # clearly a wider scale than the common one
        spec = ItemSpec(column=col, code=code, text=code, dimension=_default_dimension(code),
                        scale_min=lo, scale_max=hi)
        d = _lookup_def(col, defs)
        if d:
            spec = replace(spec, **{k: v for k, v in d.items() if v is not None})
        return spec

    items = [make(c, common_scale) for c in item_cols]
    if not defs:
        notes.append("未提供题目表：每题权重相同，量表按答案推断为 %d–%d 分，维度按列名前缀。"
                     % common_scale + " No 题目 sheet: equal weights, scale inferred from the answers.")

    def first(role: str) -> Any:
        return next((c for c, r in found.items() if r == role), None)

    overall = first("overall")
    recommend = first("recommend")
    ces = first("ces")
    duration = first("duration")
    unit = 1.0
    if duration is not None and re.search(r"分钟|min", _norm(duration)):
        unit = 60.0
    comments = first("comments")
    if comments is None:
        comments = first("text")
    competitors = [(c, competitor_name(c)) for c, r in found.items() if r == "competitor"]
    versus = [(c, competitor_name(c)) for c, r in found.items() if r == "versus"]
    ours = first("ours")
    return SurveySpec(
        ours_column=ours,
        competitors=competitors,
        versus=versus,
        items=items,
        overall=make(overall, common_scale) if overall is not None else None,
        recommend=replace(make(recommend, (0, 10)), scale_min=0, scale_max=10) if recommend is not None else None,
        ces=replace(make(ces, (1, 7)), scale_min=1, scale_max=7) if ces is not None else None,
        id_column=first("id"),
        group_columns=[c for c, r in found.items() if r in ("group", "gender", "age")],
        comments_column=comments,
        duration_column=duration,
        duration_unit_seconds=unit,
        notes=notes,
    )


def read_items_sheet(items: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """题目 sheet → {code: {text, dimension, weight, …}} (see `udfs.score.survey.items_sheet`)."""
    from udfs.score.survey.items_sheet import read_items_sheet as read

    return read(items)
