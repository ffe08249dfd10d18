"""Speed fixes for rasa 3.6's own hot paths, installed in the Rasa server process when our
channels are created (coach/server/channels/base.py).

RemoteAction checks each action server response with `jsonschema.validate(result, spec)`, which
re-validates the *spec itself* against the JSON Schema meta-schema on every call. Profiling the
coach under load (docs/performance.md, "What was fixed") put two thirds of the Rasa process's CPU
there. We check with validators built once from the same spec (ResponseCheck): the same
responses pass and fail, with the same error message.

EndpointConfig.request opens a new aiohttp ClientSession, so a new TCP connection, for every
action call. We keep one session per endpoint and event loop, with keep-alive connections that
the client drops (after 4 s idle) before the action server's Sanic does (5 s), so a reused
connection is never one the server is closing.

Rebuilding a tracker from the tracker store costs ~70 µs per stored event, and most of it is
not the database: Event.resolve_by_type walks every Event subclass for each event, and the
query builds a full ORM object per row when only the JSON column is read. We memoise the type
lookup and select the JSON column alone (same rows, same order, same trackers).

The SQLite tracker store opens and closes a connection for every read and write (SQLAlchemy 1.4
uses NullPool for SQLite files) in rollback-journal mode, which syncs a journal on every commit.
We keep pooled connections in WAL mode (_pool_sqlite_connections, _sqlite_pragmas).

A long conversation got slower with every message (300 messages of one rep: median 19 ms at the
start, 115 ms at message 300): Rasa loads, replays, featurises and sends to the action server
every event of the current session, and a session only ends after 480 idle minutes. With
"session_cap" a session also ends, Rasa's own way (action_session_start, slots carried over),
once it holds SESSION_EVENT_CAP events, but never while a drill's form is active
(`scripts/bench_long_conversation.py` measures it). Even within a capped session, finding the
session's start read every stored event of the sender (the events table is indexed on sender_id
only), so each message still cost more as the rep's history grew: "session_index" adds indexes on
(sender_id, type_name, timestamp) and (sender_id, timestamp) and finds the start first, then reads
the events from it (same rows, same order). And a new session carried over every SlotSet event
of the old one, its own carried-over copies included, so each session started bigger than the last
(300 quick answers: 40,000 slot events, a new session at almost every message): "compact_carry_over"
carries one SlotSet per slot, its latest value (the same slots after the session starts).

Each fix is a named patch (PATCHES). COACH_RASA_SPEEDUPS picks them: "all" (default), "none", or
names joined by commas; `python scripts/bench.py fixes` measures them one by one (docs/performance.md).
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional

import aiohttp

from coach import settings

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

CLIENT_KEEPALIVE_S = 4.0  # below Sanic's default KEEP_ALIVE_TIMEOUT of 5 s (the action server)
SESSION_EVENT_CAP = 250  # events of one session: about 30 quick answers (8-9 events each)
# Created when the tracker store opens (IF NOT EXISTS: SQLite and PostgreSQL alike).
EVENT_INDEXES = (("coach_events_session_starts", "sender_id, type_name, timestamp"),
                 ("coach_events_sender_time", "sender_id, timestamp"))

_lock = threading.Lock()
_installed: Optional[List[str]] = None  # the patches applied, once install() ran


class ResponseCheck:
    """rasa's action-response schema check, exact but fast.

    The schema's `oneOf` has one branch per event type, each pinned by `const` on the required
    `event` key, so an event can only ever match the branch of its own type: we validate each
    event against that branch alone (1 branch instead of ~25). Anything that fails the fast path
    is re-checked with the full schema, so a rejection carries rasa's own error.
    """

    def __init__(self, spec: Dict[str, Any]) -> None:
        from jsonschema import validators

        validator_class = validators.validator_for(spec)
        validator_class.check_schema(spec)  # once, instead of once per action call
        self.full = validator_class(spec)
        item = spec["properties"]["events"]["items"]
        shared = {k: v for k, v in item.items() if k != "oneOf"}
        self.by_type = {branch["properties"]["event"]["const"]: validator_class({**shared, "allOf": [branch]})
                        for branch in item["oneOf"]}
        self.responses = validator_class(spec["properties"]["responses"])

    def fast_ok(self, result: Any) -> bool:
        if not isinstance(result, dict):
            return False
        events = result.get("events", [])
        if not isinstance(events, list):
            return False
        if "responses" in result and not self.responses.is_valid(result["responses"]):
            return False
        for event in events:
            name = event.get("event") if isinstance(event, dict) else None
            validator = self.by_type.get(name) if isinstance(name, str) else None
            if validator is None or not validator.is_valid(event):
                return False
        return True

    def errors(self, result: Any) -> Optional[ValidationError]:
        """None if valid, else the error rasa's own check would raise."""
        from jsonschema.exceptions import best_match

        return None if self.fast_ok(result) else best_match(self.full.iter_errors(result))


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite tracker store: WAL, so a commit needs no fsync of a rollback journal; committed
    events still survive a process kill (only a power cut can lose the last ones)."""
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()


# name -> installer, applied in this order; COACH_RASA_SPEEDUPS picks them (README, docs/performance.md).
PATCHES: Dict[str, Callable[[], None]] = {}


def patch(name: str) -> Callable[[Callable[[], None]], Callable[[], None]]:
    def register(installer: Callable[[], None]) -> Callable[[], None]:
        PATCHES[name] = installer
        return installer

    return register


def selected(setting: Optional[str] = None) -> List[str]:
    """Patch names chosen by COACH_RASA_SPEEDUPS: "all" (default), "none"/"0", or names joined by commas."""
    value = (settings.current().rasa_speedups if setting is None else setting).strip()
    if value in ("all", "1", ""):
        return list(PATCHES)
    if value in ("none", "0"):
        return []
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in PATCHES]
    if unknown:
        raise ValueError(f"COACH_RASA_SPEEDUPS names unknown patches {', '.join(unknown)}; "
                         f"use all, none, or some of: {', '.join(PATCHES)}")
    return [name for name in PATCHES if name in names]


def install() -> List[str]:
    """Apply the selected patches once per process (safe to call from every channel); their names."""
    global _installed
    with _lock:
        if _installed is None:
            _installed = selected()
            for name in _installed:
                PATCHES[name]()
        return list(_installed)


@patch("response_check")
def _check_responses_fast() -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    check = ResponseCheck(RemoteAction.action_response_format_spec())

    def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
        error = check.errors(result)
        if error is not None:  # same wording as rasa's own check
            error.message += (
                ". Failed to validate Action server response from API, make sure your response from the "
                "Action endpoint is valid. For more information about the format visit "
                f"{DOCS_BASE_URL}/custom-actions")
            raise error
        return True

    RemoteAction._validate_action_result = _validate_action_result


@patch("shared_session")
def _share_sessions() -> None:
    from rasa.utils.endpoints import EndpointConfig

    EndpointConfig.session = _shared_session


@patch("event_types")
def _cache_event_types() -> None:
    """Event.resolve_by_type with a memo; unknown names still go to rasa's own lookup."""
    from rasa.shared.core.events import Event

    original = Event.resolve_by_type
    known: Dict[str, Any] = {}

    def resolve_by_type(type_name: str, default: Any = None) -> Any:
        found = known.get(type_name)
        if found is None:
            found = original(type_name, default)
            if found is not None and found is not default:  # a real class, not the fallback
                known[type_name] = found
        return found

    Event.resolve_by_type = staticmethod(resolve_by_type)


@patch("slim_query")
def _slim_event_query() -> None:
    """SQLTrackerStore reads `data` only (rows are used as `row.data`, and counted)."""
    from rasa.core.tracker_store import SQLTrackerStore

    original = SQLTrackerStore._event_query

    def _event_query(self: Any, session: Any, sender_id: str, fetch_events_from_all_sessions: bool) -> Any:
        query = original(self, session, sender_id, fetch_events_from_all_sessions)
        return query.with_entities(self.SQLEvent.data)

    SQLTrackerStore._event_query = _event_query


@patch("session_index")
def _index_session_starts() -> None:
    """The session's start by index, then its events by (sender_id, timestamp): no scan of the history."""
    import sqlalchemy as sa
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import SessionStarted

    original_init = SQLTrackerStore.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        with self.engine.begin() as connection:
            for name, columns in EVENT_INDEXES:
                connection.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {name} ON events ({columns})"))

    def _event_query(self: Any, session: Any, sender_id: str, fetch_events_from_all_sessions: bool) -> Any:
        query = session.query(self.SQLEvent.data).filter(self.SQLEvent.sender_id == sender_id)
        if not fetch_events_from_all_sessions:
            start = session.query(sa.func.max(self.SQLEvent.timestamp)).filter(
                self.SQLEvent.sender_id == sender_id, self.SQLEvent.type_name == SessionStarted.type_name,
            ).scalar()
            if start is not None:  # no session start yet: every event is the current session's
                query = query.filter(self.SQLEvent.timestamp >= start)
        return query.order_by(self.SQLEvent.id)

    SQLTrackerStore.__init__ = __init__
    SQLTrackerStore._event_query = _event_query


@patch("compact_carry_over")
def _compact_carry_over() -> None:
    """ActionSessionStart carries over each slot's latest SlotSet, not every SlotSet of the session."""
    from rasa.core.actions.action import ActionSessionStart
    from rasa.shared.core.events import SlotSet

    def _slot_set_events_from_tracker(tracker: Any) -> List[Any]:
        latest: Dict[str, Any] = {}
        for event in tracker.applied_events():
            if isinstance(event, SlotSet):
                latest.pop(event.key, None)  # re-inserted: the order is that of the last setting
                latest[event.key] = SlotSet(key=event.key, value=event.value, metadata=event.metadata)
        return list(latest.values())

    ActionSessionStart._slot_set_events_from_tracker = staticmethod(_slot_set_events_from_tracker)


@patch("sqlite_pool")
def _pool_sqlite_connections() -> None:
    """Pooled WAL connections for a SQLite tracker store file (PostgreSQL already pools)."""
    from rasa.core import tracker_store
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.pool import QueuePool

    event.listen(Engine, "connect", _sqlite_pragmas)
    original = tracker_store.create_engine_kwargs

    def create_engine_kwargs(url: Any) -> Dict[str, Any]:
        kwargs = original(url)
        if str(url).startswith("sqlite:///") and str(url) != "sqlite:///":  # a file, not :memory:
            # check_same_thread off: a pooled connection may be handed to another thread; the pool
            # gives each connection to one user at a time.
            kwargs.update(poolclass=QueuePool, pool_size=5, max_overflow=10,
                          connect_args={"check_same_thread": False})
        return kwargs

    tracker_store.create_engine_kwargs = create_engine_kwargs


class _Borrowed:
    """`async with endpoint.session() as s`: hands out the shared session and leaves it open."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *exc: object) -> None:
        return None


def _shared_session(self: Any) -> _Borrowed:
    """EndpointConfig.session, but one long-lived session per endpoint and event loop."""
    import asyncio

    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT

    loop = asyncio.get_running_loop()
    sessions = self.__dict__.setdefault("_coach_sessions", {})
    session = sessions.get(loop)
    if session is None or session.closed:
        auth = (aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
                if self.basic_auth else None)
        session = aiohttp.ClientSession(
            headers=self.headers, auth=auth, timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=CLIENT_KEEPALIVE_S))
        sessions[loop] = session
    return _Borrowed(session)


@patch("session_cap")
def _cap_sessions() -> None:
    """A session with SESSION_EVENT_CAP events counts as expired, unless a form (a drill) is active."""
    from rasa.core.processor import MessageProcessor

    original = MessageProcessor._has_session_expired

    def _has_session_expired(self: Any, tracker: Any) -> bool:
        if original(self, tracker):
            return True
        # tracker.events holds the current session only (the tracker store loads it from its start).
        return (self.domain.session_config.are_sessions_enabled() and tracker.active_loop_name is None
                and len(tracker.events) >= SESSION_EVENT_CAP)

    MessageProcessor._has_session_expired = _has_session_expired
