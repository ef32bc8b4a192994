"""English person registers (Febrl) through the plain CLI path: headers recognised, Febrl comparisons chosen."""
from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pandas as pd

from addin.commands.dedupe import run_dedupe
from udfs.recognise.roles import recognise_columns

DATA = Path(__file__).resolve().parent / "data" / "febrl"


def test_febrl_headers_are_recognised():
    df = pd.read_csv(DATA / "dataset1.csv", dtype=str, skipinitialspace=True, nrows=50)
    df.columns = [c.strip() for c in df.columns]
    roles = recognise_columns(df)
    assert roles["given_name"] == "given_name" and roles["surname"] == "surname"
    assert roles["street_number"] == "street_number" and roles["address_2"] == "address_2"
    assert roles["suburb"] == "suburb" and roles["postcode"] == "postcode" and roles["soc_sec_id"] == "soc_sec_id"
    assert roles["date_of_birth"] == "birth_date" and roles["address_1"] == "address"


def test_plain_dedupe_on_febrl1_reaches_f1_0995(tmp_path):
    src = tmp_path / "dataset1.csv"
    shutil.copy(DATA / "dataset1.csv", src)
    summary = run_dedupe(src, tmp_path / "out.xlsx", quiet=True)  # no --map, no --settings
    sheet = pd.read_excel(tmp_path / "out.xlsx", sheet_name=0, dtype=object, engine="openpyxl")
    sheet.columns = [str(c).strip() for c in sheet.columns]
    entity = sheet["rec_id"].astype(str).str.extract(r"rec-(\d+)-")[0].tolist()
    group = pd.to_numeric(sheet["重复组"], errors="coerce").tolist()
    # pairs written out one by one (the engine's own scoring is not used)
    truth = {p for _e, rows in pd.Series(range(len(entity))).groupby(entity) for p in itertools.combinations(rows, 2)}
    found = {p for g, rows in pd.Series(range(len(group))).groupby(group) if g == g
             for p in itertools.combinations(rows, 2)}
    tp = len(truth & found)
    precision, recall = tp / len(found), tp / len(truth)
    assert summary["records"] == 1000 and len(truth) == 500
    assert 2 * precision * recall / (precision + recall) >= 0.995
