"""`python -m coach.results.report`: the progress table, the CSV, and the empty/missing store cases."""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from coach.results.report import display_width, format_table, main, short_objection, write_csv
from coach.results.store import DrillResult, ProgressRow, ResultsStore
from coach.settings import PROJECT_ROOT

T0 = 1_714_550_400.0  # 2024-05-01 08:00:00 UTC


def result(result_id: str, rep_id: str, objection: str, score: int, passed: bool,
           minutes: int) -> DrillResult:
    return DrillResult(result_id=result_id, rep_id=rep_id, drill_id="d1", objection=objection, difficulty=1,
                       score=score, passed=passed, outcome="goal" if passed else "out_of_turns",
                       truth_uncovered=passed, moves=[["acknowledge"]],
                       transcript=[{"turn": 1, "speaker": "customer", "text": "太貴了"}],
                       started_at=T0 + minutes * 60 - 120, finished_at=T0 + minutes * 60)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "results.db"
    with ResultsStore(path) as store:
        store.add(result("a1", "alice", "objection_price", 40, False, 1))
        store.add(result("a2", "alice", "objection_price", 85, True, 2))
        store.add(result("a3", "alice", "objection_price", 72, True, 3))
        store.add(result("a4", "alice", "objection_no_money", 66, True, 4))
        store.add(result("b1", "bob", "objection_price", 30, False, 5))
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
    with target.open(encoding="utf-8", newline="") as handle:
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
    with path.open(encoding="utf-8", newline="") as handle:
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
    assert target.read_text(encoding="utf-8").splitlines()[0].startswith("rep_id,objection,attempts")

    missing = subprocess.run([*report, "--db", str(tmp_path / "missing.db")],
                             cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2
    assert not (tmp_path / "missing.db").exists()
