"""Without rapidfuzz (xlwings Lite / Pyodide), the engine picks the pure-Python metrics and finds the same groups."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.bench_dedupe import load_febrl
from benchmarks.chinese_register import ROLES, generate_register
from udfs.match.engine import find_duplicates

ROOT = Path(__file__).resolve().parents[1]

BLOCKED = r'''
import json, sys
sys.modules["rapidfuzz"] = None          # `import rapidfuzz` now raises ImportError, as in Pyodide
sys.path.insert(0, {root!r})
from benchmarks.bench_dedupe import load_febrl
from benchmarks.chinese_register import ROLES, generate_register
from udfs.match import similarity
from udfs.match.engine import find_duplicates
out = {{"backend": similarity.backend_name()}}
df, _ = load_febrl(1)
out["febrl1"] = find_duplicates(df, {{c: c for c in df.columns}}).rows["重复组"].tolist()
reg, _ = generate_register(1500, seed=3)
out["chinese"] = find_duplicates(reg, ROLES).rows["重复组"].tolist()
print(json.dumps(out, default=lambda v: None if v != v else v))
'''


def _canonical(groups) -> list[frozenset]:
    """Group ids differ between runs only by numbering: compare the sets of rows instead."""
    series = pd.Series(groups, dtype=object)
    return sorted((frozenset(np.flatnonzero(series.eq(g).to_numpy())) for g in series.dropna().unique()),
                  key=sorted)


def test_same_groups_with_rapidfuzz_blocked():
    proc = subprocess.run([sys.executable, "-c", BLOCKED.format(root=str(ROOT))], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    blocked = json.loads(proc.stdout.strip().splitlines()[-1])
    assert blocked["backend"] == "python"            # chosen automatically, nobody called set_backend
    df, _ = load_febrl(1)
    with_rf = find_duplicates(df, {c: c for c in df.columns}).rows["重复组"].tolist()
    assert _canonical(blocked["febrl1"]) == _canonical(with_rf)
    assert len(_canonical(with_rf)) > 400          # Febrl 1 has 500 duplicate pairs: the test compares real work
    reg, _ = generate_register(1500, seed=3)
    assert _canonical(blocked["chinese"]) == _canonical(find_duplicates(reg, ROLES).rows["重复组"].tolist())
