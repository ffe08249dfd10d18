"""The drill results store: roundtrip, exactly-once, progress, hostile text, threads, a killed writer,
backends by URL.

The PostgreSQL backend against a real server: tests/scale/ (run by `make scale-test`)."""
from __future__ import annotations

import dataclasses
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from coach.errors import ResultsStoreError
from coach.results import backends
from coach.results.backends import PostgresBackend, SQLiteBackend, backend_for, register_backend
from coach.results.backends.base import Backend, redact
from coach.results.store import DrillResult, ProgressRow, ResultsStore, default_path, default_store
from coach.settings import PATH_SCHEME, PROJECT_ROOT, is_url, url_scheme
from tests.conftest import in_threads

T0 = 1_714_550_400.0  # 2024-05-01 08:00 UTC


def result(result_id: str = "r1", rep_id: str = "alice", objection: str = "objection_price", score: int = 70,
           passed: bool = True, finished_at: float = T0 + 300, **changes: object) -> DrillResult:
    base = DrillResult(
        result_id=result_id, rep_id=rep_id, drill_id="price_basic", objection=objection, difficulty=2,
        score=score, passed=passed, outcome="goal", truth_uncovered=True,
        moves=[["acknowledge"], ["probe", "compare"]],
        transcript=[{"turn": 1, "speaker": "customer", "text": "你們的價格太貴了。"},
                    {"turn": 1, "speaker": "rep", "text": "我明白，請問您是跟哪一家比較？"}],
        started_at=finished_at - 240, finished_at=finished_at)
    return dataclasses.replace(base, **changes)


@pytest.fixture
def store(tmp_path: Path):
    s = ResultsStore(tmp_path / "state" / "results.db")
    yield s
    s.close()


def test_roundtrip_keeps_every_field_including_chinese(store: ResultsStore) -> None:
    original = result()
    assert store.add(original) is True
    assert store.results() == [original]
    back = store.results()[0]
    assert back.transcript[1]["text"] == "我明白，請問您是跟哪一家比較？"
    assert back.moves == [["acknowledge"], ["probe", "compare"]]
    assert back.passed is True and back.truth_uncovered is True


def test_json_is_stored_as_readable_utf8(store: ResultsStore) -> None:
    store.add(result())
    conn = sqlite3.connect(store.path)
    try:
        transcript = conn.execute("SELECT transcript FROM results").fetchone()[0]
    finally:
        conn.close()
    assert "你們的價格太貴了" in transcript  # ensure_ascii=False, not \\u escapes


def test_adding_the_same_result_twice_stores_it_once(store: ResultsStore) -> None:
    assert store.add(result("same")) is True
    assert store.add(result("same")) is False
    # A retry carrying different figures must not overwrite or duplicate the first store.
    assert store.add(result("same", score=10)) is False
    assert store.count() == 1
    assert store.results()[0].score == 70


def test_schema_version_is_recorded(store: ResultsStore) -> None:
    conn = sqlite3.connect(store.path)
    try:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("2",)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        conn.close()


def test_results_are_oldest_first_and_filter_by_rep(store: ResultsStore) -> None:
    store.add(result("late", finished_at=T0 + 900))
    store.add(result("early", finished_at=T0 + 100))
    store.add(result("bob1", rep_id="bob", finished_at=T0 + 500))
    assert [r.result_id for r in store.results()] == ["early", "bob1", "late"]
    assert [r.result_id for r in store.results("alice")] == ["early", "late"]
    assert store.results("nobody") == []


def test_progress_per_rep_and_objection(store: ResultsStore) -> None:
    # Added out of time order on purpose: first/latest follow finished_at, not insertion.
    store.add(result("a2", score=60, passed=False, finished_at=T0 + 200))
    store.add(result("a1", score=40, passed=False, finished_at=T0 + 100))
    store.add(result("a3", score=90, passed=True, finished_at=T0 + 300))
    store.add(result("a4", score=75, passed=True, finished_at=T0 + 400))
    store.add(result("p1", objection="objection_policy", score=55, passed=False, finished_at=T0 + 150))
    store.add(result("b1", rep_id="bob", score=80, passed=True, finished_at=T0 + 50))
    store.add(result("b2", rep_id="bob", score=30, passed=False, finished_at=T0 + 60))

    assert store.progress() == [
        ProgressRow("alice", "objection_policy", 1, 55, 55, 55, 0, T0 + 150),
        ProgressRow("alice", "objection_price", 4, 40, 90, 75, 2, T0 + 400),
        ProgressRow("bob", "objection_price", 2, 80, 80, 30, 1, T0 + 60),
    ]
    assert store.progress("bob") == [ProgressRow("bob", "objection_price", 2, 80, 80, 30, 1, T0 + 60)]
    counts = dataclasses.astuple(store.progress()[0])[2:7]
    assert all(type(v) is int for v in counts)  # counts/sums: plain ints


def test_progress_breaks_same_time_ties_by_insertion_order(store: ResultsStore) -> None:
    store.add(result("x1", score=20, finished_at=T0))
    store.add(result("x2", score=50, finished_at=T0))
    store.add(result("x3", score=35, finished_at=T0))
    row = store.progress()[0]
    assert (row.first_score, row.best_score, row.latest_score) == (20, 50, 35)


def test_data_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "results.db"
    first = ResultsStore(path)
    first.add(result("kept"))
    first.close()
    second = ResultsStore(path)
    try:
        assert [r.result_id for r in second.results()] == ["kept"]
        assert second.add(result("kept")) is False
    finally:
        second.close()


def test_hostile_strings_are_stored_verbatim(store: ResultsStore) -> None:
    evil = "'; DROP TABLE results;-- %s %(x)s"  # also psycopg2's own placeholders
    html = '<script>alert("x")</script>'
    store.add(result(evil, rep_id=evil, drill_id=html, objection=html,
                     transcript=[{"turn": 1, "speaker": "rep", "text": evil + html + "\" OR 1=1 --"}]))
    store.add(result("normal"))
    assert store.count() == 2
    back = store.results(evil)
    assert len(back) == 1
    first = back[0]
    assert (first.result_id, first.rep_id, first.drill_id, first.objection) == (evil, evil, html, html)
    assert back[0].transcript[0]["text"] == evil + html + "\" OR 1=1 --"
    assert [row.rep_id for row in store.progress()] == [evil, "alice"]


@pytest.mark.parametrize("changes, message", [
    ({"score": 101}, "score must be an int from 0 to 100, got 101"),
    ({"score": -1}, "score must be an int from 0 to 100"),
    ({"score": 70.5}, "score must be an int"),
    ({"outcome": "won"}, "outcome must be one of goal, out_of_turns, walked_away, stopped, got 'won'"),
    ({"rep_id": ""}, "rep_id must be a non-empty string"),
    ({"result_id": "  "}, "result_id must be a non-empty string"),
    ({"difficulty": 4}, "difficulty must be an int from 1 to 3"),
    ({"moves": [{1, 2}]}, "moves is not JSON-serialisable"),
])
def test_invalid_results_are_rejected(store: ResultsStore, changes: dict, message: str) -> None:
    with pytest.raises(ValueError, match="invalid drill result") as info:
        store.add(result(**changes))
    assert message in str(info.value)
    assert store.count() == 0


def test_all_problems_are_reported_at_once(store: ResultsStore) -> None:
    with pytest.raises(ValueError) as info:
        store.add(result(score=101, outcome="won"))
    assert "score" in str(info.value) and "outcome" in str(info.value)


def test_a_non_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "results.db"
    content = b"rep,score\nalice,70\n" * 50
    path.write_bytes(content)
    with pytest.raises(ResultsStoreError) as info:
        ResultsStore(path)
    message = str(info.value)
    assert str(path) in message and "not a SQLite database" in message and "move it away" in message
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.db"]  # no -wal/-shm created


def test_a_directory_at_the_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ResultsStoreError, match="not a file"):
        ResultsStore(tmp_path)


def test_memory_store_works() -> None:
    with ResultsStore(":memory:") as s:
        assert s.add(result()) is True
        assert s.count() == 1


def test_closed_store_says_so(tmp_path: Path) -> None:
    s = ResultsStore(tmp_path / "r.db")
    s.close()
    s.close()  # closing twice is harmless
    with pytest.raises(ResultsStoreError, match="closed"):
        s.count()


def test_concurrent_adds_from_threads(store: ResultsStore) -> None:
    def worker(n: int) -> None:
        for i in range(25):
            assert store.add(result(f"t{n}-{i}", rep_id=f"rep{n}", finished_at=T0 + i)) is True

    assert in_threads(worker, 8) == []
    assert store.count() == 200
    assert all(row.attempts == 25 for row in store.progress())


def test_retried_add_from_many_threads_and_two_connections_stores_once(tmp_path: Path) -> None:
    path = tmp_path / "results.db"
    stores = [ResultsStore(path), ResultsStore(path)]  # as two action server processes would
    outcomes: list = []

    def worker(n: int) -> None:
        outcomes.append(stores[n % 2].add(result("retried")))

    errors = in_threads(worker, 8)
    try:
        assert errors == []
        assert sorted(outcomes) == [False] * 7 + [True]
        assert stores[0].count() == 1 and stores[1].count() == 1
    finally:
        for s in stores:
            s.close()


CHILD = r"""
import dataclasses, sys
sys.path.insert(0, sys.argv[2])
from coach.results.store import DrillResult, ResultsStore
store = ResultsStore(sys.argv[1])
text = "客戶說價格太高，" * 200  # big rows: more pages written per commit, more chances to die mid-write
i = 0
while True:
    store.add(DrillResult(f"k{i}", f"rep{i % 7}", "price_basic", "objection_price", 2, i % 101, i % 2 == 0,
                          "goal", False, [["acknowledge"]] * 10,
                          [{"turn": t, "speaker": "rep", "text": text} for t in range(5)],
                          1.0 * i, 1.0 * i + 1))
    print(f"k{i}", flush=True)
    i += 1
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_results_committed_before_a_sigkill_are_intact(tmp_path: Path) -> None:
    path = tmp_path / "results.db"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(PROJECT_ROOT)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(60, child.kill)  # never hang the suite if the child stalls
    watchdog.start()
    reported = []
    try:
        while len(reported) < 40:
            line = child.stdout.readline()
            assert line, f"child stopped early: {child.stderr.read()}"
            reported.append(line.strip())
        os.kill(child.pid, signal.SIGKILL)
        rest, _ = child.communicate(timeout=30)
    finally:
        watchdog.cancel()
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    # Only complete lines count: a line cut by the kill was not a finished report.
    reported += [line for line in rest.splitlines(keepends=True) if line.endswith("\n")]
    reported = [line.strip() for line in reported]

    with ResultsStore(path) as store:
        stored = {r.result_id for r in store.results()}
        assert store.add(result("after-kill")) is True  # still writable
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    assert len(reported) >= 40
    assert set(reported) <= stored


def test_default_path_and_store_follow_the_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COACH_RESULTS_DB", raising=False)
    assert default_path() == PROJECT_ROOT / ".state" / "results.db"

    first_path = tmp_path / "one" / "results.db"
    monkeypatch.setenv("COACH_RESULTS_DB", str(first_path))
    first = default_store()
    assert default_store() is first  # one store per process
    assert first.path == first_path and first_path.is_file()

    monkeypatch.setenv("COACH_RESULTS_DB", str(tmp_path / "two.db"))
    second = default_store()
    assert second is not first and second.path == tmp_path / "two.db"
    second.close()


def test_default_store_reopens_after_close(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_RESULTS_DB", str(tmp_path / "results.db"))
    first = default_store()
    first.add(result("before"))
    first.close()
    again = default_store()
    assert again is not first and not again.closed
    assert again.count() == 1
    again.close()


# --- backends by URL scheme (no database server needed) ---------------------------------------------

SECRET = "s3cr3t-Pa55"


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


@pytest.mark.parametrize("target, scheme, backend", [
    ("postgresql://coach:pw@127.0.0.1:5432/results", "postgresql", PostgresBackend),
    ("postgres://coach@db.internal/results", "postgres", PostgresBackend),
    ("PostgreSQL://coach@db/results", "postgresql", PostgresBackend),
    ("/var/lib/coach/results.db", PATH_SCHEME, SQLiteBackend),
    ("relative/results.db", PATH_SCHEME, SQLiteBackend),
    (":memory:", PATH_SCHEME, SQLiteBackend),
    (Path("/tmp/x.db"), PATH_SCHEME, SQLiteBackend),
    ("weird:name.db", PATH_SCHEME, SQLiteBackend),  # a colon alone does not make a URL
])
def test_the_backend_is_chosen_by_url_scheme(target: object, scheme: str, backend: type) -> None:
    assert url_scheme(target) == scheme
    assert is_url(target) is (scheme != PATH_SCHEME)
    assert backend_for(target) is backend


def test_an_unknown_scheme_names_the_supported_ones_without_the_password() -> None:
    with pytest.raises(ResultsStoreError) as info:
        ResultsStore(f"mysql://coach:{SECRET}@127.0.0.1/results")
    message = str(info.value)
    assert "scheme 'mysql'" in message and "postgresql://" in message and "file path" in message
    assert SECRET not in message and "mysql://coach:***@127.0.0.1/results" in message


def test_a_new_backend_registers_by_scheme(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backends, "BACKENDS", dict(backends.BACKENDS))

    @register_backend("memtest")
    class Fake(Backend):
        name = "fake"

        def __init__(self, target: object) -> None:
            self.rows: list = []

        @property
        def location(self) -> str:
            return "fake"

        def insert(self, values: tuple) -> bool:
            self.rows.append(values)
            return True

        def execute(self, sql: str, params: tuple) -> int:
            return 0

        def fetch(self, sql: str, params: tuple) -> list:
            return [(len(self.rows),)]

        def close(self) -> None:
            pass

    with ResultsStore("memtest://anything") as s:
        assert s.backend == "fake" and s.add(result()) is True and s.count() == 1


@pytest.mark.parametrize("url, shown", [
    (f"postgresql://coach:{SECRET}@127.0.0.1:5432/results", "postgresql://coach:***@127.0.0.1:5432/results"),
    (f"postgresql://coach:{SECRET}@h/db?sslmode=require", "postgresql://coach:***@h/db?sslmode=require"),
    (f"postgresql://h/db?user=coach&password={SECRET}", "postgresql://h/db?user=coach&password=***"),
    (f"postgresql://co%40ch:{SECRET}%40x@h/db", "postgresql://co%40ch:***@h/db"),
    ("postgresql://coach@h/db", "postgresql://coach@h/db"),
    ("/srv/results.db", "/srv/results.db"),
])
def test_redact_hides_only_the_password(url: str, shown: str) -> None:
    assert redact(url) == shown


def test_unreachable_postgres_is_a_clear_error_without_the_password() -> None:
    port = _closed_port()
    with pytest.raises(ResultsStoreError) as info:
        ResultsStore(f"postgresql://coach:{SECRET}@127.0.0.1:{port}/results")
    message = str(info.value)
    assert SECRET not in message
    assert f"postgresql://coach:***@127.0.0.1:{port}/results" in message
    assert f"PostgreSQL is running at 127.0.0.1:{port}" in message and "COACH_RESULTS_DB" in message


def test_a_malformed_url_is_a_clear_error_without_the_password() -> None:
    with pytest.raises(ResultsStoreError) as info:
        ResultsStore(f"postgresql://coach:{SECRET}@127.0.0.1:5432/results?no_such_option=1")
    message = str(info.value)
    assert "invalid results database URL" in message
    assert "postgresql://user:password@host:port/dbname" in message
    assert SECRET not in message


def test_report_with_an_unreachable_url_exits_2_without_the_password(capsys: pytest.CaptureFixture) -> None:
    from coach.results.report import main

    assert main(["--db", f"postgresql://coach:{SECRET}@127.0.0.1:{_closed_port()}/results"]) == 2
    captured = capsys.readouterr()
    assert "cannot connect to the results database" in captured.err
    assert SECRET not in captured.err + captured.out


def test_default_path_keeps_a_url_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"postgresql://coach:{SECRET}@127.0.0.1:5432/results"
    monkeypatch.setenv("COACH_RESULTS_DB", url)
    assert default_path() == url  # a Path would fold "//" into "/"


def test_a_version_1_database_is_upgraded_and_keeps_its_results(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with ResultsStore(path) as old:
        old.add(result("kept"))
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE people")
    conn.execute("DROP TABLE assignments")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with ResultsStore(path) as upgraded:
        assert [r.result_id for r in upgraded.results()] == ["kept"]
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("2",)
        assert conn.execute("SELECT COUNT(*) FROM people").fetchone() == (0,)
        assert conn.execute("SELECT COUNT(*) FROM assignments").fetchone() == (0,)
    finally:
        conn.close()


def test_a_new_database_is_owner_only_whoever_creates_it(tmp_path: Path) -> None:
    """`make trainer` before `make run` creates the file from a shell with umask 022: still 0600."""
    old = os.umask(0o022)
    try:
        path = tmp_path / "state" / "results.db"
        with ResultsStore(path) as store:
            store.add(result("first"))
            modes = {f.name: oct(f.stat().st_mode & 0o777) for f in path.parent.iterdir()}
    finally:
        os.umask(old)
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
    assert modes == {name: "0o600" for name in modes} and "results.db-wal" in modes
