"""Finding 9: the Host allowlist (DNS rebinding), nosniff, no Access-Control-Allow-Credentials,
and Sanic's limits, on the app `rasa run` really builds (rasa.core.run.configure_app)."""
from __future__ import annotations

import json
import logging

import pytest
from sanic import Sanic

from coach.server.channels.base import BODY_TIMEOUT_S, allowed_hosts
from coach.server.channels.inbound import MAX_BODY
from tests.asgi import asgi
from tests.security.conftest import JSON

MESSAGE = json.dumps({"sender": "rep-1", "message": "hi"}).encode()
# (method, path, body, headers): Rasa's own root route, both channels' health, a REST message, a page file.
ROUTES = [("GET", "/", b"", []), ("GET", "/webhooks/rest/", b"", []),
          ("GET", "/webhooks/coach/health", b"", []), ("POST", "/webhooks/rest/webhook", MESSAGE, JSON),
          ("GET", "/webhooks/coach/strings?lang=en", b"", [])]


@pytest.mark.parametrize("method, path, body, headers", ROUTES)
def test_a_foreign_host_header_gets_400_on_every_route(rasa_app: Sanic, method, path, body, headers) -> None:
    answer = asgi(rasa_app, method, path, body, headers, host="rebind.attacker.example:5005")
    assert answer.status == 400
    assert "COACH_ALLOWED_HOSTS" in json.loads(answer.body)["error"]
    assert rasa_app.ctx.agent.messages == []  # nothing reached Rasa


@pytest.mark.parametrize("host", ["127.0.0.1:5005", "localhost", "LOCALHOST:80", "[::1]:5005"])
def test_loopback_host_names_are_answered(rasa_app: Sanic, host: str) -> None:
    answer = asgi(rasa_app, "POST", "/webhooks/rest/webhook", MESSAGE, JSON, host=host)
    assert answer.status == 200 and json.loads(answer.body)[0]["text"] == "echo hi"


def test_allowed_hosts_come_from_the_setting_and_ignore_ports(rasa_app: Sanic, monkeypatch) -> None:
    monkeypatch.setenv("COACH_HOST", "0.0.0.0")
    monkeypatch.setenv("COACH_ALLOWED_HOSTS", "coach.example.com, Other.Example")
    assert allowed_hosts() == {"localhost", "127.0.0.1", "::1", "coach.example.com", "other.example"}
    assert asgi(rasa_app, "GET", "/webhooks/coach/health", host="coach.example.com:8443").status == 200
    assert asgi(rasa_app, "GET", "/webhooks/coach/health", host="evil.example").status == 400


def test_the_bound_address_is_allowed_by_default(monkeypatch) -> None:
    monkeypatch.setenv("COACH_HOST", "192.168.1.20")
    assert allowed_hosts() == {"localhost", "127.0.0.1", "::1", "192.168.1.20"}
    monkeypatch.setenv("COACH_HOST", "0.0.0.0")  # every address: only the loopback names by default
    assert allowed_hosts() == {"localhost", "127.0.0.1", "::1"}


def test_a_refused_host_is_logged_as_one_line(rasa_app: Sanic, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        asgi(rasa_app, "GET", "/webhooks/coach/health", host="evil.example")
    lines = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(lines) == 1 and "\n" not in lines[0] and "evil.example" in lines[0]
    assert not any(r.exc_info for r in caplog.records)


@pytest.mark.parametrize("method, path, body, headers", ROUTES + [
    ("POST", "/webhooks/rest/webhook", b"{", JSON),  # an error reply
    ("GET", "/webhooks/coach/static/nothing.js", b"", []),  # the page channel's 404
])
def test_every_response_says_nosniff_and_never_allows_credentials(rasa_app: Sanic, method, path, body,
                                                                  headers) -> None:
    origin = [("origin", "http://127.0.0.1:5005")]
    answer = asgi(rasa_app, method, path, body, [*headers, *origin])
    assert answer.headers.get("x-content-type-options") == ["nosniff"]
    assert "access-control-allow-credentials" not in answer.headers
    assert not any(name.startswith("access-control-") for name in answer.headers)  # README: no CORS


def test_sanic_refuses_large_bodies_before_reading_them(rasa_app: Sanic) -> None:
    assert rasa_app.config.REQUEST_MAX_SIZE == MAX_BODY == 64 * 1024
    assert rasa_app.config.REQUEST_TIMEOUT <= 10 and BODY_TIMEOUT_S <= 10
