"""The survey as the customer report sees it: each register customer's satisfaction, linked by customer id, else
by mobile, else by e-mail (both through kehu's normalisers), and the survey job's competitor comparison."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from udfs.score.segment._values import customer_keys

from . import sections as S

#: How a survey answer sheet is linked to the register, in the order tried, with the register role used.
LINKS = (("客户编号", "customer_id"), ("手机", "mobile"), ("邮箱", "email"))


@dataclass
class SurveyView:
    score: np.ndarray                              # per register row: satisfaction (NaN when not linked)
    linked_by: dict[str, int]                      # 客户编号 / 手机 / 邮箱 → register customers linked that way
    respondents: int
    competition: pd.DataFrame = field(default_factory=pd.DataFrame)
    versus: pd.DataFrame = field(default_factory=pd.DataFrame)
    note: str = ""


def _survey_column(columns: list, role: str) -> Any:
    """The survey column a register role names (客户编号 / 手机 / 邮箱 …), by the register's header aliases."""
    from udfs.recognise.roles import role_from_header

    wanted = {"customer_id": ("customer_id",), "mobile": ("mobile", "phone"), "email": ("email",)}[role]
    return next((c for c in columns if role_from_header(str(c), "register")[0] in wanted), None)


def _keys(values: Any, role: str) -> pd.Series:
    """Link keys: trimmed ids, normalised mobiles (13800138000), normalised e-mail addresses."""
    if role == "mobile":
        from udfs.normalise.phone import normalise_mobile
        return normalise_mobile(values).reset_index(drop=True)
    if role == "email":
        from udfs.normalise.email import normalise_email
        # to link, the whole address is compared without case (USER1@… typed in a form is the same customer)
        return normalise_email(values).map(lambda e: e.lower() if isinstance(e, str) else None).reset_index(drop=True)
    codes, ids = customer_keys(values)
    return pd.Series([ids[c] if c >= 0 else None for c in codes], dtype=object)


def respondent_scores(survey: pd.DataFrame) -> tuple[np.ndarray, str]:
    """Each questionnaire's satisfaction on its own scale: the overall item, else the mean of the items answered."""
    from udfs.score.survey.answers import read_answers
    from udfs.score.survey.items import recognise_survey

    spec = recognise_survey(survey)
    if spec.overall is not None:
        x, _ = read_answers(survey, [spec.overall])
        return x[:, 0], f"总体满意度题「{spec.overall.text}」"
    if not spec.items:
        return np.full(len(survey), np.nan), ""
    x, _ = read_answers(survey, spec.items)
    with np.errstate(invalid="ignore"):
        counted = np.isfinite(x).sum(axis=1)
        mean = np.where(counted > 0, np.nansum(x, axis=1) / np.maximum(counted, 1), np.nan)
    return mean, "各评分题的平均分"


def link_survey(survey: pd.DataFrame, register_ids: Any, contacts: dict[str, Any] | None = None,
                min_group: int = 30) -> SurveyView:
    """Per register row, the mean satisfaction of the questionnaires linked to it: by customer id where the survey
    has one, else (for customers not yet linked) by normalised mobile, else by normalised e-mail."""
    contacts = contacts or {}
    score, what = respondent_scores(survey)
    n_reg = len(pd.Series(register_ids))
    out = np.full(n_reg, np.nan)
    linked_by = {}
    for label, role in LINKS:
        col = _survey_column(list(survey.columns), role)
        reg_values = register_ids if role == "customer_id" else contacts.get(role)
        if col is None or reg_values is None:
            continue
        keys = _keys(survey[col], role)
        per_key = pd.Series(score).groupby(keys.to_numpy(dtype=object)).mean()  # blank keys are left out
        reg_keys = _keys(reg_values, role)
        found = reg_keys.map(per_key).to_numpy(dtype=float)
        fill = np.isnan(out) & np.isfinite(found)
        out[fill] = found[fill]
        linked_by[label] = int(fill.sum())
    view = SurveyView(score=out, linked_by=linked_by, respondents=len(survey),
                      note=f"每位客户的满意度 = 关联到该客户的问卷的{what}（平均）" if what else "")
    view.competition, view.versus = competitor_tables(survey, min_group)
    return view


def competitor_tables(survey: pd.DataFrame, min_group: int = 30) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The survey job's 竞争对比 (ratings of us and of each competitor, per market; better / on par / worse),
    on the valid questionnaires; empty tables when the survey has neither."""
    from udfs.score.survey import analyse_survey
    from udfs.score.survey.analysis import SurveyInputError

    try:
        res = analyse_survey(survey, bootstrap=0, min_group=min_group)
    except SurveyInputError:
        return pd.DataFrame(), pd.DataFrame()
    return res.competition, res.versus


def competitor_blocks(view: SurveyView) -> list[S.Block]:
    """The satisfaction section's competitor view: our score vs each competitor's per market, and the shares saying
    better / on par / worse, each with the test that says whether the gap is real."""
    blocks = []
    t, v = view.competition, view.versus
    if len(t):
        table = pd.DataFrame({"对比": [f"{m}·{c}" for m, c in zip(t["market"], t["competitor"])],
                              "市场": t["market"], "竞品": t["competitor"], "样本数": t["n"], "我们": t["ours"],
                              "对方": t["theirs"], "差距": t["gap"], "p（Holm）": t["p_holm"],
                              "结论": [("★" if s else "") + str(w) for s, w in zip(t["significant"], t["verdict"])]})
        blocks.append(S.Block("竞争对比：我们与竞品的评分（按市场）", table,
                              "同一批受访者给我们和竞品打分，换算为 0–100 分；差距 = 我们 − 对方；配对 t 检验，Holm 校正后 "
                              "p < 0.05 记 ★（与 kehu survey 的竞争对比相同）。",
                              {"样本数": "int", "我们": "dec", "对方": "dec", "差距": "dec", "p（Holm）": "p"},
                              S.Chart("bar", "对比", ["我们", "对方"])))
    if len(v):
        table = pd.DataFrame({"对比": [f"{m}·{c}" for m, c in zip(v["market"], v["competitor"])],
                              "市场": v["market"], "与谁相比": v["competitor"], "样本数": v["n"], "更好": v["better"],
                              "差不多": v["par"], "更差": v["worse"], "净值": v["net"], "p（Holm）": v["p_holm"],
                              "结论": [("★" if s else "") + str(w) for s, w in zip(v["significant"], v["verdict"])]})
        blocks.append(S.Block("与竞品相比：更好 / 差不多 / 更差（按市场）", table,
                              "“与 X 相比，我们……”题的回答占比；净值 = 更好 − 更差；符号检验（“差不多”不计），Holm 校正后 "
                              "p < 0.05 记 ★。",
                              {"样本数": "int", "更好": "pct", "差不多": "pct", "更差": "pct", "净值": "pct",
                               "p（Holm）": "p"},
                              S.Chart("bar", "对比", ["更好", "差不多", "更差"], percent=True)))
    return blocks
