"""Both channels derive from CoachInput: /health, the one error shape, the Rasa patches (ASGI, no server)."""
from __future__ import annotations

import itertools
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Dict, List, Sequence, Tuple

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import register
from rasa.core.channels.rest import RestInput
from sanic import Sanic

from coach.errors import CoachError, InboundError
from coach.server import patches
from coach.server.channels.base import CoachInput
from coach.server.channels.rest import CoachRestInput
from coach.server.channels.web import CoachWebInput
from tests.asgi import asgi

CHANNELS = [CoachRestInput, CoachWebInput]
_app_numbers = itertools.count()


class _Agent:
    """What Rasa's register() hands each message to: here, an echo."""

    async def handle_message(self, message: Any) -> None:
        await message.output_channel.send_text_message(message.sender_id, f"echo {message.text}")


def _call(app: Sanic, method: str, path: str, body: bytes = b"",
          headers: Sequence[Tuple[str, str]] = ()) -> Tuple[int, Any]:
    """One HTTP request through the app's ASGI interface: (status, parsed JSON body)."""
    status, parsed, _ = call(app, method, path, body, headers)
    return status, parsed


def call(app: Sanic, method: str, path: str, body: bytes = b"", headers: Sequence[Tuple[str, str]] = (),
         client: str = "127.0.0.1") -> Tuple[int, Any, Dict[str, str]]:
    """One HTTP request through the app's ASGI interface, from `client`: (status, parsed JSON, headers)."""
    answer = asgi(app, method, path, body, headers, host="coach.test", client=client)
    return answer.status, json.loads(answer.body), {name: vals[-1] for name, vals in answer.headers.items()}


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, results_db: Path) -> Sanic:
    """A Sanic app with both channels mounted the way `rasa run` mounts them (people in a fresh database)."""
    monkeypatch.setenv("COACH_CHAT_SECRET", "test-secret")
    sanic = Sanic(f"coach-test-{next(_app_numbers)}")  # Sanic keeps every app's name for good
    sanic.ctx.agent = _Agent()
    register([CoachRestInput(), CoachWebInput()], sanic, route="/webhooks/")
    return sanic


@pytest.mark.parametrize("channel", CHANNELS)
def test_both_channels_derive_from_the_base(channel: type) -> None:
    assert issubclass(channel, CoachInput)
    assert channel.from_credentials(None).name() == {CoachRestInput: "rest", CoachWebInput: "coach"}[channel]


def test_the_rest_channel_is_still_a_rasa_rest_input() -> None:
    assert issubclass(CoachRestInput, RestInput) and CoachRestInput.name() == RestInput.name()


@pytest.mark.parametrize("path", ["/webhooks/rest/health", "/webhooks/rest/", "/webhooks/coach/health"])
def test_both_channels_answer_health(app: Sanic, path: str) -> None:
    assert _call(app, "GET", path) == (200, {"status": "ok"})


Headers = List[Tuple[str, str]]
JSON: Headers = [("content-type", "application/json")]


@pytest.mark.parametrize("path, body, headers, status, words", [
    ("/webhooks/rest/webhook", b'{"sender": "rep-1"}', JSON, 400, "missing"),
    ("/webhooks/rest/webhook", b"hi", [("content-type", "text/plain")], 415, "Content-Type"),
    ("/webhooks/coach/message", b"{}", JSON, 401, "sign in again"),
    ("/webhooks/coach/message", b"{}", [("origin", "http://evil.example")], 403, "other sites"),
    ("/webhooks/coach/login", b'{"name": "a", "code": "x"}', JSON, 400, "sign-in code"),
    ("/webhooks/coach/login", b'{"code": "rep-abc234.abcdefghjkmnpqrstu"}', JSON, 401, "not valid"),
])
def test_an_inbound_error_is_the_one_error_shape(app: Sanic, path: str, body: bytes, headers: Headers,
                                                 status: int, words: str) -> None:
    got, parsed = _call(app, "POST", path, body, headers)
    assert got == status and list(parsed) == ["error"] and words in parsed["error"]


def test_a_good_message_reaches_rasa_through_the_base(app: Sanic) -> None:
    body = b'{"sender": "rep-1", "message": "hi"}'
    status, replies = _call(app, "POST", "/webhooks/rest/webhook", body, JSON)
    assert status == 200 and replies == [{"recipient_id": "rep-1", "text": "echo hi"}]


def test_a_missing_page_file_is_a_404_in_the_error_shape(app: Sanic) -> None:
    assert _call(app, "GET", "/webhooks/coach/static/no-such-file.js") == (404, {"error": "not found"})


@pytest.mark.parametrize("channel", CHANNELS)
def test_creating_a_channel_installs_the_patches(channel: type, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_CHAT_SECRET", "test-secret")
    monkeypatch.setattr(patches, "_installed", None)
    monkeypatch.setattr(RemoteAction, "_validate_action_result", lambda self, result: "rasa's own")
    channel()
    assert RemoteAction._validate_action_result.__module__ == "coach.server.patches"


def test_inbound_errors_are_coach_errors() -> None:
    error = InboundError(413, "too long")
    assert isinstance(error, CoachError)
    assert (error.status, error.message, str(error)) == (413, "too long", "too long")


def test_a_channel_without_routes_says_so() -> None:
    class Bare(CoachInput):
        @classmethod
        def name(cls) -> str:
            return "bare"

    with pytest.raises(NotImplementedError):
        Bare().blueprint(SimpleNamespace())  # type: ignore[arg-type]
