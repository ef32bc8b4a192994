"""The general-purpose reference: splink (DuckDB back end) on the same data, trained the way its tutorials do.

Optional: `pip install kehu[bench]` (splink is never a run-time dependency of kehu). The register gets a
plain, kehu-independent normalisation (simplified name, digits of the mobile, lower-case e-mail, ISO birth
date) so splink is not handicapped by cell formats; its comparisons are the library's standard ones.
"""
from __future__ import annotations

import re
import time

import numpy as np
import pandas as pd


def available() -> bool:
    try:
        import splink  # noqa: F401
        return True
    except ImportError:
        return False


def _digits(v) -> str | None:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    d = re.sub(r"\D", "", str(v).replace(".0", "") if str(v).endswith(".0") else str(v))
    return d[-11:] if len(d) >= 11 else None


def _prepare_register(register: pd.DataFrame) -> pd.DataFrame:
    import zhconv

    def text(v):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        t = zhconv.convert(str(v).replace("\u3000", " ").strip(), "zh-cn").lower()
        return t or None

    birth = pd.to_datetime(register["出生日期"].map(lambda v: str(v) if v is not None else None), errors="coerce",
                           format="mixed")
    return pd.DataFrame({
        "unique_id": np.arange(len(register)),
        "name": register["姓名"].map(text),
        "mobile": register["手机"].map(_digits),
        "email": register["邮箱"].map(text),
        "id_number": register["身份证号"].map(text),
        "birth": birth.dt.strftime("%Y-%m-%d").where(birth.notna(), None),
        "city": register["城市"].map(lambda v: (text(v) or "").rstrip("市") or None),
        "company": register["公司名称"].map(text),
        "address": register["地址"].map(text),
    })


def splink_groups(records: pd.DataFrame, comparisons: list, blocking: list, deterministic: list,
                  threshold: float = 0.9) -> tuple[np.ndarray, float]:
    """Cluster id per row (0 = alone) and seconds, for a Linker trained with u sampling + EM."""
    from splink import DuckDBAPI, Linker, SettingsCreator

    t = time.perf_counter()
    settings = SettingsCreator(link_type="dedupe_only", comparisons=comparisons,
                               blocking_rules_to_generate_predictions=blocking, retain_intermediate_calculation_columns=False)
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(records), settings, log_level=40)  # splink 5: register the table first
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    for rule in blocking[:2]:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold).as_pandas_dataframe()
    seconds = time.perf_counter() - t
    cid = clusters.set_index("unique_id")["cluster_id"].reindex(records["unique_id"]).to_numpy()
    sizes = pd.Series(cid).map(pd.Series(cid).value_counts()).to_numpy()
    codes = pd.factorize(cid)[0] + 1
    return np.where(sizes > 1, codes, 0), seconds


def register_groups(register: pd.DataFrame) -> tuple[np.ndarray, float]:
    import splink.comparison_library as cl
    from splink import block_on

    records = _prepare_register(register)
    comparisons = [cl.LevenshteinAtThresholds("name", [1, 2]).configure(term_frequency_adjustments=True),
                   cl.ExactMatch("mobile").configure(term_frequency_adjustments=True), cl.ExactMatch("email"),
                   cl.ExactMatch("id_number"), cl.ExactMatch("birth"), cl.ExactMatch("city"),
                   cl.JaroWinklerAtThresholds("company", [0.9]), cl.LevenshteinAtThresholds("address", [3])]
    blocking = [block_on("mobile"), block_on("email"), block_on("id_number"), block_on("name", "city"),
                block_on("birth")]
    deterministic = [block_on("mobile", "name"), block_on("email"), block_on("id_number")]
    return splink_groups(records, comparisons, blocking, deterministic)


def febrl_groups(df: pd.DataFrame) -> tuple[np.ndarray, float]:
    import splink.comparison_library as cl
    from splink import block_on

    records = df.copy()
    records.insert(0, "unique_id", np.arange(len(records)))
    comparisons = [cl.NameComparison("given_name"), cl.NameComparison("surname"),
                   cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
                   cl.LevenshteinAtThresholds("soc_sec_id", [2]), cl.ExactMatch("street_number"),
                   cl.LevenshteinAtThresholds("address_1", [2]), cl.ExactMatch("suburb"), cl.ExactMatch("postcode")]
    blocking = [block_on("soc_sec_id"), block_on("given_name", "surname"), block_on("date_of_birth"),
                block_on("postcode", "street_number")]
    deterministic = [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")]
    return splink_groups(records, comparisons, blocking, deterministic)
