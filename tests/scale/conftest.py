"""Tests that need private servers (PostgreSQL, Redis), so only `make scale-test` runs them.

scripts/scale_test.sh starts PostgreSQL under build/scale/ and runs this folder with
  COACH_TEST_PG_URL  postgresql://user:password@127.0.0.1:port/db  (a scratch database: tables are dropped)
  COACH_TEST_PG_CTL  the pg_ctl command for that server,
                     e.g. "runuser -u postgres -- .../pg_ctl -D DATA -l LOG"
  COACH_TEST_REDIS_PORT  a private Redis on 127.0.0.1 (the lock store tests flush its database 2)
`make test` does not collect this folder (pytest.ini norecursedirs); run without the variables,
every test here fails with the message below rather than being skipped and counted as passed.
"""
from __future__ import annotations

import os
import shlex
import subprocess
from typing import Callable, Iterator, List

import pytest

from coach.results.store import ResultsStore
from scripts.scale_check import pg_rows

HOW = ("these tests need a private PostgreSQL and Redis: run them through `make scale-test` "
       "(scripts/scale_test.sh), or set COACH_TEST_PG_URL=postgresql://user:password@host:port/scratch_db, "
       "COACH_TEST_PG_CTL='pg_ctl -D DATA -l LOG' "
       "and COACH_TEST_REDIS_PORT=port")


@pytest.fixture(scope="session")
def pg_url() -> str:
    url = os.environ.get("COACH_TEST_PG_URL")
    if not url:
        pytest.fail(f"COACH_TEST_PG_URL is not set: {HOW}", pytrace=False)
    return url


@pytest.fixture(scope="session")
def redis_port() -> int:
    port = os.environ.get("COACH_TEST_REDIS_PORT")
    if not port:
        pytest.fail(f"COACH_TEST_REDIS_PORT is not set: {HOW}", pytrace=False)
    return int(port)


@pytest.fixture(scope="session")
def pg_ctl() -> Callable[..., None]:
    """pg_ctl("restart") etc. on the test server; -w waits until it is done."""
    command = os.environ.get("COACH_TEST_PG_CTL")
    if not command:
        pytest.fail(f"COACH_TEST_PG_CTL is not set: {HOW}", pytrace=False)

    def run(*args: str) -> None:
        argv: List[str] = shlex.split(command) + list(args) + ["-w", "-t", "60"]
        # stdin/stdout not inherited: a postmaster started by pg_ctl would keep our pipes open.
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, timeout=120)
        assert done.returncode == 0, f"{' '.join(argv)} failed: {done.stderr}"

    return run


def drop_tables(url: str) -> None:
    pg_rows(url, "DROP TABLE IF EXISTS results, people, assignments, meta", fetch=False)


@pytest.fixture
def fresh_url(pg_url: str) -> str:
    """The test database with no results tables: each test starts empty."""
    drop_tables(pg_url)
    return pg_url


@pytest.fixture
def store(fresh_url: str) -> Iterator[ResultsStore]:
    s = ResultsStore(fresh_url)
    yield s
    s.close()
