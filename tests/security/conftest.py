"""Helpers for the network-hardening tests (issue "part 9").

`rasa_app` is the app `rasa run` builds (rasa.core.run.configure_app, no HTTP API) with both of
the coach's channels, reached through its ASGI interface: no server, no model. `raw_http` talks
to a real server over a socket, for what ASGI cannot show (body limits, timeouts, binding).
The tests marked `servers` use the shared servers of tests/conftest.py (scripts/run.sh).
"""
from __future__ import annotations

import asyncio
import itertools
import re
import socket
from pathlib import Path
from typing import Any, Dict, List, NamedTuple, Sequence, Tuple

import pytest
import rasa.core.run
from sanic import Sanic

from coach.server.channels.base import install_app_hooks
from coach.server.channels.rest import CoachRestInput
from coach.server.channels.web import CoachWebInput

Headers = Sequence[Tuple[str, str]]
JSON: List[Tuple[str, str]] = [("content-type", "application/json")]
_numbers = itertools.count()


class Answer(NamedTuple):
    status: int
    headers: Dict[str, List[str]]  # lower-case name -> every value sent
    body: bytes


class _Agent:
    """Stands in for Rasa's agent: echoes the text, and keeps each message it was handed."""

    def __init__(self) -> None:
        self.messages: List[Any] = []

    async def handle_message(self, message: Any) -> None:
        self.messages.append(message)
        await message.output_channel.send_text_message(message.sender_id, f"echo {message.text}")


def asgi(app: Sanic, method: str, path: str, body: bytes = b"", headers: Headers = (),
         host: str = "127.0.0.1:5005") -> Answer:
    """One request through the app's ASGI interface."""
    async def run() -> Answer:
        sent: List[Dict[str, Any]] = []
        if not app.router.finalized:  # ASGI start-up, once: it finalises the routes
            lifespan: asyncio.Queue = asyncio.Queue()
            await lifespan.put({"type": "lifespan.startup"})
            started = asyncio.ensure_future(app({"type": "lifespan", "asgi": {"version": "3.0"}},
                                                lifespan.get, lambda message: asyncio.sleep(0)))
            while not app.router.finalized:
                await asyncio.sleep(0.01)
            started.cancel()

        async def receive() -> Dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Dict[str, Any]) -> None:
            sent.append(message)

        path_only, _, query = path.partition("?")
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
                 "scheme": "http", "path": path_only, "raw_path": path_only.encode(),
                 "query_string": query.encode(), "root_path": "",
                 "headers": [(b"host", host.encode())] + [(k.encode(), v.encode()) for k, v in headers],
                 "server": ("127.0.0.1", 5005), "client": ("127.0.0.1", 1)}
        await app(scope, receive, send)
        start = next(m for m in sent if m["type"] == "http.response.start")
        found: Dict[str, List[str]] = {}
        for name, value in start["headers"]:
            found.setdefault(name.decode().lower(), []).append(value.decode())
        return Answer(start["status"], found,
                      b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"))

    return asyncio.run(run())


@pytest.fixture
def rasa_app(monkeypatch: pytest.MonkeyPatch, results_db: Path) -> Sanic:
    """The app of `rasa run --credentials credentials.yml` (no --enable-api, no --cors), echoing."""
    monkeypatch.setenv("COACH_CHAT_SECRET", "test-secret")
    monkeypatch.setattr(Sanic, "_app_registry", {})  # Rasa names every app the same
    install_app_hooks()  # what creating a channel does in `rasa run`
    app = rasa.core.run.configure_app([CoachRestInput(), CoachWebInput()], enable_api=False,
                                      port=5005, route="/webhooks/")
    app.ctx.agent = _Agent()
    app.name = f"coach-security-{next(_numbers)}"
    return app


# --- a real server --------------------------------------------------------------------------------------

def raw_http(port: int, request: bytes, timeout: float = 30) -> bytes:
    """Send `request` as is and read until the server closes the connection (or `timeout`)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(request)
        return read_all(conn)


def read_all(conn: socket.socket) -> bytes:
    chunks = []
    try:
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    except (TimeoutError, ConnectionResetError):
        pass
    return b"".join(chunks)


def action_port(log: Path) -> int:
    """The action server's port, as scripts/run.sh announced it in its log."""
    found = re.search(r"starting the action server on :(\d+)", log.read_text())
    assert found, "scripts/run.sh did not say where it started the action server"
    return int(found.group(1))
