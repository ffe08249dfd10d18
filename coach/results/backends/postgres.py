"""Drill results in a PostgreSQL database shared by several action servers (psycopg2).

Times are DOUBLE PRECISION (REAL is a 4-byte float, which would round unix times to minutes);
rep ids sort by code point (COLLATE "C") as in SQLite; a connection dropped by a server restart
is reopened once before the call fails. Passwords never appear in messages: the URL is shown
through `redact`, and the driver's own messages are scrubbed of the password.
"""
from __future__ import annotations

from typing import Any, Callable, List, TypeVar

from coach.errors import ResultsStoreError
from coach.results.backends.base import (
    SCHEMA_VERSION,
    UPGRADE_SQL,
    Backend,
    Row,
    Target,
    insert_sql,
    newer_schema,
    redact,
    schema,
)

PG_CONNECT_TIMEOUT_S = 10  # an unreachable server must fail a drill's store call, not hang it
URL_FORM = "postgresql://user:password@host:port/dbname"

T = TypeVar("T")


def _driver() -> Any:
    try:
        import psycopg2
        import psycopg2.extensions
    except ImportError as exc:  # pragma: no cover - psycopg2-binary comes with rasa
        raise ResultsStoreError(f"the PostgreSQL results store needs psycopg2 ({exc}); "
                                "install psycopg2-binary into the venv.") from None
    return psycopg2


class PostgresBackend(Backend):
    """Drill results in a PostgreSQL database shared by several action servers (psycopg2)."""

    name = "postgresql"
    param = "%s"
    schemes = ("postgresql", "postgres")
    # COLLATE "C": progress sorts rep ids by code point as SQLite does, whatever the database's locale.
    _SCHEMA = schema("BIGSERIAL PRIMARY KEY", "DOUBLE PRECISION", 'TEXT COLLATE "C"')
    _INSERT = insert_sql("%s")
    # Held while creating the schema: concurrent CREATE TABLE IF NOT EXISTS can still collide in PostgreSQL.
    _SCHEMA_LOCK_KEY = 0x636F616368  # "coach"

    def __init__(self, target: Target) -> None:
        self._pg = _driver()
        self._dsn = str(target)
        self._location = redact(target)
        self._secrets: List[str] = []
        try:
            parsed = self._pg.extensions.parse_dsn(self._dsn)
        except self._pg.Error as exc:
            raise ResultsStoreError(f"invalid results database URL {self._location}: {self._clean(exc)}; "
                                    f"the form is {URL_FORM}") from None
        self._secrets = [s for s in (parsed.get("password"),) if s]  # scrubbed from every message
        self._server = f"{parsed.get('host', 'localhost')}:{parsed.get('port', '5432')}"
        self._user, self._db = parsed.get("user", "?"), parsed.get("dbname", "?")
        self._conn: Any = None
        conn = self._connect()
        try:
            self._create_schema(conn)
        except self._pg.Error as exc:
            conn.close()
            raise ResultsStoreError(
                f"cannot create the results tables in {self._location} ({self._clean(exc)}). "
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

    def _failed(self, exc: BaseException) -> ResultsStoreError:
        return ResultsStoreError(f"results database {self._location}: {self._clean(exc)}")

    def _connect(self) -> Any:
        try:
            conn = self._pg.connect(self._dsn, connect_timeout=PG_CONNECT_TIMEOUT_S,
                                    application_name="objection-coach-results")
        except self._pg.Error as exc:
            raise ResultsStoreError(
                f"cannot connect to the results database {self._location} ({self._clean(exc)}). Check that "
                f"PostgreSQL is running at {self._server}, that user {self._user!r} and its password are "
                f"right and that database {self._db!r} exists (createdb), then fix COACH_RESULTS_DB "
                "(or --db).") from None
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
                cur.execute("INSERT INTO meta (key, value) VALUES ('schema_version', %s) "
                            "ON CONFLICT (key) DO NOTHING", (str(SCHEMA_VERSION),))
                cur.execute("SELECT value FROM meta WHERE key = 'schema_version'")
                version = cur.fetchone()[0]
                if int(version) > SCHEMA_VERSION:
                    raise ResultsStoreError(newer_schema(version))
                cur.execute(UPGRADE_SQL.format(p="%s"), (str(SCHEMA_VERSION),))
                cur.execute("COMMIT")
            except BaseException:
                if not conn.closed:
                    cur.execute("ROLLBACK")
                raise

    def _run(self, operation: Callable[[Any], T]) -> T:
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
                    raise self._failed(exc) from None
                if attempt == 2:
                    raise ResultsStoreError(
                        f"lost the connection to the results database {self._location} twice in a row "
                        f"({self._clean(exc)}). Check that PostgreSQL is running at {self._server}."
                    ) from None
            except self._pg.Error as exc:
                raise self._failed(exc) from None
        raise AssertionError("unreachable")

    def insert(self, values: Row) -> bool:
        for value in values:  # PostgreSQL text cannot hold NUL; say so rather than fail in the driver
            if isinstance(value, str) and "\x00" in value:
                raise ValueError(f"invalid drill result {values[0]!r}: text contains a NUL character")

        def insert(cur: Any) -> bool:
            # Autocommit: this single statement is its own transaction.
            cur.execute(self._INSERT, values)
            return bool(cur.rowcount == 1)

        return self._run(insert)

    def execute(self, sql: str, params: Row) -> int:
        def execute(cur: Any) -> int:
            cur.execute(sql, params)  # autocommit: one statement, one transaction
            return int(cur.rowcount)

        return self._run(execute)

    def fetch(self, sql: str, params: Row) -> List[Row]:
        def fetch(cur: Any) -> List[Row]:
            cur.execute(sql, params)
            return list(cur.fetchall())

        return self._run(fetch)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
