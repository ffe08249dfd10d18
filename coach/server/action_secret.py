"""The secret the Rasa server sends with every action call, and the action server's check of it.

Without it, anything that can reach the action server's port can post a made-up tracker
(`next_action: action_stop_drill` with a `drill` slot claiming the goal) and store a forged
result. The secret is COACH_ACTIONS_SECRET, or a random one created once in .state/actions_secret
(owner-only); both processes read it from there, so `make run`, `make shell`, the tests and the
scale-out (which sets COACH_ACTIONS_SECRET for every replica and action server) all agree.

Rasa side: `install_sender()` adds the header to the action endpoint when the agent loads,
whatever endpoints file is used (an `X-Coach-Actions-Secret` header set in the file wins).
Action server side: `require_secret(app)` answers 401 to any call but /health without it.
"""
from __future__ import annotations

import hmac
import logging
import threading
from pathlib import Path
from typing import Any, Optional

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from coach import settings
from coach.secret_file import read_or_create
from coach.settings import STATE_DIR

logger = logging.getLogger(__name__)

HEADER = "X-Coach-Actions-Secret"
SECRET_FILE = STATE_DIR / "actions_secret"
OPEN_PATHS = ("/health",)  # run.sh and the scale test wait on it; it tells nothing
_lock = threading.Lock()
_sender_installed = False


def actions_secret(path: Path = SECRET_FILE) -> str:
    """COACH_ACTIONS_SECRET, else the secret in `path`, created once (0600) if it is missing."""
    configured = settings.current().actions_secret
    if configured:
        return configured
    return read_or_create(path, "COACH_ACTIONS_SECRET")


def attach(endpoint: Any, secret: Optional[str] = None) -> None:
    """Give an EndpointConfig the secret header, unless its endpoints file already set one."""
    if endpoint is None:
        return
    endpoint.headers = dict(endpoint.headers or {})
    if HEADER.lower() not in {name.lower() for name in endpoint.headers}:
        endpoint.headers[HEADER] = secret or actions_secret()


def install_sender() -> None:
    """In the Rasa process: every agent loaded gets the secret on its action endpoint (once per process)."""
    global _sender_installed
    with _lock:
        if _sender_installed:
            return
        from rasa.core import agent

        original = agent.load_agent

        async def load_agent(*args: Any, **kwargs: Any) -> Any:
            endpoints = kwargs.get("endpoints")
            attach(getattr(endpoints, "action", None))
            return await original(*args, **kwargs)

        agent.load_agent = load_agent
        _sender_installed = True


def check(request: Request, secret: str) -> Optional[HTTPResponse]:
    """None if the call may go on; else the 401 answer (and one log line: who, what)."""
    if request.path in OPEN_PATHS:
        return None
    given = request.headers.get(HEADER, "")
    if hmac.compare_digest(given.encode(), secret.encode()):
        return None
    reason = "no" if not given else "a wrong"
    logger.warning("refused %s %s from %s: %s %s header", request.method, request.path,
                   request.ip or "?", reason, HEADER)
    return response.json({"error": f"Action calls need the {HEADER} header with the secret that the "
                                   "Rasa server sends (COACH_ACTIONS_SECRET or .state/actions_secret)."},
                         status=401)


def require_secret(app: Sanic, secret: Optional[str] = None) -> None:
    """The action server refuses every call but /health without the secret."""
    expected = secret or actions_secret()

    @app.middleware("request")
    async def refuse_without_secret(request: Request) -> Optional[HTTPResponse]:
        return check(request, expected)
