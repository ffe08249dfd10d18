"""The faster action-response check accepts and rejects exactly what rasa's own check does."""
from __future__ import annotations

import pytest
from jsonschema import ValidationError, validate

from coach import rasa_speedups
from rasa.core.actions.action import RemoteAction

RESPONSES = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "drill", "value": {"turn": 2, "transcript": [{"text": "您好"}]}}],
     "responses": [{"text": "王老板：「太贵了」", "custom": {"type": "customer_line"}}]},
    {"events": [{"event": "slot", "name": "drill_reply", "value": None}, {"event": "active_loop", "name": None}]},
    {"events": "not a list"},
    {"events": [{"no_event_key": 1}]},
    {"responses": "nope"},
    {"events": [{"event": 5}]},
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
    assert patched.__module__ == "coach.rasa_speedups"


@pytest.mark.parametrize("make_channel", ["rest", "coach"])
def test_both_channels_install_it(make_channel: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from coach.rest_channel import CoachRestInput
    from coach.web_channel import CoachWebInput

    monkeypatch.setattr(rasa_speedups, "_installed", False)
    monkeypatch.setattr(RemoteAction, "_validate_action_result", lambda self, result: "rasa's own")
    if make_channel == "rest":
        CoachRestInput().blueprint(lambda message: None)
    else:
        CoachWebInput()
    assert RemoteAction._validate_action_result.__module__ == "coach.rasa_speedups"


def test_switch_leaves_rasa_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rasa_speedups, "_installed", False)
    monkeypatch.setattr(RemoteAction, "_validate_action_result", lambda self, result: "rasa's own")
    monkeypatch.setenv("COACH_RASA_SPEEDUPS", "0")
    rasa_speedups.install()
    assert RemoteAction._validate_action_result(None, {}) == "rasa's own"
