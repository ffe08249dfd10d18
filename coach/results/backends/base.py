"""What every results backend shares: the interface, the tables and statements, and `redact`.

A backend is one open connection to one kind of database. ResultsStore (coach/results/store.py)
holds the lock and the public API; a backend opens the connection and creates the schema in
__init__ (raising ResultsStoreError), and runs statements written with `param` as the placeholder.
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, List, Tuple, Union

from coach.settings import is_url

SCHEMA_VERSION = 2  # 2: people (sign-in, roles) and assignments; a version-1 database is upgraded in place
Target = Union[str, Path]
Row = Tuple[Any, ...]

COLUMNS = ("result_id", "rep_id", "drill_id", "objection", "difficulty", "score", "passed", "outcome",
           "truth_uncovered", "moves", "transcript", "started_at", "finished_at")


def schema(seq: str, time: str, sort_text: str = "TEXT") -> Tuple[str, ...]:
    """The tables, in a backend's types for the auto-increment key, the unix times and the sort keys."""
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
    ) + _desk_schema(time, sort_text)


def _desk_schema(time: str, sort_text: str) -> Tuple[str, ...]:
    """Schema 2's tables: who may sign in, and what trainers assign."""
    return (
        # Reps and trainers (coach/people/): person_id is the Rasa sender id and results.rep_id.
        # secret_hash is an Argon2 hash; bumping token_version (or revoked_at) ends every token at once.
        f"""CREATE TABLE IF NOT EXISTS people (
        person_id {sort_text} PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        team {sort_text} NOT NULL,
        secret_hash TEXT NOT NULL,
        token_version INTEGER NOT NULL,
        created_at {time} NOT NULL,
        created_by TEXT NOT NULL,
        revoked_at {time}
    )""",
        # A trainer's assignment (coach/practice/): ordered drills for one rep or a whole team, by a date.
        f"""CREATE TABLE IF NOT EXISTS assignments (
        assignment_id TEXT PRIMARY KEY,
        rep_id TEXT,
        team TEXT,
        title TEXT NOT NULL,
        drill_ids TEXT NOT NULL,
        due_at {time} NOT NULL,
        created_by TEXT NOT NULL,
        created_at {time} NOT NULL,
        removed_at {time}
    )""",
    )


def insert_sql(param: str) -> str:
    # ON CONFLICT ... DO NOTHING is understood by SQLite (3.24+) and PostgreSQL alike.
    return (f"INSERT INTO results ({', '.join(COLUMNS)}) VALUES ({', '.join(param for _ in COLUMNS)}) "
            "ON CONFLICT (result_id) DO NOTHING")


# An attempt with a rep reply (coach.results.report.replied): a moves entry per rep turn and a "rep"
# line in the transcript. Older databases hold attempts without one. replace()/length() rather than
# LIKE '%...%': psycopg2 would read the % signs as placeholders; both databases have them.
REPLIED = ("moves <> '[]' AND length(replace(transcript, '\"speaker\": \"rep\"', '')) "
           "< length(transcript)")

# First and latest by finished_at, then insertion order; window functions need SQLite 3.25+.
# {where} (a rep filter, from ResultsStore) applies inside; attempts without a reply never count.
PROGRESS = """
WITH ranked AS (
    SELECT rep_id, objection, score, passed, finished_at,
           ROW_NUMBER() OVER (PARTITION BY rep_id, objection ORDER BY finished_at, seq) AS from_first,
           ROW_NUMBER() OVER (PARTITION BY rep_id, objection ORDER BY finished_at DESC, seq DESC) AS from_last
    FROM (SELECT * FROM results {where}) AS chosen
    WHERE """ + REPLIED + """
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


UPGRADE_SQL = "UPDATE meta SET value = {p} WHERE key = 'schema_version' AND value = '1'"


def newer_schema(version: object) -> str:
    """The message for a database written by a newer coach."""
    return (f"results database schema version {version} is newer than this code "
            f"understands ({SCHEMA_VERSION}); update Objection Coach.")


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


class Backend(ABC):
    """One open connection to one kind of database; see the module docstring."""

    name = "?"
    param = "?"
    schemes: Tuple[str, ...] = ()  # URL schemes it serves (PATH_SCHEME: file paths), see register_backend

    @abstractmethod
    def __init__(self, target: Target) -> None:
        """Open the connection and create the schema; ResultsStoreError if the database is unusable."""

    @property
    @abstractmethod
    def location(self) -> Union[str, Path]:
        """Where the data is, safe to print (no password)."""

    @abstractmethod
    def insert(self, values: Row) -> bool:
        """Insert one row in its own transaction; False if its result_id was already stored."""

    @abstractmethod
    def execute(self, sql: str, params: Row) -> int:
        """Run one writing statement in its own transaction; the number of rows it changed."""

    @abstractmethod
    def fetch(self, sql: str, params: Row) -> List[Row]:
        """The rows of one query."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection; the backend is not used again."""
