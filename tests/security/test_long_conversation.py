"""Finding 5: a long conversation's cost is bounded by starting a new session (Rasa's own way) once
the session holds SESSION_EVENT_CAP events, never in the middle of a drill's form.
Latency figures: scripts/bench_long_conversation.py prints them."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import SessionConfig
from rasa.shared.core.events import ActionExecuted, ActiveLoop, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from coach.server import patches


@pytest.fixture
def expired(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(MessageProcessor, "_has_session_expired", MessageProcessor._has_session_expired)
    patches.PATCHES["session_cap"]()
    processor = SimpleNamespace(domain=SimpleNamespace(session_config=SessionConfig(480, True)))
    return lambda tracker: MessageProcessor._has_session_expired(processor, tracker)  # type: ignore[arg-type]


def _tracker(messages: int, loop: str = "") -> DialogueStateTracker:
    events = []
    for n in range(messages):
        events += [UserUttered(f"line {n}"), ActionExecuted("action_objection"),
                   ActionExecuted("action_listen")]
    if loop:
        events.append(ActiveLoop(loop))
    return DialogueStateTracker.from_events("rep-long", events)


def test_a_session_at_the_cap_starts_anew(expired) -> None:
    below = _tracker((patches.SESSION_EVENT_CAP - 1) // 3)
    assert not expired(below)
    assert expired(_tracker(patches.SESSION_EVENT_CAP // 3 + 1))


def test_never_in_the_middle_of_a_drill(expired) -> None:
    assert not expired(_tracker(patches.SESSION_EVENT_CAP // 3 + 1, loop="drill_form"))


def test_the_cap_is_one_of_the_selectable_speedups() -> None:
    assert "session_cap" in patches.selected("all") and "session_cap" not in patches.selected("none")
