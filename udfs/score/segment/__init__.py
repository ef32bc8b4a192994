"""RFM scoring, named segments, the four customer types, ABC value tiers and follow-up dates."""
from .customer_types import DEFAULT_CHURN_DAYS, customer_types
from .followup import FollowupPolicy, add_months, next_followup, status_kind
from .orders import aggregate_orders, join_orders
from .pipeline import ADDED_COLUMNS, SegmentRun, SegmentSettings, segment_customers
from .rfm import RfmMethod, quantile_breaks, recency_days, rfm_scores, score_by_breaks
from .segments import SegmentRules, assign_segments, default_rules, load_rules, rules_from_table
from .summary import SegmentSummary, summarise
from .tiers import DEFAULT_SHARES, value_tiers
from ._values import analysis_date, customer_keys, to_amounts, to_dates  # the public names of the value readers

__all__ = [
    "ADDED_COLUMNS", "DEFAULT_CHURN_DAYS", "analysis_date", "customer_keys", "to_amounts", "to_dates", "DEFAULT_SHARES", "FollowupPolicy", "RfmMethod", "SegmentRules",
    "SegmentRun", "SegmentSettings", "SegmentSummary", "add_months", "aggregate_orders", "assign_segments",
    "customer_types", "default_rules", "join_orders", "load_rules", "next_followup", "quantile_breaks",
    "recency_days", "rfm_scores", "rules_from_table", "score_by_breaks", "segment_customers", "status_kind",
    "summarise", "value_tiers",
]
