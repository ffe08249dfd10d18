"""Finished drill results: the records, and the store that keeps them in SQLite or PostgreSQL.

`COACH_RESULTS_DB` (or `ResultsStore(target)`) is either a file path, for SQLite, or a URL
`postgresql://user:password@host:port/db`; the backend is chosen by URL scheme
(coach/results/backends/). Every backend keeps the same semantics:

- one connection per store, guarded by a lock: the action server calls us from its asyncio
  thread, but nothing stops an action from using a worker thread;
- each insert is its own transaction and `result_id` is unique (ON CONFLICT DO NOTHING), so a
  retried store call stores a finished drill exactly once;
- `seq` records insertion order (the tie-break when two drills finish in the same second) and
  the schema version is kept in `meta`.

Passwords never appear in messages: see coach.results.backends.base.redact.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple

from coach.errors import ResultsStoreError
from coach.results.backends import Backend
from coach.results.backends.base import COLUMNS, PROGRESS, Row
from coach.results.shared import DatabaseStore, SharedStore, default_path

__all__ = ["OUTCOMES", "DrillResult", "ProgressRow", "ResultsStore", "ResultsStoreError", "default_path",
           "default_store", "reset_default_store", "validate"]

# How a drill can end; the drill engine sets one of these (coach/drill/engine.py).
OUTCOMES = ("goal", "out_of_turns", "walked_away", "stopped")


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
    moves: List[List[str]]  # per rep turn: its move names, e.g. [["acknowledge"], ["probe", "compare"]]
    transcript: List[Dict[str, Any]]  # [{"turn": 1, "speaker": "customer"|"rep", "text": "..."}, ...]
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
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


# (fields, the check, the message when it fails), in the order the problems are listed.
_CHECKS: Tuple[Tuple[Tuple[str, ...], Callable[[Any], bool], str], ...] = (
    (("result_id", "rep_id", "drill_id", "objection"), lambda v: isinstance(v, str) and bool(v.strip()),
     "{name} must be a non-empty string, got {value!r}"),
    (("difficulty",), lambda v: _is_int(v) and 1 <= v <= 3,
     "difficulty must be an int from 1 to 3, got {value!r}"),
    (("score",), lambda v: _is_int(v) and 0 <= v <= 100,
     "score must be an int from 0 to 100, got {value!r}"),
    (("outcome",), lambda v: v in OUTCOMES,
     "outcome must be one of " + ", ".join(OUTCOMES) + ", got {value!r}"),
    (("passed", "truth_uncovered"), lambda v: isinstance(v, bool),
     "{name} must be True or False, got {value!r}"),
    (("moves", "transcript"), lambda v: isinstance(v, list), "{name} must be a list, got {kind}"),
    (("started_at", "finished_at"), _is_time, "{name} must be a unix time (number), got {value!r}"),
)


def validate(result: DrillResult) -> None:
    """Raise ValueError listing every problem, so a bad caller is fixed in one go."""
    problems = [message.format(name=name, value=value, kind=type(value).__name__)
                for names, ok, message in _CHECKS for name in names
                if not ok(value := getattr(result, name))]
    if problems:
        raise ValueError(f"invalid drill result {result.result_id!r}: " + "; ".join(problems))


def _to_json(value: List[Any], name: str, result_id: str) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        problem = f"{name} is not JSON-serialisable ({exc})"
        raise ValueError(f"invalid drill result {result_id!r}: {problem}") from None


class ResultsStore(DatabaseStore):
    """Drill results in SQLite (a file path) or PostgreSQL (a postgresql:// URL); safe to share by threads.

    `backend` is the backend's name ("sqlite", "postgresql"); `path` is where the data is, safe to
    print (a Path for SQLite; a URL without its password).
    """

    kind = "results store"

    @staticmethod
    def _where(rep_id: Optional[str], backend: Backend) -> Tuple[str, Row]:
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
            rows = backend.fetch(f"SELECT {', '.join(COLUMNS)} FROM results {where} "
                                 "ORDER BY finished_at, seq", params)
        return [DrillResult(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7], bool(r[8]),
                            json.loads(r[9]), json.loads(r[10]), r[11], r[12]) for r in rows]

    def progress(self, rep_id: Optional[str] = None) -> List[ProgressRow]:
        """Per rep and objection: attempts, first/best/latest score, passes; sorted by rep_id, objection."""
        with self._lock:
            backend = self._open()
            where, params = self._where(rep_id, backend)
            rows = backend.fetch(PROGRESS.format(where=where), params)
        return [ProgressRow(*row) for row in rows]

    def count(self) -> int:
        with self._lock:
            return int(self._open().fetch("SELECT COUNT(*) FROM results", ())[0][0])


_shared: SharedStore[ResultsStore] = SharedStore(ResultsStore, f"{__name__}.default_store")


def default_store() -> ResultsStore:
    """The process-wide store for default_path(); reopened when COACH_RESULTS_DB changes or it was closed."""
    return _shared.get()


reset_default_store = _shared.reset
