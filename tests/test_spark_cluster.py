"""The cannot-link split of addin/spark/cluster.py, run over a bucket of many components at once, gives
each component the groups it gets alone, and the local engine's groups (udfs.match.cluster.cluster_pairs on
the whole table). Plain pandas: the splitter is the function Spark calls per bucket, so no Spark is needed.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks.chinese_register import generate_register
from udfs.match.blocking import candidate_pairs
from udfs.match.cluster import MAX_COMPLETED_COMPONENT, cluster_pairs, components
from udfs.match.compare import compare_pairs
from udfs.match.engine import default_settings
from udfs.match.prepare import build_keys
from udfs.match.scoring import DUPLICATE, estimate_u, score_pairs
from udfs.recognise.roles import recognise_columns
from addin.spark.blocking import A, B
from addin.spark.cluster import LABEL, _splitter
from addin.spark.pair_keys import COUNT, tf_keys
from addin.spark.rows import ROW


#: chains of one name: A and C have different ID numbers (two people), B has A's mobile and C's e-mail
CHAINS = [("张伟", "13300001111", "18900002222", "110101198001011234", "110101199202021236"),
          ("李娜", "13500003333", "18600004444", "310101198503031238", "310101199004041231"),
          ("王芳", "13700005555", "18800006666", "440101197806061235", "440101198807071232")]


def _chain_rows() -> pd.DataFrame:
    rows = []
    for i, (name, mobile_a, mobile_c, id_a, id_c) in enumerate(CHAINS):
        mail_a, mail_c = f"chain{i}a@163.com", f"chain{i}c@qq.com"
        rows += [{"姓名": name, "手机": mobile_a, "身份证号": id_a, "邮箱": mail_a, "城市": "北京市"},
                 {"姓名": name, "手机": mobile_a, "邮箱": mail_c, "城市": "北京市"},
                 {"姓名": name, "手机": mobile_c, "身份证号": id_c, "邮箱": mail_c, "城市": "北京市"}]
    return pd.DataFrame(rows)


def _scored_register():
    df, _truth = generate_register(3000, seed=31)  # a seed no matcher test tunes on
    df = pd.concat([df.astype(str).where(df.notna(), None), _chain_rows()], ignore_index=True)
    df = df.astype(object).where(df.notna(), None)
    roles = recognise_columns(df)
    settings = default_settings(roles).restricted_to(roles.values())
    keys = build_keys(df, roles, settings)
    settings.u = estimate_u(keys, settings)
    a, b = candidate_pairs(keys, settings.blocking)
    scores = score_pairs(keys, a, b, compare_pairs(keys, a, b, settings.comparisons), settings)
    return keys, settings, a, b, scores


def _components_to_split(a, b, scores, n):
    """(label, size) per row of the 重复 graph, as the Spark stage sees them before the split."""
    dup = scores.verdict == DUPLICATE
    label = components(n, a[dup], b[dup])
    size = np.bincount(label, minlength=n)[label]
    return label, size


def test_a_bucket_of_components_splits_as_each_component_alone_and_as_the_local_engine():
    keys, settings, a, b, scores = _scored_register()
    n = len(keys)
    label, size = _components_to_split(a, b, scores, n)
    rows = np.flatnonzero((size >= 3) & (size <= MAX_COMPLETED_COMPONENT))
    names = list(keys.frame.columns)
    tf = tf_keys(settings)
    present = {k: keys.present(k) for k in tf}
    members = keys.frame.iloc[rows].reset_index(drop=True).assign(**{ROW: rows, LABEL: label[rows]})
    for k in tf:
        members[COUNT + k] = keys.counts(k)[rows]
    inside = (label[a] == label[b]) & np.isin(a, rows)
    pairs = pd.DataFrame({A: a[inside], B: b[inside], "probability": scores.probability[inside],
                          "verdict": scores.verdict[inside], "vetoed": scores.vetoed[inside], LABEL: label[a][inside]})
    split = _splitter(names, settings, n, present)

    # shuffled, as a Spark bucket may hold them
    together = split(members.sample(frac=1, random_state=1), pairs.sample(frac=1, random_state=2))
    together = together.sort_values(ROW).reset_index(drop=True)
    alone = pd.concat([split(members[members[LABEL] == g], pairs[pairs[LABEL] == g])
                       for g in np.unique(label[rows])]).sort_values(ROW).reset_index(drop=True)
    pd.testing.assert_frame_equal(together, alone)

    # the local engine on the whole table: same rows together (labels = first row of each local group)
    dup = scores.verdict == DUPLICATE
    cannot = scores.vetoed | (scores.probability < settings.cannot_link_probability)

    def score_more(x, y):
        extra = score_pairs(keys, x, y, compare_pairs(keys, x, y, settings.comparisons), settings)
        return extra.vetoed | (extra.probability < settings.cannot_link_probability)

    local = cluster_pairs(n, a, b, scores.probability, dup, cannot, score_more)[rows]
    first = pd.Series(rows).groupby(local).transform("min").to_numpy()
    np.testing.assert_array_equal(together[LABEL].to_numpy(), np.where(local > 0, first, rows))
    # the data really holds components that the split changes, and several of them
    assert len(np.unique(label[rows])) > 20
    assert (together[LABEL].to_numpy() != label[rows]).sum() > 0
