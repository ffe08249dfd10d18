"""Finished drill results, kept in SQLite (one machine) or PostgreSQL (several action servers).

`COACH_RESULTS_DB` (or `ResultsStore(target)`) is either a file path, for SQLite, or a URL
`postgresql://user:password@host:port/db`. Backends are registered by URL scheme
(`register_backend`); a plain path selects SQLite. Every backend keeps the same semantics:

- one connection per store, guarded by a lock: the action server calls us from its asyncio
  thread, but nothing stops an action from using a worker thread;
- each insert is its own transaction and `result_id` is unique (ON CONFLICT DO NOTHING), so a
  retried store call stores a finished drill exactly once;
- `seq` records insertion order (the tie-break when two drills finish in the same second) and
  the schema version is kept in `meta`.

SQLite: WAL + synchronous=NORMAL keeps committed results through a process kill (only a power
loss can drop the last commits). PostgreSQL: times are DOUBLE PRECISION (REAL is a 4-byte float,
which would round unix times to minutes); a connection dropped by a server restart is reopened
once before the call fails. Passwords never appear in messages: see `redact`.
"""
from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Type, TypeVar, Union

from coach.settings import PROJECT_ROOT

SCHEMA_VERSION = 1
OUTCOMES = ("goal", "out_of_turns", "walked_away", "stopped")
BUSY_TIMEOUT_MS = 5000  # another process (a second action server, the report) may hold the write lock briefly
SQLITE_HEADER = b"SQLite format 3\x00"
PG_CONNECT_TIMEOUT_S = 10  # an unreachable server must fail a drill's store call, not hang it
PATH_SCHEME = ""  # registry key for a plain file path (no "scheme://")

Target = Union[str, Path]

_COLUMNS = ("result_id", "rep_id", "drill_id", "objection", "difficulty", "score", "passed", "outcome",
            "truth_uncovered", "moves", "transcript", "started_at", "finished_at")


def _schema(seq: str, time: str, sort_text: str = "TEXT") -> tuple:
    """The tables, in each backend's types for the auto-increment key, the unix times and the sort keys."""
    return (
        """CREATE TABLE IF NOT EXISTS meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
        # seq records insertion order: the tie-break when two drills finish in the same second.
        f"""CREATE TABLE IF NOT EXISTS results (
        seq {seq},
        result_id TEXT NOT NULL UNIQUE,
        rep_id {sort_text} NOT NULL,
        drill_id TEXT NOT NULL,
        objection {sort_text} NOT NULL,
        difficulty INTEGER NOT NULL,
        score INTEGER NOT NULL,
        passed INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        truth_uncovered INTEGER NOT NULL,
        moves TEXT NOT NULL,
        transcript TEXT NOT NULL,
        started_at {time} NOT NULL,
        finished_at {time} NOT NULL
    )""",
        "CREATE INDEX IF NOT EXISTS results_rep_objection ON results (rep_id, objection, finished_at)",
    )


def _insert_sql(param: str) -> str:
    # ON CONFLICT ... DO NOTHING is understood by SQLite (3.24+) and PostgreSQL alike.
    return (f"INSERT INTO results ({', '.join(_COLUMNS)}) VALUES ({', '.join(param for _ in _COLUMNS)}) "
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
    """The results database cannot be used (not SQLite, corrupt, unreachable, unreadable, too new)."""


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


# --- targets: paths and URLs -------------------------------------------------------------------

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def url_scheme(target: Target) -> str:
    """'postgresql' for 'postgresql://...', PATH_SCHEME ('') for a file path or ':memory:'."""
    if isinstance(target, Path):
        return PATH_SCHEME
    match = _SCHEME.match(target)
    return match.group(1).lower() if match else PATH_SCHEME


def is_url(target: Target) -> bool:
    return url_scheme(target) != PATH_SCHEME


def redact(target: Target) -> str:
    """The target as it may be shown: a URL's password (in the user part or ?password=) becomes ***."""
    text = str(target)
    if not is_url(text):
        return text
    scheme, rest = text.split("://", 1)
    head, sep, query = rest.partition("?")
    if "@" in head:
        userinfo, host = head.rsplit("@", 1)
        if ":" in userinfo:
            userinfo = userinfo.split(":", 1)[0] + ":***"
        head = f"{userinfo}@{host}"
    if query:
        query = "&".join(re.sub(r"^(password=).*$", r"\1***", part, flags=re.I) for part in query.split("&"))
    return f"{scheme}://{head}{sep}{query}"


# --- backends ----------------------------------------------------------------------------------

class Backend:
    """One open connection to one kind of database. ResultsStore holds the lock and the public API.

    Subclasses open the connection and create the schema in __init__ (raising ResultsStoreError),
    and run statements written with `param` as the placeholder.
    """

    name = "?"
    param = "?"

    def __init__(self, target: Target) -> None:
        raise NotImplementedError

    @property
    def location(self) -> Union[str, Path]:
        """Where the data is, safe to print (no password)."""
        raise NotImplementedError

    def insert(self, values: tuple) -> bool:
        """Insert one row in its own transaction; False if its result_id was already stored."""
        raise NotImplementedError

    def fetch(self, sql: str, params: tuple) -> list:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


B = TypeVar("B", bound=Type[Backend])
_BACKENDS: Dict[str, Type[Backend]] = {}


def register_backend(*schemes: str) -> Callable[[B], B]:
    """Class decorator: use this backend for targets with these URL schemes (PATH_SCHEME: file paths)."""
    def register(cls: B) -> B:
        for scheme in schemes:
            _BACKENDS[scheme] = cls
        return cls
    return register


def backend_for(target: Target) -> Type[Backend]:
    """The backend class for a path or URL; ResultsStoreError for an unknown scheme."""
    scheme = url_scheme(target)
    try:
        return _BACKENDS[scheme]
    except KeyError:
        known = ", ".join(f"{s}://" for s in sorted(_BACKENDS) if s != PATH_SCHEME)
        raise ResultsStoreError(
            f"unsupported results database URL {redact(target)} (scheme {scheme!r}); set COACH_RESULTS_DB "
            f"(or --db) to a file path for SQLite or to a URL starting with one of: {known}") from None


@register_backend(PATH_SCHEME)
class SQLiteBackend(Backend):
    """Drill results in one SQLite file (or ':memory:')."""

    name = "sqlite"
    param = "?"
    _SCHEMA = _schema("INTEGER PRIMARY KEY", "REAL")  # SQLite REAL is an 8-byte float
    _INSERT = _insert_sql("?")

    def __init__(self, target: Target) -> None:
        self.path: Union[str, Path] = target if str(target) == ":memory:" else Path(target)
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

    @property
    def location(self) -> Union[str, Path]:
        return self.path

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

    @classmethod
    def _create_schema(cls, conn: sqlite3.Connection) -> None:
        # IMMEDIATE: two processes starting together must not both insert the schema version.
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in cls._SCHEMA:
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

    def insert(self, values: tuple) -> bool:
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            stored = conn.execute(self._INSERT, values).rowcount == 1
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return stored

    def fetch(self, sql: str, params: tuple) -> list:
        return self._conn.execute(sql, params).fetchall()

    def close(self) -> None:
        self._conn.close()


@register_backend("postgresql", "postgres")
class PostgresBackend(Backend):
    """Drill results in a PostgreSQL database shared by several action servers (psycopg2)."""

    name = "postgresql"
    param = "%s"
    # COLLATE "C": progress sorts rep ids by code point as SQLite does, whatever the database's locale.
    _SCHEMA = _schema("BIGSERIAL PRIMARY KEY", "DOUBLE PRECISION", 'TEXT COLLATE "C"')
    _INSERT = _insert_sql("%s")
    # Held while creating the schema: concurrent CREATE TABLE IF NOT EXISTS can still collide in PostgreSQL.
    _SCHEMA_LOCK_KEY = 0x636F616368  # "coach"

    def __init__(self, target: Target) -> None:
        try:
            import psycopg2
            import psycopg2.extensions
        except ImportError as exc:  # pragma: no cover - psycopg2-binary comes with rasa
            raise ResultsStoreError(f"the PostgreSQL results store needs psycopg2 ({exc}); "
                                    "install psycopg2-binary into the venv.") from None
        self._pg = psycopg2
        self._dsn = str(target)
        self._location = redact(target)
        self._secrets: List[str] = []
        try:
            parsed = psycopg2.extensions.parse_dsn(self._dsn)
        except psycopg2.Error as exc:
            raise ResultsStoreError(f"invalid results database URL {self._location}: {self._clean(exc)}; "
                                    "the form is postgresql://user:password@host:port/dbname") from None
        self._secrets = [s for s in (parsed.get("password"),) if s]  # scrubbed from every message
        self._server = f"{parsed.get('host', 'localhost')}:{parsed.get('port', '5432')}"
        self._user, self._db = parsed.get("user", "?"), parsed.get("dbname", "?")
        self._conn: Any = None
        conn = self._connect()
        try:
            self._create_schema(conn)
        except psycopg2.Error as exc:
            conn.close()
            raise ResultsStoreError(f"cannot create the results tables in {self._location} ({self._clean(exc)}). "
                                    f"The user {self._user!r} needs CREATE rights on database {self._db!r}.") from None
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    @property
    def location(self) -> str:
        return self._location

    def _clean(self, exc: BaseException) -> str:
        """The driver's message on one line, with the password scrubbed in case it was echoed."""
        text = " ".join(str(exc).split()) or type(exc).__name__
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def _connect(self) -> Any:
        try:
            conn = self._pg.connect(self._dsn, connect_timeout=PG_CONNECT_TIMEOUT_S,
                                    application_name="objection-coach-results")
        except self._pg.Error as exc:
            raise ResultsStoreError(
                f"cannot connect to the results database {self._location} ({self._clean(exc)}). Check that "
                f"PostgreSQL is running at {self._server}, that user {self._user!r} and its password are right "
                f"and that database {self._db!r} exists (createdb), then fix COACH_RESULTS_DB (or --db).") from None
        # Autocommit: a read must not leave the session idle in a transaction; writes BEGIN/COMMIT themselves.
        conn.autocommit = True
        return conn

    def _create_schema(self, conn: Any) -> None:
        with conn.cursor() as cur:
            cur.execute("BEGIN")
            try:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (self._SCHEMA_LOCK_KEY,))
                for statement in self._SCHEMA:
                    cur.execute(statement)
                cur.execute("INSERT INTO meta (key, value) VALUES ('schema_version', %s) ON CONFLICT (key) DO NOTHING",
                            (str(SCHEMA_VERSION),))
                cur.execute("SELECT value FROM meta WHERE key = 'schema_version'")
                version = cur.fetchone()[0]
                if int(version) > SCHEMA_VERSION:
                    raise ResultsStoreError(f"results database schema version {version} is newer than this code "
                                            f"understands ({SCHEMA_VERSION}); update Objection Coach.")
                cur.execute("COMMIT")
            except BaseException:
                if not conn.closed:
                    cur.execute("ROLLBACK")
                raise

    def _run(self, operation: Callable[[Any], Any]) -> Any:
        """Run operation(cursor); after a dropped connection (server restart), reconnect once and retry.

        Retrying is safe: reads are reads, and an insert that did commit before the drop is
        not stored twice (ON CONFLICT), it just reports False.
        """
        for attempt in (1, 2):
            if self._conn is None or self._conn.closed:
                self._conn = self._connect()  # ResultsStoreError if the server is still down
            try:
                with self._conn.cursor() as cur:
                    return operation(cur)
            except (self._pg.OperationalError, self._pg.InterfaceError) as exc:
                if not self._conn.closed:  # the connection is fine: the statement itself failed
                    raise ResultsStoreError(f"results database {self._location}: {self._clean(exc)}") from None
                if attempt == 2:
                    raise ResultsStoreError(
                        f"lost the connection to the results database {self._location} twice in a row "
                        f"({self._clean(exc)}). Check that PostgreSQL is running at {self._server}.") from None
            except self._pg.Error as exc:
                raise ResultsStoreError(f"results database {self._location}: {self._clean(exc)}") from None
        raise AssertionError("unreachable")

    def insert(self, values: tuple) -> bool:
        for value in values:  # PostgreSQL text cannot hold NUL; say so rather than fail in the driver
            if isinstance(value, str) and "\x00" in value:
                raise ValueError(f"invalid drill result {values[0]!r}: text contains a NUL character")

        def insert(cur: Any) -> bool:
            # Autocommit: this single statement is its own transaction.
            cur.execute(self._INSERT, values)
            return cur.rowcount == 1
        return self._run(insert)

    def fetch(self, sql: str, params: tuple) -> list:
        def fetch(cur: Any) -> list:
            cur.execute(sql, params)
            return cur.fetchall()
        return self._run(fetch)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


# --- the store ---------------------------------------------------------------------------------

class ResultsStore:
    """Drill results in SQLite (a file path) or PostgreSQL (a postgresql:// URL); safe to share between threads."""

    def __init__(self, path: Target) -> None:
        self.target = str(path)  # as given (may hold a password): only compared, never shown
        backend = backend_for(path)(path)
        self.backend: str = backend.name
        self.path: Union[str, Path] = backend.location  # a Path for SQLite; the URL without password
        self._lock = threading.Lock()
        self._backend: Optional[Backend] = backend

    def __repr__(self) -> str:
        return f"ResultsStore({str(self.path)!r})"

    def _open(self) -> Backend:
        if self._backend is None:
            raise ResultsStoreError(f"results store {self.path} is closed")
        return self._backend

    def _where(self, rep_id: Optional[str], backend: Backend) -> tuple:
        return (f"WHERE rep_id = {backend.param}", (rep_id,)) if rep_id is not None else ("", ())

    def add(self, result: DrillResult) -> bool:
        """Store a finished drill; False if its result_id is already stored (a retried call)."""
        validate(result)
        values = (result.result_id, result.rep_id, result.drill_id, result.objection, result.difficulty,
                  result.score, int(result.passed), result.outcome, int(result.truth_uncovered),
                  _to_json(result.moves, "moves", result.result_id),
                  _to_json(result.transcript, "transcript", result.result_id),
                  float(result.started_at), float(result.finished_at))
        with self._lock:
            return self._open().insert(values)

    def results(self, rep_id: Optional[str] = None) -> List[DrillResult]:
        """Stored results, oldest first (by finished_at, then insertion order)."""
        with self._lock:
            backend = self._open()
            where, params = self._where(rep_id, backend)
            rows = backend.fetch(f"SELECT {', '.join(_COLUMNS)} FROM results {where} ORDER BY finished_at, seq",
                                 params)
        return [DrillResult(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7], bool(r[8]),
                            json.loads(r[9]), json.loads(r[10]), r[11], r[12]) for r in rows]

    def progress(self, rep_id: Optional[str] = None) -> List[ProgressRow]:
        """Per rep and objection: attempts, first/best/latest score, passes; sorted by rep_id, objection."""
        with self._lock:
            backend = self._open()
            where, params = self._where(rep_id, backend)
            rows = backend.fetch(_PROGRESS.format(where=where), params)
        return [ProgressRow(*row) for row in rows]

    def count(self) -> int:
        with self._lock:
            return self._open().fetch("SELECT COUNT(*) FROM results", ())[0][0]

    @property
    def closed(self) -> bool:
        return self._backend is None

    def close(self) -> None:
        with self._lock:
            if self._backend is not None:
                self._backend.close()
                self._backend = None

    def __enter__(self) -> "ResultsStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def default_path() -> Union[Path, str]:
    """$COACH_RESULTS_DB if set (a Path, or the URL string as given), else .state/results.db in the project."""
    override = os.environ.get("COACH_RESULTS_DB")
    if override and is_url(override):
        return override  # not a Path: Path() would fold the URL's "//"
    return Path(override) if override else PROJECT_ROOT / ".state" / "results.db"


_default: Optional[ResultsStore] = None
_default_lock = threading.Lock()


def default_store() -> ResultsStore:
    """The process-wide store for default_path(); re-opened when COACH_RESULTS_DB changes or it was closed."""
    global _default
    path = default_path()
    with _default_lock:
        if _default is None or _default.closed or _default.target != str(path):
            if _default is not None:
                _default.close()
            _default = ResultsStore(path)
        return _default
