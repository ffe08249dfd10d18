"""What both input channels share: start-up in the Rasa process, /health, the error replies and
the network rules (README, "Security").

CoachRestInput (rest.py) and CoachWebInput (web.py) derive from CoachInput. Creating a channel
quiets the start-up noise and installs, once per process and before the first message, the Rasa
speed patches, the action server's secret (coach/server/action_secret.py) and `harden_app` for
the app `rasa run` builds. Its blueprint answers GET <prefix>/health with {"status": "ok"} and
turns an InboundError raised by any of its routes into the one error shape, {"error": "..."}
with the error's status, logged as one line with the sender and the reason. Each channel only
lists its own routes (`routes`) and may refuse a request before its body is read (`authorize`).

`harden_app`: requests for a Host not in the allowlist get 400 (DNS rebinding); every response
says `X-Content-Type-Options: nosniff`; no CORS headers unless `rasa run --cors` asks for them,
never Access-Control-Allow-Credentials; a body over MAX_BODY is refused from its Content-Length
before it is read, and one that has not fully arrived after BODY_TIMEOUT_S gets 408 and the
connection is closed (Sanic's own timeouts restart with every byte received).
"""
from __future__ import annotations

import asyncio
import functools
import ipaddress
import logging
import threading
from typing import Any, Awaitable, Callable, Dict, FrozenSet, List, NamedTuple, Optional, Tuple, Union

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request
from sanic.response import BaseHTTPResponse, HTTPResponse, ResponseStream

from coach import settings
from coach.errors import InboundError
from coach.server import action_secret, logs, patches
from coach.server.channels.inbound import MAX_BODY, MAX_MESSAGE

logger = logging.getLogger(__name__)

Reply = Union[HTTPResponse, ResponseStream]
Handler = Callable[..., Awaitable[Reply]]
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
Authorize = Callable[[Request], None]
HEALTH = "/health"
BODY_TIMEOUT_S = 10.0  # the whole body, from the end of the headers; a phone's 2 KB takes well under 1 s
HEADER_TIMEOUT_S = 5  # Sanic's REQUEST_TIMEOUT: the headers, measured from the last byte received
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff"}
_hooks_lock = threading.Lock()
_hooks_installed = False


class Route(NamedTuple):
    path: str
    methods: Tuple[str, ...]
    handler: Handler


def error_response(status: int, message: str) -> HTTPResponse:
    """The one error shape of both channels: {"error": "..."}."""
    return response.json({"error": message}, status=status)


def log_refusal(request: Request, status: int, reason: str) -> None:
    """One line per refused request: where, the sender (escaped, cut short) and why; no traceback."""
    sender = getattr(request.ctx, "sender", None)
    shown = "?" if sender is None else repr(sender)[:120]
    logger.warning("refused %s %s from sender %s at %s: %d %s", request.method, request.path, shown,
                   request.ip or "?", status, reason)


def _no_authorization(request: Request) -> None:
    return None


def answering_errors(handler: Handler, authorize: Authorize = _no_authorization) -> Handler:
    """The handler, with its body read under the limits first (`read_body`), after `authorize`;
    an InboundError raised on the way is logged and answered as error_response (never a 500)."""
    @functools.wraps(handler)
    async def guarded(request: Request, *args: Any, **kwargs: Any) -> Reply:
        try:
            authorize(request)
            await read_body(request)
            return await handler(request, *args, **kwargs)
        except InboundError as exc:
            log_refusal(request, exc.status, exc.message)
            return error_response(exc.status, exc.message)

    return guarded


async def read_body(request: Request) -> None:
    """request.body, read here (routes stream), at most MAX_BODY bytes and within BODY_TIMEOUT_S.

    InboundError 413 for a larger declared or sent body (nothing more is read), 408 for a body
    still arriving at the deadline; either way the connection is closed afterwards.
    """
    stream = request.stream
    if stream is None or not getattr(stream, "request_body", None):
        return  # no body, or already read
    if hasattr(stream, "request_max_size"):
        stream.request_max_size = MAX_BODY  # Sanic lifts its limit for streaming routes: put it back

    async def collect() -> bytes:
        return b"".join([chunk async for chunk in stream])

    try:
        request.body = await asyncio.wait_for(collect(), BODY_TIMEOUT_S)
    except PayloadTooLarge:
        raise InboundError(413, f"The request is larger than {MAX_BODY // 1024} KB. "
                                f"Messages have at most {MAX_MESSAGE:,} characters.") from None
    except asyncio.TimeoutError:
        # Sanic drains an unread body after the reply; with no size left it closes the connection.
        stream.keep_alive = False
        stream.request_max_size = -1
        raise InboundError(408, f"The request body did not arrive within {BODY_TIMEOUT_S:.0f} s; "
                                "send it again in one go.") from None


def _host_name(header: str) -> str:
    """'Example.COM:5005' -> 'example.com', '[::1]:5005' -> '::1' (the port is not checked)."""
    host = header.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts() -> FrozenSet[str]:
    """localhost, 127.0.0.1 and ::1, and COACH_ALLOWED_HOSTS or else the address Rasa is bound to.

    Loopback names are always safe: a rebinding page sends its own name, never 127.0.0.1.
    """
    current = settings.current()
    if current.allowed_hosts:
        return frozenset(LOOPBACK_NAMES + tuple(_host_name(h) for h in current.allowed_hosts))
    bound = _host_name(current.host)
    wildcard = bound in ("", "0.0.0.0", "::")
    return frozenset(LOOPBACK_NAMES + (() if wildcard else (bound,)))


async def check_host(request: Request) -> Optional[HTTPResponse]:
    """400 for a Host header the coach does not answer to: a rebound DNS name is another site."""
    host = _host_name(request.headers.get("host", ""))
    if host in allowed_hosts():
        return None
    message = (f'This coach does not answer to the host name "{host[:100]}". Open it by its own address; '
               "the operator lists the names it answers to in COACH_ALLOWED_HOSTS.")
    log_refusal(request, 400, message)
    return error_response(400, message)


async def add_security_headers(request: Request, reply: BaseHTTPResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        reply.headers[name] = value
    if "access-control-allow-credentials" in reply.headers:
        del reply.headers["access-control-allow-credentials"]


def harden_app(app: Sanic) -> Sanic:
    """The network rules of the module docstring, on the app `rasa run` serves."""
    app.config.REQUEST_MAX_SIZE = MAX_BODY  # Content-Length over it: 413 before any of it is read
    app.config.REQUEST_TIMEOUT = HEADER_TIMEOUT_S
    app.register_middleware(check_host, "request")
    app.register_middleware(add_security_headers, "response")
    return app


def cors_without_credentials(app: Sanic, cors_origins: Any = "") -> None:
    """rasa.server.configure_cors without credentials, and no CORS at all unless --cors is given.

    Rasa's version turns on CORS_SUPPORTS_CREDENTIALS for every app, so every response said
    Access-Control-Allow-Credentials: true; the coach's pages are same-origin and need none.
    """
    if not cors_origins:
        return
    from sanic_cors import CORS

    CORS(app, resources={r"/*": {"origins": cors_origins}}, automatic_options=True,
         supports_credentials=False)


def install_app_hooks() -> None:
    """Once per process: the app Rasa configures is hardened, and Rasa's CORS set-up replaced."""
    global _hooks_installed
    with _hooks_lock:
        if _hooks_installed:
            return
        import rasa.core.run
        import rasa.server

        configure = rasa.core.run.configure_app

        def configure_hardened(*args: Any, **kwargs: Any) -> Sanic:
            return harden_app(configure(*args, **kwargs))

        rasa.core.run.configure_app = configure_hardened
        rasa.server.configure_cors = cors_without_credentials
        action_secret.install_sender()
        _hooks_installed = True


async def health(request: Request) -> HTTPResponse:
    return response.json({"status": "ok"})


class CoachInput(InputChannel):
    """Base of the coach's input channels; a subclass gives `name()` and `routes()`."""

    # Extra paths that answer like /health (Rasa's REST channel has always answered GET / so).
    health_paths: Tuple[str, ...] = ()

    def __init__(self) -> None:
        logs.quiet_startup()  # our modules load inside `rasa run`, after its own imports
        patches.install()  # runs in the Rasa server process, before the first message
        install_app_hooks()  # channels are created before `rasa run` configures its app

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> CoachInput:
        return cls()  # secrets come from the environment (coach.settings), never credentials.yml

    def blueprint_name(self) -> str:
        return f"custom_webhook_{type(self).__name__}"  # Rasa's own naming for custom channels

    def routes(self, on_new_message: OnNewMessage) -> List[Route]:
        """The channel's own routes, relative to its /webhooks/<name>/ prefix."""
        raise NotImplementedError

    def authorize(self, request: Request) -> None:
        """InboundError if the request may not use this channel at all; runs before the body is read."""
        return None

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        bp = Blueprint(self.blueprint_name(), __name__)
        for path in (HEALTH, *self.health_paths):
            bp.add_route(health, path, methods=["GET"], name=f"health{path.replace('/', '_')}")
        for route in self.routes(on_new_message):
            # Sanic's annotation leaves out ResponseStream, which it serves (REST's ?stream=true).
            # stream=True: read_body reads the body itself, with a deadline Sanic does not have.
            bp.add_route(answering_errors(route.handler, self.authorize), route.path,  # type: ignore[arg-type]
                         methods=list(route.methods), name=route.handler.__name__, stream=True)
        return bp
