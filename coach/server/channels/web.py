"""Rasa input channel for the web chat page: serves the page and takes its messages.

Mounted by Rasa at /webhooks/coach/ (credentials.yml). The page is same-origin, so no CORS is
needed (and Rasa runs without --cors); requests from another origin are refused. Each message
carries the person's signed token (coach/server/channels/auth.py: the sender is the token's person,
never a name in the body) and a client id: a retried id gets the first answer again instead of
running twice, so a reconnecting phone never duplicates a turn.
The body and text checks, and running a message, are coach/server/channels/inbound.py's (shared
with REST); /health and the {"error": "..."} replies are coach/server/channels/base.py's.
"""
from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from pathlib import Path, PurePosixPath
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple
from urllib.parse import urlsplit

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from coach.errors import InboundError
from coach.i18n import LANGUAGES
from coach.i18n.catalogue import catalogue
from coach.people import Person
from coach.people.tokens import SigningKey
from coach.server.channels.auth import SIGN_IN_AGAIN, TRAINERS_ONLY, SignIn, Throttled, client_address
from coach.server.channels.base import CoachInput, OnNewMessage, Route, error_response
from coach.server.channels.desk import desk_routes
from coach.server.channels.headers import SECURITY_HEADERS
from coach.server.channels.inbound import Turn, clean_message, handle, json_body
from coach.server.channels.state import rep_state
from coach.settings import WEB_DIR

logger = logging.getLogger(__name__)
# Served by file type; modules need text/javascript. Anything else under web/ is not served.
STATIC = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
MAX_ID = 100
_CACHE_SIZE = 2000


def static_file(name: str) -> Optional[Path]:
    """The page file `name` names, or None: a known type, inside web/, no hidden or '..' parts."""
    parts = PurePosixPath(name).parts
    if not parts or any(part.startswith(".") for part in parts):
        return None
    file = WEB_DIR.joinpath(*parts)
    inside = file.resolve().is_relative_to(WEB_DIR.resolve())
    return file if file.suffix in STATIC and inside and file.is_file() else None


def strings_response(lang: str) -> HTTPResponse:
    """The page's interface strings in `lang`, or 400 for a language the coach doesn't speak."""
    try:
        strings = catalogue(lang)
    except ValueError as exc:
        return error_response(400, str(exc))
    return response.json({"lang": lang, "strings": strings}, headers={"Cache-Control": "no-cache"})


def page_metadata(body: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """Rasa message metadata from the page's body: the page's language, if it is one the coach speaks.

    A button's /payload says nothing of its language: actions/base.py answers a first one in it.
    """
    lang = body.get("lang")
    return {"lang": lang} if isinstance(lang, str) and lang in LANGUAGES else None


def merge(messages: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """One object per reply: Rasa emits text+buttons and the custom payload as two messages."""
    merged: List[Dict[str, Any]] = []
    for message in messages:
        item = {k: message[k] for k in ("text", "buttons", "custom") if k in message}
        previous = merged[-1] if merged else None
        if "custom" in item and "text" not in item and previous is not None and "custom" not in previous:
            previous["custom"] = item["custom"]
        else:
            merged.append(item)
    return merged


class CoachWebInput(CoachInput):
    """credentials.yml: `coach.server.channels.web.CoachWebInput:` (secrets come from the environment)."""

    @classmethod
    def name(cls) -> str:
        return "coach"

    def __init__(self) -> None:
        super().__init__()
        self._sign_in = SignIn(SigningKey())
        self._answers: OrderedDict[Tuple[str, str], asyncio.Future[Turn]] = OrderedDict()

    def blueprint_name(self) -> str:
        return "coach_webchat"

    @staticmethod
    def _check_origin(request: Request) -> None:
        origin = request.headers.get("origin")
        if origin is not None and urlsplit(origin).netloc != request.headers.get("host"):
            raise InboundError(403, "requests from other sites are not accepted")

    def _person(self, request: Request) -> Person:
        """The signed-in person of the request; 403 for another site, 401 for a missing, forged, expired,
        revoked or superseded token."""
        self._check_origin(request)
        person = self._sign_in.person(request)
        if person is None:
            raise InboundError(401, SIGN_IN_AGAIN)
        request.ctx.sender = person.person_id  # a refused request's log line names the sender
        return person

    def _trainer(self, request: Request) -> Person:
        """As _person, and 403 for a rep."""
        person = self._person(request)
        if person.role != "trainer":
            raise InboundError(403, TRAINERS_ONLY)
        return person

    async def _answer(self, key: Tuple[str, str], run: Callable[[], Awaitable[Turn]]) -> Turn:
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

    @staticmethod
    async def page(request: Request) -> HTTPResponse:
        return await response.file(WEB_DIR / "index.html", headers=SECURITY_HEADERS, mime_type="text/html")

    @staticmethod
    async def static(request: Request, name: str) -> HTTPResponse:
        file = static_file(name)
        if file is None:
            raise InboundError(404, "not found")
        return await response.file(file, headers=SECURITY_HEADERS, mime_type=STATIC[file.suffix])

    @staticmethod
    async def strings(request: Request) -> HTTPResponse:
        return strings_response(request.args.get("lang", ""))  # no token: the login form needs them

    async def login(self, request: Request) -> HTTPResponse:
        """{"code": "<person_id>.<secret>"} -> a token; 400 not a code, 401 wrong, 429 throttled."""
        self._check_origin(request)
        body = json_body(request, '{"code": "..."}')
        try:
            answer = await self._sign_in(body.get("code"), client_address(request))
        except Throttled as exc:
            return response.json({"error": exc.message}, status=exc.status,
                                 headers={"Retry-After": str(exc.retry_after)})
        return response.json(answer, headers={"Cache-Control": "no-store"})

    async def state(self, request: Request) -> HTTPResponse:
        """The rep's running drill (coach/server/channels/state.py), so another phone can show it."""
        sender = self._person(request).person_id
        agent = getattr(request.app.ctx, "agent", None)
        body = await rep_state(agent, sender, request.args.get("lang"))
        return response.json(body, headers={"Cache-Control": "no-store"})

    def routes(self, on_new_message: OnNewMessage) -> List[Route]:
        async def message(request: Request) -> HTTPResponse:
            sender = self._person(request).person_id
            body = json_body(request, '{"message": "...", "id": "..."}')
            text = clean_message(body.get("message"))
            client_id = str(body.get("id") or "")[:MAX_ID]

            async def run() -> Turn:
                return await handle(on_new_message, text, sender, self.name(), page_metadata(body))

            turn = await (self._answer((sender, client_id), run) if client_id else run())
            return response.json({"messages": merge(turn.messages)})

        return [Route("/", ("GET",), self.page), Route("/static/<name:path>", ("GET",), self.static),
                Route("/strings", ("GET",), self.strings), Route("/login", ("POST",), self.login),
                Route("/message", ("POST",), message), Route("/state", ("GET",), self.state),
                *desk_routes(self._person, self._trainer)]
