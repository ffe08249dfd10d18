"""Helpers for the network-hardening tests (issue "part 9").

`rasa_app` is the app `rasa run` builds (rasa.core.run.configure_app, no HTTP API) with both of
the coach's channels, reached through its ASGI interface: no server, no model. `raw_http` talks
to a real server over a socket, for what ASGI cannot show (body limits, timeouts, binding).
The tests marked `servers` use the shared servers of tests/conftest.py (scripts/run.sh).
"""
from __future__ import annotations

import itertools
import re
import socket
from pathlib import Path
from typing import Any, List, Sequence, Tuple

import pytest
import rasa.core.run
from sanic import Sanic

from coach.server.channels.base import install_app_hooks
from coach.server.channels.rest import CoachRestInput
from coach.server.channels.web import CoachWebInput

Headers = Sequence[Tuple[str, str]]
JSON: List[Tuple[str, str]] = [("content-type", "application/json")]
_numbers = itertools.count()


class _Agent:
    """Stands in for Rasa's agent: echoes the text, and keeps each message it was handed."""

    def __init__(self) -> None:
        self.messages: List[Any] = []

    async def handle_message(self, message: Any) -> None:
        self.messages.append(message)
        await message.output_channel.send_text_message(message.sender_id, f"echo {message.text}")




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
