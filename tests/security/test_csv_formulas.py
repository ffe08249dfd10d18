"""Finding 6: a rep whose id or name is a spreadsheet formula must not become a live formula in an export.

Reproduced as the finding did it: the id is stored with a drill result (a REST sender id can be any
text) and `make report CSV=out.csv` (python -m coach.results.report) writes the export; the desk's
team export carries the person's name the same way.
"""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from coach.content.library import default_library
from coach.people.store import PeopleStore
from coach.practice.assignments import AssignmentStore
from coach.results.store import ResultsStore
from coach.server.channels import desk_plans
from coach.server.channels.desk_data import Sources
from coach.settings import PROJECT_ROOT
from tests.unit.results.test_store import result

FORMULAS = ['=HYPERLINK("http://x.example","open")', "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]


def _cells(path: Path) -> list:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


@pytest.mark.parametrize("by", ["rep", "drill"])
def test_make_report_csv_never_writes_a_live_formula(tmp_path: Path, by: str) -> None:
    db, out = tmp_path / "results.db", tmp_path / "out.csv"
    with ResultsStore(db) as store:
        for n, formula in enumerate(FORMULAS):
            store.add(result(f"r{n}", rep_id=formula, drill_id=formula if by == "drill" else "price_basic"))
    done = subprocess.run([sys.executable, "-m", "coach.results.report", "--db", str(db), "--by", by,
                           "--csv", str(out)], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    cells = _cells(out)
    assert [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")] == []
    shown = {c[1:] for c in cells if c.startswith("'")}
    assert set(FORMULAS) <= shown if by == "rep" else FORMULAS[0] in shown


def test_the_desks_team_export_escapes_a_formula_name_and_team(tmp_path: Path) -> None:
    db = tmp_path / "results.db"
    with PeopleStore(db) as people, AssignmentStore(db) as plans, ResultsStore(db) as results:
        rep, _ = people.invite(FORMULAS[0], team="=cmd|' /C calc'!A0")
        results.add(result("r1", rep_id=rep.person_id))
        sources = Sources(lambda: people, results.results, lambda: default_library(), lambda: plans)
        text = desk_plans.export(sources, "team", None, "en")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [(r["name"], r["team"]) for r in rows] == [("'" + FORMULAS[0], "'=cmd|' /C calc'!A0")]
