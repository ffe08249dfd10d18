"""Finding 1: who may post over REST. Loopback without a token: anyone on this machine (scripts,
tests); with COACH_API_TOKEN: only "Authorization: Bearer <token>"; exposed without a token: off."""
from __future__ import annotations

import json

import pytest
from sanic import Sanic

from coach.server.__main__ import with_interface
from tests.asgi import asgi
from tests.security.conftest import JSON

MESSAGE = json.dumps({"sender": "rep-1", "message": "hi"}).encode()
TOKEN = "s3cret-token-for-tests"


def _post(app: Sanic, *headers: tuple) -> tuple:
    answer = asgi(app, "POST", "/webhooks/rest/webhook", MESSAGE, [*JSON, *headers])
    return answer.status, json.loads(answer.body)


def test_loopback_without_a_token_keeps_working(rasa_app: Sanic) -> None:
    assert _post(rasa_app) == (200, [{"recipient_id": "rep-1", "text": "echo hi"}])


@pytest.mark.parametrize("headers", [(), (("authorization", "Bearer wrong"),),
                                     (("authorization", f"Basic {TOKEN}"),),
                                     (("authorization", f"Bearer {TOKEN}x"),),
                                     (("authorization", "Bearer "),)])
def test_with_a_token_set_requests_without_it_get_401(rasa_app: Sanic, monkeypatch, headers) -> None:
    monkeypatch.setenv("COACH_API_TOKEN", TOKEN)
    status, body = _post(rasa_app, *headers)
    assert status == 401 and "Authorization: Bearer" in body["error"]
    assert rasa_app.ctx.agent.messages == []


def test_with_the_token_a_message_goes_through(rasa_app: Sanic, monkeypatch) -> None:
    monkeypatch.setenv("COACH_API_TOKEN", TOKEN)
    monkeypatch.setenv("COACH_HOST", "0.0.0.0")
    assert _post(rasa_app, ("authorization", f"Bearer {TOKEN}"))[0] == 200


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::"])
def test_exposed_without_a_token_rest_is_off(rasa_app: Sanic, monkeypatch, host: str) -> None:
    monkeypatch.setenv("COACH_HOST", host)
    status, body = _post(rasa_app, ("authorization", "Bearer anything"))
    assert status == 403 and "off" in body["error"] and "COACH_API_TOKEN" in body["error"]
    assert rasa_app.ctx.agent.messages == []


def test_the_launcher_binds_loopback_unless_told(monkeypatch) -> None:
    monkeypatch.delenv("COACH_HOST", raising=False)
    assert with_interface(["run", "--port", "5005"]) == ["run", "--port", "5005", "--interface", "127.0.0.1"]
    monkeypatch.setenv("COACH_HOST", "10.0.0.5")
    assert with_interface(["run"])[-2:] == ["--interface", "10.0.0.5"]


def test_an_interface_given_to_the_launcher_is_where_the_channels_think_they_are(monkeypatch) -> None:
    from coach import settings

    monkeypatch.setenv("COACH_HOST", "127.0.0.1")  # recorded, so the launcher's change is undone after

    assert with_interface(["run", "-i", "0.0.0.0"]) == ["run", "-i", "0.0.0.0"]
    assert settings.current().host == "0.0.0.0"  # so REST turns itself off without a token
    assert with_interface(["shell"]) == ["shell"]
