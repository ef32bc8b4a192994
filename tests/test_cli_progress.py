"""Progress: the phases that know their size report done / total (cleaning by column, matching by stage, writing by rows);
--quiet and --json print nothing but their results."""
from __future__ import annotations

import json

from udfs.progress import advance, reporting


def test_advance_reaches_only_the_listener_of_its_run():
    seen = []
    advance(1, 2)   # nobody listens: nothing happens
    with reporting(lambda done, total, unit: seen.append((done, total, unit))):
        advance(1, 4)
        advance(0, 0)   # a step of unknown size says nothing
    advance(3, 4)
    assert seen == [(1, 4, "行 rows")]


def test_cleaning_and_writing_report_columns_and_rows_to_the_end(sample_register, tmp_path):
    from addin.commands.clean import run_clean

    seen = []
    with reporting(lambda done, total, unit: seen.append((done, total, unit))):
        run_clean(sample_register, tmp_path / "out.xlsx")
    columns = [(d, t) for d, t, u in seen if u == "列 columns"]
    rows = [(d, t) for d, t, u in seen if u == "行 rows"]
    assert columns and columns[-1][0] == columns[-1][1] and all(d <= t for d, t in columns)
    assert rows and rows[-1] == (60, 60)   # the sample's 60 records, all written
    assert [d for d, _ in rows] == sorted(d for d, _ in rows)


def test_json_and_quiet_print_only_their_results(cli, sample_register, tmp_path):
    code, stdout, stderr = cli("clean", sample_register, "-o", tmp_path / "a.xlsx", "--json")
    assert code == 0 and json.loads(stdout)["output"].endswith("a.xlsx") and stderr == ""
    code, stdout, stderr = cli("clean", sample_register, "-o", tmp_path / "b.xlsx", "-q")
    assert code == 0 and stderr == "" and "b.xlsx" in stdout


def test_matching_reports_its_stages_to_the_end(sample_register, tmp_path):
    from addin.commands.dedupe import run_dedupe
    from udfs.match.engine import MATCH_STAGES

    seen = []
    with reporting(lambda done, total, unit: seen.append((done, total, unit))):
        run_dedupe(sample_register, tmp_path / "out.xlsx", quiet=True)
    stages = [d for d, t, u in seen if u == "步 stages" and t == MATCH_STAGES]
    assert stages == list(range(1, MATCH_STAGES + 1))   # each stage once, in order, the last one complete
    assert [d for d, t, u in seen if u == "行 rows"][-1] == 60   # then the 60 records written
