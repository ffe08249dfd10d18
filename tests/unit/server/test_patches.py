"""The faster action-response check accepts and rejects exactly what rasa's own check does."""
from __future__ import annotations

import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

from coach.server import patches as rasa_speedups

RESPONSES = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "drill", "value": {"turn": 2, "transcript": [{"text": "您好"}]}}],
     "responses": [{"text": "王老板：「太贵了」", "custom": {"type": "customer_line"}}]},
    {"events": [{"event": "slot", "name": "drill_reply", "value": None},
                {"event": "active_loop", "name": None}]},
    {"events": "not a list"},
    {"events": [{"no_event_key": 1}]},
    {"responses": "nope"},
    {"events": [{"event": 5}]},
    {"events": [{"event": "user", "text": "太贵了",
                 "parse_data": {"intent": {"name": "objection_price", "confidence": 0.9},
                                "entities": [{"entity": "drill_id", "value": "x"}]}}]},
    # an entity without a value
    {"events": [{"event": "user", "parse_data": {"entities": [{"entity": "drill_id"}]}}]},
    {"events": [{"event": "bot", "text": "hi", "data": {"custom": {"type": "scorecard"}}},
                {"event": "followup", "name": "x"}]},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"name": "drill", "value": 1}]},  # no "event" key
    {"events": [{"event": "slot", "name": "drill"}]},  # slot without value
    {"events": [{"event": "slot", "name": "drill", "value": 1, "timestamp": "yesterday"}]},
    {"events": [{"event": "action", "name": "x", "hide_rule_turn": "yes"}]},
    {"events": [], "responses": [{"text": "ok"}, "not an object"]},
    ["not", "an", "object"],
]


def _upstream(result: dict) -> str:
    """What rasa 3.6's unpatched check does: '' when valid, else the error's message."""
    try:
        validate(result, RemoteAction.action_response_format_spec())
        return ""
    except ValidationError as exc:
        return exc.message


@pytest.mark.parametrize("result", RESPONSES)
def test_patched_check_agrees_with_rasa(result: dict) -> None:
    rasa_speedups.install()
    action = RemoteAction("validate_drill_form", None)
    expected = _upstream(result)
    if not expected:
        assert action._validate_action_result(result) is True
    else:
        with pytest.raises(ValidationError) as caught:
            action._validate_action_result(result)
        assert caught.value.message.startswith(expected)
        assert "Failed to validate Action server response" in caught.value.message


def test_install_is_idempotent_and_replaces_rasas_check() -> None:
    rasa_speedups.install()
    patched = RemoteAction._validate_action_result
    rasa_speedups.install()
    assert RemoteAction._validate_action_result is patched
    assert patched.__module__ == "coach.server.patches"


@pytest.mark.parametrize("make_channel", ["rest", "coach"])
def test_both_channels_install_it(make_channel: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from coach.server.channels.rest import CoachRestInput
    from coach.server.channels.web import CoachWebInput

    monkeypatch.setattr(rasa_speedups, "_installed", None)
    monkeypatch.setattr(RemoteAction, "_validate_action_result", lambda self, result: "rasa's own")
    if make_channel == "rest":
        CoachRestInput().blueprint(lambda message: None)
    else:
        CoachWebInput()
    assert RemoteAction._validate_action_result.__module__ == "coach.server.patches"


def test_switch_leaves_rasa_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rasa_speedups, "_installed", None)
    monkeypatch.setattr(RemoteAction, "_validate_action_result", lambda self, result: "rasa's own")
    monkeypatch.setenv("COACH_RASA_SPEEDUPS", "0")
    assert rasa_speedups.install() == []
    assert RemoteAction._validate_action_result(None, {}) == "rasa's own"


def test_tracker_store_sqlite_connections_use_wal(tmp_path) -> None:
    from sqlalchemy import create_engine

    rasa_speedups.install()
    engine = create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_event_type_lookup_is_memoised_but_unchanged() -> None:
    from rasa.shared.core.events import Event, SlotSet, UserUttered
    from rasa.shared.utils.common import all_subclasses

    rasa_speedups.install()
    for cls in all_subclasses(Event):
        first = next(c for c in all_subclasses(Event) if c.type_name == cls.type_name)
        assert Event.resolve_by_type(cls.type_name) is first
    assert Event.resolve_by_type("slot") is SlotSet and Event.resolve_by_type("user") is UserUttered
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    assert Event.resolve_by_type("topic") is None
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")


def test_sql_tracker_store_round_trip_with_the_slim_query(tmp_path) -> None:
    import asyncio

    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from coach.settings import PROJECT_ROOT

    rasa_speedups.install()
    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    store = SQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    old = [SessionStarted(timestamp=1), UserUttered("你好", timestamp=2)]
    new = [SessionStarted(timestamp=3), ActionExecuted("action_listen", timestamp=4),
           UserUttered("太贵了", {"name": "objection_price", "confidence": 0.9}, timestamp=5),
           SlotSet("drill", {"turn": 2, "transcript": ["您好"]}, timestamp=6),
           BotUttered("王老板：「贵」", timestamp=7)]

    async def run() -> tuple:
        await store.save(DialogueStateTracker.from_events("rep-1", old, domain.slots))
        await store.save(DialogueStateTracker.from_events("rep-1", old + new, domain.slots))  # stores `new`
        first = await store.retrieve("rep-1")
        await store.save(first)  # nothing new: stores nothing twice
        return first, await store.retrieve("rep-1")

    first, back = asyncio.run(run())
    assert list(first.events) == list(back.events) == new  # only the latest session, in order
    assert back.get_slot("drill") == {"turn": 2, "transcript": ["您好"]}
    full = asyncio.run(store.retrieve_full_tracker("rep-1"))
    assert len(full.events) == len(old + new)
    from sqlalchemy.pool import QueuePool

    assert isinstance(store.engine.pool, QueuePool)  # connections kept, not reopened per query
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    # The current session's events are found by index: the cost does not grow with the history.
    with store.session_scope() as session:
        query = store._event_query(session, "rep-1", fetch_events_from_all_sessions=False)
        sql = str(query.statement.compile(compile_kwargs={"literal_binds": True}))
    with store.engine.connect() as connection:
        plan = " ".join(str(row) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    assert "coach_events_sender_time" in plan and "SCAN" not in plan.replace("SCAN CONSTANT", "")


def test_a_new_session_carries_each_slot_once_with_its_latest_value() -> None:
    """Before: every SlotSet of the session was copied, its own carried-over copies included, so
    sessions grew without end. The slots after the session starts are the same."""
    from rasa.core.actions.action import ActionSessionStart
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SessionStarted, SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    from coach.settings import PROJECT_ROOT

    rasa_speedups.install()
    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    history = [SessionStarted(timestamp=1), SlotSet("language", "zh"),
               SlotSet("objection", "objection_price"), SlotSet("language", "en"),
               SlotSet("objection", "objection_price"), SlotSet("language", "en")]
    tracker = DialogueStateTracker.from_events("rep-1", history, domain.slots)
    carried = ActionSessionStart._slot_set_events_from_tracker(tracker)
    assert [(e.key, e.value) for e in carried] == [("objection", "objection_price"), ("language", "en")]
    again = DialogueStateTracker.from_events("rep-1", [SessionStarted(timestamp=2), *carried], domain.slots)
    assert again.current_slot_values() == tracker.current_slot_values()


def test_patches_are_chosen_by_name() -> None:
    everything = list(rasa_speedups.PATCHES)
    assert everything[:2] == ["response_check", "shared_session"] and "sqlite_pool" in everything
    assert rasa_speedups.selected("all") == everything and rasa_speedups.selected("none") == []
    # in registry order
    assert rasa_speedups.selected("sqlite_pool, response_check") == ["response_check", "sqlite_pool"]
    unknown = r"COACH_RASA_SPEEDUPS.*no_such_patch.*use all, none, or some of: response_check"
    with pytest.raises(ValueError, match=unknown):
        rasa_speedups.selected("response_check,no_such_patch")
