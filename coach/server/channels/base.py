"""What both input channels share: start-up in the Rasa process, /health, and the error replies.

CoachRestInput (rest.py) and CoachWebInput (web.py) derive from CoachInput. Creating a channel
quiets the start-up noise and installs the Rasa speed patches (once per process, before the
first message); its blueprint answers GET <prefix>/health with {"status": "ok"} and turns an
InboundError raised by any of its routes into the one error shape, {"error": "..."} with the
error's status. Each channel only lists its own routes (`routes`).
"""
from __future__ import annotations

import functools
from typing import Any, Awaitable, Callable, Dict, List, NamedTuple, Optional, Tuple, Union

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from coach.errors import InboundError
from coach.server import logs, patches

Reply = Union[HTTPResponse, ResponseStream]
Handler = Callable[..., Awaitable[Reply]]
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
HEALTH = "/health"


class Route(NamedTuple):
    path: str
    methods: Tuple[str, ...]
    handler: Handler


def error_response(status: int, message: str) -> HTTPResponse:
    """The one error shape of both channels: {"error": "..."}."""
    return response.json({"error": message}, status=status)


def answering_errors(handler: Handler) -> Handler:
    """The handler, with an InboundError it raises answered as error_response (never a 500)."""
    @functools.wraps(handler)
    async def guarded(request: Request, *args: Any, **kwargs: Any) -> Reply:
        try:
            return await handler(request, *args, **kwargs)
        except InboundError as exc:
            return error_response(exc.status, exc.message)

    return guarded


async def health(request: Request) -> HTTPResponse:
    return response.json({"status": "ok"})


class CoachInput(InputChannel):
    """Base of the coach's input channels; a subclass gives `name()` and `routes()`."""

    # Extra paths that answer like /health (Rasa's REST channel has always answered GET / so).
    health_paths: Tuple[str, ...] = ()

    def __init__(self) -> None:
        logs.quiet_startup()  # our modules load inside `rasa run`, after its own imports
        patches.install()  # runs in the Rasa server process, before the first message

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> CoachInput:
        return cls()  # secrets come from the environment (coach.settings), never credentials.yml

    def blueprint_name(self) -> str:
        return f"custom_webhook_{type(self).__name__}"  # Rasa's own naming for custom channels

    def routes(self, on_new_message: OnNewMessage) -> List[Route]:
        """The channel's own routes, relative to its /webhooks/<name>/ prefix."""
        raise NotImplementedError

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        bp = Blueprint(self.blueprint_name(), __name__)
        for path in (HEALTH, *self.health_paths):
            bp.add_route(health, path, methods=["GET"], name=f"health{path.replace('/', '_')}")
        for route in self.routes(on_new_message):
            # Sanic's annotation leaves out ResponseStream, which it serves (REST's ?stream=true).
            bp.add_route(answering_errors(route.handler), route.path,  # type: ignore[arg-type]
                         methods=list(route.methods), name=route.handler.__name__)
        return bp
