"""Drill results in one SQLite file (or ':memory:'): the single-machine backend.

WAL + synchronous=NORMAL keeps committed results through a process kill (only a power loss can
drop the last commits). Each insert is its own BEGIN IMMEDIATE transaction, so two action server
processes sharing the file take turns instead of failing.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import List, Union

from coach.errors import ResultsStoreError
from coach.results.backends.base import (
    SCHEMA_VERSION,
    UPGRADE_SQL,
    Backend,
    Row,
    Target,
    insert_sql,
    newer_schema,
    schema,
)
from coach.settings import PATH_SCHEME

BUSY_TIMEOUT_MS = 5000  # another process (a second action server, the report) may hold the write lock briefly


class SQLiteBackend(Backend):
    """Drill results in one SQLite file (or ':memory:')."""

    name = "sqlite"
    param = "?"
    schemes = (PATH_SCHEME,)
    _SCHEMA = schema("INTEGER PRIMARY KEY", "REAL")  # SQLite REAL is an 8-byte float
    _INSERT = insert_sql("?")

    def __init__(self, target: Target) -> None:
        self.path: Union[str, Path] = target if str(target) == ":memory:" else Path(target)
        if isinstance(self.path, Path):
            check_file(self.path)
            create_private(self.path)
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, one transaction per insert.
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000,
                                   check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise self._unusable(exc) from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            self._create_schema(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise self._unusable(exc) from exc
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    @property
    def location(self) -> Union[str, Path]:
        return self.path

    def _unusable(self, exc: Exception) -> ResultsStoreError:
        return ResultsStoreError(
            f"cannot use the results database {self.path}: {exc}. If the file is damaged, move it away "
            f"(e.g. `mv {self.path} {self.path}.bad`, with its -wal and -shm files) and a fresh one will "
            "be created; otherwise check its permissions.")

    @classmethod
    def _create_schema(cls, conn: sqlite3.Connection) -> None:
        # IMMEDIATE: two processes starting together must not both insert the schema version.
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in cls._SCHEMA:
                conn.execute(statement)
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None:
                conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)",
                             (str(SCHEMA_VERSION),))
            elif int(row[0]) > SCHEMA_VERSION:
                raise ResultsStoreError(newer_schema(row[0]))
            conn.execute(UPGRADE_SQL.format(p="?"), (str(SCHEMA_VERSION),))
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # a failed COMMIT may already have ended it
                conn.execute("ROLLBACK")
            raise

    def insert(self, values: Row) -> bool:
        return self.execute(self._INSERT, values) == 1

    def execute(self, sql: str, params: Row) -> int:
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            changed = conn.execute(sql, params).rowcount
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return int(changed)

    def fetch(self, sql: str, params: Row) -> List[Row]:
        return self._conn.execute(sql, params).fetchall()

    def close(self) -> None:
        self._conn.close()


def create_private(path: Path) -> None:
    """Create the database file owner-only (0600, in a 0700 folder if we make it) when it is absent.

    Whoever comes first creates it (the action server, `make trainer`, a report), whatever their
    umask; SQLite gives its -wal and -shm files the main file's mode.
    """
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def check_file(path: Path) -> None:
    """ResultsStoreError unless `path` is absent, empty or a SQLite file.

    Looked at before SQLite opens it: never write journal files next to somebody else's file.
    """
    if path.exists() and not path.is_file():
        raise ResultsStoreError(f"results database path {path} exists but is not a file; "
                                "point COACH_RESULTS_DB (or --db) at a file path.")
    if path.is_file() and path.stat().st_size > 0:
        # Asked through SQLite, not open(): closing any plain handle on the file would drop the
        # POSIX locks this process's other connections hold on it (the people, assignment and
        # results stores share the file), and another process's writes would go unseen.
        try:
            probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                probe.execute("PRAGMA schema_version").fetchone()
            finally:
                probe.close()
        except sqlite3.DatabaseError:
            raise ResultsStoreError(
                f"{path} is not a SQLite database, so drill results cannot be stored there. "
                f"It was left untouched: move it away (e.g. `mv {path} {path}.bad`) and a fresh "
                "results database will be created, or point COACH_RESULTS_DB at another path.") from None
