"""Product associations (pair rules A → B: support, confidence, lift) and per-customer cross-sell suggestions.

A basket is one customer's set of products over the whole history (cross-sell asks what else *this
customer* might buy, not what goes in one order). Counting is a sparse customer × product matrix product,
so a million order lines cost one pass.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def basket_matrix(customer_codes: Any, product: Any) -> tuple[np.ndarray, np.ndarray, list]:
    """(customer code, product) pairs → unique (customer, product code) pairs and the product names."""
    codes = np.asarray(customer_codes, dtype="int64")
    prod = pd.Series(product, dtype=object).where(lambda s: s.notna() & (s.astype(str).str.strip() != ""))
    pcodes, names = pd.factorize(prod.astype("string").str.strip())
    ok = (codes >= 0) & (pcodes >= 0)
    pairs = np.unique(codes[ok] * len(names) + pcodes[ok]) if len(names) else np.array([], dtype="int64")
    return pairs // max(len(names), 1), pairs % max(len(names), 1), list(names)


def pair_rules(customer_codes: Any, product: Any, *, min_support: float = 0.01, min_confidence: float = 0.0) -> pd.DataFrame:
    """Rules A → B over customers' baskets with support(A∪B) ≥ min_support.

    support = share of baskets with A and B; confidence = support(A∪B) / support(A);
    lift = confidence / support(B). Sorted by lift, then support.
    """
    cust, prod, names = basket_matrix(customer_codes, product)
    n_baskets = len(np.unique(cust))
    k = len(names)
    cols = ["前项", "后项", "同时购买客户数", "支持度", "置信度", "提升度", "前项支持度", "后项支持度"]
    if n_baskets == 0 or k < 2:
        return pd.DataFrame(columns=cols)
    from scipy.sparse import csr_matrix

    m = csr_matrix((np.ones(len(cust), dtype="float64"), (np.searchsorted(np.unique(cust), cust), prod)),
                   shape=(n_baskets, k))
    both = (m.T @ m).toarray()
    single = np.diag(both).copy()
    np.fill_diagonal(both, 0)
    a_idx, b_idx = np.nonzero(both >= min_support * n_baskets)
    n_ab = both[a_idx, b_idx]
    support = n_ab / n_baskets
    conf = n_ab / single[a_idx]
    lift = conf / (single[b_idx] / n_baskets)
    out = pd.DataFrame({"前项": [names[i] for i in a_idx], "后项": [names[i] for i in b_idx],
                        "同时购买客户数": n_ab.astype(int), "支持度": support, "置信度": conf, "提升度": lift,
                        "前项支持度": single[a_idx] / n_baskets, "后项支持度": single[b_idx] / n_baskets})
    out = out[out["置信度"] >= min_confidence]
    return out.sort_values(["提升度", "支持度"], ascending=False, kind="stable").reset_index(drop=True)


def cross_sell(customer_codes: Any, product: Any, rules: pd.DataFrame, *, min_lift: float = 1.2,
               per_customer: int = 3) -> pd.DataFrame:
    """Per customer: products B not yet bought, suggested by a rule A → B (A bought, lift ≥ min_lift).

    Ranked by the rule's lift; evidence: the rule's A, lift, confidence and how many customers bought A and B.
    Returns 客户代码 (the customer code), 推荐产品, 依据产品, 提升度, 置信度, 同时购买客户数, 排名.
    """
    cols = ["客户代码", "推荐产品", "依据产品", "提升度", "置信度", "同时购买客户数", "排名"]
    good = rules[rules["提升度"] >= min_lift]
    if good.empty:
        return pd.DataFrame(columns=cols)
    cust, prod, names = basket_matrix(customer_codes, product)
    owned = pd.DataFrame({"客户代码": cust, "依据产品": [names[i] for i in prod]})
    cand = owned.merge(good.rename(columns={"前项": "依据产品", "后项": "推荐产品"}), on="依据产品")
    have = pd.Series(True, index=pd.MultiIndex.from_arrays([cust, [names[i] for i in prod]]))
    bought = have.reindex(pd.MultiIndex.from_arrays([cand["客户代码"], cand["推荐产品"]])).notna().to_numpy()
    cand = cand[~bought]
    cand = cand.sort_values(["客户代码", "提升度", "同时购买客户数"], ascending=[True, False, False], kind="stable")
    cand = cand.drop_duplicates(["客户代码", "推荐产品"])
    cand["排名"] = cand.groupby("客户代码").cumcount() + 1
    return cand[cand["排名"] <= per_customer][cols].reset_index(drop=True)
