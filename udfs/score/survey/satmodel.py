"""The ECSI/ACSI satisfaction model: which constructs the survey's dimensions are, the path model, and its index table."""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd

from udfs.score.survey import pls
from udfs.score.survey.items import ItemSpec, SurveySpec

#: The ECSI constructs, their Chinese names and the words a 题目 sheet's dimension may use for them.
ECSI_NAMES = {"IMAG": "企业形象", "EXPE": "顾客预期", "QUAL": "感知质量", "VAL": "感知价值", "SAT": "顾客满意",
              "LOY": "顾客忠诚"}
_ECSI_WORDS = {
    "IMAG": ("形象", "image", "imag"),
    "EXPE": ("预期", "期望", "expectation", "expe"),
    "QUAL": ("质量", "quality", "qual"),
    "VAL": ("价值", "value", "val"),
    "SAT": ("满意", "satisfaction", "sat"),
    "LOY": ("忠诚", "loyalty", "loy"),
}
#: The classic ECSI inner model (Tenenhaus et al. 2005; the plspm `satisfaction` example).
ECSI_ARROWS = (("IMAG", "EXPE"), ("EXPE", "QUAL"), ("EXPE", "VAL"), ("QUAL", "VAL"), ("IMAG", "SAT"),
               ("EXPE", "SAT"), ("QUAL", "SAT"), ("VAL", "SAT"), ("IMAG", "LOY"), ("SAT", "LOY"))

SCALE_TEXT = {"min0": "0–100 = (加权均值 − 量表最低分)/(最高分 − 最低分) × 100",
              "acsi": "ACSI 口径 = (加权均值 − 1)/(最高分 − 1) × 100（ACSI 按 1–10 分量表定义）"}


def ecsi_construct(dimension: str) -> str | None:
    """The ECSI construct a dimension name stands for (企业形象 → IMAG, Satisfaction → SAT), if any."""
    h = unicodedata.normalize("NFKC", str(dimension)).lower().strip()
    h = re.sub(r"[\s_\-]+", "", h)
    for key, words in _ECSI_WORDS.items():
        for w in words:
            if (w.isascii() and (h == w or h.startswith(w) and not h[len(w):].isalpha())) or \
                    (not w.isascii() and w in h):
                return key
    return None


@dataclass
class ModelPlan:
    """What will be fitted: construct names (as shown), their items and the arrows."""

    constructs: list[str]
    items: list[list[ItemSpec]]
    arrows: list[tuple[str, str]]
    kind: str                      # "ECSI", "user" or "drivers"
    outcome: str                   # the satisfaction construct whose total effects rank the others
    notes: list[str] = field(default_factory=list)


def read_paths_sheet(df: pd.DataFrame) -> list[tuple[str, str]]:
    """路径 sheet → (from, to) arrows: its first two columns (从 / 到, or From / To), one arrow a row."""
    if df is None or df.shape[1] < 2:
        return []
    a, b = df.columns[:2]
    out = []
    for x, y in zip(df[a], df[b]):
        if x is None or y is None or (isinstance(x, float) and math.isnan(x)) or (isinstance(y, float) and math.isnan(y)):
            continue
        if str(x).strip() and str(y).strip():
            out.append((str(x).strip(), str(y).strip()))
    return out


def plan_model(spec: SurveySpec, arrows: Sequence[tuple[str, str]] | None = None) -> ModelPlan | None:
    """The model for this survey: the user's arrows between dimensions; else ECSI when the dimensions are its
    constructs; else every dimension → the overall-satisfaction item (→ the recommend item). None if none fits."""
    dims: dict[str, list[ItemSpec]] = {}
    for q in spec.items:
        dims.setdefault(q.dimension, []).append(q)
    if arrows:
        extra = {}
        if spec.overall is not None:
            extra[spec.overall.text or spec.overall.code] = [spec.overall]
        if spec.recommend is not None:
            extra[spec.recommend.text or spec.recommend.code] = [spec.recommend]
        blocks = {**dims, **extra}
        unknown = sorted({n for a in arrows for n in a if n not in blocks})
        if unknown:
            raise ValueError("路径表中的构念不是题目表的维度：" + "、".join(unknown))
        names = [n for n in blocks if any(n in a for a in arrows)]
        targets = [b for _, b in arrows]
        outcome = next((n for n in names if ecsi_construct(n) == "SAT"), targets[-1])
        return ModelPlan(names, [blocks[n] for n in names], list(arrows), "user", outcome)
    mapped = {d: ecsi_construct(d) for d in dims}
    keys = {v: d for d, v in mapped.items() if v is not None}
    if "SAT" in keys and len(keys) >= 3 and len(set(mapped.values()) - {None}) == len([v for v in mapped.values() if v]):
        order = [k for k in ECSI_NAMES if k in keys]
        names = [keys[k] for k in order]
        arr = [(keys[a], keys[b]) for a, b in ECSI_ARROWS if a in keys and b in keys]
        notes = []
        missing = [ECSI_NAMES[k] for k in ECSI_NAMES if k not in keys]
        if missing:
            notes.append("题目表中没有这些 ECSI 构念，模型里省去：" + "、".join(missing))
        left = [d for d, v in mapped.items() if v is None]
        if left:
            notes.append("这些维度不是 ECSI 构念，不进入模型：" + "、".join(left))
        return ModelPlan(names, [dims[n] for n in names], arr, "ECSI", keys["SAT"], notes)
    if spec.overall is None:
        return None
    sat = spec.overall.text or spec.overall.code
    names = list(dims) + [sat]
    blocks = list(dims.values()) + [[spec.overall]]
    arr = [(d, sat) for d in dims]
    if spec.recommend is not None:
        rec = spec.recommend.text or spec.recommend.code
        names.append(rec)
        blocks.append([spec.recommend])
        arr.append((sat, rec))
    return ModelPlan(names, blocks, arr, "drivers", sat,
                     ["各维度 → 总体满意度题" + ("→ 推荐意愿题" if spec.recommend is not None else "") + "（题目表的维度不是 ECSI 构念）"])


@dataclass
class SatModel:
    """A fitted satisfaction model: the tables the report and KEHU_SATMODEL show."""

    plan: ModelPlan
    constructs: pd.DataFrame
    paths: pd.DataFrame
    items: pd.DataFrame
    gof: float
    n: int
    scheme: str
    scaled: bool
    bootstrap: int
    scores: pd.DataFrame          # respondents (complete rows) × constructs, 0–100 (min-0 convention)
    note: str = ""


def _alpha_raw(a: np.ndarray) -> float:
    k = a.shape[1]
    if k < 2:
        return float("nan")
    total = a.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - a.var(axis=0, ddof=1).sum() / total)) if total else float("nan")


def fit_satisfaction_model(x: pd.DataFrame, plan: ModelPlan, *, scheme: str = "centroid", bootstrap: int = 200,
                           seed: int = 0, confidence: float = 0.95) -> SatModel:
    """Fit `plan` on the respondents who answered every model item (rows of `x`, columns = item codes)."""
    from udfs.score.survey.distributions import t_ppf, t_two_sided_p

    model = pls.make_model(plan.constructs, [[q.code for q in b] for b in plan.items], plan.arrows)
    qs = [q for b in plan.items for q in b]
    data = x[[q.code for q in qs]].to_numpy(dtype=float)
    data = data[np.isfinite(data).all(axis=1)]
    n = len(data)
    if n <= len(qs) + 2:
        raise ValueError("完整作答的问卷太少，无法估计路径模型")
    sd = data.std(axis=0, ddof=1)
    if (sd == 0).any():
        raise ValueError("有题目所有人答案相同，无法估计路径模型")
    one_scale = len({(q.scale_min, q.scale_max) for q in qs}) == 1
    est = pls.fit(data, model, scheme, bootstrap=bootstrap, seed=seed, scaled=not one_scale)
    k = len(plan.constructs)
    owner = np.repeat(np.arange(k), [len(b) for b in plan.items])
    # weights of the raw answers: standardised weights divided by the item's SD (unscaled: already raw)
    raw_w = est["weights"].copy() if one_scale else est["weights"] / sd
    share = np.zeros_like(raw_w)
    for j in range(k):
        m = owner == j
        share[m] = raw_w[m] / raw_w[m].sum()
    lo = np.array([q.scale_min for q in qs], float)
    hi = np.array([q.scale_max for q in qs], float)
    member = np.zeros((len(qs), k))
    member[np.arange(len(qs)), owner] = share
    scores = ((data - lo) / (hi - lo) * 100) @ member
    index_acsi = ((data.mean(axis=0) - 1) / (hi - 1) * 100) @ member  # linear: the mean of respondents' scores
    q = pls.block_quality(est["corr"], model, est["loadings"])
    out_j = plan.constructs.index(plan.outcome)
    z = t_ppf(0.5 + confidence / 2, n - 1)
    rows = []
    for j, name in enumerate(plan.constructs):
        block = data[:, owner == j]
        s = scores[:, j]
        moe = z * s.std(ddof=1) / math.sqrt(n)
        rows.append({"construct": name, "ecsi": ecsi_construct(name) or "", "items": int((owner == j).sum()),
                     "index": float(s.mean()), "low": float(s.mean() - moe), "high": float(s.mean() + moe),
                     "index_acsi": float(index_acsi[j]), "r2": est["r2"][j], "ave": q["ave"][j],
                     "dg_rho": q["dg_rho"][j], "alpha": _alpha_raw(block), "alpha_std": q["alpha_std"][j],
                     # downstream constructs (loyalty) have no effect on satisfaction: blank, not 0
                     "total_effect": float(est["total"][out_j, j]) if est["total"][out_j, j] != 0 else np.nan})
    constructs = pd.DataFrame(rows)
    path_rows = []
    for a, b in plan.arrows:
        i, j = plan.constructs.index(a), plan.constructs.index(b)
        coef = float(est["paths"][j, i])
        se = float(est["paths_boot"][:, j, i].std(ddof=1)) if bootstrap else np.nan
        t = coef / se if bootstrap and se > 0 else np.nan
        path_rows.append({"from": a, "to": b, "coef": coef, "se": se, "t": t,
                          "total": float(est["total"][j, i])})
    paths = pd.DataFrame(path_rows)
    paths.insert(5, "p", t_two_sided_p(paths["t"].to_numpy(dtype=float), n - 1))  # t on n − 1 df, all paths at once
    items = pd.DataFrame({"construct": [plan.constructs[j] for j in owner], "code": [q.code for q in qs],
                          "text": [q.text or q.code for q in qs], "weight": est["weights"], "weight_share": share,
                          "loading": est["loadings"], "mean": data.mean(axis=0)})
    gof = pls.goodness_of_fit(model, est["loadings"], est["r2"])
    note = (f"PLS 路径模型（Mode A，{ {'centroid': '重心', 'factorial': '因子', 'path': '路径'}[scheme] }加权方案"
            f"{'，题目仅中心化（同一量表）' if one_scale else '，题目标准化'}），完整作答 {n} 份；"
            f"{'自助法 ' + str(bootstrap) + ' 次估计标准误' if bootstrap else '未做自助法'}。指数：{SCALE_TEXT['min0']}；"
            f"{SCALE_TEXT['acsi']}。权重为外部权重（折算到原始答案并归一）。")
    return SatModel(plan, constructs, paths, items, gof, n, scheme, not one_scale, bootstrap,
                    pd.DataFrame(scores, columns=plan.constructs), note)


def model_table(m: SatModel) -> list[list[Any]]:
    """The spilled KEHU_SATMODEL table: one row per construct (header row first)."""
    head = ["构念", "题数", "指数(0–100)", "ACSI口径", "R²", "AVE", "DG ρ", "α", "标准化α", f"对「{m.plan.outcome}」总效应"]
    body = [[r["construct"], r["items"], r["index"], r["index_acsi"], r["r2"], r["ave"], r["dg_rho"], r["alpha"],
             r["alpha_std"], r["total_effect"]] for r in m.constructs.to_dict("records")]
    return [head] + body + [["GoF", m.gof] + [None] * (len(head) - 2)]
