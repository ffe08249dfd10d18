"""Finished drill results, kept in SQLite so a rep's progress survives restarts.

One connection per store, guarded by a lock: the action server calls us from its asyncio
thread, but nothing stops an action from using a worker thread. WAL + synchronous=NORMAL
keeps committed results through a process kill (only a power loss can drop the last commits).
Each insert is its own transaction and `result_id` is unique, so a retried store call
stores a finished drill exactly once. SQL stays plain so a PostgreSQL backend can follow.
"""
from __future__ import annotations

import json
import math
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Union

from coach import PROJECT_ROOT

SCHEMA_VERSION = 1
OUTCOMES = ("goal", "out_of_turns", "walked_away", "stopped")
BUSY_TIMEOUT_MS = 5000  # another process (a second action server, the report) may hold the write lock briefly
SQLITE_HEADER = b"SQLite format 3\x00"

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    # seq records insertion order: the tie-break when two drills finish in the same second.
    """CREATE TABLE IF NOT EXISTS results (
        seq INTEGER PRIMARY KEY,
        result_id TEXT NOT NULL UNIQUE,
        rep_id TEXT NOT NULL,
        drill_id TEXT NOT NULL,
        objection TEXT NOT NULL,
        difficulty INTEGER NOT NULL,
        score INTEGER NOT NULL,
        passed INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        truth_uncovered INTEGER NOT NULL,
        moves TEXT NOT NULL,
        transcript TEXT NOT NULL,
        started_at REAL NOT NULL,
        finished_at REAL NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS results_rep_objection ON results (rep_id, objection, finished_at)",
)

_COLUMNS = ("result_id", "rep_id", "drill_id", "objection", "difficulty", "score", "passed", "outcome",
            "truth_uncovered", "moves", "transcript", "started_at", "finished_at")

# ON CONFLICT ... DO NOTHING is understood by SQLite (3.24+) and PostgreSQL alike.
_INSERT = (f"INSERT INTO results ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' for _ in _COLUMNS)}) "
           "ON CONFLICT (result_id) DO NOTHING")

# First and latest by finished_at, then insertion order; window functions need SQLite 3.25+.
_PROGRESS = """
WITH ranked AS (
    SELECT rep_id, objection, score, passed, finished_at,
           ROW_NUMBER() OVER (PARTITION BY rep_id, objection ORDER BY finished_at, seq) AS from_first,
           ROW_NUMBER() OVER (PARTITION BY rep_id, objection ORDER BY finished_at DESC, seq DESC) AS from_last
    FROM results {where}
)
SELECT rep_id, objection, COUNT(*),
       MAX(CASE WHEN from_first = 1 THEN score END),
       MAX(score),
       MAX(CASE WHEN from_last = 1 THEN score END),
       SUM(passed),
       MAX(finished_at)
FROM ranked
GROUP BY rep_id, objection
ORDER BY rep_id, objection
"""


class ResultsStoreError(RuntimeError):
    """The results database cannot be used (not SQLite, corrupt, unreadable, too new)."""


@dataclass(frozen=True)
class DrillResult:
    result_id: str  # unique per finished drill session; inserting it twice stores it once
    rep_id: str  # the Rasa sender id
    drill_id: str
    objection: str  # main objection intent, e.g. "objection_price"
    difficulty: int  # 1..3
    score: int  # 0..100
    passed: bool
    outcome: str  # one of OUTCOMES
    truth_uncovered: bool
    moves: list  # per rep turn: list of move names, e.g. [["acknowledge"], ["probe", "compare"]]
    transcript: list  # [{"turn": 1, "speaker": "customer"|"rep", "text": "..."}, ...]
    started_at: float  # unix time
    finished_at: float


@dataclass(frozen=True)
class ProgressRow:
    rep_id: str
    objection: str
    attempts: int
    first_score: int  # score of the earliest finished attempt
    best_score: int
    latest_score: int
    passed: int  # number of passed attempts
    last_at: float


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_time(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def validate(result: DrillResult) -> None:
    """Raise ValueError listing every problem, so a bad caller is fixed in one go."""
    problems = []
    for name in ("result_id", "rep_id", "drill_id", "objection"):
        value = getattr(result, name)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{name} must be a non-empty string, got {value!r}")
    if not _is_int(result.difficulty) or not 1 <= result.difficulty <= 3:
        problems.append(f"difficulty must be an int from 1 to 3, got {result.difficulty!r}")
    if not _is_int(result.score) or not 0 <= result.score <= 100:
        problems.append(f"score must be an int from 0 to 100, got {result.score!r}")
    if result.outcome not in OUTCOMES:
        problems.append(f"outcome must be one of {', '.join(OUTCOMES)}, got {result.outcome!r}")
    for name in ("passed", "truth_uncovered"):
        if not isinstance(getattr(result, name), bool):
            problems.append(f"{name} must be True or False, got {getattr(result, name)!r}")
    for name in ("moves", "transcript"):
        if not isinstance(getattr(result, name), list):
            problems.append(f"{name} must be a list, got {type(getattr(result, name)).__name__}")
    for name in ("started_at", "finished_at"):
        if not _is_time(getattr(result, name)):
            problems.append(f"{name} must be a unix time (number), got {getattr(result, name)!r}")
    if problems:
        raise ValueError(f"invalid drill result {result.result_id!r}: " + "; ".join(problems))


def _to_json(value: list, name: str, result_id: str) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"invalid drill result {result_id!r}: {name} is not JSON-serialisable ({exc})") from None


class ResultsStore:
    """Drill results in one SQLite file; safe to share between threads."""

    def __init__(self, path: Union[str, Path]) -> None:
        self.path: Union[str, Path] = path if str(path) == ":memory:" else Path(path)
        self._lock = threading.Lock()
        self._conn: Optional[sqlite3.Connection] = None
        if isinstance(self.path, Path):
            self._check_file(self.path)
            self.path.parent.mkdir(parents=True, exist_ok=True)
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

    @staticmethod
    def _check_file(path: Path) -> None:
        # Look before SQLite opens it: never write journal files next to somebody else's file.
        if path.exists() and not path.is_file():
            raise ResultsStoreError(f"results database path {path} exists but is not a file; "
                                    "point COACH_RESULTS_DB (or --db) at a file path.")
        if path.is_file() and path.stat().st_size > 0:
            with path.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
            if header != SQLITE_HEADER:
                raise ResultsStoreError(
                    f"{path} is not a SQLite database, so drill results cannot be stored there. "
                    f"It was left untouched: move it away (e.g. `mv {path} {path}.bad`) and a fresh "
                    "results database will be created, or point COACH_RESULTS_DB at another path.")

    def _unusable(self, exc: Exception) -> ResultsStoreError:
        return ResultsStoreError(
            f"cannot use the results database {self.path}: {exc}. If the file is damaged, move it away "
            f"(e.g. `mv {self.path} {self.path}.bad`, with its -wal and -shm files) and a fresh one will "
            "be created; otherwise check its permissions.")

    @staticmethod
    def _create_schema(conn: sqlite3.Connection) -> None:
        # IMMEDIATE: two processes starting together must not both insert the schema version.
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _SCHEMA:
                conn.execute(statement)
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None:
                conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            elif int(row[0]) > SCHEMA_VERSION:
                raise ResultsStoreError(f"results database schema version {row[0]} is newer than this code "
                                        f"understands ({SCHEMA_VERSION}); update Objection Coach.")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # a failed COMMIT may already have ended it
                conn.execute("ROLLBACK")
            raise

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ResultsStoreError(f"results store {self.path} is closed")
        return self._conn

    def add(self, result: DrillResult) -> bool:
        """Store a finished drill; False if its result_id is already stored (a retried call)."""
        validate(result)
        values = (result.result_id, result.rep_id, result.drill_id, result.objection, result.difficulty,
                  result.score, int(result.passed), result.outcome, int(result.truth_uncovered),
                  _to_json(result.moves, "moves", result.result_id),
                  _to_json(result.transcript, "transcript", result.result_id),
                  float(result.started_at), float(result.finished_at))
        with self._lock:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                stored = conn.execute(_INSERT, values).rowcount == 1
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        return stored

    def results(self, rep_id: Optional[str] = None) -> list[DrillResult]:
        """Stored results, oldest first (by finished_at, then insertion order)."""
        where, params = ("WHERE rep_id = ?", (rep_id,)) if rep_id is not None else ("", ())
        query = f"SELECT {', '.join(_COLUMNS)} FROM results {where} ORDER BY finished_at, seq"
        with self._lock:
            rows = self._connection().execute(query, params).fetchall()
        return [DrillResult(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7], bool(r[8]),
                            json.loads(r[9]), json.loads(r[10]), r[11], r[12]) for r in rows]

    def progress(self, rep_id: Optional[str] = None) -> list[ProgressRow]:
        """Per rep and objection: attempts, first/best/latest score, passes; sorted by rep_id, objection."""
        where, params = ("WHERE rep_id = ?", (rep_id,)) if rep_id is not None else ("", ())
        with self._lock:
            rows = self._connection().execute(_PROGRESS.format(where=where), params).fetchall()
        return [ProgressRow(*row) for row in rows]

    def count(self) -> int:
        with self._lock:
            return self._connection().execute("SELECT COUNT(*) FROM results").fetchone()[0]

    @property
    def closed(self) -> bool:
        return self._conn is None

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> "ResultsStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def default_path() -> Path:
    """$COACH_RESULTS_DB if set, else .state/results.db in the project."""
    override = os.environ.get("COACH_RESULTS_DB")
    return Path(override) if override else PROJECT_ROOT / ".state" / "results.db"


_default: Optional[ResultsStore] = None
_default_lock = threading.Lock()


def default_store() -> ResultsStore:
    """The process-wide store for default_path(); re-opened when COACH_RESULTS_DB changes or it was closed."""
    global _default
    path = default_path()
    with _default_lock:
        if _default is None or _default.closed or str(_default.path) != str(path):
            if _default is not None:
                _default.close()
            _default = ResultsStore(path)
        return _default
