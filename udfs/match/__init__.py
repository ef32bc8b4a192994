"""Duplicate customers: blocking → comparison → scoring → clustering → explanation → merge.

Public entry points:
- `find_duplicates(df, roles, settings=None, *, duplicate=None, possible=None) -> DedupeResult`
- `find_in_master(incoming, incoming_roles, master, master_roles, settings=None) -> DataFrame`
- `pair_probability(df, roles, i, j) -> float`
- `merge_duplicates(df, roles, groups, keep="most_complete") -> MergeResult`
- `register_settings()`, `febrl_settings()`, `MatchSettings.from_json(text)`
"""
from udfs.match.engine import DedupeResult, find_duplicates, find_in_master, pair_probability
from udfs.match.merge import MergeResult, merge_duplicates
from udfs.match.settings import MatchSettings, febrl_settings, register_settings

__all__ = ["DedupeResult", "MatchSettings", "MergeResult", "febrl_settings", "find_duplicates", "find_in_master",
           "merge_duplicates", "pair_probability", "register_settings"]
