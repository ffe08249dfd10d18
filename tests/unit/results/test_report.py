"""`python -m coach.results.report`: the progress table, the CSV, and the empty/missing store cases."""
from __future__ import annotations

import csv
import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from coach.practice.schedule import progress_rows
from coach.results.report import (
    DRILL_COLUMNS,
    display_width,
    drill_table,
    format_table,
    main,
    replied,
    short_objection,
    write_csv,
)
from coach.results.store import DrillResult, ProgressRow, ResultsStore
from coach.settings import PROJECT_ROOT
from tests.unit.practice.attempts import attempt
from tests.unit.service.conftest import ALL

T0 = 1_714_550_400.0  # 2024-05-01 08:00:00 UTC


def result(result_id: str, rep_id: str, objection: str, score: int, passed: bool,
           minutes: int, **changes: object) -> DrillResult:
    base = DrillResult(result_id=result_id, rep_id=rep_id, drill_id="d1", objection=objection, difficulty=1,
                       score=score, passed=passed, outcome="goal" if passed else "out_of_turns",
                       truth_uncovered=passed, moves=[["acknowledge"]],
                       transcript=[{"turn": 0, "speaker": "customer", "text": "太貴了"},
                                   {"turn": 1, "speaker": "rep", "text": "我明白"}],
                       started_at=T0 + minutes * 60 - 120, finished_at=T0 + minutes * 60)
    return dataclasses.replace(base, **changes)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "results.db"
    with ResultsStore(path) as store:
        store.add(result("a1", "alice", "objection_price", 40, False, 1))
        store.add(result("a2", "alice", "objection_price", 85, True, 2))
        store.add(result("a3", "alice", "objection_price", 72, True, 3))
        store.add(result("a4", "alice", "objection_no_money", 66, True, 4))
        store.add(result("b1", "bob", "objection_price", 30, False, 5))
        # An attempt without a rep reply, as older databases hold them: never in a report.
        store.add(result("b0", "bob", "objection_no_money", 0, False, 6, moves=[],
                         transcript=[{"turn": 0, "speaker": "customer", "text": "没钱"}]))
    return path


def lines_for(output: str, rep: str) -> list:
    return [line.split() for line in output.splitlines() if line.startswith(rep)]


def test_table_shows_progress_per_rep_and_objection(db: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["--db", str(db)]) == 0
    out = capsys.readouterr().out
    header = ["rep", "objection", "attempts", "first", "best", "latest", "passed"]
    assert out.splitlines()[0].split()[:7] == header
    # no_money sorts before price (objection_n < objection_p); last drill time in UTC
    assert lines_for(out, "alice") == [
        ["alice", "no_money", "1", "66", "66", "66", "1", "2024-05-01", "08:04"],
        ["alice", "price", "3", "40", "85", "72", "2", "2024-05-01", "08:03"],
    ]
    assert lines_for(out, "bob") == [["bob", "price", "1", "30", "30", "30", "0", "2024-05-01", "08:05"]]
    assert "objection_" not in out


def test_rep_filter(db: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["--db", str(db), "--rep", "bob"]) == 0
    out = capsys.readouterr().out
    assert lines_for(out, "bob") and not lines_for(out, "alice")


def test_csv_is_written_and_announced(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    target = tmp_path / "out" / "progress.csv"
    assert main(["--db", str(db), "--csv", str(target)]) == 0
    assert f"to {target}" in capsys.readouterr().out
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["rep_id", "objection", "attempts", "first_score", "best_score", "latest_score", "passed", "last_at"],
        ["alice", "no_money", "1", "66", "66", "66", "1", "2024-05-01T08:04:00Z"],
        ["alice", "price", "3", "40", "85", "72", "2", "2024-05-01T08:03:00Z"],
        ["bob", "price", "1", "30", "30", "30", "0", "2024-05-01T08:05:00Z"],
    ]


def test_csv_keeps_commas_quotes_and_chinese(tmp_path: Path) -> None:
    rep = '王, "小明"'
    path = write_csv([ProgressRow(rep, "objection_price", 2, 10, 20, 20, 1, T0)], tmp_path / "p.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][:2] == [rep, "price"]


def test_empty_store_says_so(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "empty.db"
    ResultsStore(path).close()
    assert main(["--db", str(path)]) == 0
    assert capsys.readouterr().out.strip() == f"No finished drills yet in {path}."


def test_unknown_rep_says_so(db: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["--db", str(db), "--rep", "carol"]) == 0
    assert "No finished drills yet for rep 'carol'" in capsys.readouterr().out


def test_missing_db_exits_2_without_creating_it(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "nope" / "results.db"
    assert main(["--db", str(path)]) == 2
    assert str(path) in capsys.readouterr().err
    assert not path.exists() and not path.parent.exists()


def test_missing_default_db_means_no_drills_yet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "results.db"
    monkeypatch.setenv("COACH_RESULTS_DB", str(path))
    assert main([]) == 0
    assert f"No finished drills yet in {path}." in capsys.readouterr().out
    assert not path.exists()


def test_non_sqlite_db_is_an_error_not_a_crash(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "results.db"
    path.write_text("hello", encoding="utf-8")
    assert main(["--db", str(path)]) == 2
    assert "not a SQLite database" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "hello"


def test_columns_align_with_wide_characters() -> None:
    rows = [ProgressRow("王小明", "objection_price", 3, 40, 85, 72, 2, T0),
            ProgressRow("bob", "objection_past_failure", 12, 5, 100, 100, 10, T0),
            ProgressRow("ｅｍｉ", "objection_price", 1, 9, 9, 9, 0, T0)]  # fullwidth letters
    lines = format_table(rows).splitlines()
    assert len(lines) == 5
    # Every column boundary sits at the same display column on every line.
    widths = {display_width(line) for line in lines}
    assert len(widths) == 1, lines
    objection_at = display_width(lines[0][:lines[0].index("objection")])
    for line, short in zip(lines[2:], ("price", "past_failure", "price"), strict=True):
        assert display_width(line[:line.index(short)]) == objection_at, line


def test_display_width_counts_cjk_double() -> None:
    assert display_width("abc") == 3
    assert display_width("王小明") == 6
    assert display_width("ｅ") == 2
    assert display_width("e\u0301") == 1  # combining accent takes no column


def test_control_characters_cannot_break_the_table() -> None:
    table = format_table([ProgressRow("evil\nrep\t", "objection_price", 1, 1, 1, 1, 0, T0)])
    assert len(table.splitlines()) == 3
    assert "evil\\nrep\\t" in table


def test_short_objection() -> None:
    assert short_objection("objection_price") == "price"
    assert short_objection("objection_supplier_relationship") == "supplier_relationship"
    assert short_objection("greet") == "greet"


def test_module_runs_from_the_command_line(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "cli.csv"
    python = PROJECT_ROOT / ".venv" / "bin" / "python"
    report = [str(python if python.exists() else sys.executable), "-m", "coach.results.report"]
    done = subprocess.run([*report, "--db", str(db), "--csv", str(target)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    bob = ["bob", "price", "1", "30", "30", "30", "0", "2024-05-01", "08:05"]
    assert bob in lines_for(done.stdout, "bob")
    assert target.read_text(encoding="utf-8-sig").splitlines()[0].startswith("rep_id,objection,attempts")

    missing = subprocess.run([*report, "--db", str(tmp_path / "missing.db")],
                             cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2
    assert not (tmp_path / "missing.db").exists()


# --- attempts without a reply, per drill, formula cells ---------------------------------------------

def test_attempts_without_a_rep_reply_are_left_out(db: Path, capsys: pytest.CaptureFixture) -> None:
    assert not replied(result("x", "bob", "objection_price", 0, False, 1, moves=[]))
    assert not replied(result("y", "bob", "objection_price", 0, False, 1,
                              transcript=[{"turn": 0, "speaker": "customer", "text": "没钱"}]))
    assert main(["--db", str(db), "--rep", "bob"]) == 0
    assert [line[1] for line in lines_for(capsys.readouterr().out, "bob")] == ["price"]  # no no_money row


def test_the_sql_progress_and_the_python_one_agree(tmp_path: Path) -> None:
    attempts = [attempt("a1", score=40, day=0), attempt("a2", score=85, day=1),
                attempt("a3", drill_id="policy_needs", score=72, day=2),
                attempt("e", score=0, day=3, turns=0),
                attempt("b1", rep_id="rep-li", score=66, day=1)]
    with ResultsStore(tmp_path / "r.db") as store:
        for one in attempts:
            store.add(one)
        assert store.progress() == progress_rows(attempts)
        assert store.progress("rep-wang") == progress_rows([a for a in attempts if a.rep_id == "rep-wang"])


@pytest.fixture
def drills_db(tmp_path: Path) -> Path:
    path = tmp_path / "drills.db"
    with ResultsStore(path) as store:
        for n in range(5):
            store.add(attempt(f"m{n}", drill_id="price_margin", score=30 + n, passed=False, day=n))
        store.add(attempt("c1", drill_id="price_comparable", score=90, day=1, detailed=False))
        store.add(attempt("gone", drill_id="=HYPERLINK(\"http://x\")", score=75, day=2))
        store.add(attempt("empty", drill_id="policy_needs", score=0, day=3, turns=0))
    return path


def test_by_drill_one_row_per_drill_with_flags(drills_db: Path) -> None:
    with ResultsStore(drills_db) as store:
        rows = {row["drill_id"]: row for row in drill_table(store.results(), ALL, "en")}
    margin = rows["price_margin"]
    assert margin == {"drill_id": "price_margin", "title": margin["title"], "objection": "objection_price",
                      "difficulty": 1, "attempts": 5, "pass_rate": 0.0, "avg_score": 32.0, "truth_rate": 0.0,
                      "avg_turns": 3.0, "top_penalty": "concession", "flag": "too_hard"}
    assert margin["title"] and not any("\u4e00" <= ch <= "\u9fff" for ch in margin["title"])  # English
    assert rows["price_comparable"]["top_penalty"] is None  # stored before per-turn penalties
    assert rows["price_comparable"]["flag"] is None  # one attempt says nothing
    assert rows["policy_needs"]["attempts"] == 0 and rows["policy_needs"]["pass_rate"] is None
    assert list(rows)[-1] == '=HYPERLINK("http://x")'  # no longer in the library, still reported
    assert set(margin) == set(DRILL_COLUMNS)


def test_too_easy_needs_a_pass_rate_over_90_percent() -> None:
    easy = [attempt(f"e{n}", drill_id="price_margin", score=95, day=n) for n in range(10)]
    row = next(r for r in drill_table(easy, ALL) if r["drill_id"] == "price_margin")
    assert row["flag"] == "too_easy" and row["pass_rate"] == 1.0
    nine = easy[:9] + [attempt("f", drill_id="price_margin", score=20, day=20)]
    assert next(r for r in drill_table(nine, ALL) if r["drill_id"] == "price_margin")["flag"] is None


def test_by_drill_prints_a_table_and_writes_escaped_csv(drills_db: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture) -> None:
    target = tmp_path / "drills.csv"
    assert main(["--db", str(drills_db), "--by", "drill", "--lang", "en", "--csv", str(target)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == list(DRILL_COLUMNS)
    margin = next(line for line in out.splitlines() if line.startswith("price_margin"))
    assert "0%" in margin and "too_hard" in margin and "concession" in margin
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(ALL) + 1
    assert rows[-1]["drill_id"] == "'=HYPERLINK(\"http://x\")"  # a spreadsheet shows it, never runs it
    assert next(r for r in rows if r["drill_id"] == "price_margin")["pass_rate"] == "0.0"


def test_progress_csv_escapes_formula_rep_ids(tmp_path: Path) -> None:
    path = write_csv([ProgressRow("=1+2", "objection_price", 1, 5, 5, 5, 0, T0),
                      ProgressRow("@SUM(A1)", "objection_price", 1, 5, 5, 5, 0, T0)], tmp_path / "p.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [row[0] for row in rows[1:]] == ["'=1+2", "'@SUM(A1)"]


def test_by_drill_with_nothing_replied_says_so(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "empty.db"
    with ResultsStore(path) as store:
        store.add(attempt("e", score=0, turns=0))
    assert main(["--db", str(path), "--by", "drill"]) == 0
    assert capsys.readouterr().out.strip() == f"No finished drills yet in {path}."
