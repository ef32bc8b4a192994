"""Recognise columns: which role (mobile, name, survey item …) each column of a table plays."""
from .aliases import ROLE_SETS, role_label
from .roles import ColumnRole, fold_header, parse_role, recognise, recognise_columns, role_from_header

__all__ = ["ROLE_SETS", "ColumnRole", "fold_header", "parse_role", "recognise", "recognise_columns",
           "role_from_header", "role_label"]
