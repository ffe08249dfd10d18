"""The results store on a real (private) PostgreSQL: the SQLite behaviours, plus server restarts and bad URLs.

Run by `make scale-test` only (see conftest.py): COACH_TEST_PG_URL names a scratch database.
"""
from __future__ import annotations

from typing import Callable
from urllib.parse import urlsplit

import psycopg2
import pytest

from coach.errors import ResultsStoreError
from coach.people.store import PeopleStore
from coach.practice.assignments import AssignmentStore
from coach.results.report import main as report_main
from coach.results.store import ResultsStore, default_path, default_store
from scripts.scale_check import pg_rows
from tests.conftest import _free_port, in_threads
from tests.scale.conftest import drop_tables

# The SQLite behaviour tests, run here again with this folder's `store` fixture (PostgreSQL).
from tests.unit.results.test_store import (  # noqa: F401
    T0,
    result,
    test_adding_the_same_result_twice_stores_it_once,
    test_concurrent_adds_from_threads,
    test_hostile_strings_are_stored_verbatim,
    test_progress_breaks_same_time_ties_by_insertion_order,
    test_progress_per_rep_and_objection,
    test_results_are_oldest_first_and_filter_by_rep,
)


def _password(url: str) -> str:
    password = urlsplit(url).password
    assert password, "COACH_TEST_PG_URL must carry a password (the tests check that it never leaks)"
    return password


def test_roundtrip_keeps_every_field_and_exact_unix_times(store: ResultsStore, pg_url: str) -> None:
    # A fraction of a second survives: DOUBLE PRECISION, where a 4-byte REAL would round to ~2 minutes.
    original = result(finished_at=T0 + 300.123456, started_at=T0 + 1.5)
    assert store.add(original) is True
    assert store.results() == [original]
    back = store.results()[0]
    assert back.transcript[1]["text"] == "我明白，請問您是跟哪一家比較？"
    assert back.passed is True and back.truth_uncovered is True
    assert store.backend == "postgresql"
    assert _password(pg_url) not in str(store.path) and ":***@" in str(store.path)


def test_schema_types_and_version(store: ResultsStore, pg_url: str) -> None:
    types = dict(pg_rows(pg_url, "SELECT column_name, data_type FROM information_schema.columns "
                                "WHERE table_name = 'results'"))
    assert types["started_at"] == types["finished_at"] == "double precision"
    assert types["seq"] == "bigint"
    assert types["moves"] == types["transcript"] == "text"
    assert pg_rows(pg_url, "SELECT value FROM meta WHERE key = 'schema_version'") == [("2",)]
    store.add(result())
    # readable, not \\u escapes
    assert "你們的價格太貴了" in pg_rows(pg_url, "SELECT transcript FROM results")[0][0]


def test_progress_sorts_rep_ids_by_code_point_like_sqlite(store: ResultsStore) -> None:
    # The database's locale must not reorder the report: "C" collation, as SQLite's BINARY.
    for rep in ("alice", "Bob", "王小明", "_x", "'; quote"):
        store.add(result(f"id-{rep}", rep_id=rep))
    assert [row.rep_id for row in store.progress()] == sorted(["alice", "Bob", "王小明", "_x", "'; quote"])


def test_a_nul_character_is_a_clear_validation_error(store: ResultsStore) -> None:
    with pytest.raises(ValueError, match="NUL"):
        store.add(result(rep_id="a\x00b"))
    assert store.count() == 0


def test_data_survives_reopening(fresh_url: str) -> None:
    with ResultsStore(fresh_url) as first:
        first.add(result("kept"))
    with ResultsStore(fresh_url) as second:
        assert [r.result_id for r in second.results()] == ["kept"]
        assert second.add(result("kept")) is False


def test_closed_store_says_so_without_the_password(fresh_url: str) -> None:
    s = ResultsStore(fresh_url)
    s.close()
    s.close()
    with pytest.raises(ResultsStoreError, match="closed") as info:
        s.count()
    assert _password(fresh_url) not in str(info.value)


def test_retried_add_from_threads_and_two_connections_stores_once(fresh_url: str) -> None:
    stores = [ResultsStore(fresh_url), ResultsStore(fresh_url)]  # as two action servers would
    outcomes: list = []
    try:
        assert in_threads(lambda n: outcomes.append(stores[n % 2].add(result("retried"))), 8) == []
        assert sorted(outcomes) == [False] * 7 + [True]
        assert stores[0].count() == stores[1].count() == 1
    finally:
        for s in stores:
            s.close()


def test_stores_created_at_the_same_moment_share_one_schema(fresh_url: str) -> None:
    # Two action servers starting together on an empty database: no duplicate-type errors, one version row.
    opened: list = []
    assert in_threads(lambda n: opened.append(ResultsStore(fresh_url)), 6) == []
    for s in opened:
        s.close()
    assert pg_rows(fresh_url, "SELECT COUNT(*) FROM meta") == [(1,)]


def test_a_newer_schema_version_is_refused(fresh_url: str) -> None:
    ResultsStore(fresh_url).close()
    conn = psycopg2.connect(fresh_url)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    finally:
        conn.close()
    with pytest.raises(ResultsStoreError, match="schema version 99 is newer"):
        ResultsStore(fresh_url)
    drop_tables(fresh_url)


def test_store_reconnects_after_a_server_restart(store: ResultsStore, pg_ctl: Callable[..., None]) -> None:
    assert store.add(result("before"))
    pg_ctl("restart", "-m", "fast")  # drops every connection, as a failover or upgrade would
    assert store.add(result("after")) is True  # the old connection is dead: reopened once, then stored
    pg_ctl("restart", "-m", "fast")
    assert [r.result_id for r in store.results()] == ["before", "after"]  # a read reconnects too


def test_a_stopped_server_is_a_clear_error_and_the_store_recovers(store: ResultsStore, pg_url: str,
                                                                   pg_ctl: Callable[..., None]) -> None:
    store.add(result("kept"))
    pg_ctl("stop", "-m", "fast")
    try:
        with pytest.raises(ResultsStoreError) as info:
            store.add(result("while-down"))
        message = str(info.value)
        host = urlsplit(pg_url)
        assert f"{host.hostname}:{host.port}" in message and "Check that PostgreSQL is running" in message
        assert _password(pg_url) not in message
    finally:
        pg_ctl("start")
    assert store.count() == 1  # the same store works again once the server is back
    assert store.add(result("after")) is True


def _with_password(url: str, password: str) -> str:
    return url.replace(f":{_password(url)}@", f":{password}@", 1)


def test_wrong_password_is_clear_and_leaks_neither_password(pg_url: str) -> None:
    wrong = "Wr0ng-Secret-xyz"
    with pytest.raises(ResultsStoreError) as info:
        ResultsStore(_with_password(pg_url, wrong))
    message = str(info.value)
    assert "password authentication failed" in message and "COACH_RESULTS_DB" in message
    assert wrong not in message and _password(pg_url) not in message and ":***@" in message


def test_unreachable_server_is_clear_and_does_not_leak_the_password(pg_url: str) -> None:
    port = _free_port()
    parts = urlsplit(pg_url)
    url = pg_url.replace(f"@{parts.hostname}:{parts.port}/", f"@127.0.0.1:{port}/", 1)
    with pytest.raises(ResultsStoreError) as info:
        ResultsStore(url)
    message = str(info.value)
    assert f"127.0.0.1:{port}" in message and "Connection refused" in message
    assert _password(pg_url) not in message


def test_missing_database_says_to_create_it(pg_url: str) -> None:
    path = urlsplit(pg_url).path
    with pytest.raises(ResultsStoreError) as info:
        ResultsStore(pg_url.replace(path, "/no_such_db_here", 1))
    message = str(info.value)
    assert 'database "no_such_db_here" does not exist' in message and "createdb" in message
    assert _password(pg_url) not in message


def test_report_reads_the_postgres_store(fresh_url: str, capsys: pytest.CaptureFixture) -> None:
    with ResultsStore(fresh_url) as s:
        s.add(result("r1", score=40, passed=False, finished_at=T0 + 60))
        s.add(result("r2", score=90, finished_at=T0 + 120))
    assert report_main(["--db", fresh_url]) == 0
    out = capsys.readouterr().out
    alice = ["alice", "price", "2", "40", "90", "90", "1", "2024-05-01", "08:02"]
    assert alice in [line.split() for line in out.splitlines()]
    assert report_main(["--db", fresh_url, "--rep", "nobody"]) == 0
    out = capsys.readouterr().out
    assert "No finished drills yet for rep 'nobody'" in out and _password(fresh_url) not in out
    assert report_main(["--db", _with_password(fresh_url, "nope-nope")]) == 2
    err = capsys.readouterr().err
    assert "password authentication failed" in err and "nope-nope" not in err


def test_default_store_follows_a_url_in_the_env_var(fresh_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_RESULTS_DB", fresh_url)
    assert default_path() == fresh_url
    first = default_store()
    assert first.backend == "postgresql" and default_store() is first
    first.add(result("via-default"))
    first.close()
    again = default_store()
    assert again is not first and [r.result_id for r in again.results()] == ["via-default"]
    again.close()


def test_people_sign_in_revoke_and_tokens_on_postgresql(store: ResultsStore, fresh_url: str) -> None:
    """The people table (sign-in codes, roles) on the scale-out database, as the replicas use it."""
    with PeopleStore(fresh_url) as people:
        rep, code = people.invite("王小明", team="'; DROP TABLE people; --")
        assert people.sign_in(code) == rep and people.sign_in(code[:-1] + "x") is None
        version = people.token_version(rep.person_id)
        assert version is not None and people.current(rep.person_id, version) == rep
        new = people.new_code(rep.person_id)
        assert people.sign_in(code) is None and people.sign_in(new) == rep
        assert people.current(rep.person_id, version) is None  # the old tokens' version is gone
        assert people.revoke(rep.person_id) and people.sign_in(new) is None
        assert [p.team for p in people.people(role="rep")] == ["'; DROP TABLE people; --"]


def test_assignments_and_their_team_on_postgresql(store: ResultsStore, fresh_url: str) -> None:
    with PeopleStore(fresh_url) as people, AssignmentStore(fresh_url) as plans:
        rep, _ = people.invite("李芳", team="华东")
        plan = plans.add("本周", ["price_margin", "exclusivity_volume"], T0 + 86400, "trn-x", team="华东")
        assert plans.team_of(rep.person_id) == "华东"
        assert [a.assignment_id for a in plans.for_rep(rep.person_id, "华东")] == [plan.assignment_id]
        assert plans.all()[0].drill_ids == ("price_margin", "exclusivity_volume")
        assert plans.remove(plan.assignment_id) and plans.for_rep(rep.person_id, "华东") == []
