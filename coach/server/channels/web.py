"""Rasa input channel for the web chat page: serves the page and takes its messages.

Mounted by Rasa at /webhooks/coach/ (credentials.yml). The page is same-origin, so no CORS is
needed (and Rasa runs without --cors); requests from another origin are refused. Each message
carries the rep's signed token (coach/server/channels/auth.py) and a client id: a retried id gets the first
answer again instead of running twice, so a reconnecting phone never duplicates a turn.
The body and text checks, and running a message, are coach/server/channels/inbound.py's (shared with REST).
"""
from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text
from urllib.parse import urlsplit

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from coach.server import patches as rasa_speedups
from coach.server.channels.auth import check_code, make_token, read_token, sender_for, signing_secret
from coach.server.channels.inbound import (
    InboundError,
    Turn,
    clean_message,
    error_response,
    handle,
    json_body,
    replace_surrogates,
)
from coach.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)
WEB_DIR = PROJECT_ROOT / "web"
STATIC = {"app.js": "text/javascript", "style.css": "text/css"}
MAX_ID = 100
_CACHE_SIZE = 2000
# The page loads nothing from elsewhere and runs no inline script: a stray HTML injection can't run.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"}


def merge(messages: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """One object per reply: Rasa emits text+buttons and the custom payload as two messages."""
    merged: List[Dict[Text, Any]] = []
    for message in messages:
        item = {k: message[k] for k in ("text", "buttons", "custom") if k in message}
        previous = merged[-1] if merged else None
        if "custom" in item and "text" not in item and previous is not None and "custom" not in previous:
            previous["custom"] = item["custom"]
        else:
            merged.append(item)
    return merged


class CoachWebInput(InputChannel):
    """credentials.yml: `coach.server.channels.web.CoachWebInput:` (secrets come from the environment)."""

    @classmethod
    def name(cls) -> Text:
        return "coach"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "CoachWebInput":
        return cls()

    def __init__(self) -> None:
        rasa_speedups.install()  # runs in the Rasa server process, before the first message
        self._secret = signing_secret()
        self._answers: "OrderedDict[tuple, asyncio.Future]" = OrderedDict()

    def _same_origin(self, request: Request) -> bool:
        origin = request.headers.get("origin")
        return origin is None or urlsplit(origin).netloc == request.headers.get("host")

    def _sender(self, request: Request) -> Optional[str]:
        header = request.headers.get("authorization", "")
        return read_token(header[7:], self._secret) if header.startswith("Bearer ") else None

    async def _answer(self, key: tuple, run: Callable[[], Awaitable[Turn]]) -> Turn:
        """Run once per (sender, client id); concurrent or later retries share the first answer."""
        future = self._answers.get(key)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self._answers[key] = future
            while len(self._answers) > _CACHE_SIZE:
                self._answers.popitem(last=False)
            try:
                turn = await run()
            except BaseException as exc:  # a retry must run again: not replay a failure, nor wait forever
                self._answers.pop(key, None)  # (cancelled = the phone hung up mid-turn)
                if isinstance(exc, asyncio.CancelledError):
                    future.cancel()
                else:
                    future.set_exception(exc)
                raise
            if turn.failed:  # "the coach is restarting": a retry must really run again, not replay this
                self._answers.pop(key, None)
            future.set_result(turn)
        return await asyncio.shield(future)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("coach_webchat", __name__)

        @bp.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            return await response.file(WEB_DIR / "index.html", headers=SECURITY_HEADERS, mime_type="text/html")

        @bp.route("/static/<name>", methods=["GET"])
        async def static(request: Request, name: str) -> HTTPResponse:
            if name not in STATIC or not (WEB_DIR / name).is_file():  # a fixed list: no path tricks
                return error_response(404, "not found")
            return await response.file(WEB_DIR / name, headers=SECURITY_HEADERS, mime_type=STATIC[name])

        @bp.route("/health", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/login", methods=["POST"])
        async def login(request: Request) -> HTTPResponse:
            if not self._same_origin(request):
                return error_response(403, "requests from other sites are not accepted")
            try:
                body = json_body(request, '{"name": "...", "code": "..."}')
                name = body.get("name")
                sender = sender_for(name if isinstance(name, str) else "")
            except InboundError as exc:
                return error_response(exc.status, exc.message)
            except ValueError as exc:
                return error_response(400, str(exc))
            code = body.get("code")
            # A lone surrogate ("\ud800") can't be encoded for the comparison: it is just a wrong code.
            if not isinstance(code, str) or replace_surrogates(code) != code or not check_code(code):
                return error_response(401, "Wrong team access code. Ask your trainer for it.")
            return response.json({"token": make_token(sender, self._secret), "sender": sender, "name": sender})

        @bp.route("/message", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self._same_origin(request):
                return error_response(403, "requests from other sites are not accepted")
            sender = self._sender(request)
            if sender is None:
                return error_response(401, "Please log in again.")
            try:
                body = json_body(request, '{"message": "...", "id": "..."}')
                text = clean_message(body.get("message"))
            except InboundError as exc:
                return error_response(exc.status, exc.message)
            client_id = str(body.get("id") or "")[:MAX_ID]

            async def run() -> Turn:
                return await handle(on_new_message, text, sender, self.name())

            turn = await (self._answer((sender, client_id), run) if client_id else run())
            return response.json({"messages": merge(turn.messages)})

        return bp
